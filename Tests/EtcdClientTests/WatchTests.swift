import EtcdClient
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct WatchTests {
    @Test func tenThousandWritesArriveInOrderWithNothingMissing() async throws {
        // An etcd of its own: no other test's writes between ours, so the
        // revisions seen must be consecutive.
        let server = try await TestEtcd.start(name: "watch-10k")
        defer { server.kill() }
        let client = try TestEtcd.client(server)
        let prefix = TestEtcd.uniquePrefix()
        let start = try await client.put(PutRequest(key: (prefix + "start").bytes, value: []))
        let watch = try await client.watch(.prefix(prefix.bytes, startRevision: start.header.revision + 1))
        let total = 10_000

        let writer = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                // 16 writers on distinct keys: etcd orders them, the watch must follow.
                for writerIndex in 0..<16 {
                    group.addTask {
                        for index in stride(from: writerIndex, to: total, by: 16) {
                            _ = try await client.put(PutRequest(key: (prefix + "k\(index % 100)").bytes, value: "\(index)".bytes))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        var seen: [Int64] = []
        var values = Set<String>()
        for try await response in watch {
            for event in response.events {
                seen.append(event.kv.modRevision)
                values.insert(event.kv.value.string)
            }
            if seen.count >= total { break }
        }
        try await writer.value
        #expect(seen.count == total)
        #expect(seen == seen.sorted())
        // Revisions are consecutive: no event is missing between the first and last.
        #expect(seen.last! - seen.first! == Int64(total - 1))
        #expect(values.count == total)
    }

    @Test func eventsCarryTypeAndPreviousValue() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let key = (TestEtcd.uniquePrefix() + "x").bytes
        var options = WatchOptions(key: key, prevKV: true)
        options.startRevision = 0
        let watch = try await client.watch(options)
        _ = try await client.put(PutRequest(key: key, value: "1".bytes))
        _ = try await client.put(PutRequest(key: key, value: "2".bytes))
        _ = try await client.deleteRange(DeleteRangeRequest(key: key))
        var events: [WatchEvent] = []
        for try await response in watch {
            events += response.events
            if events.count == 3 { break }
        }
        #expect(events.map(\.type) == [.put, .put, .delete])
        #expect(events[1].prevKV?.value.string == "1")
        #expect(events[2].prevKV?.value.string == "2")
        #expect(events[2].kv.key == key)
    }

    @Test func watchFromCompactedRevisionFailsAsCompacted() async throws {
        let server = try await TestEtcd.start(name: "compact-watch")
        defer { server.kill() }
        let client = try TestEtcd.client(server)
        let first = try await client.put(PutRequest(key: "/a".bytes, value: "1".bytes))
        let last = try await client.put(PutRequest(key: "/a".bytes, value: "2".bytes))
        try await client.compact(revision: last.header.revision, physical: true)

        let watch = try await client.watch(WatchOptions(key: "/a".bytes, startRevision: first.header.revision))
        do {
            for try await response in watch { Issue.record("got \(response) from a compacted revision") }
            Issue.record("the watch ended without an error")
        } catch let error as EtcdError {
            #expect(error.isCompacted)
            #expect(error.compactRevision == last.header.revision)
        }
        // Reading below the compaction is refused the same way.
        await #expect(throws: EtcdError.self) { try await client.range(RangeRequest(key: "/a".bytes, revision: first.header.revision)) }
        do {
            _ = try await client.range(RangeRequest(key: "/a".bytes, revision: first.header.revision))
        } catch let error as EtcdError {
            #expect(error.isCompacted)
        }
    }

    @Test func progressRequestAnswersWithCurrentRevision() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let prefix = TestEtcd.uniquePrefix()
        let watch = try await client.watch(.prefix(prefix.bytes))
        let put = try await client.put(PutRequest(key: (prefix + "other").bytes, value: []))
        watch.requestProgress()
        var notified = false
        for try await response in watch {
            if response.isProgressNotify {
                #expect(response.header.revision >= put.header.revision)
                notified = true
                break
            }
        }
        #expect(notified, "the watch ended without a progress notification")
    }

    @Test func cancellingTheConsumingTaskCancelsTheEtcdWatch() async throws {
        let server = try await TestEtcd.start(name: "watch-cancel")
        defer { server.kill() }
        let client = try TestEtcd.client(server)
        let before = try server.watcherCount()
        let watch = try await client.watch(.prefix("/w/".bytes))
        #expect(try server.watcherCount() == before + 1)

        let consumer = Task {
            for try await _ in watch {}
        }
        try await Task.sleep(for: .milliseconds(100))
        consumer.cancel()
        _ = await consumer.result
        // etcd notices the cancelled stream and drops its watcher.
        #expect(try await server.watcherCount(settlingAt: before) == before)
    }
}
