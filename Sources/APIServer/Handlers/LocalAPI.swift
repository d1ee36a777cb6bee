import APIMachinery
import Foundation
import Hummingbird
import Registry
import Synchronization

/// The end of the handler chain: what this server answers itself. Health
/// and version, /metrics, discovery and OpenAPI of the served snapshot, and
/// resource requests.
struct LocalAPI: HTTPResponder {
    typealias Context = APIRequestContext

    let resources: ResourceHandler
    let servedAPI: ServedAPICache
    /// Where clients reach this port, for /api's serverAddressByClientCIDRs.
    let serverAddress: String
    let health: Health
    let metrics: Metrics
    let version: JSONValue

    func respond(to request: Request, context: Context) async throws -> Response {
        let query = QueryParameters(request)
        let response = try await route(request, query, labels: context.labels)
        return try await ResponseCompression.gzipIfAccepted(response, acceptEncoding: request.headers[.acceptEncoding])
    }

    /// `labels` learns what the request was for, for the metrics.
    func route(_ request: Request, _ query: QueryParameters, labels: RouteLabels) async throws -> Response {
        // Names are matched decoded (probe%2Dcm is probe-cm), as Go's
        // net/http hands kube-apiserver the decoded path.
        guard var path = request.uri.path.removingPercentEncoding else {
            throw APIError.badRequest("invalid URL escape in path \"\(request.uri.path)\"")
        }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
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
        labels.value = Metrics.RequestLabels(info, method: request.method, dryRun: (try? query.dryRun()) ?? false)
        return try await resources.handle(info, store, request, query)
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
