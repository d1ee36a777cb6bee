import APIMachinery
import CoreMetrics
import EtcdClient
import Storage

/// Every resource Berth serves, each with its store, looked up the way
/// request URLs name them.
public final class Registry: Sendable {
    public let stores: [ResourceStore]
    public let namespaces: ResourceStore
    /// Namespace phases for admission; ControlLoops keeps it current.
    public let namespaceCache = NamespaceCache()
    private let byPath: [String: ResourceStore]
    /// The shapes of the kinds served, for OpenAPI, protobuf and field validation.
    public let schemas: SchemaCatalog

    /// `definitions` are every resource Berth knows, with their storage
    /// versions set; `runtimeConfig` picks those served. The namespace store
    /// exists even when core/v1 is not served, for namespace admission.
    /// `metrics` receives each store's etcd request latencies.
    public init(client: EtcdClient, prefix: String, definitions: [ResourceDefinition],
                runtimeConfig: RuntimeConfig = RuntimeConfig(), schemas: SchemaCatalog,
                metrics: any MetricsFactory = NOOPMetricsHandler.instance) throws {
        self.schemas = schemas
        guard let namespaceDefinition = definitions.first(where: { $0.group.isEmpty && $0.resource == "namespaces" }) else {
            preconditionFailure("the registry needs core/v1 namespaces")
        }
        let namespaces = ResourceStore(definition: namespaceDefinition, client: client, prefix: prefix, metrics: metrics,
                                       admission: NamespaceDeletion(cache: namespaceCache), schemas: schemas)
        let lifecycle = NamespaceLifecycle(namespaces: namespaces, cache: namespaceCache)
        stores = try runtimeConfig.served(definitions).map { definition in
            definition.resource == "namespaces" && definition.group.isEmpty ? namespaces
                : ResourceStore(definition: definition, client: client, prefix: prefix, metrics: metrics,
                                admission: definition.namespaced ? lifecycle : nil, schemas: schemas)
        }
        self.namespaces = namespaces
        byPath = Dictionary(stores.map { (Self.path($0.definition.group, $0.definition.version, $0.definition.resource), $0) },
                            uniquingKeysWith: { first, _ in first })
    }

    static func path(_ group: String, _ version: String, _ resource: String) -> String { "\(group)/\(version)/\(resource)" }

    public func store(group: String, version: String, resource: String) -> ResourceStore? {
        byPath[Self.path(group, version, resource)]
    }

    /// Served group/versions in the order discovery lists them: core first,
    /// groups in registry order, each group's versions most preferred first
    /// (stable before beta before alpha, newest first).
    public var groupVersions: [(group: String, version: String)] {
        var groups: [String] = []
        var versions: [String: Set<APIVersion>] = [:]
        for store in stores {
            let definition = store.definition
            if versions[definition.group] == nil { groups.append(definition.group) }
            versions[definition.group, default: []].insert(definition.apiVersion)
        }
        let ordered = groups.filter(\.isEmpty) + groups.filter { !$0.isEmpty }
        return ordered.flatMap { group in versions[group]!.sorted().map { (group, $0.name) } }
    }

    public func stores(group: String, version: String) -> [ResourceStore] {
        stores.filter { $0.definition.group == group && $0.definition.version == version }
    }

    /// One served store per etcd storage, for work that must visit each
    /// stored object once (emptying a namespace), however many versions or
    /// groups serve it.
    public var storesByStorage: [ResourceStore] {
        var seen: Set<String> = []
        return stores.filter { seen.insert($0.definition.storagePath).inserted }
    }

    /// Creates the namespaces every cluster has, where missing.
    public func ensureInitialNamespaces() async throws {
        for name in BuiltinResources.initialNamespaces {
            do {
                _ = try await namespaces.create(APIObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]),
                                                namespace: "")
            } catch let error as APIError where error.reason == .alreadyExists {
                continue
            }
        }
    }
}
