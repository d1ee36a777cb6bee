import APIMachinery
import EtcdClient
import Registry
import Storage

/// Restores straight into etcd, at each resource's storage version, with the
/// metadata as it was (uid, creationTimestamp, labels, finalizers, ...): what
/// a store that was lost needs. Only resources this berth knows can be
/// stored.
public struct EtcdRestoreDestination: RestoreDestination {
    let stores: [String: ResourceStore]

    /// With `encryption`, objects are written encrypted as `berth serve` would.
    public init(client: EtcdClient, prefix: String, definitions: [ResourceDefinition],
                encryption: EncryptionConfiguration? = nil) throws {
        stores = Dictionary(try StorageTargets(client: client, prefix: prefix, definitions: definitions, resources: nil,
                                               encryption: encryption).all
            .map { ($0.name, $0.store) }, uniquingKeysWith: { first, _ in first })
    }

    public func check(_ entries: [LogicalBackup.Manifest.Entry]) throws {
        if let unknown = entries.first(where: { stores[$0.resource] == nil }) {
            throw OperationFailure(description: "the backup holds \(unknown.resource), which this berth does not know; nothing was restored")
        }
    }

    /// The object as etcd keeps it, its key and its time to live.
    func stored(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) async throws -> (store: ResourceStore, key: ObjectKey, value: APIObject, ttl: Int64?) {
        let store = stores[entry.resource]!
        let definition = store.definition
        let hub = try await definition.hub(object)
        var value = try await definition.converted(hub, to: definition.storageVersion)
        value.resourceVersion = ""
        return (store, ObjectKey(namespace: definition.namespaced ? object.namespace : "", name: object.name), value,
                definition.strategy.timeToLive(hub))
    }

    public func exists(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) async throws -> Bool {
        let (store, key, _, _) = try await stored(entry, object)
        return (try? await store.etcdStore.get(key)) != nil
    }

    public func create(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) async throws -> Bool {
        let (store, _, value, ttl) = try await stored(entry, object)
        do {
            _ = try await store.etcdStore.create(value, ttl: ttl)
            return true
        } catch let error as StorageError where error.code == .keyExists {
            return false
        }
    }

    public func replace(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject) async throws {
        let (store, key, value, ttl) = try await stored(entry, object)
        _ = try await store.etcdStore.guaranteedUpdate(key, ttl: ttl) { _ in value }
    }
}
