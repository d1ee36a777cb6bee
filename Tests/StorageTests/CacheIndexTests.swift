import APIMachinery
import EtcdClient
@testable import Storage
import Testing
import TestSupport

/// The watch cache's indexes of selectable fields: a list or watch that
/// requires an indexed value reads only the objects holding it, and
/// answers exactly what etcd answers with the same selector.
@Suite struct CacheIndexTests {
    /// ConfigMaps stand in for pods: `data.node` plays spec.nodeName.
    static let field = "spec.nodeName"
    static let nodeIndex = CacheIndexes(fields: [field]) { object in
        object["data"]?["node"]?.stringValue.map { [field: $0] } ?? [:]
    }

    /// The selector `spec.nodeName=<node>` (or `!=`), whose field the
    /// cache reads from what it keeps and etcd's store from the object.
    static func onNode(_ node: String, equals: Bool = true) -> SelectionPredicate {
        SelectionPredicate(fields: try! FieldSelector(parsing: "\(field)\(equals ? "=" : "!=")\(node)")) { nodeIndex.values($0) }
    }

    static func placed(_ name: String, namespace: String, on node: String?) -> APIObject {
        configMap(name, namespace: namespace, data: node.map { ["node": $0] } ?? [:])
    }

    @Test func listsOnAnIndexedFieldReadOnlyWhatTheIndexHoldsAndAnswerAsEtcd() async throws {
        let server = try await TestEtcd.shared()
        let replica = try await CacherTests.Replica(server, prefix: TestEtcd.uniquePrefix(), indexes: Self.nodeIndex)
        let cacher = replica.cacher
        func key(_ index: Int) -> ObjectKey { ObjectKey(namespace: index % 4 == 0 ? "other" : "default", name: "pod-\(index)") }
        // 30 objects on three nodes (every seventh on none), then moves
        // between nodes, deletes and re-creates elsewhere: each a revision.
        var revisions: [String] = []
        for index in 0..<30 {
            let node = index % 7 == 6 ? nil : "n\(index % 3)"
            revisions.append(try await cacher.create(Self.placed("pod-\(index)", namespace: key(index).namespace, on: node),
                                                     ttl: nil).resourceVersion)
        }
        for index in stride(from: 0, to: 30, by: 5) {
            revisions.append(try await cacher.guaranteedUpdate(key(index)) { current in
                var object = try #require(current)
                object["data"] = ["node": .string("n\((index + 1) % 3)")]
                return object
            }.resourceVersion)
        }
        for index in stride(from: 2, to: 30, by: 6) { revisions.append(try await cacher.delete(key(index)).resourceVersion) }
        for index in [2, 8, 30] {
            revisions.append(try await cacher.create(Self.placed("pod-\(index)", namespace: key(index).namespace, on: "n2"),
                                                     ttl: nil).resourceVersion)
        }

        /// Every node's objects, read at every other revision, whole and in pages of 3.
        func answers(_ storage: any ResourceStorage) async throws -> [String] {
            var seen: [String] = []
            for revision in revisions.enumerated().filter({ $0.offset % 2 == 0 }).map(\.element) + [revisions.last!] {
                for namespace in [nil, "default"] {
                    for node in ["n0", "n1", "n2", ""] {
                        let whole = try await storage.list(namespace: namespace, ListOptions(
                            resourceVersion: revision, resourceVersionMatch: .exact, filter: Self.onNode(node)))
                        seen.append("\(revision) \(node) whole: " + CacherTests.summary(whole))
                        var options = ListOptions(resourceVersion: revision, limit: 3, filter: Self.onNode(node))
                        while true {
                            let page = try await storage.list(namespace: namespace, options)
                            // etcd may hand out one more, empty page.
                            if !page.items.isEmpty { seen.append("\(revision) \(node) page: " + CacherTests.summary(page, withToken: false)) }
                            guard !page.continueToken.isEmpty else { break }
                            options = ListOptions(limit: 3, continueToken: page.continueToken, filter: Self.onNode(node))
                        }
                    }
                }
            }
            return seen
        }
        #expect(try await replica.answersAsEtcd(answers).count > 200)

        // At the current revision a node's list reads just that node's
        // objects, as kube's apiserver_cache_list_* counters show.
        func counter(_ name: String, index: String?) throws -> Int64 {
            var dimensions = [("group", ""), ("resource", "configmaps")]
            if let index { dimensions.append(("index", index)) }
            return try replica.metrics.expectCounter(name, dimensions).totalValue
        }
        let fetchedBefore = try counter(CacheListMetrics.fetched, index: Self.field)
        let listsBefore = try counter(CacheListMetrics.lists, index: Self.field)
        let n1 = try await cacher.list(namespace: nil, ListOptions(filter: Self.onNode("n1")))
        #expect(!n1.items.isEmpty)
        #expect(try counter(CacheListMetrics.lists, index: Self.field) == listsBefore + 1)
        #expect(try counter(CacheListMetrics.fetched, index: Self.field) == fetchedBefore + Int64(n1.items.count))
        // Without an index every object under the prefix is read.
        let all = try await cacher.list(namespace: nil, ListOptions()).items.count
        let scannedBefore = try counter(CacheListMetrics.fetched, index: "")
        // A selector that requires no value exactly cannot use the index.
        _ = try await cacher.list(namespace: nil, ListOptions(filter: Self.onNode("n0", equals: false)))
        #expect(try counter(CacheListMetrics.fetched, index: "") == scannedBefore + Int64(all))
    }

