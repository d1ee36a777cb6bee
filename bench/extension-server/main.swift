// A minimal extension API server for scripts/bench-aggregation: HTTPS
// (HTTP/2 and HTTP/1.1) serving metrics.acc.example.com/v1beta1 Pings of
// about 1 KiB, its resource list for the availability check, and nothing
// else. It asks for no client certificate, so wrk (which cannot show one)
// measures it directly beside the same requests through Berth's proxy.
//   extension-server PORT CERT_FILE KEY_FILE
import Foundation
import Hummingbird
import HummingbirdHTTP2
import NIOSSL

struct Pings: HTTPResponder {
    typealias Context = BasicRequestContext
    static let resources = Array(#"{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"metrics.acc.example.com/v1beta1","resources":[{"name":"pings","singularName":"ping","namespaced":true,"kind":"Ping","verbs":["get","list"]}]}"#.utf8)
    static let ping = Array(("{\"kind\":\"Ping\",\"apiVersion\":\"metrics.acc.example.com/v1beta1\",\"metadata\":{\"name\":\"one\",\"namespace\":\"default\"},\"data\":\""
        + String(repeating: "x", count: 1024) + "\"}").utf8)

    func respond(to request: Request, context: Context) async throws -> Response {
        let body: [UInt8]
        switch request.uri.path {
        case "/apis/metrics.acc.example.com/v1beta1": body = Self.resources
        case let path where path.hasPrefix("/apis/metrics.acc.example.com/v1beta1/namespaces/default/pings/"): body = Self.ping
        default: return Response(status: .notFound)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let port = Int(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: extension-server PORT CERT_FILE KEY_FILE\n".utf8))
    exit(2)
}
var tls = TLSConfiguration.makeServerConfiguration(
    certificateChain: try NIOSSLCertificate.fromPEMFile(arguments[2]).map { .certificate($0) },
    privateKey: .privateKey(try NIOSSLPrivateKey(file: arguments[3], format: .pem)))
tls.applicationProtocols = ["h2", "http/1.1"]
let app = Application(responder: Pings(), server: try .http2Upgrade(tlsConfiguration: tls),
                      configuration: .init(address: .hostname("0.0.0.0", port: port)),
                      onServerRunning: { _ in FileHandle.standardOutput.write(Data("serving\n".utf8)) })
try await app.runService()
