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

    /// `metrics` receives each store's etcd request latencies.
    public init(client: EtcdClient, prefix: String, definitions: [ResourceDefinition], schemas: SchemaCatalog,
                metrics: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.schemas = schemas
        guard let namespaceDefinition = definitions.first(where: { $0.group.isEmpty && $0.resource == "namespaces" }) else {
            preconditionFailure("the registry needs core/v1 namespaces")
        }
        let namespaces = ResourceStore(definition: namespaceDefinition, client: client, prefix: prefix, metrics: metrics,
                                       admission: NamespaceDeletion(cache: namespaceCache))
        let lifecycle = NamespaceLifecycle(namespaces: namespaces, cache: namespaceCache)
        stores = definitions.map { definition in
            definition.resource == "namespaces" && definition.group.isEmpty ? namespaces
                : ResourceStore(definition: definition, client: client, prefix: prefix, metrics: metrics,
                                admission: definition.namespaced ? lifecycle : nil)
        }
        self.namespaces = namespaces
        byPath = Dictionary(stores.map { (Self.path($0.definition.group, $0.definition.version, $0.definition.resource), $0) },
                            uniquingKeysWith: { first, _ in first })
    }

    static func path(_ group: String, _ version: String, _ resource: String) -> String { "\(group)/\(version)/\(resource)" }

    public func store(group: String, version: String, resource: String) -> ResourceStore? {
        byPath[Self.path(group, version, resource)]
    }

    /// Group/versions in the order discovery lists them (core first).
    public var groupVersions: [(group: String, version: String)] {
        var seen: Set<String> = []
        return stores.compactMap { store in
            let definition = store.definition
            return seen.insert(definition.groupVersion).inserted ? (definition.group, definition.version) : nil
        }
    }

    public func stores(group: String, version: String) -> [ResourceStore] {
        stores.filter { $0.definition.group == group && $0.definition.version == version }
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
