import APIMachinery
import DequeModule
import Synchronization

/// The objects of one resource as of one etcd revision, and the changes
/// that led there (kube's watchCache). One etcd watch feeds it (the
/// `Cacher`'s); reads and client watches are served from it without
/// going to etcd, and every watcher shares the objects it holds.
///
/// Objects are kept as stored (at their storage version), each with its
/// resourceVersion, as wire-ordered JSON (`CachedObject`). All state sits
/// behind one lock; what a read returns is copied out under it, so a read
/// sees one revision whole.
final class WatchCache: Sendable {
    /// One change as the cache keeps it for watchers that start behind.
    struct Change: Sendable {
        var type: StorageWatchEvent.EventType
        var key: String
        /// The new state; for DELETED the last state, at the delete's revision.
        var state: CachedState
        /// The state before this change: nil for ADDED. Lists at an older
        /// revision undo changes with it.
        var previous: CachedState?
        var revision: Int64
        var time: ContinuousClock.Instant
    }

    /// One key's new state from an etcd event: nil when deleted.
    struct Update: Sendable {
        var key: String
        var object: CachedObject?
    }

    /// How many changes are kept for watchers that start behind: kube's
    /// sizing, at least `minimum`, more while they are younger than
    /// `freshness`, never more than `capacity`.
    struct History: Sendable {
        var capacity: Int
        var minimum = 100
        var freshness: Duration = .seconds(75)
    }

    private struct Waiter {
        var revision: Int64
        var continuation: CheckedContinuation<Bool, Never>
        var timeout: Task<Void, Never>?
    }

    private struct State: ~Copyable {
        var objects: [String: CachedObject] = [:]
        var sortedKeys: [String] = []
        var changes: Deque<Change> = []
        /// Every change after this revision is in `changes`.
        var oldest: Int64 = 0
        /// The revision the objects are at.
        var revision: Int64 = 0
        var ready = false
        /// field → value → the current keys whose object has it.
        var index: [String: [String: Set<String>]] = [:]
        /// The watchers that want every change under their prefix.
        var watchers: [Int: CacheWatcher] = [:]
        /// The watchers that require an indexed value: a change goes only
        /// to those of its old and new values (kube's triggers).
        var triggered: [IndexedValue: [Int: CacheWatcher]] = [:]
        var waiters: [Int: Waiter] = [:]
        var nextID = 0
        /// Asks etcd for a progress notification while the feeding watch is open.
        var requestProgress: (@Sendable () -> Void)?
        /// When progress was last asked for, while no notification has come since.
        var progressRequestedAt: ContinuousClock.Instant?
        var bookmarksDue = false

        /// The current keys whose object holds `indexed`'s value; nil
        /// without one, or for a field the cache does not index.
        func holders(of indexed: IndexedValue?) -> Set<String>? {
            guard let indexed, let values = index[indexed.field] else { return nil }
            return values[indexed.value] ?? []
        }

        var everyWatcher: [CacheWatcher] { Array(watchers.values) + triggered.values.flatMap(\.values) }

        /// Forgets every watcher and returns them, to be ended.
        mutating func removeWatchers() -> [CacheWatcher] {
            defer { watchers = [:]; triggered = [:] }
            return everyWatcher
        }
    }

    let history: History
    let indexes: CacheIndexes
    private let state = Mutex(State())

    init(history: History, indexes: CacheIndexes = .none) {
        self.history = history
        self.indexes = indexes
    }

    var isReady: Bool { state.withLock { $0.ready } }
    var revision: Int64 { state.withLock { $0.revision } }

    // MARK: Feeding

