import APIMachinery
import CMallocTuning
import EtcdClient
import Logging
import Synchronization

/// The etcd store of one resource with a watch cache in front (kube's
/// Cacher): one etcd watch keeps a `WatchCache` current, reads and watches
/// are answered from it, and writes go to etcd (whose events then reach the
/// cache like anyone's).
///
/// - resourceVersion "" (a consistent read) waits until the cache has
///   reached etcd's current revision; "0" takes what the cache holds; "N"
///   waits until it has reached N (504 after 3 s, as kube).
/// - Pages and exact resourceVersions are answered at their revision while
///   the cache's history reaches back to it (the current state with the
///   later changes undone); older ones go to etcd, as does every read while
///   the cache is (re)starting or etcd's progress notifications cannot be
///   trusted.
/// - Client watches are served from the cache however many there are.
public final class Cacher: ResourceStorage {
    public let store: Store
    let cache: WatchCache
    private let shared: Cachers
    private let listMetrics: CacheListMetrics

    /// How long a read waits for the cache to reach a revision.
    static let freshnessTimeout: Duration = .seconds(3)

    init(store: Store, history: WatchCache.History, indexes: CacheIndexes, shared: Cachers) {
        self.store = store
        let cache = WatchCache(history: history, indexes: indexes)
        self.cache = cache
        self.shared = shared
        listMetrics = CacheListMetrics(resource: store.resource, indexes: indexes.fields, factory: shared.metrics)
        // Started at once, as kube's, so that the history covers every
        // write since: a watch from a resourceVersion a write returned
        // finds its changes.
        let feed = Task { await Self.feed(cache, from: store, pageSize: shared.listPageSize, logger: shared.logger) }
        let bookmarks = Task { [interval = shared.bookmarkInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                cache.bookmarksDue()
            }
        }
        // Cancelled with the cacher, or when the caches stop.
        shared.started([feed, bookmarks], by: ObjectIdentifier(self))
    }

    deinit {
        shared.ended(ObjectIdentifier(self))
    }

    public var resource: GroupResource { store.resource }
    public var keys: ResourceKeys { store.keys }

    /// How many client watches this cache feeds (one etcd watch serves them all).
    public var watcherCount: Int { cache.watcherCount }

    // MARK: Writes go to etcd

    public func create(_ object: APIObject, ttl: Int64?) async throws -> APIObject {
        try await store.create(object, ttl: ttl)
    }

    /// The cached object stands in for the first read, as kube's
    /// cachedExistingObject: if it is stale the write's guard fails and the
    /// store reads the current state.
    public func guaranteedUpdate(_ key: ObjectKey, preconditions: Preconditions?, ignoreNotFound: Bool, ttl: Int64?,
                                 cached: APIObject?, _ update: (APIObject?) async throws -> APIObject) async throws -> APIObject {
        var cached = cached
        if cached == nil, let found = cache.get(try keys.key(key))?.object {
            cached = found
        }
        return try await store.guaranteedUpdate(key, preconditions: preconditions, ignoreNotFound: ignoreNotFound,
                                                ttl: ttl, cached: cached, update)
    }

    public func delete(_ key: ObjectKey, preconditions: Preconditions?,
                       validate: ((APIObject) async throws -> Void)?) async throws -> APIObject {
        try await store.delete(key, preconditions: preconditions, validate: validate)
    }

    public func count(namespace: String?) async throws -> Int64 {
        try await store.count(namespace: namespace)
    }

    // MARK: Reads

    public func get(_ key: ObjectKey, resourceVersion: String) async throws -> APIObject {
        let etcdKey = try keys.key(key)
        if try await fresh(resourceVersion), let (object, _) = cache.get(etcdKey) {
            guard let object else { throw StorageError(.keyNotFound, etcdKey) }
            return object
        }
        return try await store.get(key, resourceVersion: resourceVersion)
    }

