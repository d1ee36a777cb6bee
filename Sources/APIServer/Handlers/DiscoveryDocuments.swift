import APIMachinery
import Hummingbird

/// The discovery responses, rendered once at start (the set of resources is
/// fixed while the server runs) and served with content negotiation between
/// the plain and the aggregated form.
struct DiscoveryDocuments: Sendable {
    struct Aggregated: Sendable {
        var body: [UInt8]
        var etag: String
    }

    let discovery: Discovery
    let core: JSONValue
    let groupList: JSONValue
    /// Keyed by "api" or "apis", then by apidiscovery version.
    let aggregated: [String: [String: Aggregated]]

    static let aggregatedVersions = ["v2", "v2beta1"]

    init(_ discovery: Discovery) {
        self.discovery = discovery
        core = discovery.coreVersions
        groupList = discovery.groupList
        var aggregated: [String: [String: Aggregated]] = [:]
        for root in ["api", "apis"] {
            for version in Self.aggregatedVersions {
                let body = discovery.aggregated(core: root == "api", apiVersion: "apidiscovery.k8s.io/\(version)").serialized()
                aggregated[root, default: [:]][version] = Aggregated(body: body, etag: Discovery.etag(body))
            }
        }
        self.aggregated = aggregated
    }

    /// nil when `path` is not a discovery path.
    func respond(path: String, request: Request, query: QueryParameters) throws -> Response? {
        let parts = path.split(separator: "/").map(String.init)
        let document: JSONValue?
        switch parts.count {
        case 1 where parts[0] == "api" || parts[0] == "apis":
            try requireGet(request)
            if let version = try aggregatedVersion(request.headers[.accept]) {
                return aggregatedResponse(aggregated[parts[0]]![version]!, version: version, request: request)
            }
            document = parts[0] == "api" ? core : groupList
        case 2 where parts[0] == "api":
            try requireGet(request)
            document = discovery.resourceList(group: "", version: parts[1])
            if document == nil { throw APIErrorFactory.notFound }
        case 2 where parts[0] == "apis":
            try requireGet(request)
            document = discovery.group(named: parts[1])
            if document == nil { throw APIErrorFactory.notFound }
        case 3 where parts[0] == "apis":
            try requireGet(request)
            document = discovery.resourceList(group: parts[1], version: parts[2])
            if document == nil { throw APIErrorFactory.notFound }
        default:
            return nil
        }
        let format = ResponseFormat(serialization: .json, shape: .object, pretty: query.pretty(userAgent: request.headers[.userAgent]))
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: ObjectCoding.encode(document!, format))))
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
