import Atomics
import CMallocTuning
import Registry

/// The documents derived from one snapshot of the served resources and one
/// of the remote APIServices: discovery, made with the snapshot, and
/// OpenAPI, made on its first request (a CRD's create answer need not wait
/// for the whole OpenAPI to render).
final class ServedAPI: Sendable, AtomicReference {
    let resources: ServedResources
    let routes: APIServiceRoutes
    let discovery: DiscoveryDocuments
    private let catalog: SchemaCatalog
    private let kubernetesVersion: String
    private let openAPIDocuments = ManagedAtomicLazyReference<OpenAPIDocuments>()

    init(_ resources: ServedResources, routes: APIServiceRoutes, catalog: SchemaCatalog, kubernetesVersion: String) {
        self.resources = resources
        self.routes = routes
        self.catalog = catalog
        self.kubernetesVersion = kubernetesVersion
        discovery = DiscoveryDocuments(Discovery(served: resources, remote: routes.remote))
    }

    var openAPI: OpenAPIDocuments {
        if let documents = openAPIDocuments.load() { return documents }
        let documents = openAPIDocuments.storeIfNilThenLoad(OpenAPIDocuments(served: resources, remote: Array(routes.remote.values), catalog: catalog,
                                                                            kubernetesVersion: kubernetesVersion))
        berth_release_free_memory()
        return documents
    }
}

/// The ServedAPI of the registry's current snapshot and the current
/// routes: rebuilt by the first request that finds either has moved on,
/// then shared. Loading it takes no lock; two requests racing after a swap
/// may both build, and the one that stores first is kept.
final class ServedAPICache: Sendable {
    let registry: Registry
    let routing: APIServiceRouting
    private let kubernetesVersion: String
    private let current: ManagedAtomic<ServedAPI>

    init(registry: Registry, routing: APIServiceRouting, kubernetesVersion: String) {
        self.registry = registry
        self.routing = routing
        self.kubernetesVersion = kubernetesVersion
        current = ManagedAtomic(ServedAPI(registry.served, routes: routing.load(), catalog: registry.schemas,
                                          kubernetesVersion: kubernetesVersion))
    }

    func load() -> ServedAPI {
        let resources = registry.served, routes = routing.load()
        let cached = current.load(ordering: .acquiring)
        if cached.resources === resources && cached.routes === routes { return cached }
        let fresh = ServedAPI(resources, routes: routes, catalog: registry.schemas, kubernetesVersion: kubernetesVersion)
        let (stored, original) = current.compareExchange(expected: cached, desired: fresh, ordering: .acquiringAndReleasing)
        // Another request stored first: its documents if they are of this snapshot, else this request's own.
        return !stored && original.resources === resources && original.routes === routes ? original : fresh
    }
}