    public func list(namespace: String?, _ options: ListOptions) async throws -> ListResult {
        try options.validate()
        let prefix = try keys.listPrefix(namespace: namespace)
        // Which state: a continue token's revision (-1, after an expired
        // token: the newest), an exact revision, or one fresh enough.
        var start = prefix
        var revision: Int64?
        if !options.continueToken.isEmpty {
            let token = try ContinueToken.decode(options.continueToken, prefix: prefix)
            start = token.startKey
            if token.revision > 0 { revision = token.revision }
            // A page of another replica's list may be ahead of this cache.
            guard cache.isReady, await cache.waitUntil(revision ?? 0, timeout: Self.freshnessTimeout) else {
                return try await store.list(namespace: namespace, options)
            }
        } else {
            let requested = try parseResourceVersion(options.resourceVersion)
            if options.resourceVersionMatch == .exact
                || (options.resourceVersionMatch == nil && options.limit > 0 && requested > 0) {
                revision = requested
            }
            guard try await fresh(options.resourceVersion) else { return try await store.list(namespace: namespace, options) }
        }
        // A resourceVersion=0 list is answered whole, as kube's cache does.
        let limit = options.limit > 0 && (options.resourceVersion != "0" || !options.continueToken.isEmpty)
            ? Int(options.limit) : nil
        // With selectors the page is filled from what they keep, so the
        // cache hands over everything from `start` on (what holds the
        // value of an indexed field they require, when there is one).
        let indexed = cache.indexes.pick(options.filter)
        guard let slice = cache.list(prefix: prefix, from: start, at: revision, limit: options.filter == nil ? limit : nil,
                                     indexed: indexed)
        else {
            // Outside the history: etcd answers (or says it has compacted).
            return try await store.list(namespace: namespace, options)
        }
        var page = slice.objects
        var remaining = slice.remaining
        if let filter = options.filter {
            page = page.filter { $0.state.attributes.kept(by: filter) }
            remaining = limit.map { max(page.count - $0, 0) } ?? 0
            if let limit, page.count > limit { page.removeLast(page.count - limit) }
        }
        listMetrics.record(index: indexed?.field, fetched: slice.objects.count, returned: page.count)
        var token = ""
        if remaining > 0, let last = page.last {
            token = ContinueToken(revision: slice.revision, startKey: last.key + "\u{0}").encode(prefix: prefix)
        }
        return ListResult(items: page.map(\.state.object), resourceVersion: String(slice.revision), continueToken: token,
                          remainingItemCount: remaining > 0 && options.filter == nil ? Int64(remaining) : nil)
    }

    /// Whether the cache may answer a read at `resourceVersion`, after
    /// waiting for it to be fresh enough.
    private func fresh(_ resourceVersion: String) async throws -> Bool {
        guard cache.isReady else { return false }
        switch resourceVersion {
        case "0":
            return true
        case "":
            // Without etcd's revision, or past the budget, etcd itself
            // answers (and says why it cannot).
            return await waitForCurrentRevision() ?? false
        default:
            let minimum = try parseResourceVersion(resourceVersion)
            if await cache.waitUntil(minimum, timeout: Self.freshnessTimeout) { return true }
            throw tooLargeResourceVersion(minimum, current: cache.revision)
        }
    }

    /// Waits until the cache has reached etcd's current revision, asking
    /// for it and waiting within one 3 s budget: whether it got there, or
    /// nil when etcd's revision cannot serve (progress notifications that
    /// cannot be trusted, or no answer).
    private func waitForCurrentRevision() async -> Bool? {
        let deadline = ContinuousClock.now + Self.freshnessTimeout
        guard await shared.consistentReadsFromCache(), let current = try? await shared.currentRevision.fetch()
        else { return nil }
        return await cache.waitUntil(current, timeout: deadline - .now)
    }

    // MARK: Watch

    public func watch(namespace: String?, name: String?, _ options: StorageWatchOptions) async throws -> AsyncStream<StorageWatchEvent> {
        let prefix = try name.map { try keys.key(ObjectKey(namespace: namespace ?? "", name: $0)) }
            ?? keys.listPrefix(namespace: namespace)
        // The state (or the changes) from now, where "" asks for it as a
        // consistent read; from "N", once the cache has reached it.
        let fromNow: WatchCache.Start = options.startsWithState
            ? .state(endBookmark: options.marksInitialEventsEnd) : .now
        let start: WatchCache.Start
        switch options.resourceVersion {
        case "":
            if await waitForCurrentRevision() == nil {
                _ = await cache.waitUntil(0, timeout: Self.freshnessTimeout)
            }
            start = fromNow
        case "0":
            _ = await cache.waitUntil(0, timeout: Self.freshnessTimeout)
            start = fromNow
        default:
            let revision = try parseResourceVersion(options.resourceVersion)
            if !(await cache.waitUntil(revision, timeout: Self.freshnessTimeout)) {
                if !cache.isReady { return try await store.watch(namespace: namespace, name: name, options) }
                throw tooLargeResourceVersion(revision, current: cache.revision)
            }
            start = options.startsWithState ? fromNow : .after(revision)
        }
        guard cache.isReady else { return try await store.watch(namespace: namespace, name: name, options) }
        return try cache.watch(prefix: prefix, exact: name != nil, from: start, filter: options.filter,
                               bookmarks: options.bookmarks, indexed: cache.indexes.pick(options.filter))
    }

