import APIMachinery
import AsyncHTTPClient
import Atomics
import Registry

/// One remote APIService as the proxy and discovery need it: where its
/// Service resolved to, whether it is Available, the client that reaches it
/// (TLS to `<service>.<namespace>.svc` against caBundle, Berth's front-proxy
/// certificate), and what its server last said it serves.
struct ExtensionRoute: Sendable, Equatable {
    var name: String
    var spec: APIServiceSpec
    var endpoint: ServiceEndpoint?
    var available: Bool
    /// nil when the Service has no endpoint.
    var client: HTTPClient?
    /// The aggregated discovery entry (APIVersionDiscovery) of this
    /// group-version, from the extension's aggregated /apis or built from its
    /// /apis/GROUP/VERSION; kept from the last good check while it is down.
    var discovery: JSONValue?
    /// Its /openapi/v2 and its /openapi/v3 document of this group-version,
    /// last fetched.
    var openAPIV2: JSONValue?
    var openAPIV3: JSONValue?

    var group: String { spec.group }
    var version: String { spec.version }
    /// The host the certificate must name; the client's DNS override maps it to the endpoint.
    var serverName: String { spec.service.map { "\($0.name).\($0.namespace).svc" } ?? "" }
    var baseURL: String { "https://\(serverName):\(endpoint?.port ?? 443)" }

    static func == (left: ExtensionRoute, right: ExtensionRoute) -> Bool {
        left.name == right.name && left.spec == right.spec && left.endpoint == right.endpoint
            && left.available == right.available && left.client === right.client && left.discovery == right.discovery
            && left.openAPIV2 == right.openAPIV2 && left.openAPIV3 == right.openAPIV3
    }
}

/// The remote APIServices of the moment, by "group/version": immutable,
/// swapped whole by the aggregator's controller when something in them
/// changed, read without a lock by every request (kube's proxy handlers
/// keep theirs the same way). Discovery and OpenAPI are derived from it and
/// the registry's snapshot together.
final class APIServiceRoutes: Sendable, AtomicReference {
    let remote: [String: ExtensionRoute]

    init(remote: [String: ExtensionRoute] = [:]) { self.remote = remote }

    func route(group: String, version: String) -> ExtensionRoute? { remote["\(group)/\(version)"] }
}

/// Where the current routes are kept.
final class APIServiceRouting: Sendable {
    private let current = ManagedAtomic(APIServiceRoutes())

    func load() -> APIServiceRoutes { current.load(ordering: .acquiring) }

    /// Publishes `remote` unless it is what is published already, so that
    /// documents derived from the routes are kept while nothing changes.
    func publish(_ remote: [String: ExtensionRoute]) {
        guard load().remote != remote else { return }
        current.store(APIServiceRoutes(remote: remote), ordering: .releasing)
    }
}
