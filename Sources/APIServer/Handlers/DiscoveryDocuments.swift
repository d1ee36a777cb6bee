import APIMachinery
import Atomics
import Hummingbird

/// The discovery responses of one snapshot of the served resources, served
/// with content negotiation between the plain and the aggregated form.
/// Nothing is rendered before it is asked for: a snapshot replaced before
/// anyone reads its /apis costs nothing, and a client waiting for one new
/// group gets that group's document alone. The aggregated documents are
/// kept once made (they carry an ETag); the plain ones are small and made
/// per request.
struct DiscoveryDocuments: Sendable {
    final class Aggregated: Sendable {
        let body: [UInt8]
        let etag: String
        init(_ body: [UInt8]) {
            self.body = body
            etag = Discovery.etag(body)
        }
    }

    let discovery: Discovery
    /// By root ("api", "apis") and apidiscovery version.
    private let aggregated: [String: [String: ManagedAtomicLazyReference<Aggregated>]]

    static let aggregatedVersions = ["v2", "v2beta1"]

    init(_ discovery: Discovery) {
        self.discovery = discovery
        var aggregated: [String: [String: ManagedAtomicLazyReference<Aggregated>]] = [:]
        for root in ["api", "apis"] {
            for version in Self.aggregatedVersions { aggregated[root, default: [:]][version] = ManagedAtomicLazyReference() }
        }
        self.aggregated = aggregated
    }

    func aggregated(_ root: String, _ version: String) -> Aggregated {
        let document = aggregated[root]![version]!
        if let made = document.load() { return made }
        let body = discovery.aggregated(core: root == "api", apiVersion: "apidiscovery.k8s.io/\(version)").serialized()
        return document.storeIfNilThenLoad(Aggregated(body))
    }

    /// The plain document at the path of `parts`, nil when nothing is served there.
    func plain(_ parts: [String], serverAddress: String) -> JSONValue? {
        switch (parts.first, parts.count) {
        case ("api", 1): return discovery.coreVersions(serverAddress: serverAddress)
        case ("api", 2): return discovery.resourceList(group: "", version: parts[1])
        case ("apis", 1): return discovery.groupList
        case ("apis", 2): return discovery.group(named: parts[1])
        case ("apis", 3): return discovery.resourceList(group: parts[1], version: parts[2])
        default: return nil
        }
    }

    /// nil when `path` is not a discovery path; 404 for a group or version not served.
    func respond(path: String, request: Request, query: QueryParameters, serverAddress: String) throws -> Response? {
        let parts = path.split(separator: "/").map(String.init)
        guard let root = parts.first, root == "api" || root == "apis",
              parts.count <= (root == "api" ? 2 : 3) else { return nil }
        try requireGet(request)
        if parts.count == 1, let version = try aggregatedVersion(request.headers[.accept]) {
            return aggregatedResponse(aggregated(root, version), version: version, request: request)
        }
        guard let document = plain(parts, serverAddress: serverAddress) else { throw APIErrorFactory.notFound }
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
