import APIMachinery
import Foundation
import Hummingbird
import Logging
import Registry

/// The one responder behind both ports: authentication, then health and
/// version, discovery, and resource requests; every error becomes a Status.
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let resources: ResourceHandler
    let discovery: DiscoveryDocuments
    let openAPI: OpenAPIDocuments
    let health: Health
    let metrics: Metrics
    /// nil: every request is allowed (the local insecure port).
    let authenticator: TokenAuthenticator?
    let version: JSONValue
    let logger: Logger

    /// Paths anyone may read, as kube-apiserver's system:public-info-viewer allows.
    static let publicPaths: Set<String> = ["/healthz", "/livez", "/readyz", "/version"]

    func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        var labels = Metrics.RequestLabels(method: request.method)
        var response: Response
        do {
            response = try await route(request, labels: &labels)
            response = try await ResponseCompression.gzipIfAccepted(response, acceptEncoding: request.headers[.acceptEncoding])
        } catch let error as APIError {
            response = Self.statusResponse(error, request)
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = Self.statusResponse(APIError.internalError("\(error)"), request)
        }
        return metrics.instrument(response, labels, since: start)
    }

    /// `labels` learns what the request was for, for the metrics.
    func route(_ request: Request, labels: inout Metrics.RequestLabels) async throws -> Response {
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
        let query = QueryParameters(request)
        if let response = await health.respond(path: path, verbose: query["verbose"] != nil) { return response }
        if path == "/metrics" { return metrics.response() }
        if path == "/version" {
            return .encoded(version, ResponseFormat(serialization: .json, shape: .object,
                                                    pretty: query.pretty(userAgent: request.headers[.userAgent])))
        }
        if let response = try discovery.respond(path: path, request: request, query: query) { return response }
        if let response = try openAPI.respond(path: path, request: request, query: query) { return response }
        guard let info = try RequestInfo.parse(path: path, method: request.method, watchParameter: query.bool("watch")) else {
            throw APIErrorFactory.notFound
        }
        guard let store = resources.registry.store(group: info.group, version: info.version, resource: info.resource) else {
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
