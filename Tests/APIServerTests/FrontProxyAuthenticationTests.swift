import APIMachinery
@testable import APIServer
import AsyncHTTPClient
import Foundation
import Logging
import NIOSSL
import ServiceLifecycle
import Testing
import TestSupport

/// Berth behind a front proxy (--requestheader-*), over real TLS: only a
/// client certificate from the request-header CA with an allowed name makes
/// the X-Remote-* headers count, as kube-apiserver's request-header
/// authenticator decides.
@Suite(.timeLimit(.minutes(2)))
struct FrontProxyAuthenticationTests {
    @Test func remoteUserHeadersCountOnlyWithTheFrontProxyCertificate() async throws {
        let etcd = try await TestEtcd.shared()
        var options = APIServerOptions(dataDirectory: TestEtcd.temporaryDirectory("front-proxy"))
        options.etcdPrefix = TestEtcd.uniquePrefix("front-proxy")
        options.bindAddress = "127.0.0.1"
        options.securePort = 0
        let server = try APIServer(options: options, client: try TestEtcd.client(etcd), logger: Logger(label: "front-proxy"))
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(configuration: .init(services: try server.services { _, port in listening.yield(port) }
            .map { .init(service: $0) }, logger: Logger(label: "front-proxy")))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let url = "https://127.0.0.1:\(port)/api/v1/namespaces/default"

        func client(certificate: String?, key: String?) throws -> HTTPClient {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(options.dataDirectory + "/certificates/ca.crt"))
            if let certificate, let key {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
            return HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        }
        func status(_ client: HTTPClient, user: String?) async throws -> UInt {
            var request = HTTPClientRequest(url: url)
            if let user {
                request.headers.add(name: "X-Remote-User", value: user)
                request.headers.add(name: "X-Remote-Group", value: "system:masters")
            }
            return try await client.execute(request, timeout: .seconds(10)).status.code
        }
        let certificates = options.dataDirectory + "/certificates"
        let proxy = try client(certificate: certificates + "/front-proxy-client.crt", key: certificates + "/front-proxy-client.key")
        let plain = try client(certificate: nil, key: nil)
        // A certificate from another CA: its handshake fails.
        let strangerFiles = try ServingCertificate.loadOrGenerate(in: TestEtcd.temporaryDirectory("stranger"))
        let stranger = try client(certificate: strangerFiles.certificateFile, key: strangerFiles.keyFile)
        // Berth's own front-proxy certificate is from the request-header CA it publishes.
        #expect(try await status(proxy, user: "alice") == 200)
        // The headers without the certificate, or the certificate without a user: 401.
        #expect(try await status(plain, user: "alice") == 401)
        #expect(try await status(proxy, user: nil) == 401)
        await #expect(throws: (any Error).self) { _ = try await status(stranger, user: "alice") }
        // The ConfigMap extension servers read names the same CA and name.
        let published = try await server.registry.store(group: "", version: "v1", resource: "configmaps")!
            .get(namespace: "kube-system", name: "extension-apiserver-authentication")
        let expected = try #require(reference("aggregation/extension-apiserver-authentication.json"))
        #expect(published["data"]?.objectValue?.keys.sorted()
                == expected["data"]?.objectValue?.keys.filter { $0 != "client-ca-file" }.sorted())
        #expect(published["data"]?["requestheader-allowed-names"] == expected["data"]?["requestheader-allowed-names"])
        #expect(published["data"]?["requestheader-client-ca-file"]?.stringValue
                == (try String(contentsOfFile: certificates + "/front-proxy-ca.crt", encoding: .utf8)))
        for client in [proxy, plain, stranger] { try await client.shutdown() }
        await group.triggerGracefulShutdown()
        _ = await running.result
    }
}
