import APIMachinery
import Atomics
import CoreMetrics
import EtcdClient
import Storage

/// Every resource Berth serves, each with its store, looked up the way
/// request URLs name them. The built-in stores are fixed at start; custom
/// resources join and leave while the server runs, each change publishing a
/// new `ServedResources` snapshot that readers load without a lock.
public final class Registry: Sendable {
    /// The built-in stores --runtime-config serves, in registry order.
    public let builtin: [ResourceStore]
    public let namespaces: ResourceStore
    /// Namespace phases for admission; ControlLoops keeps it current.
    public let namespaceCache = NamespaceCache()
    /// The shapes of the built-in kinds, for OpenAPI, protobuf and field validation.
    public let schemas: SchemaCatalog
    /// What namespaced stores admit against (NamespaceLifecycle); custom
    /// stores get it too.
    public let namespaceAdmission: any Admission
    private let current: ManagedAtomic<ServedResources>
    private let client: EtcdClient
    private let prefix: String
    private let metrics: any MetricsFactory
    private let cachers: Cachers?
    private let encryption: EncryptionConfiguration?

    /// `definitions` are every resource Berth knows, with their storage
    /// versions set; `runtimeConfig` picks those served. The namespace store
    /// exists even when core/v1 is not served, for namespace admission.
    /// `metrics` receives each store's etcd request latencies. With
    /// `cachers`, every store reads through a watch cache; with
    /// `encryption`, the values of the resources it names are encrypted.
    public init(client: EtcdClient, prefix: String, definitions: [ResourceDefinition],
                runtimeConfig: RuntimeConfig = RuntimeConfig(), schemas: SchemaCatalog,
                metrics: any MetricsFactory = NOOPMetricsHandler.instance, cachers: Cachers? = nil,
                encryption: EncryptionConfiguration? = nil) throws {
        self.schemas = schemas
        self.client = client
        self.prefix = prefix
        self.metrics = metrics
        self.cachers = cachers
        self.encryption = encryption
        guard let namespaceDefinition = definitions.first(where: { $0.group.isEmpty && $0.resource == "namespaces" }) else {
            preconditionFailure("the registry needs core/v1 namespaces")
        }
        let namespaces = ResourceStore(definition: namespaceDefinition, client: client, prefix: prefix, metrics: metrics,
                                       admission: NamespaceDeletion(cache: namespaceCache), schemas: schemas,
                                       cachers: cachers, encryption: encryption)
        let lifecycle = NamespaceLifecycle(namespaces: namespaces, cache: namespaceCache)
        builtin = try runtimeConfig.served(definitions).map { definition in
            definition.resource == "namespaces" && definition.group.isEmpty ? namespaces
                : ResourceStore(definition: definition, client: client, prefix: prefix, metrics: metrics,
                                admission: definition.namespaced ? lifecycle : nil, schemas: schemas, cachers: cachers,
                                encryption: encryption)
        }
        self.namespaces = namespaces
        namespaceAdmission = lifecycle
        current = ManagedAtomic(ServedResources(builtin, generation: 0))
    }

    /// Ends the watch caches' etcd watches: for a server that has stopped
    /// serving, before its etcd goes away.
    public func stopWatchCaches() {
        cachers?.stop()
    }

    /// What is served now. A request loads it once and reads only that.
    public var served: ServedResources { current.load(ordering: .acquiring) }

    /// Serves the built-in stores and `custom` from now on. Called by the
    /// one task that follows definitions, so swaps never race each other.
    public func serve(custom: [ResourceStore]) {
        let next = ServedResources(builtin + custom, generation: served.generation + 1)
        current.store(next, ordering: .releasing)
    }

    /// A store for a definition made while the server runs (a CRD's), over
    /// the same etcd as the built-in ones.
    public func makeStore(_ definition: ResourceDefinition, schema: any ObjectSchema,
                          admission: (any Admission)?) -> ResourceStore {
        ResourceStore(definition: definition, client: client, prefix: prefix, metrics: metrics, admission: admission,
                      schema: schema, cachers: cachers, encryption: encryption)
    }

    public var stores: [ResourceStore] { served.stores }

    public func store(group: String, version: String, resource: String) -> ResourceStore? {
        served.store(group: group, version: version, resource: resource)
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