    /// Starts again from a full list read at `revision`. Watchers are ended:
    /// their clients watch again from the last resourceVersion they saw and
    /// get 410 Expired if it is older than this list, so none sees a gap.
    func replace(_ objects: [(key: String, object: CachedObject)], revision: Int64) {
        let ended = state.withLock { state in
            state.objects = Dictionary(objects, uniquingKeysWith: { $1 })
            state.sortedKeys = state.objects.keys.sorted(by: Self.keyOrder)
            state.index = Dictionary(uniqueKeysWithValues: indexes.fields.map { ($0, [:]) })
            for (key, object) in state.objects {
                Self.reindex(key, from: [:], to: indexes.indexedValues(object.attributes), in: &state.index)
            }
            state.changes = []
            state.oldest = revision
            state.revision = revision
            state.ready = true
            return state.removeWatchers()
        }
        for watcher in ended { watcher.end() }
        wake()
    }

    /// Applies the changes of one etcd watch response, all at or before
    /// `revision`, and passes each to the watchers it concerns.
    func apply(_ updates: [Update], revisions: [Int64], revision: Int64) {
        let now = ContinuousClock.now
        state.withLock { state in
            for (update, changeRevision) in zip(updates, revisions) {
                let cachedPrevious = state.objects[update.key]
                let old = indexes.indexedValues(cachedPrevious?.attributes)
                let new = indexes.indexedValues(update.object?.attributes)
                Self.reindex(update.key, from: old, to: new, in: &state.index)
                // The change's states are parsed at most once, for every
                // watcher and list that looks inside them.
                let previous = cachedPrevious?.state
                let change: Change
                if let cached = update.object {
                    state.objects[update.key] = cached
                    if previous == nil { Self.insert(update.key, into: &state.sortedKeys) }
                    change = Change(type: previous == nil ? .added : .modified, key: update.key, state: cached.state,
                                    previous: previous, revision: changeRevision, time: now)
                } else {
                    guard var gone = previous else { continue }  // a delete of what the list never saw
                    state.objects[update.key] = nil
                    Self.remove(update.key, from: &state.sortedKeys)
                    gone.object.resourceVersion = String(changeRevision)
                    gone.object.encodings = SharedEncodings()
                    change = Change(type: .deleted, key: update.key, state: gone, previous: previous,
                                    revision: changeRevision, time: now)
                }
                state.changes.append(change)
                for watcher in state.watchers.values { watcher.send(change) }
                if !state.triggered.isEmpty {
                    let values = Set([old, new].flatMap { $0.map { IndexedValue(field: $0.key, value: $0.value) } })
                    for value in values {
                        guard let group = state.triggered[value] else { continue }
                        for watcher in group.values { watcher.send(change) }
                    }
                }
            }
            state.revision = max(state.revision, revision)
            trim(&state, now: now)
        }
        wake()
    }

    /// etcd says the watch has seen every change up to `revision`.
    func progressed(to revision: Int64) {
        let bookmarked: [CacheWatcher] = state.withLock { state in
            state.revision = max(state.revision, revision)
            state.progressRequestedAt = nil
            guard state.bookmarksDue else { return [] }
            state.bookmarksDue = false
            return state.everyWatcher.filter(\.bookmarks)
        }
        let now = revision
        for watcher in bookmarked { watcher.bookmark(now) }
        wake()
    }

    /// The feeding watch is open and can be asked for progress.
    func watchOpened(requestProgress: @escaping @Sendable () -> Void) {
        state.withLock { state in
            state.requestProgress = requestProgress
            state.progressRequestedAt = nil
        }
        wake()
    }

    /// The feeding watch broke; `stale` when what the cache holds can no
    /// longer be trusted (reads go to etcd until the next `replace`).
    func watchClosed(stale: Bool) {
        let ended: [CacheWatcher] = state.withLock { state in
            state.requestProgress = nil
            guard stale else { return [] }
            state.ready = false
            return state.removeWatchers()
        }
        for watcher in ended { watcher.end() }
    }

    /// Watchers that asked for bookmarks get one with the next progress notification.
    func bookmarksDue() {
        let request = state.withLock { state -> (@Sendable () -> Void)? in
            state.bookmarksDue = true
            return requestProgressIfNeeded(&state)
        }
        request?()
    }

