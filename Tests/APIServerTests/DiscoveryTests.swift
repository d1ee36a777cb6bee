import APIMachinery
import Testing

@Suite(.timeLimit(.minutes(2)))
struct DiscoveryTests {
    @Test func legacyAndGroupDiscoveryListTheServedResources() async throws {
        try await TestAPI.run { api in
            let core = try await api.get("/api")
            #expect(core.status == .ok)
            #expect(core.json["kind"] == "APIVersions")
            #expect(core.json["versions"] == ["v1"])

            let v1 = try await api.get("/api/v1").json
            #expect(v1["kind"] == "APIResourceList")
            #expect(v1["groupVersion"] == "v1")
            let resources = v1["resources"]?.arrayValue ?? []
            let configMaps = resources.first { $0["name"] == "configmaps" }
            #expect(configMaps?["verbs"] == ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"])
            #expect(configMaps?["shortNames"] == ["cm"])
            #expect(configMaps?["namespaced"] == true)
            // The same hash kube-apiserver publishes for configmaps.
            #expect(configMaps?["storageVersionHash"] == "qFsyl6wFWjQ=")
            #expect(resources.contains { $0["name"] == "pods/status" })
            #expect(resources.contains { $0["name"] == "namespaces/finalize" })
            #expect(resources.first { $0["name"] == "namespaces" }?["namespaced"] == false)

            let groups = try await api.get("/apis").json
            #expect(groups["kind"] == "APIGroupList")
            // kube-aggregator's order: apiregistration.k8s.io first, then by group priority.
            let names = groups["groups"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            let kubeOrder = reference("apis.json")?["groups"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names == kubeOrder.filter(names.contains))
            #expect(names.first == "apiregistration.k8s.io")
            let group = try await api.get("/apis/coordination.k8s.io").json
            #expect(group["preferredVersion"]?["groupVersion"] == "coordination.k8s.io/v1")
            let leases = try await api.get("/apis/coordination.k8s.io/v1").json
            #expect(leases["resources"]?[0]?["name"] == "leases")

            #expect(try await api.get("/apis/apps/v1").status == .notFound)
            #expect(try await api.get("/apis/nope").status == .notFound)
        }
    }

    @Test func aggregatedDiscoveryIsNegotiatedAndRevalidatedWithETag() async throws {
        try await TestAPI.run { api in
            let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
            let aggregated = try await api.get("/apis", accept: accept)
            #expect(aggregated.status == .ok)
            #expect(aggregated.headers[.contentType] == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
            #expect(aggregated.json["kind"] == "APIGroupDiscoveryList")
            let coordination = aggregated.json["items"]?.arrayValue?.first { $0["metadata"]?["name"] == "coordination.k8s.io" }
            let lease = coordination?["versions"]?[0]?["resources"]?[0]
            #expect(lease?["resource"] == "leases")
            #expect(lease?["scope"] == "Namespaced")
            let etag = try #require(aggregated.headers[.eTag])

            let again = try await api.request(.get, "/apis", headers: [.accept: accept, .ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.isEmpty)

            let core = try await api.get("/api", accept: accept).json
            let pods = core["items"]?[0]?["versions"]?[0]?["resources"]?.arrayValue?.first { $0["resource"] == "pods" }
            #expect(pods?["subresources"]?[0]?["subresource"] == "status")

            let beta = try await api.get("/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList")
            #expect(beta.json["apiVersion"] == "apidiscovery.k8s.io/v2beta1")
            // Without the aggregated form in Accept, the plain document.
            #expect(try await api.get("/apis", accept: "application/json").json["kind"] == "APIGroupList")
            // Only a form Berth does not have: 406, as kube-apiserver answers.
            let unknown = try await api.get("/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v1;as=APIGroupDiscoveryList")
            #expect(unknown.status == .notAcceptable)
            #expect(unknown.json == reference("apis-aggregated-v2beta1.json"))
        }
    }

    @Test func versionAndHealthAnswerWithoutAToken() async throws {
        try await TestAPI.run(authenticated: true) { api in
            let version = try await api.get("/version").json
            #expect(version["major"] == "1")
            #expect(version["gitVersion"]?.stringValue?.hasPrefix("v1.") == true)
            #expect(try await api.get("/healthz").text == "ok")
            let verbose = try await api.get("/readyz?verbose").text
            #expect(verbose.contains("[+]etcd ok"))
            #expect(verbose.hasSuffix("readyz check passed\n"))
            #expect(try await api.get("/readyz/etcd").text == "ok")
            // Everything else needs a known bearer token.
            let anonymous = try await api.get("/api/v1/namespaces")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.reason == "Unauthorized")
            let token = try #require(api.server.adminToken)
            let signedIn = try await api.request(.get, "/api/v1/namespaces", headers: [.authorization: "Bearer \(token)"])
            #expect(signedIn.status == .ok)
            let wrong = try await api.request(.get, "/api/v1/namespaces", headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
        }
    }
}
