import APIMachinery
import Storage

/// The namespace controller's deletion half: when a namespace is Terminating,
/// delete everything in it, and once nothing is left remove the `kubernetes`
/// finalizer through the finalize subresource, which lets the namespace go.
/// Objects held by their own finalizers keep the namespace waiting, as on a
/// cluster; the controller checks again every `retryInterval`.
public struct NamespaceFinalizer: Sendable {
    let registry: Registry
    let retryInterval: Duration

    public init(registry: Registry, retryInterval: Duration = .seconds(1)) {
        self.registry = registry
        self.retryInterval = retryInterval
    }

    /// Runs until cancelled: watches namespaces and finalizes each one that
    /// is being deleted.
    public func run() async {
        let inProgress = Claims()
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                do {
                    let events = try await registry.namespaces.watch(namespace: nil, ListQuery(), bookmarks: false)
                    for await event in events where event.type == .added || event.type == .modified {
                        let namespace = event.object
                        guard !namespace.deletionTimestamp.isEmpty,
                              registry.namespaces.definition.strategy.extraFinalizers(namespace).contains(NamespaceStrategy.finalizer),
                              await inProgress.claim(namespace.name)
                        else { continue }
                        group.addTask {
                            await finalize(namespace.name)
                            await inProgress.release(namespace.name)
                        }
                    }
                } catch {
                    // etcd unavailable or the watch expired: start over.
                }
                try? await Task.sleep(for: retryInterval)
            }
        }
    }

    /// Empties the namespace and releases it; retries until done or cancelled.
    func finalize(_ namespace: String) async {
        while !Task.isCancelled {
            do {
                if try await empty(namespace) {
                    try await release(namespace)
                    return
                }
            } catch let error as APIError where error.reason == .notFound {
                return
            } catch {
                // Try again after the interval.
            }
            try? await Task.sleep(for: retryInterval)
        }
    }

    /// Deletes what is in the namespace; true once nothing is left.
    func empty(_ namespace: String) async throws -> Bool {
        var remaining: Int64 = 0
        for store in registry.served.storesByStorage where store.definition.namespaced {
            _ = try await store.deleteCollection(namespace: namespace, ListQuery())
            remaining += try await store.storage.count(namespace: namespace)
        }
        return remaining == 0
    }

    func release(_ namespace: String) async throws {
        let current = try await registry.namespaces.get(namespace: "", name: namespace)
        var object = current
        let finalizers = registry.namespaces.definition.strategy.extraFinalizers(current).filter { $0 != NamespaceStrategy.finalizer }
        object["spec"] = ["finalizers": .array(finalizers.map { .string($0) })]
        _ = try await registry.namespaces.update(object, namespace: "", name: namespace, subresource: .finalize)
    }
}

/// Namespaces being finalized, so each has one worker at a time.
actor Claims {
    private var names: Set<String> = []
    func claim(_ name: String) -> Bool { names.insert(name).inserted }
    func release(_ name: String) { names.remove(name) }
}
