import APIMachinery
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// JSON requests to a running API server, reached and authenticated as a
/// kubeconfig says (server, CA, bearer token or client certificate), over
/// HTTP/2 where the server offers it.
public final class APIConnection: Sendable {
    let client: HTTPClient
    let server: String
    let token: String?

    /// An answer the caller did not expect, with what its Status said.
    public struct UnexpectedAnswer: Error, CustomStringConvertible {
        public var code: Int
        public var reason: String
        public var message: String
        public var description: String { "\(message) (\(code) \(reason))" }
    }

    public init(_ kubeconfig: Kubeconfig) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = kubeconfig.certificateAuthority {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca.utf8)))
        }
        if kubeconfig.insecureSkipTLSVerify { tls.certificateVerification = .none }
        if let certificate = kubeconfig.clientCertificate, let key = kubeconfig.clientKey {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8)).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        server = kubeconfig.server.hasSuffix("/") ? String(kubeconfig.server.dropLast()) : kubeconfig.server
        token = kubeconfig.token
    }

    /// The status code and the JSON body (null when there is none).
    public func request(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> (code: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.serialized()))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let json = bytes.readableBytes == 0 ? .null : (try? JSONValue.parse(Array(bytes.readableBytesView))) ?? .null
        return (Int(response.status.code), json)
    }

    /// The error for an answer with `code`, in the words of its Status.
    public static func unexpected(_ code: Int, _ body: JSONValue) -> UnexpectedAnswer {
        UnexpectedAnswer(code: code, reason: body["reason"]?.stringValue ?? "", message: body["message"]?.stringValue ?? "HTTP \(code)")
    }

    public func shutdown() async throws {
        try await client.shutdown()
    }
}
