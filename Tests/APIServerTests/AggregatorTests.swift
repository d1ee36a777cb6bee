import APIMachinery
import AsyncHTTPClient
@testable import APIServer
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOSSL
import Synchronization
import Testing
import TestSupport

/// The aggregation layer against a real HTTPS extension server the test
/// runs: it trusts only Berth's front-proxy CA (a connection without
/// Berth's client certificate fails its handshake), serves
/// metrics.acc.example.com/v1beta1 Pings, and records what it received.
/// Berth finds it through a Service and an EndpointSlice on this machine's
/// address (loopback is refused, as by kube).
@Suite(.timeLimit(.minutes(3)))
struct AggregatorTests {
    static let apiServices = "/apis/apiregistration.k8s.io/v1/apiservices"
    static let pings = "/apis/metrics.acc.example.com/v1beta1/namespaces/default/pings"

    /// What the extension received, and whether it answers or hangs.
    final class Extension: Sendable {
        let received = Mutex<[(method: String, path: String, headers: HTTPFields, body: String)]>([])
        let hangs = Mutex(false)

        func last(_ path: String) -> (method: String, path: String, headers: HTTPFields, body: String)? {
            received.withLock { $0.last { $0.path == path } }
        }
    }

    struct ExtensionResponder: HTTPResponder {
        let state: Extension

