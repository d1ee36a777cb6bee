import APIMachinery
import EtcdClient
import Foundation
import Synchronization
import MetricsTestKit
@testable import Storage
import Testing
import TestSupport

/// The watch cache against a real etcd: reads from memory that are as
/// consistent as etcd's own, one etcd watch for every client watch, and
/// kube's answers for what the cache no longer holds.
@Suite struct CacherTests {
    /// A ConfigMap store behind a watch cache, as one API server replica
    /// has it, with its etcd requests counted; ready when returned.
    struct Replica {
        let cacher: Cacher
        let metrics: TestMetrics

        /// Through `forwarder` when given, so that a test can cut this
        /// replica off from etcd while its own client still reaches it.
        init(_ server: EmbeddedEtcd, prefix: String, history: Int = Cachers.defaultHistory,
             indexes: CacheIndexes = .none, through forwarder: TCPForwarder? = nil) async throws {
            var configuration = server.configuration
            configuration.requestTimeout = .seconds(5)
            if let forwarder { configuration.endpoints = ["http://127.0.0.1:\(forwarder.port)"] }
            let client = try EtcdClient(configuration)
            metrics = TestMetrics()
            let resource = GroupResource(resource: "configmaps")
            let store = Store(client: client, resource: resource,
                              keys: ResourceKeys(prefix: prefix, resourcePath: "configmaps", namespaced: true),
                              metrics: EtcdRequestMetrics(resource: resource, factory: metrics))
            cacher = try #require(Cachers(client: client, prefix: prefix, sizes: [resource: history], metrics: metrics)
                .decorate(store, indexes: indexes) as? Cacher)
            let deadline = ContinuousClock.now + .seconds(10)
            while !cacher.cache.isReady {
                guard ContinuousClock.now < deadline else { throw CancellationError() }
                try await Task.sleep(for: .milliseconds(10))
            }
        }

        /// What `answers` reads through the cache, checked against what it
        /// reads from etcd itself, with no etcd read on the cache's side.
        func answersAsEtcd(_ answers: (any ResourceStorage) async throws -> [String],
                           sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
            let readsBefore = etcdReads
            let fromCache = try await answers(cacher)
            #expect(etcdReads == readsBefore, "a list within the history went to etcd", sourceLocation: sourceLocation)
            #expect(fromCache == (try await answers(cacher.store)), sourceLocation: sourceLocation)
            return fromCache
        }

