import APIMachinery

/// One client watch the watch cache feeds (kube's cacheWatcher): which keys
/// it follows, what its selectors keep, and the stream its events go to.
/// The stream does not bound what waits in it; the watch handler reading
/// it ends a watch whose client falls too far behind.
struct CacheWatcher: Sendable {
    let id: Int
    /// The key prefix followed, or the one key when `exact`.
    let prefix: String
    let exact: Bool
    let filter: SelectionPredicate?
    let bookmarks: Bool
    let continuation: AsyncStream<StorageWatchEvent>.Continuation

    func follows(_ key: String) -> Bool {
        exact ? key == prefix : key.hasPrefix(prefix)
    }

    func send(_ change: WatchCache.Change) {
        guard follows(change.key),
              let event = StorageWatchEvent.seen(change.type, change.state.object, previous: change.previous?.object,
                                                 passes: change.state.attributes.kept(by: filter),
                                                 previousPasses: change.previous?.attributes.kept(by: filter))
        else { return }
        continuation.yield(event)
    }

    func bookmark(_ revision: Int64, initialEventsEnd: Bool = false) {
        continuation.yield(.bookmark(revision, initialEventsEnd: initialEventsEnd))
    }

    func end() {
        continuation.finish()
    }
}
