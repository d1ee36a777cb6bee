import Atomics
import CMallocTuning
import Registry

/// The documents derived from one snapshot of the served resources:
/// discovery, made with the snapshot, and OpenAPI, made on its first request
/// (a CRD's create answer need not wait for the whole OpenAPI to render).
final class ServedAPI: Sendable, AtomicReference {
    let resources: ServedResources
    let discovery: DiscoveryDocuments
    private let catalog: SchemaCatalog
    private let kubernetesVersion: String
    private let openAPIDocuments = ManagedAtomicLazyReference<OpenAPIDocuments>()

    init(_ resources: ServedResources, catalog: SchemaCatalog, kubernetesVersion: String) {
        self.resources = resources
        self.catalog = catalog
        self.kubernetesVersion = kubernetesVersion
        discovery = DiscoveryDocuments(Discovery(served: resources))
    }

    var openAPI: OpenAPIDocuments {
        if let documents = openAPIDocuments.load() { return documents }
        let documents = openAPIDocuments.storeIfNilThenLoad(OpenAPIDocuments(served: resources, catalog: catalog,
                                                                            kubernetesVersion: kubernetesVersion))
        berth_release_free_memory()
        return documents
    }
}

/// The ServedAPI of the registry's current snapshot: rebuilt by the first
/// request that finds the registry has moved on, then shared. Loading it
/// takes no lock; two requests racing after a swap may both build, and the
/// newer snapshot's documents are kept.
final class ServedAPICache: Sendable {
    let registry: Registry
    private let kubernetesVersion: String
    private let current: ManagedAtomic<ServedAPI>

    init(registry: Registry, kubernetesVersion: String) {
        self.registry = registry
        self.kubernetesVersion = kubernetesVersion
        current = ManagedAtomic(ServedAPI(registry.served, catalog: registry.schemas, kubernetesVersion: kubernetesVersion))
    }

    func load() -> ServedAPI {
        let resources = registry.served
        let cached = current.load(ordering: .acquiring)
        if cached.resources === resources { return cached }
        let fresh = ServedAPI(resources, catalog: registry.schemas, kubernetesVersion: kubernetesVersion)
        let (stored, original) = current.compareExchange(expected: cached, desired: fresh, ordering: .acquiringAndReleasing)
        if stored || original.resources.generation < fresh.resources.generation { return fresh }
        return original
    }
}