    // MARK: Reads

    /// The object at `key` (nil when absent) and the revision the cache is
    /// at; nil when the cache is not ready.
    func get(_ key: String) -> (object: APIObject?, revision: Int64)? {
        state.withLock { state in state.ready ? (state.objects[key]?.object, state.revision) : nil }
    }

    /// Objects under `prefix` in key order, from key `start` on.
    struct Slice {
        var objects: [(key: String, state: CachedState)]
        /// How many objects follow the ones returned.
        var remaining: Int
        var revision: Int64
    }

    /// The objects under `prefix` from key `start` on, in key order, as they
    /// were at `revision` (nil: the cache's own), `limit` of them at most
    /// (nil: all); with `indexed`, only those that hold its value now and
    /// those changed since (the caller's selector decides; for a field the
    /// cache does not index, all). nil when the cache
    /// is not ready or its history does not reach back to `revision`. An
    /// older revision's state is the current one with the later changes
    /// undone, so pages of one list and exact-revision lists within the
    /// history need no snapshot.
    func list(prefix: String, from start: String, at revision: Int64?, limit: Int?,
              indexed: IndexedValue? = nil) -> Slice? {
        state.withLock { state in
            let at = revision ?? state.revision
            guard state.ready, at >= state.oldest, at <= state.revision else { return nil }
            // The keys changed since, at their state then: each before its
            // first later change (nil: absent then).
            var then: [String: CachedState?] = [:]
            for change in state.changes.reversed() {
                guard change.revision > at else { break }
                if change.key.hasPrefix(prefix), !Self.keyOrder(change.key, start) {
                    then.updateValue(change.previous, forKey: change.key)
                }
            }
            // The current keys to visit, and those of states then that they
            // miss (deleted since, or holding another value now).
            let holding = state.holders(of: indexed)
            let current = Self.keys(state.sortedKeys, prefix: prefix, from: start, holding: holding)
            let gone = then.compactMap { key, object in
                object != nil && !(holding?.contains(key) ?? (state.objects[key] != nil)) ? key : nil
            }.sorted(by: Self.keyOrder)
            var slice = Slice(objects: [], remaining: 0, revision: at)
            var index = current.startIndex, goneIndex = 0
            while true {
                let key: String
                switch (index < current.endIndex ? current[index] : nil, goneIndex < gone.count ? gone[goneIndex] : nil) {
                case (nil, nil): return slice
                case (let now?, let vanished?) where Self.keyOrder(vanished, now):
                    key = vanished
                    goneIndex += 1
                case (let now?, _):
                    key = now
                    index += 1
                case (nil, let vanished?):
                    key = vanished
                    goneIndex += 1
                }
                if let limit, slice.objects.count >= limit, then.isEmpty {
                    // The rest is the current state: count its keys.
                    slice.remaining = current.endIndex - index + 1
                    return slice
                }
                let found: CachedState? = if let past = then[key] { past } else { state.objects[key]?.state }
                guard let found else { continue }
                if let limit, slice.objects.count >= limit {
                    slice.remaining += 1
                } else {
                    slice.objects.append((key, found))
                }
            }
        }
    }

