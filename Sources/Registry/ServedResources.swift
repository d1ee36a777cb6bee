import APIMachinery
import Atomics

/// One immutable view of every resource served: what routing, discovery and
/// OpenAPI read for one request. When definitions change (a CRD is
/// established or deleted) the registry builds a new one and swaps it in
/// whole, as kube-apiserver's crdHandler swaps its storage map, so a request
/// sees one consistent set from start to end and takes no lock.
public final class ServedResources: Sendable, AtomicReference {
    public let stores: [ResourceStore]
    private let byPath: [String: ResourceStore]
    /// Served group/versions in the order discovery lists them: core first,
    /// groups in registry order, each group's versions most preferred first.
    public let groupVersions: [(group: String, version: String)]
    /// Counts the swaps since start; derived documents remember the one they
    /// were made from.
    public let generation: Int

    init(_ stores: [ResourceStore], generation: Int) {
        self.stores = stores
        self.generation = generation
        byPath = Dictionary(stores.map { (Self.path($0.definition.group, $0.definition.version, $0.definition.resource), $0) },
                            uniquingKeysWith: { first, _ in first })
        groupVersions = Self.orderedGroupVersions(stores.map(\.definition))
    }

    static func path(_ group: String, _ version: String, _ resource: String) -> String { "\(group)/\(version)/\(resource)" }

    public func store(group: String, version: String, resource: String) -> ResourceStore? {
        byPath[Self.path(group, version, resource)]
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

    /// Groups in the order first seen, core first; each group's versions by
    /// kube's priority (stable before beta before alpha, newest first).
    /// Custom groups are ordered the same way, as kube-apiserver orders the
    /// versions of a CRD's group.
    static func orderedGroupVersions(_ definitions: [ResourceDefinition]) -> [(group: String, version: String)] {
        var groups: [String] = []
        var versions: [String: Set<APIVersion>] = [:]
        for definition in definitions {
            if versions[definition.group] == nil { groups.append(definition.group) }
            versions[definition.group, default: []].insert(definition.apiVersion)
        }
        let ordered = groups.filter(\.isEmpty) + groups.filter { !$0.isEmpty }
        return ordered.flatMap { group in versions[group]!.sorted().map { (group, $0.name) } }
    }
}
