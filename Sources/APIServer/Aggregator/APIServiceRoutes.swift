import APIMachinery
import AsyncHTTPClient
import Atomics
import Registry

/// One remote APIService as the proxy needs it: where its Service resolved
/// to, whether it is Available, and the client that reaches it (TLS to
/// `<service>.<namespace>.svc` against caBundle, Berth's front-proxy
/// certificate).
struct ExtensionRoute: Sendable {
    var name: String
    var group: String
    var version: String
    var spec: APIServiceSpec
    var endpoint: ServiceEndpoint?
    var available: Bool
    /// nil when the Service has no endpoint.
    var client: HTTPClient?

    /// The host the certificate must name; the client's DNS override maps it to the endpoint.
    var serverName: String { spec.service.map { "\($0.name).\($0.namespace).svc" } ?? "" }
    var baseURL: String { "https://\(serverName):\(endpoint?.port ?? 443)" }
}

/// The remote APIServices of the moment, by "group/version": immutable,
/// swapped whole by the aggregator's controller, read without a lock by
/// every request (kube's proxy handlers keep theirs the same way).
final class APIServiceRoutes: Sendable, AtomicReference {
    let remote: [String: ExtensionRoute]

    init(remote: [String: ExtensionRoute] = [:]) { self.remote = remote }

    func route(group: String, version: String) -> ExtensionRoute? { remote["\(group)/\(version)"] }
}

/// Where the current routes are kept.
final class APIServiceRouting: Sendable {
    private let current = ManagedAtomic(APIServiceRoutes())

    func load() -> APIServiceRoutes { current.load(ordering: .acquiring) }
    func publish(_ routes: APIServiceRoutes) { current.store(routes, ordering: .releasing) }
}
