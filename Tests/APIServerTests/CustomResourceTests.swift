import APIMachinery
import Foundation
import Hummingbird
import Testing

/// CustomResourceDefinitions served live against a real etcd: the widgets
/// CRD kube-apiserver 1.36 was given (Fixtures/crd), and its answers compared
/// with what Berth answers.
@Suite(.timeLimit(.minutes(2)))
struct CustomResourceTests {
    static let crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
    static let widgets = "/apis/acc.example.com/v1/namespaces/default/widgets"

    /// The CRD as a client sends it: the captured one without what the server set.
    static var widgetCRD: JSONValue {
        var crd = reference("crd/crd-established.json")!
        crd["metadata"] = ["name": "widgets.acc.example.com"]
        crd["status"] = nil
        return crd
    }

    static func widget(_ name: String, spec: JSONValue = ["color": "red"], kind: String = "Widget") -> JSONValue {
        ["apiVersion": "acc.example.com/v1", "kind": .string(kind), "metadata": ["name": .string(name)], "spec": spec]
    }

    /// Creates the widgets CRD and waits until its resources are served.
    static func establishWidgets(_ api: TestAPI) async throws {
        let created = try await api.request(.post, crds, json: widgetCRD)
        #expect(created.status == .created)
        let served = try await api.waitUntilServed(widgets)
        #expect(served.status == .ok)
    }

    static func message(_ reply: TestAPI.Reply) -> String { reply.json["message"]?.stringValue ?? "" }

    @Test func aCreatedCRDIsEstablishedAndDiscoveredAsKubeDoes() async throws {
        try await TestAPI.run(crds: true) { api in
            let created = try await api.request(.post, Self.crds, json: Self.widgetCRD)
            #expect(created.status == .created)
            // As kube answers the create: names not yet accepted, the storage version stored.
            #expect(created.json["status"] == ["conditions": .null, "acceptedNames": ["plural": "", "kind": ""],
                                               "storedVersions": ["v1"]])
            #expect(created.json["metadata"]?["generation"] == 1)
            #expect(created.json["spec"]?["conversion"] == ["strategy": "None"])

