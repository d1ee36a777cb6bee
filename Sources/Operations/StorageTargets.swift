import EtcdClient
import Registry
import Storage

/// A RESOURCE.GROUP name an operator tool was given that no built-in
/// resource has.
public struct UnknownResource: Error, CustomStringConvertible {
    public var description: String
}

/// One ResourceStore per etcd storage, writing at its storage version and
/// named as --resource names it (RESOURCE.GROUP of the storage version's
/// definition): what the operator tools walk.
struct StorageTargets {
    let all: [(name: String, store: ResourceStore)]

    /// With `encryption`, each store reads and writes through the
    /// providers it names for its resource, as `berth serve` does.
    init(client: EtcdClient, prefix: String, definitions: [ResourceDefinition], resources: [String]?,
         encryption: EncryptionConfiguration? = nil) throws {
        var storages: [String: [ResourceDefinition]] = [:]
        var order: [String] = []
        for definition in definitions {
            if storages[definition.storagePath] == nil { order.append(definition.storagePath) }
            storages[definition.storagePath, default: []].append(definition)
        }
        if let resources {
            let known = Set(definitions.map(\.groupResource.description))
            if let unknown = resources.first(where: { !known.contains($0) }) {
                throw UnknownResource(description: "unknown resource \"\(unknown)\"; known: \(known.sorted().joined(separator: ", "))")
            }
        }
        all = order.compactMap { path in
            let sharing = storages[path]!
            let writer = sharing.first { $0.groupVersion == $0.storageVersion } ?? sharing[0]
            if let resources, Set(sharing.map(\.groupResource.description)).isDisjoint(with: resources) { return nil }
            return (writer.groupResource.description,
                    ResourceStore(definition: writer, client: client, prefix: prefix, encryption: encryption))
        }
    }
}