    @Test func watchersOfANodeSeeItsObjectsComeAndGoAsEtcdsWatchShowsThem() async throws {
        let server = try await TestEtcd.shared()
        let replica = try await CacherTests.Replica(server, prefix: TestEtcd.uniquePrefix(), indexes: Self.nodeIndex)
        let cacher = replica.cacher
        let start = try await cacher.create(Self.placed("before", namespace: "default", on: "n0"), ttl: nil).resourceVersion
        let nodes = ["n0", "n1", "n2"]
        /// Each node's watch from `start`, through `storage`, until its sentinel.
        func watches(_ storage: some ResourceStorage, resourceVersion: String) async throws -> [Task<[String], Never>] {
            try await nodes.asyncMap { node in
                let stream = try await storage.watch(namespace: nil, name: nil, StorageWatchOptions(
                    resourceVersion: resourceVersion, filter: Self.onNode(node)))
                return Task {
                    var seen: [String] = []
                    for await event in stream {
                        seen.append("\(event.type.rawValue) \(event.object.name)")
                        if event.object.name == "sentinel-\(node)" { break }
                    }
                    return seen
                }
            }
        }
        // From the cache: one from a past revision (replayed), one from the state now.
        let replayed = try await watches(cacher, resourceVersion: start)
        let fromEtcd = try await watches(cacher.store, resourceVersion: start)
        let key = ObjectKey(namespace: "default", name: "mover")
        _ = try await cacher.create(Self.placed("mover", namespace: "default", on: "n0"), ttl: nil)
        _ = try await cacher.create(Self.placed("stays", namespace: "default", on: "n2"), ttl: nil)
        let live = try await watches(cacher, resourceVersion: "0")
        for node in ["n1", "n1", "n2"] {  // a move, an update in place, a move
            _ = try await cacher.guaranteedUpdate(key) { current in
                var object = try #require(current)
                object["data"] = ["node": .string(node), "touched": .string("\(object.resourceVersion)")]
                return object
            }
        }
        _ = try await cacher.delete(key)
        _ = try await cacher.delete(ObjectKey(namespace: "default", name: "before"))
        for node in nodes { _ = try await cacher.create(Self.placed("sentinel-\(node)", namespace: "default", on: node), ttl: nil) }

        var expected: [[String]] = []
        for task in fromEtcd { expected.append(await task.value) }
        #expect(expected == [
            ["ADDED mover", "DELETED mover", "DELETED before", "ADDED sentinel-n0"],
            ["ADDED mover", "MODIFIED mover", "DELETED mover", "ADDED sentinel-n1"],
            ["ADDED stays", "ADDED mover", "DELETED mover", "ADDED sentinel-n2"],
        ])
        var fromCache: [[String]] = []
        for task in replayed { fromCache.append(await task.value) }
        #expect(fromCache == expected)
        var fromNow: [[String]] = []
        for task in live { fromNow.append(await task.value) }
        #expect(fromNow == [
            ["ADDED before", "ADDED mover", "DELETED mover", "DELETED before", "ADDED sentinel-n0"],
            ["ADDED mover", "MODIFIED mover", "DELETED mover", "ADDED sentinel-n1"],
            ["ADDED stays", "ADDED mover", "DELETED mover", "ADDED sentinel-n2"],
        ])
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