            #expect(try await api.waitUntilServed(Self.widgets).status == .ok)
            let established = try await api.get("\(Self.crds)/widgets.acc.example.com").json
            let expected = reference("crd/crd-established.json")!
            #expect(established["status"]?["acceptedNames"] == expected["status"]?["acceptedNames"])
            let conditions = established["status"]?["conditions"]?.arrayValue?.map { condition -> [String] in
                ["type", "status", "reason", "message"].map { condition[$0]?.stringValue ?? "" }
            }
            #expect(conditions == [["NamesAccepted", "True", "NoConflicts", "no conflicts found"],
                                   ["Established", "True", "InitialNamesAccepted", "the initial names have been accepted"]])

            // Discovery, plain and aggregated, as kube-apiserver lists the group.
            #expect(try await api.get("/apis/acc.example.com/v1").json == reference("crd/apis-acc.example.com-v1.json"))
            let aggregated = try await api.get("/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList").json
            let item = aggregated["items"]?.arrayValue?.first { $0["metadata"]?["name"] == "acc.example.com" }
            #expect(item == reference("crd/apis-aggregated-v2-acc-item.json"))
            let group = try await api.get("/apis/acc.example.com").json
            #expect(group["preferredVersion"]?["version"] == "v1")
            #expect(group["versions"]?.arrayValue?.map { $0["version"] } == ["v1", "v1beta1"])

            // OpenAPI v3 has the kind from the CRD's schema.
            let openAPI = try await api.get("/openapi/v3/apis/acc.example.com/v1")
            #expect(openAPI.status == .ok)
            let widget = openAPI.json["components"]?["schemas"]?["com.example.acc.v1.Widget"]
            #expect(widget?["properties"]?["spec"]?["properties"]?["size"]?["maximum"] == 10)
            #expect(widget?["x-kubernetes-group-version-kind"] == [["group": "acc.example.com", "kind": "Widget", "version": "v1"]])
        }
    }

    @Test func badCustomResourcesGetKubesAnswers() async throws {
        try await TestAPI.run(crds: true) { api in
            try await Self.establishWidgets(api)
            let cases: [(JSONValue, String)] = [
                (Self.widget("w5", spec: ["color": "red", "size": 20]), "status-422-maximum.json"),
                (Self.widget("w6", spec: ["color": "purple"]), "status-422-enum.json"),
                (Self.widget("w7", spec: [:]), "status-422-required.json"),
                (Self.widget("w8", spec: ["color": "red", "size": "big", "tags": "x"]), "status-422-types.json"),
                (Self.widget("w9", kind: "Gizmo"), "status-400-wrong-kind.json"),
            ]
            for (body, fixture) in cases {
                let reply = try await api.request(.post, Self.widgets, json: body)
                let expected = reference("crd/\(fixture)")!
                #expect(reply.status.code == expected["code"]?.intValue.map(Int.init), "\(fixture)")
                #expect(reply.json == expected, "\(fixture)")
            }
            let strict = try await api.request(.post, "\(Self.widgets)?fieldValidation=Strict",
                                               json: Self.widget("w1", spec: ["color": "red", "bogus": 1]))
            #expect(strict.json == reference("crd/status-400-strict.json"))

            #expect(try await api.request(.post, Self.widgets, json: Self.widget("w1")).status == .created)
            let strategic = try await api.patch("\(Self.widgets)/w1", "application/strategic-merge-patch+json", ["spec": ["size": 2]])
            #expect(strategic.json == reference("crd/status-415-strategic.json"))
            // A merge patch that breaks the schema is refused like a create.
            let broken = try await api.patch("\(Self.widgets)/w1", "application/merge-patch+json", ["spec": ["size": 0]])
            #expect(broken.status.code == 422)
            #expect(Self.message(broken) == "Widget.acc.example.com \"w1\" is invalid: spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1")
            // Not a JSON object at all: a 400 naming the kind.
            let garbage = try await api.request(.post, Self.widgets, body: Array("{\"spec\":".utf8),
                                                headers: [.contentType: "application/json"])
            #expect(garbage.status == .badRequest)
        }
    }

    @Test func unknownFieldsArePrunedWithWarningsAndDefaultsFilledIn() async throws {
        try await TestAPI.run(crds: true) { api in
            try await Self.establishWidgets(api)
            var body = Self.widget("w3", spec: ["color": "blue", "bogus": true, "config": ["free": ["form": 1]]])
            body["bogus"] = 1
            let created = try await api.request(.post, Self.widgets, json: body)
            #expect(created.status == .created)
            #expect(created.headers[values: .init("Warning")!] == [#"299 - "unknown field \"bogus\"""#,
                                                                            #"299 - "unknown field \"spec.bogus\"""#])
            // Pruned, defaulted (size 3), and what preserves unknown fields kept.
            #expect(created.json["spec"] == ["color": "blue", "config": ["free": ["form": 1]], "size": 3])
            #expect(created.json["bogus"] == nil)
            #expect(created.json["metadata"]?["generation"] == 1)
            let ignored = try await api.request(.post, "\(Self.widgets)?fieldValidation=Ignore",
                                                json: Self.widget("w4", spec: ["color": "red", "bogus": 1]))
            #expect(ignored.status == .created)
            #expect(ignored.headers[values: .init("Warning")!].isEmpty)
        }
    }

    @Test func statusAndScaleSubresourcesWorkAsKubes() async throws {
        try await TestAPI.run(crds: true) { api in
            try await Self.establishWidgets(api)
            var body = Self.widget("w1")
            body["status"] = ["phase": "Ignored"]
            let created = try await api.request(.post, Self.widgets, json: body)
            // The main resource ignores status when the status subresource is on.
            #expect(created.json["status"] == nil)

            let status = try await api.patch("\(Self.widgets)/w1/status", "application/merge-patch+json",
                                             ["spec": ["color": "green"], "status": ["phase": "Ready", "replicas": 2, "selector": "app=w1"]])
            #expect(status.status == .ok)
            #expect(status.json["status"]?["phase"] == "Ready")
            #expect(status.json["spec"]?["color"] == "red")
            #expect(status.json["metadata"]?["generation"] == 1)

            let scale = try await api.get("\(Self.widgets)/w1/scale")
            #expect(scale.json["kind"] == "Scale")
            #expect(scale.json["apiVersion"] == "autoscaling/v1")
            #expect(scale.json["spec"] == ["replicas": 3])
            #expect(scale.json["status"] == ["replicas": 2, "selector": "app=w1"])
            #expect(Set(scale.json["metadata"]?.objectValue?.keys.map { $0 } ?? [])
                    == ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"])

            var put = scale.json
            put["spec"] = ["replicas": 5]
            let scaled = try await api.request(.put, "\(Self.widgets)/w1/scale", json: put)
            #expect(scaled.status == .ok)
            #expect(scaled.json["spec"] == ["replicas": 5])
            let widget = try await api.get("\(Self.widgets)/w1").json
            #expect(widget["spec"]?["size"] == 5)
            #expect(widget["metadata"]?["generation"] == 2)
            // The old Scale's resourceVersion is stale now.
            #expect(try await api.request(.put, "\(Self.widgets)/w1/scale", json: put).status == .conflict)
            // Past the schema's maximum: the widget's own 422.
            let tooMany = try await api.patch("\(Self.widgets)/w1/scale", "application/merge-patch+json", ["spec": ["replicas": 20]])
            #expect(tooMany.status.code == 422)
        }
    }

    @Test func tablesUsePrinterColumnsAndDeprecatedVersionsWarn() async throws {
        try await TestAPI.run(crds: true) { api in
            try await Self.establishWidgets(api)
            try await api.request(.post, Self.widgets, json: Self.widget("w1", spec: ["color": "red", "size": 2]))
            let table = try await api.get(Self.widgets, accept: "application/json;as=Table;v=v1;g=meta.k8s.io").json
            let expected = reference("crd/widget-list-table.json")!
            #expect(table["columnDefinitions"] == expected["columnDefinitions"])
            #expect(table["rows"]?[0]?["cells"]?.arrayValue?.prefix(3).map { $0 } == ["w1", 2, "red"])

            let old = try await api.get("/apis/acc.example.com/v1beta1/namespaces/default/widgets/w1")
            #expect(old.json["apiVersion"] == "acc.example.com/v1beta1")
            #expect(old.headers[values: .init("Warning")!]
                    == [#"299 - "acc.example.com/v1beta1 Widget is going away; use acc.example.com/v1""#])
        }
    }

    @Test func badCRDsAndNameConflictsGetKubesAnswers() async throws {
        try await TestAPI.run(crds: true) { api in
            var wrongName = Self.widgetCRD
            wrongName["metadata"] = ["name": "wrong.acc.example.com"]
            #expect(try await api.request(.post, Self.crds, json: wrongName).json == reference("crd/crd-status-422-name.json"))

            let doodads: JSONValue = [
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": "doodads.acc.example.com"],
                "spec": ["group": "acc.example.com", "names": ["plural": "doodads", "kind": "Doodad"], "scope": "Namespaced",
                         "versions": [["name": "v1", "served": true, "storage": true,
                                       "schema": ["openAPIV3Schema": ["properties": ["spec": ["properties": ["x": [:]]]]]]],
                                      ["name": "v2", "served": true, "storage": true,
                                       "schema": ["openAPIV3Schema": ["type": "object"]]]]],
            ]
            let structural = try await api.request(.post, Self.crds, json: doodads)
            #expect(structural.status.code == 422)
            let causes = structural.json["details"]?["causes"]?.arrayValue ?? []
            let expected = reference("crd/crd-status-422-schema-storage.json")!["details"]?["causes"]?.arrayValue ?? []
            // The schema causes word for word; kube's spec.versions value is its Go structs.
            #expect(causes.prefix(3) == expected.prefix(3))
            #expect(causes.map { $0["field"] } == expected.map { $0["field"] })
            #expect(causes.last == expected.last)

            // Defaults must be what their schema accepts.
            let badDefaults: JSONValue = [
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": "dials.acc.example.com"],
                "spec": ["group": "acc.example.com", "names": ["plural": "dials", "kind": "Dial"], "scope": "Namespaced",
                         "versions": [["name": "v1", "served": true, "storage": true,
                                       "schema": ["openAPIV3Schema": ["type": "object", "properties": ["spec": [
                                           "type": "object", "properties": [
                                               "size": ["type": "integer", "default": "three"],
                                               "knob": ["type": "object", "properties": ["turns": ["type": "integer"]],
                                                        "default": ["turns": 1, "extra": true]]]]]]]]]],
            ]
            let defaults = try await api.request(.post, Self.crds, json: badDefaults)
            #expect(defaults.status.code == 422)
            #expect(defaults.json["details"]?["causes"]?.arrayValue?.map { [$0["field"], $0["message"]] } == [
                ["spec.validation.openAPIV3Schema.properties[spec].properties[knob].default",
                 #"Invalid value: {"turns":1,"extra":true}: must not have unknown fields"#],
                ["spec.validation.openAPIV3Schema.properties[spec].properties[size].default",
                 #"Invalid value: "string":  in body must be of type integer: "string""#],
            ])

            try await Self.establishWidgets(api)
            let things: JSONValue = [
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": "things.acc.example.com"],
                "spec": ["group": "acc.example.com", "names": ["plural": "things", "singular": "widget", "kind": "Widget"],
                         "scope": "Namespaced",
                         "versions": [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": ["type": "object"]]]]],
            ]
            #expect(try await api.request(.post, Self.crds, json: things).status == .created)
            let expectedStatus = reference("crd/crd-kind-conflict-status.json")!["status"]!
            var status: JSONValue = .null
            for _ in 0..<250 where status["conditions"] == nil || status["conditions"] == .null {
                try await Task.sleep(for: .milliseconds(20))
                status = try await api.get("\(Self.crds)/things.acc.example.com").json["status"] ?? .null
            }
            #expect(status["acceptedNames"] == expectedStatus["acceptedNames"])
            let conditions = status["conditions"]?.arrayValue?.map { [$0["type"], $0["status"], $0["reason"], $0["message"]] }
            #expect(conditions == expectedStatus["conditions"]?.arrayValue?.map { [$0["type"], $0["status"], $0["reason"], $0["message"]] })
            #expect(try await api.get("/apis/acc.example.com/v1/namespaces/default/things").status == .notFound)
        }
    }

    @Test func customResourcesAreStoredAtKubesKeyWithoutResourceVersion() async throws {
        try await TestAPI.run(crds: true) { api in
            try await Self.establishWidgets(api)
            try await api.request(.post, Self.widgets, json: Self.widget("w1"))
            let storage = try #require(api.server.registry.store(group: "acc.example.com", version: "v1", resource: "widgets")?.etcdStore)
            #expect(storage.keys.resourcePrefix.hasSuffix("/acc.example.com/widgets/"))
            let stored = try #require(try await storage.client.get(Array((storage.keys.resourcePrefix + "default/w1").utf8)))
            let json = try JSONValue.parse(stored.value)
            #expect(json["apiVersion"] == "acc.example.com/v1")
            #expect(json["kind"] == "Widget")
            #expect(json["metadata"]?["resourceVersion"] == nil)
            #expect(json["spec"] == ["color": "red", "size": 3])
        }
    }

    @Test func deletingACRDDeletesItsObjectsThenStopsServingIt() async throws {
        try await TestAPI.run(crds: true) { api in
            try await Self.establishWidgets(api)
            var held = Self.widget("held")
            held["metadata"] = ["name": "held", "finalizers": ["example.com/hold"]]
            try await api.request(.post, Self.widgets, json: held)
            try await api.request(.post, Self.widgets, json: Self.widget("plain"))

            let deleting = try await api.request(.delete, "\(Self.crds)/widgets.acc.example.com")
            #expect(deleting.status == .ok)
            // As kube answers: the CRD itself, its finalizer and the Terminating condition.
            #expect(deleting.json["kind"] == "CustomResourceDefinition")
            #expect(deleting.json["metadata"]?["finalizers"] == ["customresourcecleanup.apiextensions.k8s.io"])
            let terminating = deleting.json["status"]?["conditions"]?.arrayValue?.last
            #expect(terminating?["reason"] == reference("crd/crd-delete.json")!["status"]?["conditions"]?[2]?["reason"])

            // The finalizer of one widget holds everything: the rest is deleted, new ones are refused.
            var plainGone = false
            for _ in 0..<250 where !plainGone {
                try await Task.sleep(for: .milliseconds(20))
                plainGone = try await api.get("\(Self.widgets)/plain").status == .notFound
            }
            #expect(plainGone)
            let refused = try await api.request(.post, Self.widgets, json: Self.widget("late"))
            #expect(refused.status == .methodNotAllowed)
            #expect(Self.message(refused) == "create not allowed while custom resource definition is terminating")
            #expect(try await api.get("\(Self.crds)/widgets.acc.example.com").status == .ok)

            try await api.patch("\(Self.widgets)/held", "application/merge-patch+json", ["metadata": ["finalizers": .null]])
            let gone = try await api.waitUntilGone("\(Self.crds)/widgets.acc.example.com")
            #expect(gone)
            #expect(try await api.waitUntilGone(Self.widgets))
            #expect(try await api.get("/apis/acc.example.com").status == .notFound)
        }
    }

    @Test func celRulesAreKeptWithAWarningAndNewDefaultsShowOnRead() async throws {
        try await TestAPI.run(crds: true) { api in
            try await Self.establishWidgets(api)
            try await api.request(.post, Self.widgets, json: Self.widget("old"))
            // A new field with a default and a CEL rule, added after "old" was stored.
            var crd = try await api.get("\(Self.crds)/widgets.acc.example.com").json
            var versions = crd["spec"]?["versions"]?.arrayValue ?? []
            for index in versions.indices {
                var schema = versions[index]["schema"]?["openAPIV3Schema"]?.objectValue ?? [:]
                var spec = schema["properties"]?["spec"]?.objectValue ?? [:]
                var properties = spec["properties"]?.objectValue ?? [:]
                properties["finish"] = ["type": "string", "default": "matte"]
                spec["properties"] = .object(properties)
                spec["x-kubernetes-validations"] = [["rule": "self.size <= 10"]]
                schema["properties"]?["spec"] = .object(spec)
                versions[index]["schema"] = ["openAPIV3Schema": .object(schema)]
            }
            crd["spec"]?["versions"] = .array(versions)
            let updated = try await api.request(.put, "\(Self.crds)/widgets.acc.example.com", json: crd)
            #expect(updated.status == .ok)
            #expect(updated.json["metadata"]?["generation"] == 2)
            #expect(updated.headers[values: .init("Warning")!].count == 2)
            #expect(updated.headers[values: .init("Warning")!].first?.contains("x-kubernetes-validations rules are stored but not enforced") == true)
            // The rules are kept as written.
            #expect(updated.json["spec"]?["versions"]?[0]?["schema"]?["openAPIV3Schema"]?["properties"]?["spec"]?["x-kubernetes-validations"]
                    == [["rule": "self.size <= 10"]])

            var defaulted: JSONValue = .null
            for _ in 0..<250 where defaulted == .null {
                let spec = try await api.get("\(Self.widgets)/old").json["spec"]
                defaulted = spec?["finish"] ?? .null
                if defaulted == .null { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(defaulted == "matte")
            let listed = try await api.get(Self.widgets).json["items"]?[0]?["spec"]?["finish"]
            #expect(listed == "matte")
        }
    }

    @Test func selectableFieldsFilterListsAndBadPathsAreRefused() async throws {
        try await TestAPI.run(crds: true) { api in
            var crd = Self.widgetCRD
            var versions = crd["spec"]?["versions"]?.arrayValue ?? []
            for index in versions.indices { versions[index]["selectableFields"] = [["jsonPath": ".spec.color"]] }
            crd["spec"]?["versions"] = .array(versions)
            var bad = crd
            var badVersions = versions
            badVersions[0]["selectableFields"] = [["jsonPath": ".spec.config"], ["jsonPath": ".metadata.name"]]
            bad["spec"]?["versions"] = .array(badVersions)
            let refused = try await api.request(.post, Self.crds, json: bad)
            #expect(refused.status.code == 422)
            #expect(refused.json["details"]?["causes"]?.arrayValue?.compactMap { $0["message"]?.stringValue } == [
                "Invalid value: \".spec.config\": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.",
                "Invalid value: \".metadata.name\": must not point to fields in metadata",
            ])

            #expect(try await api.request(.post, Self.crds, json: crd).status == .created)
            #expect(try await api.waitUntilServed(Self.widgets).status == .ok)
            try await api.request(.post, Self.widgets, json: Self.widget("red1"))
            try await api.request(.post, Self.widgets, json: Self.widget("blue1", spec: ["color": "blue"]))
            func fetchedThroughTheIndex() async throws -> Double {
                PrometheusText(try await api.get("/metrics").text).value(
                    "apiserver_cache_list_fetched_objects_total",
                    ["group": "acc.example.com", "resource": "widgets", "index": "spec.color"]) ?? 0
            }
            let fetchedBefore = try await fetchedThroughTheIndex()
            let blue = try await api.get("\(Self.widgets)?fieldSelector=spec.color%3Dblue").json
            #expect(blue["items"]?.arrayValue?.map { $0["metadata"]?["name"] } == ["blue1"])
            // The watch cache indexes a CRD's selectable fields: the list read
            // the one blue widget, not every widget.
            #expect(try await fetchedThroughTheIndex() == fetchedBefore + 1)
            let unknown = try await api.get("\(Self.widgets)?fieldSelector=spec.size%3D3")
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func formatsAndEmbeddedResourcesAreCheckedAsKubeChecksThem() async throws {
        try await TestAPI.run(crds: true) { api in
            let spec: JSONValue = ["type": "object", "properties": [
                "contact": ["type": "string", "format": "email"],
                "address": ["type": "string", "format": "ipv4"],
                "network": ["type": "string", "format": "cidr"],
                "every": ["type": "string", "format": "duration"],
                "id": ["type": "string", "format": "uuid"],
                "template": ["type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true],
            ]]
            let crd: JSONValue = [
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": "jobs.fmt.example.com"],
                "spec": ["group": "fmt.example.com", "scope": "Namespaced", "names": ["plural": "jobs", "kind": "Job"],
                         "versions": [["name": "v1", "served": true, "storage": true,
                                       "schema": ["openAPIV3Schema": ["type": "object", "properties": ["spec": spec]]]]]],
            ]
            #expect(try await api.request(.post, Self.crds, json: crd).status == .created)
            let jobs = "/apis/fmt.example.com/v1/namespaces/default/jobs"
            #expect(try await api.waitUntilServed(jobs).status == .ok)
            func job(_ name: String, _ spec: JSONValue) -> JSONValue {
                ["apiVersion": "fmt.example.com/v1", "kind": "Job", "metadata": ["name": .string(name)], "spec": spec]
            }
            let good = try await api.request(.post, jobs, json: job("good", [
                "contact": "ops@example.com", "address": "10.0.0.1", "network": "10.0.0.0/8", "every": "1h30m",
                "id": "0b4f4f0e-3c55-4bb5-9d55-1f3c1a5b0c7e",
                "template": ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "bogus": 1], "data": ["a": "b"]],
            ]))
            #expect(good.status == .created)
            // The embedded object keeps its unknown fields (preserved) but not unknown metadata.
            #expect(good.json["spec"]?["template"] == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"], "data": ["a": "b"]])
            #expect(good.headers[values: .init("Warning")!] == [#"299 - "unknown field \"spec.template.metadata.bogus\"""#])

            let bad = try await api.request(.post, jobs, json: job("bad", [
                "contact": "nobody", "address": "10.0.0.300", "network": "10.0.0.0/40", "every": "soon", "id": "x",
                "template": ["data": ["a": "b"]],
            ]))
            #expect(bad.status.code == 422)
            #expect(Self.message(bad) == "Job.fmt.example.com \"bad\" is invalid: [spec.address: Invalid value: \"10.0.0.300\": spec.address in body must be of type ipv4: \"10.0.0.300\", spec.contact: Invalid value: \"nobody\": spec.contact in body must be of type email: \"nobody\", spec.every: Invalid value: \"soon\": spec.every in body must be of type duration: \"soon\", spec.id: Invalid value: \"x\": spec.id in body must be of type uuid: \"x\", spec.network: Invalid value: \"10.0.0.0/40\": spec.network in body must be of type cidr: \"10.0.0.0/40\", spec.template.apiVersion: Required value: must not be empty, spec.template.kind: Required value: must not be empty]")
        }
    }

    @Test func aCRDMadeThroughOneServerIsServedByAnother() async throws {
        let first = try await TestAPI.makeServer(label: "crd-replica-a")
        let second = try await TestAPI.makeServer(label: "crd-replica-b") { $0.etcdPrefix = first.options.etcdPrefix }
        try await TestAPI.run(first, crds: true) { (one: TestAPI) async throws in
            try await TestAPI.run(second, crds: true) { (other: TestAPI) async throws in
                #expect(try await one.request(.post, Self.crds, json: Self.widgetCRD).status == .created)
                #expect(try await other.waitUntilServed(Self.widgets).status == .ok)
                #expect(try await other.request(.post, Self.widgets, json: Self.widget("w1")).status == .created)
                #expect(try await one.waitUntilServed("\(Self.widgets)/w1").json["spec"]?["size"] == 3)
            }
        }
    }
}

extension TestAPI {
    /// Asks `uri` every 20 ms until it answers 404, for at most `seconds`.
    func waitUntilGone(_ uri: String, seconds: Double = 10) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await get(uri).status == .notFound { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
