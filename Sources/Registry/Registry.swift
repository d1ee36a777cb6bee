import APIMachinery
import CoreMetrics
import EtcdClient
import Storage

/// Every resource Berth serves, each with its store, looked up the way
/// request URLs name them.
public final class Registry: Sendable {
    public let stores: [ResourceStore]
    public let namespaces: ResourceStore
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
        let namespaces = ResourceStore(definition: namespaceDefinition, client: client, prefix: prefix, metrics: metrics)
        let lifecycle = NamespaceLifecycle(namespaces: namespaces)
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

/// The NamespaceLifecycle admission plugin: nothing is created in a namespace
/// that does not exist or is being deleted.
struct NamespaceLifecycle: CreateAdmission {
    let namespaces: ResourceStore

    func admitCreate(_ definition: ResourceDefinition, namespace: String, name: String) async throws {
        let object = try await namespaces.get(namespace: "", name: namespace)
        if !object.deletionTimestamp.isEmpty || object["status"]?["phase"]?.stringValue == "Terminating" {
            let why = "unable to create new content in namespace \(namespace) because it is being terminated"
            throw APIError.forbidden(definition.groupResource, name, why,
                                     cause: APIError.Cause(type: "NamespaceTerminating", message: why, field: "metadata.namespace"))
        }
    }
}
