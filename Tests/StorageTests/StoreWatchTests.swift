import APIMachinery
import EtcdClient
import Storage
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct StoreWatchTests {
    @Test func watchFromAResourceVersionSeesEveryChangeInOrder() async throws {
        let store = try await configMapStore()
        let start = try await store.create(configMap("w", data: ["v": "0"]))
        let events = try await store.watch(namespace: "default", StorageWatchOptions(resourceVersion: start.resourceVersion))
        let key = ObjectKey(namespace: "default", name: "w")
        let updated = try await store.guaranteedUpdate(key) { current in
            var object = current!
            object.json["data"]?["v"] = "1"
            return object
        }
        let added = try await store.create(configMap("other"))
        let deleted = try await store.delete(key)

        var seen: [StorageWatchEvent] = []
        for await event in events {
            seen.append(event)
            if seen.count == 3 { break }
        }
        #expect(seen.map(\.type) == [.modified, .added, .deleted])
        #expect(seen[0].object == updated)
        #expect(seen[1].object == added)
        #expect(seen[2].object.name == "w" && seen[2].object.resourceVersion == deleted.resourceVersion)
        #expect(seen[2].object.json["data"]?["v"] == "1")
    }

    @Test func watchWithoutResourceVersionStartsWithTheCurrentState() async throws {
        let store = try await configMapStore()
        _ = try await store.create(configMap("a"))
        _ = try await store.create(configMap("b"))
        let events = try await store.watch(namespace: "default")
        _ = try await store.create(configMap("c"))
        var seen: [String] = []
        for await event in events {
            #expect(event.type == .added)
            seen.append(event.object.name)
            if seen.count == 3 { break }
        }
        #expect(seen == ["a", "b", "c"])
    }

    @Test func singleObjectWatchAndFilterTransitions() async throws {
        let store = try await configMapStore()
        let created = try await store.create(configMap("x", labels: ["app": "web"]))
        _ = try await store.create(configMap("y", labels: ["app": "web"]))
        let web = SelectionPredicate(labels: try LabelSelector(parsing: "app=web")) { _ in [:] }
        let events = try await store.watch(namespace: "default", name: "x",
                                           StorageWatchOptions(resourceVersion: created.resourceVersion, filter: web))
        let key = ObjectKey(namespace: "default", name: "x")
        func relabel(_ app: String) async throws {
            _ = try await store.guaranteedUpdate(key) { current in
                var object = current!
                object.json["metadata"]?["labels"]?["app"] = .string(app)
                return object
            }
        }
        try await relabel("db")   // leaves the selection: DELETED
        _ = try await store.guaranteedUpdate(ObjectKey(namespace: "default", name: "y")) { current in
            var object = current!
            object.json["data"] = ["ignored": "because the watch is on x"]
            return object
        }
        try await relabel("cache") // still outside: nothing
        try await relabel("web")   // back in: ADDED
        _ = try await store.delete(key)
        var seen: [StorageWatchEvent.EventType] = []
        for await event in events {
            #expect(event.object.name == "x")
            seen.append(event.type)
            if seen.count == 3 { break }
        }
        #expect(seen == [.deleted, .added, .deleted])
    }

    @Test func watchFromACompactedRevisionEndsWithExpired() async throws {
        let server = try await TestEtcd.start(name: "compact-store-watch")
        defer { server.kill() }
        let store = try await configMapStore(server)
        let first = try await store.create(configMap("a"))
        _ = try await store.create(configMap("b"))
        let last = try await store.create(configMap("c"))
        // A watch from first starts at first+1, which the compaction removed.
        try await store.client.compact(revision: Int64(last.resourceVersion)!, physical: true)
        let events = try await store.watch(StorageWatchOptions(resourceVersion: first.resourceVersion))
        var seen: [StorageWatchEvent] = []
        for await event in events { seen.append(event) }
        #expect(seen.count == 1)
        #expect(seen.first?.type == .error)
        let status = try #require(seen.first?.object.json)
        #expect(status["code"] == 410 && status["reason"] == "Expired")
        #expect(status["message"]?.stringValue?.hasPrefix("too old resource version: \(first.resourceVersion)") == true)
    }

    @Test func progressNotificationsBecomeBookmarks() async throws {
        let server = try await TestEtcd.start(name: "bookmarks", extraArguments: ["--experimental-watch-progress-notify-interval", "200ms"])
        defer { server.kill() }
        let store = try await configMapStore(server)
        let created = try await store.create(configMap("a"))
        let events = try await store.watch(StorageWatchOptions(resourceVersion: created.resourceVersion, bookmarks: true))
        var iterator = events.makeAsyncIterator()
        let first = try #require(await iterator.next(), "the watch ended without a bookmark")
        #expect(first.type == .bookmark)
        #expect(Int64(first.object.resourceVersion)! >= Int64(created.resourceVersion)!)
    }

    @Test func stoppingTheConsumerCancelsTheEtcdWatch() async throws {
        let server = try await TestEtcd.start(name: "store-watch-cancel")
        defer { server.kill() }
        let store = try await configMapStore(server)
        let before = try server.watcherCount()
        let events = try await store.watch(namespace: "default")
        #expect(try server.watcherCount() == before + 1)
        let consumer = Task { for await _ in events {} }
        try await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        // The consumer ends promptly instead of waiting for an event that
        // never comes, and etcd drops the watch.
        await consumer.value
        #expect(try await server.watcherCount(settlingAt: before) == before)
    }
}
