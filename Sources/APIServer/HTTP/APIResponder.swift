import APIMachinery
import Foundation
import Hummingbird
import Logging
import Registry
import Synchronization

/// The one responder behind both ports: authentication, then health and
/// version, discovery, and resource requests; every error becomes a Status.
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let resources: ResourceHandler
    let servedAPI: ServedAPICache
    /// Where clients reach this port, for /api's serverAddressByClientCIDRs.
    let serverAddress: String
    let health: Health
    let metrics: Metrics
    /// nil: every request is allowed (the local insecure port).
    let authenticator: TokenAuthenticator?
    let version: JSONValue
    /// Requests but watches that take longer are answered 504 (--request-timeout).
    let requestTimeout: Duration
    /// Larger header blocks are answered 431, as Go's server answers them.
    let maximumHeaderBytes: Int
    let logger: Logger

    /// Paths anyone may read, as kube-apiserver's system:public-info-viewer allows.
    static let publicPaths: Set<String> = ["/healthz", "/livez", "/readyz", "/version"]

    func respond(to request: Request, context: Context) async throws -> Response {
        // HTTP/2 decodes header blocks beyond this, so that the stream alone
        // fails (HTTP/1's decoder stops at it, see HeaderBlockTooLarge).
        if Self.headerBytes(request) > maximumHeaderBytes {
            return Response(status: .requestHeaderFieldsTooLarge, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "431 Request Header Fields Too Large")))
        }
        let start = ContinuousClock.now
        let query = QueryParameters(request)
        let labels = RouteLabels(Metrics.RequestLabels(method: request.method))
        var response: Response
        do {
            let longRunning = query.bool("watch") || request.uri.path.contains("/watch/")
            response = try await withTimeout(longRunning ? nil : requestTimeout) { [self] in
                var routed = labels.value
                defer { labels.value = routed }
                let response = try await route(request, query, labels: &routed)
                return try await ResponseCompression.gzipIfAccepted(response, acceptEncoding: request.headers[.acceptEncoding])
            }
        } catch let error as APIError {
            response = Self.statusResponse(error, request)
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = Self.statusResponse(APIError.internalError("\(error)"), request)
        }
        return metrics.instrument(response, labels.value, since: start)
    }

    /// A header block's size as HTTP/2 counts it (RFC 9113 6.5.2): each field's
    /// name and value and 32 bytes, the pseudo-header fields included.
    static func headerBytes(_ request: Request) -> Int {
        let fields = request.headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 32 }
        return fields + request.uri.description.utf8.count + request.method.rawValue.utf8.count + 3 * 32
    }

    /// Runs `work` within --request-timeout, as kube-apiserver's timeout
    /// filter does: past it the request is cancelled and answered 504.
    /// Watches are long-running and excepted (nil: their own timeoutSeconds ends them).
    private func withTimeout(_ timeout: Duration?, _ work: @escaping @Sendable () async throws -> Response) async throws -> Response {
        guard let timeout else { return try await work() }
        return try await withThrowingTaskGroup(of: Response?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let response = try await group.next()! else {
                throw APIError.timeout("Timeout: request did not complete within requested timeout - context deadline exceeded")
            }
            return response
        }
    }

    /// `labels` learns what the request was for, for the metrics.
    func route(_ request: Request, _ query: QueryParameters, labels: inout Metrics.RequestLabels) async throws -> Response {
        // Names are matched decoded (probe%2Dcm is probe-cm), as Go's
        // net/http hands kube-apiserver the decoded path.
        guard var path = request.uri.path.removingPercentEncoding else {
            throw APIError.badRequest("invalid URL escape in path \"\(request.uri.path)\"")
        }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let isPublic = Self.publicPaths.contains(path) || path.hasPrefix("/readyz/") || path.hasPrefix("/livez/")
            || path.hasPrefix("/healthz/")
        if let authenticator, !isPublic,
           authenticator.authenticate(authorization: request.headers[.authorization]) == nil {
            throw APIErrorFactory.unauthorized
        }
        if let response = await health.respond(path: path, verbose: query["verbose"] != nil) { return response }
        if path == "/metrics" { return metrics.response() }
        if path == "/version" {
            return .encoded(version, ResponseFormat(serialization: .json, shape: .object,
                                                    pretty: query.pretty(userAgent: request.headers[.userAgent])))
        }
        // One snapshot answers the whole request, however the served set changes meanwhile.
        let served = servedAPI.load()
        if let response = try served.discovery.respond(path: path, request: request, query: query, serverAddress: serverAddress) {
            return response
        }
        if path == "/openapi/v2" || path.hasPrefix("/openapi/v3") {
            return try served.openAPI.respond(path: path, request: request, query: query)
        }
        guard let info = try RequestInfo.parse(path: path, method: request.method, watchParameter: query.bool("watch")) else {
            throw APIErrorFactory.notFound
        }
        guard let store = served.resources.store(group: info.group, version: info.version, resource: info.resource) else {
            throw APIErrorFactory.notFound
        }
        labels = Metrics.RequestLabels(info, method: request.method, dryRun: (try? query.dryRun()) ?? false)
        return try await resources.handle(info, store, request, query)
    }

    static func statusResponse(_ error: APIError, _ request: Request) -> Response {
        let pretty = QueryParameters(request).pretty(userAgent: request.headers[.userAgent])
        var response = Response.encoded(error.status, ResponseFormat(serialization: .json, shape: .object, pretty: pretty),
                                        status: HTTPResponse.Status(code: error.code))
        response.headers[.cacheControl] = "no-cache, private"
        if error.retryAfterSeconds > 0 { response.headers[.retryAfter] = String(error.retryAfterSeconds) }
        return response
    }
}

/// What the request was for, as routing learns it, for the metrics: kept
/// outside the routing task so that a request that fails or times out is
/// still counted under its resource.
final class RouteLabels: Sendable {
    private let labels: Mutex<Metrics.RequestLabels>
    init(_ labels: Metrics.RequestLabels) { self.labels = Mutex(labels) }
    var value: Metrics.RequestLabels {
        get { labels.withLock { $0 } }
        set { labels.withLock { $0 = newValue } }
    }
}