        /// etcd reads (gets and lists) this replica's store made.
        var etcdReads: Int {
            ["get", "list"].reduce(0) { total, operation in
                total + ((try? metrics.expectTimer(EtcdRequestMetrics.name, [("operation", operation), ("type", "configmaps")]))?.values.count ?? 0)
            }
        }
    }

    /// A value the cache cannot read fails every list until it is mended:
    /// the cache lists again after a growing pause (100 ms to 5 s), not in
    /// a loop that takes the CPU, and fills once the value is gone.
    @Test func aCacheWhoseListFailsBacksOffAndFillsOnceTheValueIsMended() async throws {
        let server = try await TestEtcd.shared()
        let prefix = TestEtcd.uniquePrefix()
        let client = try TestEtcd.client(server, timeout: .seconds(5))
        let metrics = TestMetrics()
        let resource = GroupResource(resource: "configmaps")
        let store = Store(client: client, resource: resource,
                          keys: ResourceKeys(prefix: prefix, resourcePath: "configmaps", namespaced: true),
                          metrics: EtcdRequestMetrics(resource: resource, factory: metrics))
        let badKey = Array(try store.keys.key(ObjectKey(namespace: "default", name: "bad")).utf8)
        _ = try await client.put(PutRequest(key: badKey, value: Array("not json".utf8)))
        let caches = Cachers(client: client, prefix: prefix, sizes: [resource: 100], metrics: metrics)
        defer { caches.stop() }
        let cacher = try #require(caches.decorate(store, indexes: .none) as? Cacher)
        func lists() -> Int {
            (try? metrics.expectTimer(EtcdRequestMetrics.name, [("operation", "list"), ("type", "configmaps")]))?.values.count ?? 0
        }
        // From its first list (which a loaded machine may make late) on,
        // 100 + 200 + 400 + 800 ms of pauses fit in 1.5 s: five more at most.
        let first = ContinuousClock.now + .seconds(10)
        while lists() == 0 && ContinuousClock.now < first { try await Task.sleep(for: .milliseconds(10)) }
        let before = lists()
        #expect(before > 0, "the cache never listed")
        try await Task.sleep(for: .milliseconds(1500))
        #expect(!cacher.cache.isReady)
        #expect(lists() - before <= 5, "the cache listed \(lists() - before) times in 1.5 s")
        _ = try await client.deleteRange(DeleteRangeRequest(key: badKey))
        let deadline = ContinuousClock.now + .seconds(5)
        while !cacher.cache.isReady && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(cacher.cache.isReady, "the cache filled once the value was gone")
    }

    @Test func aWriteThroughOneReplicaIsReadAtOnceThroughAnotherFromItsCache() async throws {
        let server = try await TestEtcd.shared()
        let prefix = TestEtcd.uniquePrefix()
        let one = try await Replica(server, prefix: prefix)
        let two = try await Replica(server, prefix: prefix)
        let readsBefore = two.etcdReads
        for round in 0..<30 {
            let name = "cm-\(round)"
            let created = try await one.cacher.create(configMap(name, data: ["round": "\(round)"]), ttl: nil)
            // No wait: the next consistent get and list through the other replica see it.
            let got = try await two.cacher.get(ObjectKey(namespace: "default", name: name), resourceVersion: "")
            #expect(got["data"]?["round"] == .string("\(round)"))
            #expect(got.resourceVersion == created.resourceVersion)
            let listed = try await two.cacher.list(namespace: "default", ListOptions())
            #expect(listed.items.count == round + 1)
            #expect(Int64(listed.resourceVersion)! >= Int64(created.resourceVersion)!)
            let updated = try await one.cacher.guaranteedUpdate(ObjectKey(namespace: "default", name: name)) { current in
                var object = try #require(current)
                object["data"] = ["round": .string("\(round) again")]
                return object
            }
            #expect(try await two.cacher.get(ObjectKey(namespace: "default", name: name), resourceVersion: "")["data"]?["round"]
                    == .string("\(round) again"))
            #expect(try await two.cacher.get(ObjectKey(namespace: "default", name: name), resourceVersion: "").resourceVersion
                    == updated.resourceVersion)
        }
        // Every read above came from replica two's cache, not from etcd.
        #expect(two.etcdReads == readsBefore)
    }

    @Test func aConsistentReadOfAResourceNobodyWritesIsAnsweredFromTheCacheThroughAProgressNotification() async throws {
        let server = try await TestEtcd.shared()
        let prefix = TestEtcd.uniquePrefix()
        let replica = try await Replica(server, prefix: prefix)
        _ = try await replica.cacher.create(configMap("quiet"), ttl: nil)
        let readsBefore = replica.etcdReads
        let client = try TestEtcd.client(server)
        for round in 0..<20 {
            // Writes elsewhere move etcd's revision past anything this resource's watch sees.
            let other = try await client.put(PutRequest(key: Array("\(prefix)/elsewhere/\(round)".utf8), value: [1]))
            let listed = try await replica.cacher.list(namespace: nil, ListOptions())
            #expect(Int64(listed.resourceVersion)! >= other.header.revision)
            #expect(listed.items.map(\.name) == ["quiet"])
        }
        // Had a read not seen the notification within its 3 s budget it
        // would have gone to etcd (not a timing test: a loaded machine may
        // be slow, but the answer must still come from the cache).
        #expect(replica.etcdReads == readsBefore)
    }

    @Test func aReadAtAResourceVersionWaitsUntilTheCacheHasIt() async throws {
        let server = try await TestEtcd.shared()
        let prefix = TestEtcd.uniquePrefix()
        let replica = try await Replica(server, prefix: prefix)
        // Written behind the cache's back, straight into etcd.
        let client = try TestEtcd.client(server)
        let value = configMap("direct", data: ["a": "1"]).serialized()
        let key = try replica.cacher.keys.key(ObjectKey(namespace: "default", name: "direct"))
        let put = try await client.put(PutRequest(key: Array(key.utf8), value: value))
        let revision = String(put.header.revision)
        let listed = try await replica.cacher.list(namespace: "default", ListOptions(resourceVersion: revision, resourceVersionMatch: .notOlderThan))
        #expect(listed.items.map(\.name) == ["direct"])
        #expect(try await replica.cacher.get(ObjectKey(namespace: "default", name: "direct"), resourceVersion: revision).resourceVersion == revision)
        // resourceVersion 0 takes what the cache holds, without asking etcd anything.
        #expect(try await replica.cacher.list(namespace: nil, ListOptions(resourceVersion: "0")).items.count <= 1)
        // A resourceVersion etcd has not reached: kube's 504 after its 3 s wait.
        let future = String(put.header.revision + 1_000_000_000)
        let start = ContinuousClock.now
        let error = await expectAPIError(504, .timeout) {
            _ = try await replica.cacher.list(namespace: "default", ListOptions(resourceVersion: future))
        }
        #expect(error?.message.hasPrefix("Too large resource version: \(future), current: ") == true)
        #expect(ContinuousClock.now - start >= .seconds(3))
    }

    @Test func pagesAndPastRevisionsAreAnsweredFromTheHistoryAsEtcdAnswersThem() async throws {
        let server = try await TestEtcd.shared()
        let prefix = TestEtcd.uniquePrefix()
        let replica = try await Replica(server, prefix: prefix)
        let cacher = replica.cacher
        func key(_ index: Int) -> ObjectKey { ObjectKey(namespace: index % 3 == 0 ? "other" : "default", name: "cm-\(index)") }
        func create(_ index: Int) async throws -> String {
            try await cacher.create(configMap("cm-\(index)", namespace: key(index).namespace,
                                              labels: ["even": index % 2 == 0 ? "yes" : "no"]), ttl: nil).resourceVersion
        }
        // Creates, updates, deletes and deletes undone, each a revision to read at.
        var revisions: [String] = []
        for index in 0..<24 { revisions.append(try await create(index)) }
        for index in stride(from: 0, to: 24, by: 4) {
            revisions.append(try await cacher.guaranteedUpdate(key(index)) { current in
                var object = try #require(current)
                object["data"] = ["updated": "yes"]
                return object
            }.resourceVersion)
        }
        for index in stride(from: 1, to: 24, by: 5) { revisions.append(try await cacher.delete(key(index)).resourceVersion) }
        for index in [1, 6, 24, 25] { revisions.append(try await create(index)) }

        let even = SelectionPredicate(labels: try LabelSelector(parsing: "even=yes")) { _ in [:] }
        /// What a client sees of a list read at `revision` through `storage`,
        /// whole and in pages of 5 (a limit with a resourceVersion reads exactly it).
        func answers(_ storage: any ResourceStorage) async throws -> [String] {
            var seen: [String] = []
            for revision in revisions.enumerated().filter({ $0.offset % 3 == 0 }).map(\.element) + [revisions.last!] {
                for namespace in [nil, "default"] {
                    for filter in [nil, even] {
                        let whole = try await storage.list(namespace: namespace, ListOptions(
                            resourceVersion: revision, resourceVersionMatch: .exact, filter: filter))
                        seen.append("\(revision) whole: " + Self.summary(whole))
                        var options = ListOptions(resourceVersion: revision, limit: 5, filter: filter)
                        while true {
                            let page = try await storage.list(namespace: namespace, options)
                            // With selectors etcd may hand out one more, empty page.
                            if filter == nil || !page.items.isEmpty {
                                seen.append("\(revision) page: " + Self.summary(page, withToken: filter == nil))
                            }
                            guard !page.continueToken.isEmpty else { break }
                            options = ListOptions(limit: 5, continueToken: page.continueToken, filter: filter)
                        }
                    }
                }
            }
            return seen
        }
        #expect(try await replica.answersAsEtcd(answers).count > 100)

        // Pages of a consistent list come from the cache at its revision.
        let readsAfterEtcd = replica.etcdReads
        var options = ListOptions(limit: 7)
        var items: [String] = []
        var revision = ""
        while true {
            let page = try await cacher.list(namespace: nil, options)
            items += page.items.map(Self.entry)
            revision = page.resourceVersion
            guard !page.continueToken.isEmpty else { break }
            options = ListOptions(limit: 7, continueToken: page.continueToken)
        }
        #expect(replica.etcdReads == readsAfterEtcd)
        let atThatRevision = try await cacher.store.list(namespace: nil, ListOptions(resourceVersion: revision, resourceVersionMatch: .exact))
        #expect(items == atThatRevision.items.map(Self.entry))
        #expect(items.count == 23)

        // A revision older than the history is etcd's to answer, and the same.
        let short = try await Replica(server, prefix: prefix, history: 5)
        let shortBefore = short.etcdReads
        let old = ListOptions(resourceVersion: revisions[3], resourceVersionMatch: .exact)
        #expect(Self.summary(try await short.cacher.list(namespace: nil, old))
                == Self.summary(try await cacher.list(namespace: nil, old)))
        #expect(short.etcdReads == shortBefore + 1)
    }

    /// An object as the list comparisons see it: where it is and at which version.
    static func entry(_ object: APIObject) -> String { "\(object.namespace)/\(object.name)@\(object.resourceVersion)" }

    static func summary(_ list: ListResult, withToken: Bool = true) -> String {
        list.items.map(entry).joined(separator: " ")
            + " rv=\(list.resourceVersion) remaining=\(list.remainingItemCount.map(String.init) ?? "-")"
            + (withToken ? " more=\(!list.continueToken.isEmpty)" : "")
    }

    @Test func stoppingTheCachesEndsTheirEtcdWatchesAndLaterCachesDoNotStart() async throws {
        let server = try await TestEtcd.start(name: "cacher-stop")
        defer { Task { await server.stop() } }
        let client = try EtcdClient(server.configuration)
        let before = try server.watcherCount()
        let prefix = TestEtcd.uniquePrefix()
        let cachers = Cachers(client: client, prefix: prefix)
        func store(_ resource: String) -> Store {
            Store(client: client, resource: GroupResource(resource: resource),
                  keys: ResourceKeys(prefix: prefix, resourcePath: resource, namespaced: true))
        }
        let caches = try ["configmaps", "secrets"].map { try #require(cachers.decorate(store($0)) as? Cacher) }
        try await until(.seconds(10)) { caches.allSatisfy(\.cache.isReady) }
        #expect(try server.watcherCount() == before + 2)
        cachers.stop()
        #expect(try await server.watcherCount(settlingAt: before) == before)
        // A cache made after the stop (a CRD's, say) opens no watch.
        let late = try #require(cachers.decorate(store("events")) as? Cacher)
        try await Task.sleep(for: .milliseconds(300))
        #expect(!late.cache.isReady)
        #expect(try server.watcherCount() == before)
        withExtendedLifetime(caches) {}
    }

    @Test func everyClientWatchIsServedByTheOneEtcdWatchOfTheResource() async throws {
        let server = try await TestEtcd.start(name: "cacher-watchers")
        defer { Task { await server.stop() } }
        let prefix = TestEtcd.uniquePrefix()
        let replica = try await Replica(server, prefix: prefix)
        let before = try server.watcherCount()
        var streams: [AsyncStream<StorageWatchEvent>] = []
        for index in 0..<25 {
            streams.append(try await replica.cacher.watch(namespace: index % 2 == 0 ? "default" : nil, name: nil,
                                                          StorageWatchOptions(resourceVersion: "0")))
        }
        #expect(replica.cacher.watcherCount == 25)
        #expect(try server.watcherCount() == before, "a client watch opened an etcd watch of its own")
        let created = try await replica.cacher.create(configMap("seen"), ttl: nil)
        for stream in streams {
            var iterator = stream.makeAsyncIterator()
            let event = try #require(await iterator.next(), "the stream ended before the event")
            #expect(event.type == .added)
            #expect(event.object.name == "seen")
            #expect(event.object.resourceVersion == created.resourceVersion)
        }
    }

    @Test func aWatchFromARevisionTheHistoryNoLongerHoldsGets410() async throws {
        let server = try await TestEtcd.shared()
        let prefix = TestEtcd.uniquePrefix()
        let replica = try await Replica(server, prefix: prefix, history: 5)
        let first = try await replica.cacher.create(configMap("c", data: ["n": "0"]), ttl: nil)
        var versions: [String] = [first.resourceVersion]
        for round in 1...10 {
            let updated = try await replica.cacher.guaranteedUpdate(ObjectKey(namespace: "default", name: "c")) { current in
                var object = try #require(current)
                object["data"] = ["n": .string("\(round)")]
                return object
            }
            versions.append(updated.resourceVersion)
        }
        let last = try #require(versions.last)
        _ = try await replica.cacher.get(ObjectKey(namespace: "default", name: "c"), resourceVersion: last)
        let error = await expectAPIError(410, .expired) {
            _ = try await replica.cacher.watch(namespace: "default", name: nil, StorageWatchOptions(resourceVersion: first.resourceVersion))
        }
        #expect(error?.message.hasPrefix("too old resource version: \(first.resourceVersion) (") == true)
        // Within the history: exactly the changes after it, in order.
        let stream = try await replica.cacher.watch(namespace: "default", name: "c", StorageWatchOptions(resourceVersion: versions[7]))
        var iterator = stream.makeAsyncIterator()
        var seen: [String] = []
        for _ in 0..<3 { seen.append(try #require(await iterator.next()).object["data"]?["n"]?.stringValue ?? "") }
        #expect(seen == ["8", "9", "10"])
    }

    @Test func afterACompactionTheCacheListsAgainAndAClientThatWatchesAgainMissesNothing() async throws {
        let server = try await TestEtcd.start(name: "cacher-compaction")
        defer { Task { await server.stop() } }
        let forwarder = try await TCPForwarder.start(toLoopbackPort: server.clientPort)
        let prefix = TestEtcd.uniquePrefix()
        let replica = try await Replica(server, prefix: prefix, through: forwarder)
        let stream = try await replica.cacher.watch(namespace: nil, name: nil, StorageWatchOptions(resourceVersion: "0"))
        let seen = Mutex<[StorageWatchEvent]>([])
        let consumer = Task {
            for await event in stream { seen.withLock { $0.append(event) } }
        }
        let a = try await replica.cacher.create(configMap("a"), ttl: nil)
        try await until { seen.withLock { $0.count } == 1 }

        // While the replica is cut off from etcd, "b" is created, "a"
        // deleted and the history compacted past both: when it reaches etcd
        // again, the revision its watch stopped at is gone.
        await forwarder.cut()
        let client = try TestEtcd.client(server)
        let keys = replica.cacher.keys
        let b = try await client.put(PutRequest(key: Array(try keys.key(ObjectKey(namespace: "default", name: "b")).utf8),
                                                value: configMap("b").serialized()))
        _ = try await client.deleteRange(DeleteRangeRequest(key: Array(try keys.key(ObjectKey(namespace: "default", name: "a")).utf8)))
        _ = try await client.compact(revision: b.header.revision + 1)
        try await forwarder.mend()

        // The cache lists again and ends its watchers rather than leave a
        // gap; the client watches again from the last resourceVersion it
        // saw, is told that is too old (410), and lists: b, and no a.
        try await until(.seconds(20)) { consumer.isCancelled || replica.cacher.watcherCount == 0 }
        await consumer.value
        #expect(seen.withLock { $0.map(\.object.name) } == ["a"])
        let error = await expectAPIError(410, .expired) {
            _ = try await replica.cacher.watch(namespace: nil, name: nil, StorageWatchOptions(resourceVersion: a.resourceVersion))
        }
        #expect(error?.message.hasPrefix("too old resource version: \(a.resourceVersion) (") == true)
        let listed = try await replica.cacher.list(namespace: nil, ListOptions())
        #expect(listed.items.map(\.name) == ["b"])
        #expect(Int64(listed.resourceVersion)! >= b.header.revision + 1)
    }

    /// Polls `condition` until it holds; fails the test after `timeout`.
    func until(_ timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("the condition did not hold within \(timeout)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
