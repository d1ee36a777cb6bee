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
    private struct State {
        /// name: active; nil until the first list.
        var phases: [String: Bool]?
        /// Namespaces whose delete was asked for here, checked in etcd until
        /// then: a watch event older than the delete may still arrive.
        var liveLookupUntil: [String: ContinuousClock.Instant] = [:]
    }
    private let state = Mutex(State())
    /// kube-apiserver's forceLiveLookupTTL.
    static let liveLookupTime: Duration = .seconds(30)

    public init() {}

    /// True when the watch has seen the namespace, it is not terminating and
    /// no delete of it was asked for recently.
    func isActive(_ name: String) -> Bool {
        state.withLock { state in
            if let until = state.liveLookupUntil[name] {
                if ContinuousClock.now < until { return false }
                state.liveLookupUntil[name] = nil
            }
            return state.phases?[name] ?? false
        }
    }

    /// Stops vouching for `name` for a while: its delete was asked for.
    func forget(_ name: String) {
        state.withLock { $0.liveLookupUntil[name] = ContinuousClock.now + Self.liveLookupTime }
    }

    /// Runs until cancelled: lists the namespaces, then follows their watch;
    /// after an error it forgets everything and starts again.
    public func run(namespaces: ResourceStore, retryInterval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            do {
                let list = try await namespaces.list(namespace: nil, ListQuery())
                let phases = Dictionary(list.items.map { ($0.name, Self.isActive($0)) }, uniquingKeysWith: { $1 })
                state.withLock { $0.phases = phases }
                var query = ListQuery()
                query.listOptions.resourceVersion = list.resourceVersion
                for await event in try await namespaces.watch(namespace: nil, query, bookmarks: false) {
                    switch event.type {
                    case .added, .modified: state.withLock { $0.phases?[event.object.name] = Self.isActive(event.object) }
                    case .deleted: state.withLock { $0.phases?[event.object.name] = nil }
                    case .bookmark: continue
                    case .error: break
                    }
                }
            } catch {
                // etcd unavailable: start over after the interval.
            }
            state.withLock { $0.phases = nil }
            try? await Task.sleep(for: retryInterval)
        }
    }

    static func isActive(_ namespace: APIObject) -> Bool {
        namespace.deletionTimestamp.isEmpty && namespace["status"]?["phase"]?.stringValue != "Terminating"
    }
}