    /// Waits until the cache has reached `revision`; false after `timeout`.
    /// Asks etcd for a progress notification when it has to wait, since a
    /// resource nobody writes sees no events that would move it on.
    func waitUntil(_ revision: Int64, timeout: Duration) async -> Bool {
        if state.withLock({ $0.ready && $0.revision >= revision }) { return true }
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let (reached, request) = state.withLock { state -> (Bool, (@Sendable () -> Void)?) in
                    if state.ready && state.revision >= revision { return (true, nil) }
                    state.waiters[id] = Waiter(revision: revision, continuation: continuation, timeout: nil)
                    return (false, requestProgressIfNeeded(&state))
                }
                if reached { return continuation.resume(returning: true) }
                request?()
                let timer = Task { [weak self] in
                    let deadline = ContinuousClock.now + timeout
                    while ContinuousClock.now < deadline {
                        try? await Task.sleep(for: min(Self.progressRequestPeriod, deadline - .now))
                        guard let self, !Task.isCancelled else { return }
                        self.requestProgressWhileWaiting()
                    }
                    self?.resumeWaiter(id, reached: false)
                }
                let stillWaiting = state.withLock { state in
                    guard state.waiters[id] != nil else { return false }
                    state.waiters[id]?.timeout = timer
                    return true
                }
                if !stillWaiting { timer.cancel() }
            }
        } onCancel: {
            resumeWaiter(id, reached: false)
        }
    }

    private func resumeWaiter(_ id: Int, reached: Bool) {
        guard let waiter = state.withLock({ $0.waiters.removeValue(forKey: id) }) else { return }
        waiter.timeout?.cancel()
        waiter.continuation.resume(returning: reached)
    }

    /// Resumes the waiters the cache's revision has reached.
    private func wake() {
        let (reached, request) = state.withLock { state -> ([Waiter], (@Sendable () -> Void)?) in
            guard state.ready, !state.waiters.isEmpty else { return ([], nil) }
            let done = state.waiters.filter { $0.value.revision <= state.revision }
            for id in done.keys { state.waiters[id] = nil }
            // Those still waiting need etcd to say how far it is.
            return (Array(done.values), state.waiters.isEmpty ? nil : requestProgressIfNeeded(&state))
        }
        request?()
        for waiter in reached {
            waiter.timeout?.cancel()
            waiter.continuation.resume(returning: true)
        }
    }

    /// How often a wait asks again: etcd answers a progress request only
    /// once its watch has caught up and may drop one sent before, so one
    /// request is not enough (kube's progressRequestPeriod).
    static let progressRequestPeriod: Duration = .milliseconds(100)

    /// One request per period, however many reads wait.
    private func requestProgressIfNeeded(_ state: inout State) -> (@Sendable () -> Void)? {
        let now = ContinuousClock.now
        if let asked = state.progressRequestedAt, now - asked < Self.progressRequestPeriod { return nil }
        guard let request = state.requestProgress else { return nil }
        state.progressRequestedAt = now
        return request
    }

    private func requestProgressWhileWaiting() {
        let request = state.withLock { state in state.waiters.isEmpty ? nil : requestProgressIfNeeded(&state) }
        request?()
    }

    // MARK: Watchers

    /// Where a watcher starts.
    enum Start {
        /// The current objects as ADDED, then (with `endBookmark`) the
        /// BOOKMARK that marks their end, then every change.
        case state(endBookmark: Bool)
        /// Every change after the cache's revision.
        case now
        /// Every change after this revision, which must still be in the
        /// history (410 Expired otherwise) and not ahead of the cache.
        case after(Int64)
    }

    /// Registers a watcher of the keys starting with `prefix` (exactly `key`
    /// when `exact`), from `start`. With `indexed` (a value its filter
    /// requires of an indexed field) it is sent only the changes whose
    /// object held that value before or after.
    func watch(prefix: String, exact: Bool, from start: Start, filter: SelectionPredicate?,
               bookmarks: Bool, indexed: IndexedValue? = nil) throws -> AsyncStream<StorageWatchEvent> {
        let trigger = indexed.flatMap { indexes.fields.contains($0.field) ? $0 : nil }
        let (stream, continuation) = AsyncStream<StorageWatchEvent>.makeStream()
        let watcher = try state.withLock { state -> CacheWatcher in
            guard state.ready else { throw APIError.tooManyRequests("storage is (re)initializing", retryAfterSeconds: 1) }
            let watcher = CacheWatcher(id: state.nextID, prefix: prefix, exact: exact, filter: filter,
                                       bookmarks: bookmarks, continuation: continuation)
            state.nextID += 1
            switch start {
            case .after(let after):
                if after < state.oldest {
                    throw APIError.expired("too old resource version: \(after) (\(state.oldest))")
                }
                for change in state.changes where change.revision > after { watcher.send(change) }
            case .now:
                break
            case .state(let endBookmark):
                for key in Self.keys(state.sortedKeys, prefix: prefix, from: prefix, holding: state.holders(of: trigger)) {
                    if let cached = state.objects[key] {
                        watcher.send(Change(type: .added, key: key, state: cached.state, previous: nil,
                                            revision: state.revision, time: .now))
                    }
                }
                if endBookmark { watcher.bookmark(state.revision, initialEventsEnd: true) }
            }
            if let trigger {
                state.triggered[trigger, default: [:]][watcher.id] = watcher
            } else {
                state.watchers[watcher.id] = watcher
            }
            return watcher
        }
        let id = watcher.id
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in
                if let trigger {
                    state.triggered[trigger]?[id] = nil
                    if state.triggered[trigger]?.isEmpty == true { state.triggered[trigger] = nil }
                } else {
                    state.watchers[id] = nil
                }
            }
        }
        return stream
    }

    /// How many client watches the cache feeds.
    var watcherCount: Int { state.withLock { $0.watchers.count + $0.triggered.values.reduce(0) { $0 + $1.count } } }

    // MARK: Keys and history

    /// Drops the changes kube's sizing would no longer keep.
    private func trim(_ state: inout State, now: ContinuousClock.Instant) {
        while let first = state.changes.first,
              state.changes.count > history.capacity
                || (state.changes.count > history.minimum && now - first.time > history.freshness) {
            state.changes.removeFirst()
            state.oldest = first.revision
        }
    }

    /// Byte order, as etcd orders keys.
    static func keyOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func firstIndex(notBelow key: String, in keys: [String]) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keyOrder(keys[middle], key) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Where the keys starting with `prefix` end in `keys`.
    static func endIndex(of prefix: String, in keys: [String]) -> Int {
        // A list's prefix ends in "/": the first key past its range starts
        // with the prefix's "/" turned into "0", the next byte.
        guard prefix.hasSuffix("/") else {
            var index = firstIndex(notBelow: prefix, in: keys)
            while index < keys.count, keys[index].hasPrefix(prefix) { index += 1 }
            return index
        }
        return firstIndex(notBelow: String(prefix.dropLast()) + "0", in: keys)
    }

    /// The keys under `prefix` from `start` on, in key order: of
    /// `sortedKeys`, or of `holding` (an index's keys) when given.
    private static func keys(_ sortedKeys: [String], prefix: String, from start: String,
                             holding: Set<String>?) -> ArraySlice<String> {
        if let holding {
            return ArraySlice(holding.filter { $0.hasPrefix(prefix) && !keyOrder($0, start) }.sorted(by: keyOrder))
        }
        let first = firstIndex(notBelow: start, in: sortedKeys)
        return sortedKeys[first..<max(first, endIndex(of: prefix, in: sortedKeys))]
    }

    /// Moves `key` in each index from its old value to its new one (an
    /// absent value: not indexed there).
    private static func reindex(_ key: String, from old: [String: String], to new: [String: String],
                                in index: inout [String: [String: Set<String>]]) {
        for field in Set(old.keys).union(new.keys) where old[field] != new[field] {
            if let value = old[field] {
                index[field]?[value]?.remove(key)
                if index[field]?[value]?.isEmpty == true { index[field]?[value] = nil }
            }
            if let value = new[field] { index[field]?[value, default: []].insert(key) }
        }
    }

    private static func insert(_ key: String, into keys: inout [String]) {
        keys.insert(key, at: firstIndex(notBelow: key, in: keys))
    }

    private static func remove(_ key: String, from keys: inout [String]) {
        let index = firstIndex(notBelow: key, in: keys)
        if index < keys.count, keys[index] == key { keys.remove(at: index) }
    }
}
