import APIMachinery
import CoreMetrics
import EtcdClient
import Logging
import Synchronization

/// The watch caches over one etcd client (--watch-cache,
/// --watch-cache-sizes): what they share (the revision requests of
/// consistent reads, whether etcd's progress notifications can be trusted)
/// and how each resource's store is decorated.
public final class Cachers: Sendable {
    /// Changes kept per resource for watchers that start behind, unless
    /// --watch-cache-sizes says otherwise (kube's largest dynamic size).
    public static let defaultHistory = 100 * 1024

    let client: EtcdClient
    /// resource → history size; 0 turns the cache off for that resource.
    let sizes: [GroupResource: Int]
    let bookmarkInterval: Duration
    let listPageSize: Int
    let logger: Logger
    let metrics: any MetricsFactory
    let currentRevision: CurrentRevision
    private let support = Mutex<Bool?>(nil)
    /// The feeds of the caches alive now (by cacher), so that `stop()` can
    /// end them before etcd goes away; nil once stopped.
    private let feeds = Mutex<[ObjectIdentifier: [Task<Void, Never>]]?>([:])

    public init(client: EtcdClient, prefix: String, sizes: [GroupResource: Int] = [:],
                bookmarkInterval: Duration = .seconds(60), listPageSize: Int = 10_000,
                metrics: any MetricsFactory = NOOPMetricsHandler.instance,
                logger: Logger = Logger(label: "berth.watch-cache")) {
        self.client = client
        self.metrics = metrics
        self.sizes = sizes
        self.bookmarkInterval = bookmarkInterval
        self.listPageSize = listPageSize
        self.logger = logger
        // No object is stored at the prefix itself.
        self.currentRevision = CurrentRevision(client: client,
                                               probeKey: ResourceKeys(prefix: prefix, resourcePath: "", namespaced: false).prefix,
                                               timeout: Cacher.freshnessTimeout)
    }

    /// `store` behind a watch cache indexing `indexes`, or as it is when
    /// its size is 0.
    public func decorate(_ store: Store, indexes: CacheIndexes = .none) -> any ResourceStorage {
        let size = sizes[store.resource] ?? Self.defaultHistory
        guard size > 0 else { return store }
        return Cacher(store: store, history: WatchCache.History(capacity: size), indexes: indexes, shared: self)
    }

    /// Ends every cache's etcd watch, as a server that stops serving does
    /// before its etcd stops (else each would log that etcd went away and
    /// watch again). Caches made afterwards do not start.
    public func stop() {
        let running = feeds.withLock { feeds in
            defer { feeds = nil }
            return feeds?.values.flatMap { $0 } ?? []
        }
        for task in running { task.cancel() }
    }

    func started(_ tasks: [Task<Void, Never>], by cacher: ObjectIdentifier) {
        let stopped = feeds.withLock { feeds in
            feeds?[cacher] = tasks
            return feeds == nil
        }
        if stopped { for task in tasks { task.cancel() } }
    }

    func ended(_ cacher: ObjectIdentifier) {
        let tasks = feeds.withLock { $0?.removeValue(forKey: cacher) } ?? []
        for task in tasks { task.cancel() }
    }

    /// Whether consistent reads may come from the caches: etcd's version is
    /// asked once (and again after a failure to ask).
    func consistentReadsFromCache() async -> Bool {
        if let known = support.withLock({ $0 }) { return known }
        guard let version = try? await client.status(timeout: .seconds(5)).version else { return false }
        let reliable = ProgressNotifySupport.isReliable(etcdVersion: version)
        if !reliable {
            logger.warning("etcd \(version) cannot say reliably how far a watch has seen (3.4.31 or 3.5.13 can): consistent reads go to etcd")
        }
        support.withLock { $0 = reliable }
        return reliable
    }
}
