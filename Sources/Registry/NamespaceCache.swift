import APIMachinery
import Storage
import Synchronization

/// Which namespaces exist and which are terminating, kept current by a watch,
/// so that admitting a create does not cost an etcd read: kube-apiserver's
/// NamespaceLifecycle reads the same from its namespace informer. Only an
/// answer of "active" is trusted; anything else (not seen yet, terminating,
/// not synced) is looked up in etcd, so the cache can only save reads, never
/// admit into a namespace that the watch has already seen go.
public final class NamespaceCache: Sendable {
    private let phases = Mutex<[String: Bool]?>(nil)  // name: active; nil until synced

    public init() {}

    /// True when the watch has seen the namespace and it is not terminating.
    func isActive(_ name: String) -> Bool {
        phases.withLock { $0?[name] ?? false }
    }

    /// Stops vouching for `name` until the watch reports it again.
    func forget(_ name: String) {
        phases.withLock { _ = $0?.removeValue(forKey: name) }
    }

    /// Runs until cancelled: lists the namespaces, then follows their watch;
    /// after an error it forgets everything and starts again.
    public func run(namespaces: ResourceStore, retryInterval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            do {
                let list = try await namespaces.list(namespace: nil, ListQuery())
                phases.withLock { $0 = Dictionary(list.items.map { ($0.name, Self.isActive($0)) }, uniquingKeysWith: { $1 }) }
                var query = ListQuery()
                query.listOptions.resourceVersion = list.resourceVersion
                for await event in try await namespaces.watch(namespace: nil, query, bookmarks: false) {
                    switch event.type {
                    case .added, .modified: phases.withLock { $0?[event.object.name] = Self.isActive(event.object) }
                    case .deleted: phases.withLock { $0?[event.object.name] = nil }
                    case .bookmark: continue
                    case .error: break
                    }
                }
            } catch {
                // etcd unavailable: start over after the interval.
            }
            phases.withLock { $0 = nil }
            try? await Task.sleep(for: retryInterval)
        }
    }

    static func isActive(_ namespace: APIObject) -> Bool {
        namespace.deletionTimestamp.isEmpty && namespace["status"]?["phase"]?.stringValue != "Terminating"
    }
}
