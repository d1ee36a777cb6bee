import APIMachinery
import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// The aggregator's link: a request under /apis/GROUP/VERSION of a remote
/// APIService goes to its extension server (kube's proxyHandler), anything
/// else to the local API. The path and query go unchanged, every verb and
/// stream included; the client's credentials never go, the user it was
/// authenticated as goes in X-Remote-* headers, and Berth proves itself
/// with its front-proxy certificate.
struct ExtensionProxy: HandlerLink {
    let routing: APIServiceRouting
    /// A body of unknown length is read whole, up to this, and sent with its length.
    let maxRequestBytes: Int
    let logger: Logger

    /// Hop-by-hop and credential headers that are not forwarded, either way.
    static let dropped: Set<String> = ["authorization", "connection", "keep-alive", "proxy-connection", "te", "trailer",
                                       "transfer-encoding", "upgrade", "host", "content-length"]

    func handle(_ request: Request, context: APIRequestContext, next: @escaping HandlerChain.Next) async throws -> Response {
        let parts = request.uri.path.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true)
        guard parts.count >= 3, parts[0] == "apis",
              let route = routing.load().route(group: String(parts[1]), version: String(parts[2])) else {
            return try await next(request, context)
        }
        guard route.available, let client = route.client else { return Self.serviceUnavailable }
        var forwarded = HTTPClientRequest(url: route.baseURL + request.uri.description)
        forwarded.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !Self.dropped.contains(field.name.canonicalName)
            && !field.name.canonicalName.hasPrefix("x-remote-") {
            forwarded.headers.add(name: field.name.rawName, value: field.value)
        }
        if let user = context.user {
            forwarded.headers.add(name: "X-Remote-User", value: user.name)
            if !user.uid.isEmpty { forwarded.headers.add(name: "X-Remote-Uid", value: user.uid) }
            for group in user.groups { forwarded.headers.add(name: "X-Remote-Group", value: group) }
            for (key, values) in user.extra.sorted(by: { $0.key < $1.key }) {
                for value in values { forwarded.headers.add(name: "X-Remote-Extra-" + Self.escapeExtraKey(key), value: value) }
            }
        }
        if let address = context.connection?.remoteAddress?.ipAddress {
            forwarded.headers.add(name: "X-Forwarded-For", value: address)
        }
        forwarded.headers.add(name: "X-Forwarded-Proto", value: "https")
        forwarded.headers.add(name: "X-Forwarded-Uri", value: request.uri.description)
        if let length = request.headers[.contentLength].flatMap(Int64.init) {
            forwarded.body = .stream(request.body, length: .known(length))
        } else if request.method == .post || request.method == .put || request.method == .patch {
            // HTTP/2 bodies come without a length; many servers do not read chunked requests.
            guard let body = try? await request.body.collect(upTo: maxRequestBytes) else {
                throw APIErrorFactory.tooLarge(limit: maxRequestBytes)
            }
            forwarded.body = .bytes(body)
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(forwarded, timeout: .hours(24 * 365))
        } catch {
            // kube's proxy answers an unreachable backend 503 as well.
            logger.warning("proxying to the extension failed", metadata: ["apiservice": "\(route.name)", "error": "\(error)"])
            return Self.serviceUnavailable
        }
        var headers = HTTPFields()
        for header in response.headers where !Self.dropped.contains(header.name.lowercased()) {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        let status = HTTPResponse.Status(code: Int(response.status.code))
        // A small answer of known length goes on whole, which costs less than
        // relaying it part by part; anything else (a watch, a chunked list) streams.
        if let length = response.headers.first(name: "content-length").flatMap(Int.init), length <= Self.wholeBodyLimit {
            let body = try await response.body.collect(upTo: length)
            return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
        }
        return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: response.body))
    }

    static let wholeBodyLimit = 1 << 20

    /// kube-aggregator's answer when the APIService is not available: plain text, not a Status.
    static var serviceUnavailable: Response {
        Response(status: .serviceUnavailable,
                 headers: [.contentType: "text/plain; charset=utf-8", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: "service unavailable\n")))
    }

    /// Extra keys are percent-escaped in header names, as kube's transport escapes them.
    static func escapeExtraKey(_ key: String) -> String {
        var escaped = ""
        for byte in key.utf8 {
            let scalar = Character(Unicode.Scalar(byte))
            if scalar.isLetter && byte < 128 || scalar.isNumber && byte < 128 || "-!#$&'*+.^_`|~".contains(scalar) {
                escaped.append(scalar)
            } else {
                escaped += String(format: "%%%02X", byte)
            }
        }
        return escaped
    }
}
