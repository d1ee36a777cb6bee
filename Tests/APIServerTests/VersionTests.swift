import APIMachinery
@testable import APIServer
import EtcdClient
import Registry
import Storage
import Testing

/// One storage, several served versions: objects written at one version are
/// read, listed, watched, updated, patched and deleted at the others, and
/// stay stored at the storage version; --runtime-config decides what is
/// served and --storage-version where new writes go.
struct VersionTests {
    static let coreEvents = "/api/v1/namespaces/default/events"
    static let newEvents = "/apis/events.k8s.io/v1/namespaces/default/events"
    static let hpaV1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers"
    static let hpaV2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"

    static func coreEvent(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name)],
         "involvedObject": ["kind": "Pod", "name": "web", "namespace": "default"], "reason": "Started",
         "message": "Started container web", "type": "Normal", "count": 2, "source": ["component": "kubelet"]]
    }

    static func newEvent(_ name: String) -> JSONValue {
        ["apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": ["name": .string(name)],
         "eventTime": "2026-11-21T10:00:00.000000Z", "reportingController": "berth.dev/tests", "reportingInstance": "t-1",
         "action": "Test", "reason": "Tested", "regarding": ["kind": "Pod", "name": "web", "namespace": "default"],
         "note": "written through events.k8s.io", "type": "Normal"]
    }

    /// The value etcd holds for an object, decoded.
    static func stored(_ api: TestAPI, _ resource: String, _ name: String) async throws -> JSONValue {
        let storage = try #require(api.server.registry.stores.first { $0.definition.storagePath == resource }?.etcdStore)
        let key = try storage.keys.key(ObjectKey(namespace: "default", name: name))
        let response = try await storage.client.range(RangeRequest(key: Array(key.utf8)))
        let value = try #require(response.kvs.first?.value)
        return try JSONValue.parse(value)
    }

    @Test func eventsWrittenThroughEitherAPIAreReadThroughBoth() async throws {
        try await TestAPI.run { api in
            let created = try await api.request(.post, Self.coreEvents, json: Self.coreEvent("old"))
            #expect(created.status == .created)
            let modern = try await api.get("\(Self.newEvents)/old")
            #expect(modern.status == .ok)
            #expect(modern.json["apiVersion"] == "events.k8s.io/v1")
            #expect(modern.json["note"] == "Started container web")
            #expect(modern.json["regarding"]?["name"] == "web")
            #expect(modern.json["deprecatedCount"] == 2)
            #expect(modern.json["metadata"]?["resourceVersion"] == created.json["metadata"]?["resourceVersion"])

            let new = try await api.request(.post, Self.newEvents, json: Self.newEvent("new"))
            #expect(new.status == .created)
            #expect(new.json["note"] == "written through events.k8s.io")
            let legacy = try await api.get("\(Self.coreEvents)/new")
            #expect(legacy.json["apiVersion"] == "v1")
            #expect(legacy.json["message"] == "written through events.k8s.io")
            #expect(legacy.json["reportingComponent"] == "berth.dev/tests")

            // Stored once, at the storage version (core/v1), whichever API wrote it.
            let value = try await Self.stored(api, "events", "new")
            #expect(value["apiVersion"] == "v1")
            #expect(value["message"] == "written through events.k8s.io")
            #expect(value["note"] == nil)

            let list = try await api.get(Self.newEvents)
            #expect(list.json["kind"] == "EventList")
            #expect(list.json["apiVersion"] == "events.k8s.io/v1")
            #expect(Set(list.json["items"]?.arrayValue?.compactMap { $0["note"]?.stringValue } ?? [])
                    == ["Started container web", "written through events.k8s.io"])
            let selected = try await api.get("\(Self.newEvents)?fieldSelector=regarding.name%3Dweb,reportingController%3Dberth.dev%2Ftests")
            #expect(selected.json["items"]?.arrayValue?.map { $0["metadata"]?["name"] } == ["new"])
        }
    }

    @Test func updatePatchAndDeleteWorkAtAVersionOtherThanTheStoredOne() async throws {
        try await TestAPI.run { api in
            try await api.request(.post, Self.coreEvents, json: Self.coreEvent("e"))
            var modern = try await api.get("\(Self.newEvents)/e").json
            modern["note"] = "edited through events.k8s.io"
            // The new API refuses the deprecated fields a core Event carries
            // unless they are cleared, as upstream.
            let refused = try await api.request(.put, "\(Self.newEvents)/e", json: modern)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("deprecatedCount"))
            modern["deprecatedCount"] = nil
            modern["deprecatedSource"] = nil
            modern["eventTime"] = "2026-11-21T10:00:00.000000Z"
            modern["reportingController"] = "kubelet"
            modern["reportingInstance"] = "node-1"
            modern["action"] = "Start"
            let updated = try await api.request(.put, "\(Self.newEvents)/e", json: modern)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try await api.get("\(Self.coreEvents)/e").json["message"] == "edited through events.k8s.io")

            let patched = try await api.patch("\(Self.newEvents)/e", "application/merge-patch+json", ["note": "patched"])
            #expect(patched.json["note"] == "patched")
            #expect(try await Self.stored(api, "events", "e")["message"] == "patched")

            // A patch cannot move the object to another version or kind.
            let moved = try await api.patch("\(Self.newEvents)/e", "application/merge-patch+json", ["apiVersion": "events.k8s.io/v9"])
            #expect(moved.status == .badRequest)
            #expect(moved.reason == "BadRequest")

            let deleted = try await api.request(.delete, "\(Self.newEvents)/e")
            #expect(deleted.status == .ok)
            #expect(try await api.get("\(Self.coreEvents)/e").status == .notFound)
        }
    }

    @Test func aWatchAtOneVersionSeesWritesMadeAtAnother() async throws {
        try await TestAPI.run { api in
            let first = try await api.request(.post, Self.coreEvents, json: Self.coreEvent("w1"))
            let version = try #require(first.json["metadata"]?["resourceVersion"]?.stringValue)
            try await api.request(.post, Self.coreEvents, json: Self.coreEvent("w2"))
            try await api.patch("\(Self.coreEvents)/w2", "application/merge-patch+json", ["message": "changed"])
            let watch = try await api.get("\(Self.newEvents)?watch=true&resourceVersion=\(version)&timeoutSeconds=1")
            let events = watch.text.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            #expect(events.map { $0["type"] } == ["ADDED", "MODIFIED"])
            #expect(events.map { $0["object"]?["apiVersion"] } == ["events.k8s.io/v1", "events.k8s.io/v1"])
            #expect(events.last?["object"]?["note"] == "changed")
        }
    }

    static let hpa: JSONValue = [
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "web"],
        "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "maxReplicas": 5,
                 "metrics": [["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "500Mi"]]],
                             ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 60]]]],
                 "behavior": ["scaleDown": ["stabilizationWindowSeconds": 60]]],
    ]

    @Test func hpaV1ClientsKeepWhatOnlyV2Holds() async throws {
        try await TestAPI.run { api in
            let created = try await api.request(.post, Self.hpaV2, json: Self.hpa)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["spec"]?["minReplicas"] == 1, "defaulted")
            #expect(created.json["spec"]?["behavior"]?["scaleUp"]?["policies"]?.arrayValue?.count == 2, "default scale-up rules")
            #expect(created.json["status"] == ["desiredReplicas": 0])

            var v1 = try await api.get("\(Self.hpaV1)/web").json
            #expect(v1["apiVersion"] == "autoscaling/v1")
            #expect(v1["spec"]?["targetCPUUtilizationPercentage"] == 60)
            #expect(v1["metadata"]?["annotations"]?["autoscaling.alpha.kubernetes.io/metrics"] != nil)
            // A v1 client changes what it knows and sends the rest back.
            v1["spec"]?["targetCPUUtilizationPercentage"] = 75
            let updated = try await api.request(.put, "\(Self.hpaV1)/web", json: v1)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(updated.json["metadata"]?["generation"] == 2)

            let v2 = try await api.get("\(Self.hpaV2)/web").json
            let metrics = v2["spec"]?["metrics"]?.arrayValue ?? []
            #expect(metrics.count == 2)
            #expect(metrics.contains { $0["resource"]?["name"] == "memory" }, "kept through the v1 update")
            #expect(metrics.contains { $0["resource"]?["target"]?["averageUtilization"] == 75 })
            #expect(v2["spec"]?["behavior"]?["scaleDown"]?["stabilizationWindowSeconds"] == 60)
            #expect(v2["metadata"]?["annotations"] == nil, "the round-trip annotations are not stored")
            let value = try await Self.stored(api, "horizontalpodautoscalers", "web")
            #expect(value["apiVersion"] == "autoscaling/v2")

            // Status conditions merge by type in a strategic merge patch.
            let conditions: JSONValue = ["status": ["conditions": [
                ["type": "AbleToScale", "status": "True"], ["type": "ScalingActive", "status": "False"]]]]
            try await api.patch("\(Self.hpaV2)/web/status", "application/strategic-merge-patch+json", conditions)
            let merged = try await api.patch("\(Self.hpaV2)/web/status", "application/strategic-merge-patch+json",
                                             ["status": ["conditions": [["type": "ScalingActive", "status": "True"]]]])
            #expect(merged.json["status"]?["conditions"] == [["type": "AbleToScale", "status": "True"],
                                                             ["type": "ScalingActive", "status": "True"]])

            let table = try await api.get("\(Self.hpaV1)/web", accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
            #expect(table.json["rows"]?[0]?["cells"] == ["web", "Deployment/web", "memory: <unknown>/500Mi, cpu: <unknown>/75%", "1", 5, 0, table.json["rows"]?[0]?["cells"]?[6] ?? nil])
        }
    }

    @Test func valuesStoredAtAnOldStorageVersionStayReadable() async throws {
        try await TestAPI.run(configure: { $0.storageVersions = try! StorageVersionOverrides(parsing: ["horizontalpodautoscalers.autoscaling=v1"]) }) { api in
            #expect(try await api.request(.post, Self.hpaV2, json: Self.hpa).status == .created)
            let value = try await Self.stored(api, "horizontalpodautoscalers", "web")
            #expect(value["apiVersion"] == "autoscaling/v1", "written at the storage version the flag asked for")
            #expect(value["metadata"]?["annotations"]?["autoscaling.alpha.kubernetes.io/metrics"] != nil)

            // The same etcd read by a server with the default storage version (v2).
            let later = try await TestAPI.makeServer(label: "later") { $0.etcdPrefix = api.server.options.etcdPrefix }
            let store = try #require(later.registry.store(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers"))
            let read = try await store.get(namespace: "default", name: "web")
            #expect(read.apiVersion == "autoscaling/v2")
            #expect(read["spec"]?["metrics"]?.arrayValue?.count == 2)
            #expect(read["spec"]?["behavior"]?["scaleDown"]?["stabilizationWindowSeconds"] == 60)
            // Its next write moves the value to the new storage version.
            _ = try await store.patch(["spec": ["maxReplicas": 6]], type: .merge, namespace: "default", name: "web")
            #expect(try await Self.stored(api, "horizontalpodautoscalers", "web")["apiVersion"] == "autoscaling/v2")
        }
    }

    /// Every storage version × every version written at × every version read
    /// at: the value lands at the storage version, and reads convert it.
    @Test func everyVersionReadsObjectsStoredAtEveryVersion() async throws {
        let kinds: [(resource: String, versions: [String], object: @Sendable (String, String) -> JSONValue)] = [
            ("events", ["v1", "events.k8s.io/v1", "events.k8s.io/v1beta1"], { apiVersion, name in
                var event = apiVersion == "v1" ? Self.coreEvent(name) : Self.newEvent(name)
                if apiVersion != "v1" {
                    event["apiVersion"] = .string(apiVersion)
                }
                return event
            }),
            ("horizontalpodautoscalers", ["autoscaling/v2", "autoscaling/v1"], { apiVersion, name in
                ["apiVersion": .string(apiVersion), "kind": "HorizontalPodAutoscaler", "metadata": ["name": .string(name)],
                 "spec": ["scaleTargetRef": ["kind": "Deployment", "name": "web"], "maxReplicas": 4]]
            }),
        ]
        for kind in kinds {
            for storageVersion in kind.versions {
                let group = storageVersion.contains("/") ? "." + storageVersion.split(separator: "/")[0] : ""
                let flag = "\(kind.resource)\(group)=\(storageVersion.split(separator: "/").last!)"
                try await TestAPI.run(configure: {
                    $0.storageVersions = try! StorageVersionOverrides(parsing: [flag])
                    $0.runtimeConfig = try! RuntimeConfig(parsing: "events.k8s.io/v1beta1=true")
                }) { api in
                    for (index, written) in kind.versions.enumerated() {
                        let name = "o\(index)"
                        let created = try await api.request(.post, Self.collection(written, kind.resource), json: kind.object(written, name))
                        #expect(created.status == .created, "\(written) stored at \(storageVersion): \(created.text)")
                        #expect(try await Self.stored(api, kind.resource, name)["apiVersion"] == .string(storageVersion))
                        for read in kind.versions {
                            let object = try await api.get(Self.collection(read, kind.resource) + "/" + name).json
                            #expect(object["apiVersion"] == .string(read), "\(written) → \(storageVersion) → \(read)")
                            #expect(object["metadata"]?["uid"] == created.json["metadata"]?["uid"])
                        }
                    }
                }
            }
        }
    }

    static func collection(_ apiVersion: String, _ resource: String) -> String {
        (apiVersion.contains("/") ? "/apis/\(apiVersion)" : "/api/\(apiVersion)") + "/namespaces/default/\(resource)"
    }

    @Test func disabledVersionsAreGoneFromDiscoveryAndTheirURLs() async throws {
        try await TestAPI.run { api in
            #expect(try await api.get("/apis/events.k8s.io/v1beta1/namespaces/default/events").status == .notFound)
            let group = try await api.get("/apis/events.k8s.io").json
            #expect(group["versions"]?.arrayValue?.map { $0["version"] } == ["v1"])
        }
        try await TestAPI.run(configure: { $0.runtimeConfig = try! RuntimeConfig(parsing: "api/all=false,coordination.k8s.io/v1=true") }) { api in
            #expect(try await api.get("/api/v1/namespaces/default/configmaps").status == .notFound)
            #expect(try await api.get("/apis/autoscaling/v2").status == .notFound)
            let groups = try await api.get("/apis").json["groups"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(groups == ["coordination.k8s.io"])
            #expect(try await api.get("/api").json["versions"] == [])
            let aggregated = try await api.get("/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
            #expect(aggregated.json["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } == ["coordination.k8s.io"])
            // Namespace admission still holds for what is served.
            let lease: JSONValue = ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "l"]]
            #expect(try await api.request(.post, "/apis/coordination.k8s.io/v1/namespaces/default/leases", json: lease).status == .created)
            #expect(try await api.request(.post, "/apis/coordination.k8s.io/v1/namespaces/missing/leases", json: lease).status == .notFound)
        }
        try await TestAPI.run(configure: { $0.runtimeConfig = try! RuntimeConfig(parsing: "autoscaling/v1/horizontalpodautoscalers=false") }) { api async throws in
            #expect(try await api.get(Self.hpaV1).status == .notFound)
            #expect(try await api.get(Self.hpaV2).status == .ok)
            #expect(try await api.get("/apis/autoscaling").json["versions"]?.arrayValue?.map { $0["version"] } == ["v2"])
            // OpenAPI describes only what is served.
            let index = try await api.get("/openapi/v3").json["paths"]
            #expect(index?["apis/autoscaling/v1"] == nil)
            #expect(index?["apis/autoscaling/v2"] != nil)
            let paths = try await api.get("/openapi/v2").json["paths"]?.objectValue?.keys ?? []
            #expect(!paths.contains { $0.hasPrefix("/apis/autoscaling/v1/") })
            #expect(paths.contains { $0.hasPrefix("/apis/autoscaling/v2/") })
        }
    }

    @Test func anAlphaVersionIsServedOnlyOnceEnabled() async throws {
        let candidates = "/apis/coordination.k8s.io/v1alpha2/namespaces/default/leasecandidates"
        let candidate: JSONValue = ["apiVersion": "coordination.k8s.io/v1alpha2", "kind": "LeaseCandidate", "metadata": ["name": "c"],
                                    "spec": ["leaseName": "kube-controller-manager", "binaryVersion": "1.32.0",
                                             "emulationVersion": "1.32.0", "strategy": "OldestEmulationVersion"]]
        try await TestAPI.run { api async throws in
            #expect(try await api.request(.post, candidates, json: candidate).status == .notFound)
            #expect(try await api.get("/apis/coordination.k8s.io").json["versions"]?.arrayValue?.map { $0["version"] } == ["v1"])
            #expect(try await api.get("/openapi/v3").json["paths"]?["apis/coordination.k8s.io/v1alpha2"] == nil)
        }
        for flag in ["api/alpha=true", "coordination.k8s.io/v1alpha2=true"] {
            try await TestAPI.run(configure: { $0.runtimeConfig = try! RuntimeConfig(parsing: flag) }) { api in
                #expect(try await api.request(.post, candidates, json: candidate).status == .created, "\(flag)")
                var missing = candidate
                missing["metadata"] = ["name": "d"]
                missing["spec"]?["strategy"] = nil
                let refused = try await api.request(.post, candidates, json: missing)
                #expect(refused.status == .unprocessableContent)
                #expect(refused.text.contains("spec.strategy"))
                let group = try await api.get("/apis/coordination.k8s.io").json
                #expect(group["versions"]?.arrayValue?.map { $0["version"] } == ["v1", "v1alpha2"])
                #expect(group["preferredVersion"]?["version"] == "v1", "alpha is never preferred over stable")
                let aggregated = try await api.get("/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
                let coordination = aggregated.json["items"]?.arrayValue?.first { $0["metadata"]?["name"] == "coordination.k8s.io" }
                #expect(coordination?["versions"]?.arrayValue?.map { $0["version"] } == ["v1", "v1alpha2"])
                #expect(try await api.get("/openapi/v3").json["paths"]?["apis/coordination.k8s.io/v1alpha2"] != nil)
            }
        }
    }

    @Test func aDeprecatedVersionWarnsAndIsNeverPreferred() async throws {
        try await TestAPI.run(configure: { $0.runtimeConfig = try! RuntimeConfig(parsing: "events.k8s.io/v1beta1=true") }) { api in
            let uri = "/apis/events.k8s.io/v1beta1/namespaces/default/events"
            var event = Self.newEvent("beta")
            event["apiVersion"] = "events.k8s.io/v1beta1"
            let created = try await api.request(.post, uri, json: event)
            #expect(created.status == .created, "\(created.text)")
            let warning = "299 - \"events.k8s.io/v1beta1 Event is deprecated in v1.22+, unavailable in v1.25+; use events.k8s.io/v1 Event\""
            #expect(created.headers[values: .init("Warning")!] == [warning])
            #expect(try await api.get(uri).headers[values: .init("Warning")!] == [warning])
            #expect(try await api.get("\(Self.newEvents)/beta").headers[.init("Warning")!] == nil)

            let group = try await api.get("/apis/events.k8s.io").json
            #expect(group["versions"]?.arrayValue?.map { $0["version"] } == ["v1", "v1beta1"])
            #expect(group["preferredVersion"]?["version"] == "v1")
        }
    }

    @Test func everyVersionOverOneStorageHasItsStorageVersionHash() async throws {
        try await TestAPI.run { api in
            func hash(_ path: String, _ resource: String) async throws -> JSONValue? {
                try await api.get(path).json["resources"]?.arrayValue?.first { $0["name"]?.stringValue == resource }?["storageVersionHash"]
            }
            let v1 = try await hash("/apis/autoscaling/v1", "horizontalpodautoscalers")
            #expect(v1 != nil)
            #expect(try await hash("/apis/autoscaling/v2", "horizontalpodautoscalers") == v1)
            #expect(try await hash("/apis/events.k8s.io/v1", "events") == hash("/api/v1", "events"))
        }
    }
}
