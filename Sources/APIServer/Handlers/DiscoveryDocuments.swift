import APIMachinery
import Hummingbird

/// The discovery responses of one snapshot of the served resources, rendered
/// when it is first asked for and served with content negotiation between
/// the plain and the aggregated form.
struct DiscoveryDocuments: Sendable {
    struct Aggregated: Sendable {
        var body: [UInt8]
        var etag: String
    }

    let discovery: Discovery
    /// The plain documents by path: /apis, /api/v1, /apis/GROUP, /apis/GROUP/VERSION
    /// (/api names the port's own address, so it is made per request).
    let plain: [String: JSONValue]
    /// Keyed by "api" or "apis", then by apidiscovery version.
    let aggregated: [String: [String: Aggregated]]

    static let aggregatedVersions = ["v2", "v2beta1"]

    init(_ discovery: Discovery) {
        self.discovery = discovery
        var plain = ["/apis": discovery.groupList]
        for (group, version) in discovery.served.groupVersions {
            let root = group.isEmpty ? "/api" : "/apis/\(group)"
            if !group.isEmpty { plain[root] = discovery.group(named: group) }
            plain["\(root)/\(version)"] = discovery.resourceList(group: group, version: version)
        }
        self.plain = plain
        var aggregated: [String: [String: Aggregated]] = [:]
        for root in ["api", "apis"] {
            for version in Self.aggregatedVersions {
                let body = discovery.aggregated(core: root == "api", apiVersion: "apidiscovery.k8s.io/\(version)").serialized()
                aggregated[root, default: [:]][version] = Aggregated(body: body, etag: Discovery.etag(body))
            }
        }
        self.aggregated = aggregated
    }

    /// nil when `path` is not a discovery path; 404 for a group or version not served.
    func respond(path: String, request: Request, query: QueryParameters, serverAddress: String) throws -> Response? {
        let parts = path.split(separator: "/").map(String.init)
        guard let root = parts.first, root == "api" || root == "apis",
              parts.count <= (root == "api" ? 2 : 3) else { return nil }
        try requireGet(request)
        if parts.count == 1, let version = try aggregatedVersion(request.headers[.accept]) {
            return aggregatedResponse(aggregated[root]![version]!, version: version, request: request)
        }
        guard let document = path == "/api" ? discovery.coreVersions(serverAddress: serverAddress) : plain[path] else {
            throw APIErrorFactory.notFound
        }
        return .encoded(document, ResponseFormat(serialization: .json, shape: .object,
                                                 pretty: query.pretty(userAgent: request.headers[.userAgent])))
    }

    func requireGet(_ request: Request) throws {
        guard request.method == .get || request.method == .head else { throw APIErrorFactory.methodNotAllowed }
    }

    /// The aggregated discovery version the Accept header asks for first, or
    /// nil when it prefers the plain form; 406 when it accepts neither.
    func aggregatedVersion(_ accept: String?) throws -> String? {
        for media in MediaType.list(accept) {
            if let conversion = media.conversion {
                if media.isJSON, conversion.as == "APIGroupDiscoveryList", conversion.group == "apidiscovery.k8s.io",
                   Self.aggregatedVersions.contains(conversion.version) {
                    return conversion.version
                }
                continue
            }
            if media.isJSON { return nil }
        }
        throw APIErrorFactory.notAcceptable
    }

    func aggregatedResponse(_ document: Aggregated, version: String, request: Request) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json;g=apidiscovery.k8s.io;v=\(version);as=APIGroupDiscoveryList"
        headers[.eTag] = document.etag
        headers[.vary] = "Accept"
        headers[.cacheControl] = "public"
        if request.headers[.ifNoneMatch] == document.etag {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: document.body)))
    }
}