        func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            state.received.withLock { $0.append((request.method.rawValue, request.uri.description, request.headers, body)) }
            while state.hangs.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(100)) }
            let user = request.headers[HTTPField.Name("X-Remote-User")!] ?? ""
            let json: JSONValue
            switch (request.method, request.uri.path) {
            case (.get, "/apis/metrics.acc.example.com/v1beta1"):
                json = ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "metrics.acc.example.com/v1beta1",
                        "resources": [["name": "pings", "singularName": "ping", "namespaced": true, "kind": "Ping",
                                       "verbs": ["get", "list", "create"]]]]
            case (.get, "/openapi/v2"):
                let parts = reference("aggregation/openapi-v2-merged-parts.json") ?? .null
                json = ["swagger": "2.0", "info": ["title": "acc-ext", "version": "v1beta1"], "paths": parts["paths"] ?? [:],
                        "definitions": ["com.example.acc.metrics.v1beta1.Ping": parts["ping"] ?? [:]]]
            case (.get, "/openapi/v3"):
                json = ["paths": ["apis/metrics.acc.example.com/v1beta1":
                                    ["serverRelativeURL": "/openapi/v3/apis/metrics.acc.example.com/v1beta1?hash=ACC1"]]]
            case (.get, "/openapi/v3/apis/metrics.acc.example.com/v1beta1"):
                json = reference("aggregation/openapi-v3-remote-doc.json") ?? .null
            case (.get, AggregatorTests.pings) where request.uri.query?.contains("watch=true") == true:
                // A stream of two events, the second after a pause, as a watch sends them.
                return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: #"{"type":"ADDED","object":{"kind":"Ping","metadata":{"name":"a"}}}"# + "\n"))
                    try await Task.sleep(for: .milliseconds(300))
                    try await writer.write(ByteBuffer(string: #"{"type":"ADDED","object":{"kind":"Ping","metadata":{"name":"b"}}}"# + "\n"))
                    try await writer.finish(nil)
                })
            case (.get, AggregatorTests.pings):
                json = ["kind": "PingList", "apiVersion": "metrics.acc.example.com/v1beta1", "metadata": [:],
                        "items": [["kind": "Ping", "metadata": ["name": "p1", "namespace": "default"], "seenUser": .string(user)]]]
            case (.post, AggregatorTests.pings):
                return Response(status: .created, headers: [.contentType: "application/json"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
            default:
                return Response(status: .notFound, headers: [.contentType: "application/json"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"kind":"Status","code":404}"#)))
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.serialized())))
        }
    }

    /// Runs the extension on every address, port chosen by the system,
    /// with a certificate for acc-ext.default.svc; hands `body` its port,
    /// its caBundle and the task to cancel to stop it.
    static func withExtension(trusting frontProxyCA: String,
                              _ body: (Extension, Int, String, Task<Void, any Error>) async throws -> Void) async throws {
        let directory = TestEtcd.temporaryDirectory("extension")
        let certificate = try ServingCertificate.loadOrGenerate(in: directory, hosts: ["acc-ext.default.svc"], addresses: [])
        let caBundle = Data(try String(contentsOfFile: certificate.caFile, encoding: .utf8).utf8).base64EncodedString()
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificate.keyFile, format: .pem)))
        // Only a client with a certificate from the front-proxy CA gets in.
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(frontProxyCA.utf8)))
        let state = Extension()
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let server = Application(responder: ExtensionResponder(state: state),
                                 server: .connections(tls: try NIOSSLContext(configuration: tls), limits: ConnectionLimits()),
                                 configuration: .init(address: .hostname("0.0.0.0", port: 0)),
                                 onServerRunning: { listening.yield($0.localAddress?.port ?? 0) },
                                 logger: Logger(label: "extension"))
        let running = Task { try await server.runService() }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        try await body(state, port, caBundle, running)
    }

    /// The Available condition once it has `reason`, within `seconds`.
    static func available(_ api: TestAPI, _ name: String, reason: String, seconds: Double = 15) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            let condition = try await api.get("\(apiServices)/\(name)").json["status"]?["conditions"]?[0] ?? .null
            if condition["reason"]?.stringValue == reason || ContinuousClock.now > deadline { return condition }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func requestsReachTheExtensionAsTheUserWithBerthsCertificateAndNoToken() async throws {
        let server = try await TestAPI.makeServer(label: "aggregator-proxy")
        try await Self.withExtension(trusting: server.extensionAuthentication.requestHeaderCA) { state, port, caBundle, _ in
            try await TestAPI.run(server, authenticated: true, aggregator: true) { api in
                let token = try #require(server.adminToken)
                let auth: HTTPFields = [.authorization: "Bearer \(token)"]
                func call(_ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil,
                          headers: HTTPFields = [:]) async throws -> TestAPI.Reply {
                    var all = auth
                    all.append(contentsOf: headers)
                    return try await api.request(method, uri, json: json, headers: all)
                }
                // Registered and checked: Available, kube's reason and message.
                let unauthorized = try await api.get(Self.apiServices)
                #expect(unauthorized.status == .unauthorized)
                for (uri, json) in try await Self.registration(port: port, caBundle: caBundle) {
                    #expect(try await call(.post, uri, json: json).status == .created)
                }
                // The extension lets in only a client with the front-proxy certificate.
                var anonymous = TLSConfiguration.makeClientConfiguration()
                anonymous.certificateVerification = .none
                let stranger = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: anonymous))
                await #expect(throws: (any Error).self) {
                    _ = try await stranger.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/apis"), timeout: .seconds(5))
                }
                try await stranger.shutdown()
                let condition = try await Self.availableAuthenticated(api, auth, reason: "Passed")
                #expect(condition["status"] == "True")
                #expect(condition["message"] == "all checks passed")

                // Discovery: the group in /apis (kube's order by priority), its APIGroup, its
                // resource list from the extension, and its entry in aggregated discovery.
                let groups = try await call(.get, "/apis").json["groups"]?.arrayValue ?? []
                #expect(groups.first?["name"] == "apiregistration.k8s.io")
                #expect(groups.last?["name"] == "metrics.acc.example.com")
                let group = try await call(.get, "/apis/metrics.acc.example.com").json
                #expect(group["preferredVersion"]?["groupVersion"] == "metrics.acc.example.com/v1beta1")
                let resources = try await call(.get, "/apis/metrics.acc.example.com/v1beta1").json
                #expect(resources["resources"]?[0]?["name"] == "pings")
                let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
                let aggregated = try await call(.get, "/apis", headers: [.accept: accept]).json
                let item = aggregated["items"]?.arrayValue?.first { $0["metadata"]?["name"] == "metrics.acc.example.com" }
                #expect(item == reference("aggregation/apis-aggregated-v2-remote-item.json"))

                // OpenAPI: the extension's v2 paths and definitions merged into ours, its v3
                // document listed under its own hash and served through Berth.
                let v2 = try await call(.get, "/openapi/v2").json
                let parts = try #require(reference("aggregation/openapi-v2-merged-parts.json"))
                #expect(v2["definitions"]?["com.example.acc.metrics.v1beta1.Ping"] == parts["ping"])
                let path = "/apis/metrics.acc.example.com/v1beta1/namespaces/{namespace}/pings"
                #expect(v2["paths"]?[path] == parts["paths"]?[path])
                #expect(v2["definitions"]?["io.k8s.api.core.v1.ConfigMap"] != nil)
                let index = try await call(.get, "/openapi/v3").json
                let url = try #require(index["paths"]?["apis/metrics.acc.example.com/v1beta1"]?["serverRelativeURL"]?.stringValue)
                #expect(url == "/openapi/v3/apis/metrics.acc.example.com/v1beta1?hash=ACC1")
                #expect(index["paths"]?["api/v1"] != nil)
                #expect(try await call(.get, url).json == reference("aggregation/openapi-v3-remote-doc.json"))

                // A list through Berth: the extension's own answer, as the user, without the token.
                let list = try await call(.get, Self.pings + "?limit=5", headers: [HTTPField.Name("X-Remote-User")!: "mallory"])
                #expect(list.status == .ok)
                #expect(list.json["items"]?[0]?["seenUser"] == "berth-admin")
                let seen = try #require(state.last(Self.pings + "?limit=5"))
                #expect(seen.headers[.authorization] == nil)
                #expect(seen.headers[values: HTTPField.Name("X-Remote-User")!] == ["berth-admin"])
                #expect(seen.headers[values: HTTPField.Name("X-Remote-Group")!] == ["system:masters", "system:authenticated"])
                #expect(seen.headers[values: HTTPField.Name("X-Remote-Uid")!] == ["berth-admin"])

                // A create carries its body; a watch streams every event to the end.
                let created = try await call(.post, Self.pings, json: ["kind": "Ping", "metadata": ["name": "p2"]])
                #expect(created.status == .created)
                #expect(created.json["metadata"]?["name"] == "p2")
                #expect(state.last(Self.pings)?.body.contains("\"p2\"") == true)
                let watch = try await call(.get, Self.pings + "?watch=true")
                #expect(watch.text.split(separator: "\n").count == 2)
                #expect(watch.text.contains("\"b\""))
            }
        }
    }

    /// The Service, its EndpointSlice on this machine's address, and the
    /// APIService, each with the collection it is posted to.
    static func registration(port: Int, caBundle: String) throws -> [(String, JSONValue)] {
        [("/api/v1/namespaces/default/services",
          ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "acc-ext"],
           "spec": ["ports": [["name": "https", "port": 443, "targetPort": .int(Int64(port))]]]]),
         ("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
          ["apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
           "metadata": ["name": "acc-ext-1", "labels": ["kubernetes.io/service-name": "acc-ext"]],
           "addressType": "IPv4",
           "endpoints": [["addresses": [.string(try HostAddress.ipv4())], "conditions": ["ready": true]]],
           "ports": [["name": "https", "protocol": "TCP", "port": .int(Int64(port))]]]),
         (apiServices,
          ["apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService", "metadata": ["name": "v1beta1.metrics.acc.example.com"],
           "spec": ["service": ["namespace": "default", "name": "acc-ext", "port": 443],
                    "group": "metrics.acc.example.com", "version": "v1beta1",
                    "caBundle": .string(caBundle), "groupPriorityMinimum": 1000, "versionPriority": 15]])]
    }

    static func availableAuthenticated(_ api: TestAPI, _ auth: HTTPFields, reason: String) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            let reply = try await api.request(.get, "\(apiServices)/v1beta1.metrics.acc.example.com", headers: auth)
            let condition = reply.json["status"]?["conditions"]?[0] ?? .null
            if condition["reason"]?.stringValue == reason || ContinuousClock.now > deadline { return condition }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func anUnavailableAPIServiceAnswers503AndSaysWhyInItsCondition() async throws {
        let server = try await TestAPI.makeServer(label: "aggregator-unavailable")
        try await Self.withExtension(trusting: server.extensionAuthentication.requestHeaderCA) { state, port, caBundle, running in
            try await TestAPI.run(server, aggregator: true) { api in
                // A Service that does not exist: ServiceNotFound, and 503 as kube answers it.
                var missing = try Self.registration(port: port, caBundle: caBundle)[2].1
                missing["metadata"] = ["name": "v1.missing.acc.example.com"]
                missing["spec"] = ["service": ["namespace": "default", "name": "nosuch", "port": 443],
                                   "group": "missing.acc.example.com", "version": "v1", "insecureSkipTLSVerify": true,
                                   "groupPriorityMinimum": 1000, "versionPriority": 15]
                #expect(try await api.request(.post, Self.apiServices, json: missing).status == .created)
                let notFound = try await Self.available(api, "v1.missing.acc.example.com", reason: "ServiceNotFound")
                let expected = try #require(reference("aggregation/apiservice-missing-service-status.json"))["status"]?["conditions"]?[0]
                #expect(notFound["status"] == expected?["status"])
                #expect(notFound["message"] == expected?["message"])
                let refused = try await api.get("/apis/missing.acc.example.com/v1/things")
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.text == "service unavailable\n")
                #expect(refused.headers[.contentType] == "text/plain; charset=utf-8")

                // The Service appears without endpoints: EndpointsNotFound.
                try await api.request(.post, "/api/v1/namespaces/default/services",
                                      json: ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "nosuch"],
                                             "spec": ["ports": [["port": 443]]]])
                let noEndpoints = try await Self.available(api, "v1.missing.acc.example.com", reason: "EndpointsNotFound")
                #expect(noEndpoints["message"] == "cannot find endpoints for service/nosuch in \"default\"")

                // The real extension, first with a caBundle that does not sign its certificate.
                let registration = try Self.registration(port: port, caBundle: caBundle)
                for (uri, json) in registration.prefix(2) { try await api.request(.post, uri, json: json) }
                var wrongCA = registration[2].1
                wrongCA["spec"]?["caBundle"] = .string(Data(server.extensionAuthentication.requestHeaderCA.utf8).base64EncodedString())
                #expect(try await api.request(.post, Self.apiServices, json: wrongCA).status == .created)
                let untrusted = try await Self.available(api, "v1beta1.metrics.acc.example.com", reason: "FailedDiscoveryCheck")
                #expect(untrusted["status"] == "False")
                #expect(untrusted["message"]?.stringValue?.hasPrefix("failing or missing response from https://") == true)
                #expect(try await api.get(Self.pings).status == .serviceUnavailable)
                let fixed = try await api.get(Self.apiServices + "/v1beta1.metrics.acc.example.com").json
                let put = try await api.request(.put, Self.apiServices + "/v1beta1.metrics.acc.example.com",
                                                json: Self.withCABundle(fixed, caBundle))
                #expect(put.status == .ok)
                #expect(try await Self.available(api, "v1beta1.metrics.acc.example.com", reason: "Passed")["status"] == "True")
                #expect(try await api.get(Self.pings).status == .ok)

                // A hanging extension: its check gives up after 5 s, and the rest of the API answers meanwhile.
                state.hangs.withLock { $0 = true }
                let start = ContinuousClock.now
                for _ in 0..<10 { #expect(try await api.get("/api/v1/namespaces/default").status == .ok) }
                let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
                #expect(try await api.get("/apis", accept: accept).status == .ok)
                // Well under the 5 s one request would wait if it waited for the check.
                #expect(ContinuousClock.now - start < .seconds(4))
                state.hangs.withLock { $0 = false }

                // The extension stops: Available False, 503.
                running.cancel()
                _ = await running.result
                let down = try await Self.available(api, "v1beta1.metrics.acc.example.com", reason: "FailedDiscoveryCheck")
                #expect(down["status"] == "False")
                #expect(try await api.get(Self.pings).status == .serviceUnavailable)
                // Discovery keeps what it said last, marked Stale, as kube's aggregator does.
                let stale = try await api.get("/apis", accept: accept).json["items"]?.arrayValue?
                    .first { $0["metadata"]?["name"] == "metrics.acc.example.com" }
                #expect(stale?["versions"]?[0]?["freshness"] == "Stale")
                #expect(stale?["versions"]?[0]?["resources"]?[0]?["resource"] == "pings")
            }
        }
    }

    static func withCABundle(_ apiService: JSONValue, _ caBundle: String) -> JSONValue {
        guard case .object(var object) = apiService, case .object(var spec)? = object["spec"] else { return apiService }
        spec["caBundle"] = .string(caBundle)
        object["spec"] = .object(spec)
        return .object(object)
    }
}
