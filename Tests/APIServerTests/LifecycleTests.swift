import APIMachinery
import Testing

@Suite(.timeLimit(.minutes(2)))
struct LifecycleTests {
    @Test func finalizersHoldADeletedObjectUntilRemoved() async throws {
        try await TestAPI.run { api in
            let uri = "/api/v1/namespaces/default/configmaps"
            var object = configMap("held")
            object["metadata"]?["finalizers"] = ["example.com/hold"]
            try await api.request(.post, uri, json: object)
            let deleting = try await api.request(.delete, "\(uri)/held")
            #expect(deleting.status == .ok)
            #expect(deleting.json["metadata"]?["deletionTimestamp"] != nil)
            let still = try await api.get("\(uri)/held")
            #expect(still.status == .ok)
            let released = try await api.patch("\(uri)/held", "application/merge-patch+json", ["metadata": ["finalizers": nil]])
            #expect(released.status == .ok)
            #expect(try await api.get("\(uri)/held").status == .notFound)
        }
    }

    @Test func namespaceDeletionEmptiesItThenRemovesIt() async throws {
        try await TestAPI.run { api in
            let missing = try await api.request(.post, "/api/v1/namespaces/nowhere/configmaps", json: configMap("x"))
            #expect(missing.status == .notFound)
            #expect(missing.json["message"] == "namespaces \"nowhere\" not found")

            let namespace: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]]
            let created = try await api.request(.post, "/api/v1/namespaces", json: namespace)
            #expect(created.json["status"]?["phase"] == "Active")
            #expect(created.json["spec"]?["finalizers"] == ["kubernetes"])
            #expect(created.json["metadata"]?["labels"]?["kubernetes.io/metadata.name"] == "team")
            try await api.request(.post, "/api/v1/namespaces/team/configmaps", json: configMap("a"))
            try await api.request(.post, "/api/v1/namespaces/team/secrets",
                                  json: ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"]])

            let deleting = try await api.request(.delete, "/api/v1/namespaces/team")
            #expect(deleting.json["status"]?["phase"] == "Terminating")
            let refused = try await api.request(.post, "/api/v1/namespaces/team/configmaps", json: configMap("late"))
            #expect(refused.status == .forbidden)
            #expect(refused.json["details"]?["causes"]?[0]?["reason"] == "NamespaceTerminating")

            // The namespace controller (run here in the test) finishes the job.
            let finalizer = Task { await api.server.namespaceFinalizer.run() }
            defer { finalizer.cancel() }
            var gone = false
            for _ in 0..<100 where !gone {
                gone = try await api.get("/api/v1/namespaces/team").status == .notFound
                if !gone { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(gone)
            #expect(try await api.get("/api/v1/namespaces/team/configmaps").json["items"] == [])
        }
    }

    @Test func theInitialNamespacesMayNotBeDeleted() async throws {
        try await TestAPI.run { api in
            for name in ["default", "kube-system", "kube-public"] {
                let refused = try await api.request(.delete, "/api/v1/namespaces/\(name)")
                #expect(refused.status == .forbidden)
                #expect(refused.json["message"] == .string("namespaces \"\(name)\" is forbidden: this namespace may not be deleted"))
                #expect(try await api.get("/api/v1/namespaces/\(name)").json["status"]?["phase"] == "Active")
            }
        }
    }

    /// With the namespace cache running (as `berth serve` runs it), creates in
    /// an active namespace cost no etcd read of the namespace, and a create
    /// right after the namespace's deletion is still refused.
    @Test func theNamespaceCacheSavesReadsButNeverAdmitsIntoADeletedNamespace() async throws {
        try await TestAPI.run { api in
            let registry = api.server.registry
            let cache = Task { await registry.namespaceCache.run(namespaces: registry.namespaces) }
            defer { cache.cancel() }
            try await api.request(.post, "/api/v1/namespaces", json: ["metadata": ["name": "cached"]])
            func namespaceReads() async throws -> Double {
                PrometheusText(try await api.get("/metrics").text)
                    .value("etcd_request_duration_seconds_count", ["operation": "get", "type": "namespaces"]) ?? 0
            }
            var readsPerCreate = 1.0
            for attempt in 0..<50 where readsPerCreate > 0 {
                let before = try await namespaceReads()
                let created = try await api.request(.post, "/api/v1/namespaces/cached/configmaps", json: configMap("c\(attempt)"))
                #expect(created.status == .created)
                readsPerCreate = try await namespaceReads() - before
                if readsPerCreate > 0 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(readsPerCreate == 0)

            #expect(try await api.request(.delete, "/api/v1/namespaces/cached").status == .ok)
            let refused = try await api.request(.post, "/api/v1/namespaces/cached/configmaps", json: configMap("late"))
            #expect(refused.status == .forbidden)
            #expect(refused.json["details"]?["causes"]?[0]?["reason"] == "NamespaceTerminating")
        }
    }

    @Test func secretsFoldStringDataAndCheckTheirType() async throws {
        try await TestAPI.run { api in
            let uri = "/api/v1/namespaces/default/secrets"
            let created = try await api.request(.post, uri, json: [
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "stringData": ["password": "hunter2"],
            ])
            #expect(created.json["data"] == ["password": "aHVudGVyMg=="])
            #expect(created.json["stringData"] == nil)
            #expect(created.json["type"] == "Opaque")
            let tls = try await api.request(.post, uri, json: [
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "t"], "type": "kubernetes.io/tls",
            ])
            #expect(tls.status == .unprocessableContent)
            #expect(tls.json["details"]?["causes"]?[0]?["field"] == "data[tls.crt]")
            let badBase64 = try await api.request(.post, uri, json: [
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "b"], "data": ["k": "%%%"],
            ])
            #expect(badBase64.status == .badRequest)
            let byType = try await api.get("\(uri)?fieldSelector=type%3DOpaque").json
            #expect(byType["items"]?.arrayValue?.count == 1)
        }
    }