    // MARK: Feeding the cache

    /// Lists the resource, then follows it with one etcd watch, until
    /// cancelled. A watch that breaks is opened again where it stopped; if
    /// etcd has compacted that revision away, or a value cannot be read,
    /// the cache lists again.
    static func feed(_ cache: WatchCache, from store: Store, pageSize: Int, logger: Logger) async {
        let prefix = store.keys.resourcePrefix
        var listed = false
        var delay: Duration = .milliseconds(100)
        while !Task.isCancelled {
            var stale = false
            // Only after a compaction is listing again at once right: a
            // value that cannot be read fails the next list too.
            var listNow = false
            do {
                if !listed {
                    try await list(into: cache, from: store, pageSize: pageSize)
                    listed = true
                }
                let watch = try await store.client.watch(WatchOptions(
                    key: Array(prefix.utf8), rangeEnd: Keys.prefixEnd(Array(prefix.utf8)),
                    startRevision: cache.revision + 1, progressNotify: true))
                cache.watchOpened { watch.requestProgress() }
                delay = .milliseconds(100)
                for try await response in watch {
                    if response.events.isEmpty {
                        cache.progressed(to: response.header.revision)
                        continue
                    }
                    var updates: [WatchCache.Update] = []
                    var revisions: [Int64] = []
                    for event in response.events {
                        let key = String(decoding: event.kv.key, as: UTF8.self)
                        let object = event.type == .delete ? nil
                            : try await store.decode(event.kv.value, key: event.kv.key, revision: event.kv.modRevision)
                        updates.append(WatchCache.Update(key: key, object: object.map { CachedObject($0, indexes: cache.indexes) }))
                        revisions.append(event.kv.modRevision)
                    }
                    cache.apply(updates, revisions: revisions, revision: revisions.last ?? 0)
                }
            } catch let error as EtcdError where error.isCompacted {
                logger.info("watch cache of \(store.resource) lists again: etcd compacted its revision")
                listed = false
                stale = true
                listNow = true
            } catch is CancellationError {
                break
            } catch let error as StorageError {
                // A value that cannot be read: list again (and fail the same
                // way until it is fixed); reads go to etcd meanwhile.
                logger.warning("watch cache of \(store.resource): \(error)")
                listed = false
                stale = true
            } catch {
                // etcd went away: the cache still holds a true past state,
                // so it keeps serving, and watches again from where it was.
                if Task.isCancelled { break }
                logger.info("watch cache of \(store.resource) watches again: \(error)")
            }
            cache.watchClosed(stale: stale)
            if Task.isCancelled { break }
            if listNow { continue }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
        cache.watchClosed(stale: true)
    }

    /// Reads every object of the resource at one revision, a page at a time.
    private static func list(into cache: WatchCache, from store: Store, pageSize: Int) async throws {
        var objects: [(key: String, object: CachedObject)] = []
        var after: String?
        var revision: Int64 = 0
        while true {
            let page = try await store.scan(after: after, limit: pageSize, revision: revision)
            objects += CachedObject.many(page.objects, indexes: cache.indexes)
            revision = page.revision
            guard page.more, let last = page.objects.last?.key else { break }
            after = last
        }
        cache.replace(objects, revision: revision)
        // The pages' etcd responses and the trees decoded from them are
        // freed now, but glibc keeps their pages until asked (26 MiB for
        // 10,000 ConfigMaps of 1 KiB, whose bytes the cache keeps in 16:
        // scripts/bench-cache-memory).
        berth_release_free_memory()
    }
}
