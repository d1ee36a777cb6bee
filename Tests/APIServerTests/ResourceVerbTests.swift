import APIMachinery
import Testing

@Suite(.timeLimit(.minutes(2)))
struct ResourceVerbTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    @Test func createGetUpdateDeleteAConfigMap() async throws {
        try await TestAPI.run { api in
            let created = try await api.request(.post, Self.configMaps, json: configMap("x"))
            #expect(created.status == .created)
            let metadata = created.json["metadata"]
            #expect(metadata?["namespace"] == "default")
            #expect(metadata?["uid"]?.stringValue?.count == 36)
            #expect(metadata?["creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)
            let version = try #require(metadata?["resourceVersion"]?.stringValue)

            let fetched = try await api.get("\(Self.configMaps)/x")
            #expect(fetched.json["kind"] == "ConfigMap")
            #expect(fetched.json["data"]?["a"] == "b")

            var update = fetched.json
            update["data"] = ["a": "c"]
            let updated = try await api.request(.put, "\(Self.configMaps)/x", json: update)
            #expect(updated.status == .ok)
            #expect(updated.json["metadata"]?["resourceVersion"] != .string(version))
            #expect(updated.json["metadata"]?["uid"] == metadata?["uid"])

            // The old resourceVersion is stale now.
            let stale = try await api.request(.put, "\(Self.configMaps)/x", json: fetched.json)
            #expect(stale.status == .conflict)
            #expect(stale.reason == "Conflict")
            #expect(stale.json["message"]?.stringValue?.contains("the object has been modified") == true)

            let again = try await api.request(.post, Self.configMaps, json: configMap("x"))
            #expect(again.status == .conflict)
            #expect(again.reason == "AlreadyExists")

            let deleted = try await api.request(.delete, "\(Self.configMaps)/x")
            #expect(deleted.status == .ok)
            #expect(deleted.json["status"] == "Success")
            #expect(deleted.json["details"]?["name"] == "x")
            let gone = try await api.get("\(Self.configMaps)/x")
            #expect(gone.status == .notFound)
            // Byte for byte what kube-apiserver answers, but for the name.
            #expect(gone.json == reference("status-404-namespace.json"))
        }
    }

    /// What storage reports about a key (missing, taken, not as the
    /// precondition says) reaches the client as kube-apiserver's Status,
    /// from the cache and from etcd alike.
    @Test(arguments: [true, false])
    func storageFailuresAnswerKubesStatuses(watchCache: Bool) async throws {
        try await TestAPI.run(configure: { $0.watchCache = watchCache }) { api in
            #expect(try await api.get("\(Self.configMaps)/does-not-exist").json == reference("status-404.json"))
            #expect(try await api.request(.delete, "\(Self.configMaps)/does-not-exist").json == reference("delete-nonexistent.json"))
            try await api.request(.post, Self.configMaps, json: configMap("x"))
            #expect(try await api.request(.post, Self.configMaps, json: configMap("x")).json == reference("status-409-alreadyexists.json"))
            let uid = try await api.get("\(Self.configMaps)/x").json["metadata"]?["uid"]?.stringValue ?? ""
            let refused = try await api.request(.delete, "\(Self.configMaps)/x",
                                                json: ["kind": "DeleteOptions", "apiVersion": "v1", "preconditions": ["uid": "other"]])
            #expect(refused.status == .conflict)
            #expect(refused.json["message"] == .string(
                "Operation cannot be fulfilled on configmaps \"x\": Precondition failed: UID in precondition: other, UID in object meta: \(uid)"))
            #expect(refused.json["details"]?["name"] == "x")
            #expect(try await api.get("\(Self.configMaps)/x").status == .ok)
        }
    }

    @Test func listsFilterByLabelAndFieldAndPage() async throws {
        try await TestAPI.run { api in
            for index in 0..<5 {
                try await api.request(.post, Self.configMaps,
                                      json: configMap("c\(index)", labels: ["tier": index % 2 == 0 ? "web" : "db"]))
            }
            let web = try await api.get("\(Self.configMaps)?labelSelector=tier%3Dweb").json
            #expect(web["kind"] == "ConfigMapList")
            #expect(web["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } == ["c0", "c2", "c4"])
            #expect(web["items"]?[0]?["kind"] == nil)
            let notWeb = try await api.get("\(Self.configMaps)?labelSelector=tier%20notin%20(web)").json
            #expect(notWeb["items"]?.arrayValue?.count == 2)
            let byName = try await api.get("\(Self.configMaps)?fieldSelector=metadata.name%3Dc3").json
            #expect(byName["items"]?.arrayValue?.count == 1)

            let first = try await api.get("\(Self.configMaps)?limit=2").json
            #expect(first["items"]?.arrayValue?.count == 2)
            #expect(first["metadata"]?["remainingItemCount"] == 3)
            let token = try #require(first["metadata"]?["continue"]?.stringValue)
            let second = try await api.get("\(Self.configMaps)?limit=2&continue=\(token)").json
            #expect(second["items"]?[0]?["metadata"]?["name"] == "c2")
            #expect(second["metadata"]?["resourceVersion"] == first["metadata"]?["resourceVersion"])

            // Across namespaces.
            let all = try await api.get("/api/v1/configmaps").json
            #expect(all["items"]?.arrayValue?.count == 5)

            let badField = try await api.get("\(Self.configMaps)?fieldSelector=spec.nope%3D1")
            #expect(badField.status == .badRequest)
            #expect(badField.json["message"] == "field label not supported: spec.nope")
            let badLabel = try await api.get("\(Self.configMaps)?labelSelector=a%20in%20b")
            #expect(badLabel.status == .badRequest)
        }
    }

    @Test func threeKindsOfPatch() async throws {
        try await TestAPI.run { api in
            try await api.request(.post, Self.configMaps, json: configMap("p", data: ["a": "1", "b": "2"]))
            let merged = try await api.patch("\(Self.configMaps)/p", "application/merge-patch+json", ["data": ["a": nil, "c": "3"]])
            #expect(merged.json["data"] == ["b": "2", "c": "3"])
            let json = try await api.patch("\(Self.configMaps)/p", "application/json-patch+json",
                                           [["op": "replace", "path": "/data/b", "value": "20"]])
            #expect(json.json["data"]?["b"] == "20")
            let failing = try await api.patch("\(Self.configMaps)/p", "application/json-patch+json",
                                              [["op": "remove", "path": "/data/zzz"]])
            #expect(failing.status == .unprocessableContent)
            let unsupported = try await api.patch("\(Self.configMaps)/p", "application/apply-patch+yaml", [:])
            #expect(unsupported.status == .unsupportedMediaType)

            // Strategic merge: containers merge by name, not replace.
            let pods = "/api/v1/namespaces/default/pods"
            let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web"],
                                  "spec": ["containers": [["name": "a", "image": "nginx:1"], ["name": "b", "image": "redis:7"]]]]
            #expect(try await api.request(.post, pods, json: pod).status == .created)
            let patched = try await api.patch("\(pods)/web", "application/strategic-merge-patch+json",
                                              ["spec": ["containers": [["name": "b", "image": "redis:8"]]]])
            #expect(patched.status == .ok)
            let containers = patched.json["spec"]?["containers"]?.arrayValue ?? []
            #expect(containers.map { $0["image"] } == ["nginx:1", "redis:8"])
            #expect(patched.json["metadata"]?["generation"] == 2)
        }
    }

    @Test func badInputGetsAStatusAndWritesNothing() async throws {
        try await TestAPI.run { api in
            let malformed = try await api.request(.post, Self.configMaps, body: Array("{not json".utf8),
                                                  headers: [.contentType: "application/json"])
            #expect(malformed.status == .badRequest)
            #expect(malformed.reason == "BadRequest")
            #expect(malformed.json["message"]?.stringValue?.hasPrefix("the object provided is unrecognized (must be of type ConfigMap)") == true)

            let yaml = try await api.request(.post, Self.configMaps, body: Array("a: [b".utf8), headers: [.contentType: "application/yaml"])
            #expect(yaml.status == .badRequest)

            var secret = configMap("s")
            secret["kind"] = "Secret"
            #expect(try await api.request(.post, Self.configMaps, json: secret).status == .badRequest)
            var otherVersion = configMap("v")
            otherVersion["apiVersion"] = "apps/v1"
            #expect(try await api.request(.post, Self.configMaps, json: otherVersion).status == .badRequest)
            let elsewhere = try await api.request(.post, Self.configMaps, json: configMap("n", namespace: "kube-system"))
            #expect(elsewhere.status == .badRequest)
            #expect(elsewhere.json["message"] == "the namespace of the provided object does not match the namespace sent on the request")

            let invalid = try await api.request(.post, Self.configMaps, json: configMap("Bad_Name", data: ["a": "b"]))
            #expect(invalid.status == .unprocessableContent)
            // The same Status kube-apiserver sends for this name.
            #expect(invalid.json == reference("status-422-invalid.json"))

            let badKey = try await api.request(.post, Self.configMaps, json: configMap("k", data: ["bad key": "x"]))
            #expect(badKey.json["details"]?["causes"]?[0]?["field"] == "data[bad key]")

            let tooLarge = try await api.request(.post, Self.configMaps,
                                                 json: configMap("big", data: ["a": .string(String(repeating: "x", count: 70_000))]))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.reason == "RequestEntityTooLarge")

            let protobuf = try await api.request(.post, Self.configMaps, body: [0x6b, 0x38, 0x73, 0x00],
                                                 headers: [.contentType: "application/x-unknown"])
            #expect(protobuf.status == .unsupportedMediaType)
            // Tables have no protobuf form: 406, in JSON whatever was asked.
            let table = try await api.get(Self.configMaps, accept: "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io")
            #expect(table.status == .notAcceptable)
            #expect(table.reason == "NotAcceptable")
            #expect(try await api.get(Self.configMaps, accept: "text/html").status == .notAcceptable)

            let unknown = try await api.get("/api/v1/namespaces/default/widgets")
            #expect(unknown.status == .notFound)
            #expect(unknown.json == reference("status-404-unknown-resource.json"))
            let notAllowed = try await api.request(.post, "\(Self.configMaps)/x", json: configMap("x"))
            #expect(notAllowed.status == .methodNotAllowed)
            #expect(notAllowed.json == reference("status-405.json"))

            // Nothing above was stored.
            #expect(try await api.get(Self.configMaps).json["items"] == [])
        }
    }

    @Test func dryRunValidatesButDoesNotWrite() async throws {
        try await TestAPI.run { api in
            let dry = try await api.request(.post, "\(Self.configMaps)?dryRun=All", json: configMap("dry"))
            #expect(dry.status == .created)
            #expect(dry.json["metadata"]?["uid"] != nil)
            #expect(try await api.get("\(Self.configMaps)/dry").status == .notFound)
            let invalid = try await api.request(.post, "\(Self.configMaps)?dryRun=All", json: configMap("Bad"))
            #expect(invalid.status == .unprocessableContent)
            #expect(try await api.request(.post, "\(Self.configMaps)?dryRun=Some", json: configMap("d2")).status == .badRequest)

            // Updates and patches with dryRun answer the new state but keep the stored one.
            let stored = try await api.request(.post, Self.configMaps, json: configMap("kept")).json
            var replacement = stored
            replacement["data"] = ["a": "replaced"]
            let put = try await api.request(.put, "\(Self.configMaps)/kept?dryRun=All", json: replacement)
            #expect(put.json["data"]?["a"] == "replaced")
            let patched = try await api.patch("\(Self.configMaps)/kept?dryRun=All", "application/merge-patch+json", ["data": ["a": "patched"]])
            #expect(patched.json["data"]?["a"] == "patched")
            let after = try await api.get("\(Self.configMaps)/kept").json
            #expect(after["data"]?["a"] == "b")
            #expect(after["metadata"]?["resourceVersion"] == stored["metadata"]?["resourceVersion"])
        }
    }

    @Test func generateNameMakesAFreshName() async throws {
        try await TestAPI.run { api in
            let object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["generateName": "job-"]]
            let first = try await api.request(.post, Self.configMaps, json: object).json["metadata"]?["name"]?.stringValue
            let second = try await api.request(.post, Self.configMaps, json: object).json["metadata"]?["name"]?.stringValue
            #expect(first?.hasPrefix("job-") == true && first?.count == 9)
            #expect(first != second)
            let nameless: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": [:]]
            let missing = try await api.request(.post, Self.configMaps, json: nameless)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.json["details"]?["causes"]?[0]?["message"] == "Required value: name or generateName is required")
        }
    }

    @Test func subresourcesAnswerOnlyTheirVerbs() async throws {
        try await TestAPI.run { api in
            try await api.request(.post, Self.configMaps, json: configMap("plain"))
            // A kind without a status subresource: 404, as kube-apiserver.
            #expect(try await api.get("\(Self.configMaps)/plain/status").status == .notFound)
            #expect(try await api.get("\(Self.configMaps)/plain/scale").status == .notFound)
            // status: get, update, patch; not delete.
            let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                                  "spec": ["containers": [["name": "c", "image": "i"]]]]
            try await api.request(.post, "/api/v1/namespaces/default/pods", json: pod)
            #expect(try await api.get("/api/v1/namespaces/default/pods/p/status").status == .ok)
            #expect(try await api.request(.delete, "/api/v1/namespaces/default/pods/p/status").status == .methodNotAllowed)
            // finalize: update only, and only on namespaces.
            #expect(try await api.get("/api/v1/namespaces/default/finalize").status == .methodNotAllowed)
            #expect(try await api.get("/api/v1/namespaces/default/pods/p/finalize").status == .notFound)
        }
    }
}
