import APIMachinery
@testable import APIServer
import EtcdClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Registry
import TestSupport

/// An API server over the shared test etcd, under a key prefix of the test's
/// own, driven in process through Hummingbird's test client: the same
/// responder `berth serve` runs, without sockets.
struct TestAPI {
    let server: APIServer
    let client: any TestClientProtocol

    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: [UInt8]
        var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The Status reason of an error reply.
        var reason: String { json["reason"]?.stringValue ?? "" }
    }

    static func makeServer(label: String, configure: (inout APIServerOptions) -> Void = { _ in }) async throws -> APIServer {
        let etcd = try await TestEtcd.shared()
        var options = APIServerOptions(dataDirectory: TestEtcd.temporaryDirectory(label))
        options.etcdPrefix = TestEtcd.uniquePrefix(label)
        options.maxRequestBytes = 64 * 1024
        configure(&options)
        let server = try APIServer(options: options, client: try TestEtcd.client(etcd), logger: Logger(label: "test"))
        try await server.registry.ensureInitialNamespaces()
        server.readiness.markBootstrapped()
        return server
    }

    /// Runs `body` against a fresh server; `authenticated` puts the token
    /// check in front; `crds` runs the CRD controller beside it, as `berth
    /// serve` does.
    static func run(_ label: String = #function, authenticated: Bool = false, crds: Bool = false, aggregator: Bool = false,
                    configure: (inout APIServerOptions) -> Void = { _ in },
                    _ body: @escaping @Sendable (TestAPI) async throws -> Void) async throws {
        let server = try await makeServer(label: label, configure: configure)
        try await run(server, authenticated: authenticated, crds: crds, aggregator: aggregator, body)
    }

    /// `aggregator` runs the APIService controller beside it, checking
    /// every APIService each second rather than kube's 30 s.
    static func run(_ server: APIServer, authenticated: Bool = false, crds: Bool = false, aggregator: Bool = false,
                    _ body: @escaping @Sendable (TestAPI) async throws -> Void) async throws {
        let controller = crds ? Task { await CustomResourceDefinitionController(registry: server.registry)?.run() } : nil
        defer { controller?.cancel() }
        let apiServices = aggregator ? Task {
            await AggregatorController(registry: server.registry, routing: server.routing, identity: server.proxyIdentity,
                                       logger: Logger(label: "aggregator"), resyncInterval: .seconds(1))?.run()
        } : nil
        defer { apiServices?.cancel() }
        let app = Application(responder: server.responder(authenticated: authenticated, serverAddress: "127.0.0.1:6443"))
        try await app.test(.router) { client in
            try await body(TestAPI(server: server, client: client))
        }
    }

    /// Asks `uri` every 20 ms until it answers 200, for at most `seconds`.
    func waitUntilServed(_ uri: String, seconds: Double = 5) async throws -> Reply {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            let reply = try await get(uri)
            if reply.status == .ok || ContinuousClock.now > deadline { return reply }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @discardableResult
    func request(_ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil, body: [UInt8]? = nil,
                 headers: HTTPFields = [:]) async throws -> Reply {
        var headers = headers
        var bytes = body
        if let json {
            bytes = json.serialized()
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers,
                                                body: bytes.map { ByteBuffer(bytes: $0) })
        return Reply(status: response.status, headers: response.headers, body: Array(response.body.readableBytesView))
    }

    func get(_ uri: String, accept: String? = nil) async throws -> Reply {
        var headers = HTTPFields()
        if let accept { headers[.accept] = accept }
        return try await request(.get, uri, headers: headers)
    }

    @discardableResult
    func patch(_ uri: String, _ type: String, _ patch: JSONValue) async throws -> Reply {
        try await request(.patch, uri, json: patch, headers: [.contentType: type])
    }
}

func configMap(_ name: String, namespace: String? = nil, data: JSONValue = ["a": "b"], labels: JSONValue? = nil) -> JSONValue {
    var metadata: JSONObject = ["name": .string(name)]
    if let namespace { metadata["namespace"] = .string(namespace) }
    if let labels { metadata["labels"] = labels }
    return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": .object(metadata), "data": data]
}

/// What a real kube-apiserver 1.36 answered (Fixtures/, copied from the
/// project's shared reference captures).
func reference(_ name: String) -> JSONValue? {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return try? JSONValue.parse(Array(data))
}

/// A fixture's raw bytes (the protobuf captures).
func referenceBytes(_ name: String) -> [UInt8]? {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    return FileManager.default.contents(atPath: path).map(Array.init)
}