    @Test func immutableConfigMapsRefuseChanges() async throws {
        try await TestAPI.run { api in
            let uri = "/api/v1/namespaces/default/configmaps"
            var object = configMap("frozen")
            object["immutable"] = true
            try await api.request(.post, uri, json: object)
            let change = try await api.patch("\(uri)/frozen", "application/merge-patch+json", ["data": ["a": "z"]])
            #expect(change.status == .unprocessableContent)
            #expect(change.json["details"]?["causes"]?[0]?["message"] == "Forbidden: field is immutable when `immutable` is set")
            let labels = try await api.patch("\(uri)/frozen", "application/merge-patch+json", ["metadata": ["labels": ["ok": "yes"]]])
            #expect(labels.status == .ok)
        }
    }

    @Test func statusSubresourceChangesOnlyStatus() async throws {
        try await TestAPI.run { api in
            let pods = "/api/v1/namespaces/default/pods"
            let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                                  "spec": ["containers": [["name": "c", "image": "busybox"]]]]
            let created = try await api.request(.post, pods, json: pod)
            #expect(created.json["status"]?["phase"] == "Pending")
            #expect(created.json["spec"]?["containers"]?[0]?["imagePullPolicy"] == "Always")
            let status = try await api.patch("\(pods)/p/status", "application/merge-patch+json",
                                             ["status": ["phase": "Running"], "spec": ["nodeName": "ignored"]])
            #expect(status.json["status"]?["phase"] == "Running")
            #expect(status.json["spec"]?["nodeName"] == nil)
            // And the main resource cannot change status.
            let main = try await api.patch("\(pods)/p", "application/merge-patch+json", ["status": ["phase": "Failed"]])
            #expect(main.json["status"]?["phase"] == "Running")
            let forbidden = try await api.patch("\(pods)/p", "application/merge-patch+json", ["spec": ["restartPolicy": "Never"]])
            #expect(forbidden.status == .unprocessableContent)
            let deleted = try await api.request(.delete, "\(pods)/p")
            #expect(deleted.json["kind"] == "Pod")
        }
    }

    @Test func watchStreamsChangesUntilItsTimeout() async throws {
        try await TestAPI.run { api in
            let uri = "/api/v1/namespaces/default/configmaps"
            let created = try await api.request(.post, uri, json: configMap("w", labels: ["app": "x"]))
            let version = try #require(created.json["metadata"]?["resourceVersion"]?.stringValue)
            try await api.patch("\(uri)/w", "application/merge-patch+json", ["data": ["a": "2"]])
            try await api.patch("\(uri)/w", "application/merge-patch+json", ["metadata": ["labels": ["app": "y"]]])
            try await api.request(.delete, "\(uri)/w")
            let watch = try await api.get("\(uri)?watch=true&resourceVersion=\(version)&timeoutSeconds=1&labelSelector=app%3Dx")
            let events = watch.text.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            // Leaving the selector reads as DELETED, as upstream.
            #expect(events.map { $0["type"] } == ["MODIFIED", "DELETED"])
            #expect(events.first?["object"]?["kind"] == "ConfigMap")
            #expect(events.first?["object"]?["data"]?["a"] == "2")
        }
    }
}
