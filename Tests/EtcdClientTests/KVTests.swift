import EtcdClient
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct KVTests {
    @Test func putGetAndRangeOptions() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let prefix = TestEtcd.uniquePrefix()
        var revisions: [Int64] = []
        for index in 0..<5 {
            let put = try await client.put(PutRequest(key: (prefix + "k\(index)").bytes, value: "v\(index)".bytes))
            revisions.append(put.header.revision)
        }
        #expect(revisions == revisions.sorted() && Set(revisions).count == 5)

        let one = try #require(try await client.get((prefix + "k2").bytes))
        #expect(one.value.string == "v2")
        #expect(one.modRevision == revisions[2] && one.createRevision == revisions[2] && one.version == 1)
        #expect(try await client.get((prefix + "missing").bytes) == nil)

        let all = try await client.range(.prefix(prefix.bytes))
        #expect(all.kvs.map { $0.key.string } == (0..<5).map { prefix + "k\($0)" })
        #expect(all.count == 5 && !all.more)

        let page = try await client.range(.prefix(prefix.bytes, limit: 2))
        #expect(page.kvs.count == 2 && page.more && page.count == 5)

        // An older revision still shows the store as it was then.
        let past = try await client.range(.prefix(prefix.bytes, revision: revisions[1]))
        #expect(past.kvs.map { $0.value.string } == ["v0", "v1"])

        var keysOnly = RangeRequest.prefix(prefix.bytes)
        keysOnly.keysOnly = true
        #expect(try await client.range(keysOnly).kvs.allSatisfy { $0.value.isEmpty })

        var countOnly = RangeRequest.prefix(prefix.bytes)
        countOnly.countOnly = true
        let counted = try await client.range(countOnly)
        #expect(counted.count == 5 && counted.kvs.isEmpty)
    }

    @Test func putReturnsPreviousValueAndDeleteReturnsDeleted() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let prefix = TestEtcd.uniquePrefix()
        let key = (prefix + "a").bytes
        _ = try await client.put(PutRequest(key: key, value: "one".bytes))
        let second = try await client.put(PutRequest(key: key, value: "two".bytes, prevKV: true))
        #expect(second.prevKV?.value.string == "one")
        _ = try await client.put(PutRequest(key: (prefix + "b").bytes, value: "b".bytes))

        let deleted = try await client.deleteRange(DeleteRangeRequest(key: prefix.bytes, rangeEnd: Keys.prefixEnd(prefix.bytes), prevKV: true))
        #expect(deleted.deleted == 2)
        #expect(deleted.prevKVs.map { $0.value.string } == ["two", "b"])
        #expect(try await client.range(.prefix(prefix.bytes)).kvs.isEmpty)
        // Deleting what is not there is not an error.
        #expect(try await client.deleteRange(DeleteRangeRequest(key: key)).deleted == 0)
    }

    @Test func txnRunsOneBranchAndDetectsConflicts() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let key = (TestEtcd.uniquePrefix() + "obj").bytes

        // Create only if absent: the second create loses and reads the winner.
        let create = TxnRequest(compare: [.absent(key)], success: [.put(PutRequest(key: key, value: "v1".bytes))],
                                failure: [.range(RangeRequest(key: key))])
        let first = try await client.txn(create)
        #expect(first.succeeded)
        let second = try await client.txn(create)
        #expect(!second.succeeded)
        guard case .range(let current) = second.responses.first else { Issue.record("no range response"); return }
        #expect(current.kvs.first?.value.string == "v1")
        let revision = try #require(current.kvs.first?.modRevision)

        // Two writers that read the same revision: exactly one wins.
        func update(_ value: String) -> TxnRequest {
            TxnRequest(compare: [.modRevision(key, is: revision)], success: [.put(PutRequest(key: key, value: value.bytes))],
                       failure: [.range(RangeRequest(key: key))])
        }
        async let a = client.txn(update("a"))
        async let b = client.txn(update("b"))
        let results = try await [a, b]
        #expect(results.filter(\.succeeded).count == 1)
        let winner = results[0].succeeded ? "a" : "b"
        #expect(try await client.get(key)?.value.string == winner)
        guard case .range(let seen) = results.first(where: { !$0.succeeded })?.responses.first else {
            Issue.record("the loser got no current value"); return
        }
        #expect(seen.kvs.first?.value.string == winner)

        // Compare on value and version, and a nested txn.
        let nested = TxnRequest(
            compare: [Compare(key: key, .value(winner.bytes)), Compare(key: key, .version(2)), Compare(key: key, .createRevision(0), .greater)],
            success: [.txn(TxnRequest(success: [.deleteRange(DeleteRangeRequest(key: key))]))])
        let result = try await client.txn(nested)
        #expect(result.succeeded)
        guard case .txn(let inner) = result.responses.first, case .deleteRange(let deleted) = inner.responses.first else {
            Issue.record("nested response missing"); return
        }
        #expect(deleted.deleted == 1)
    }

    @Test func sixtyFourConcurrentWriters() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let prefix = TestEtcd.uniquePrefix()
        let revisions = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for writer in 0..<64 {
                group.addTask {
                    var revisions: [Int64] = []
                    for index in 0..<20 {
                        let put = try await client.put(PutRequest(key: (prefix + "w\(writer)/\(index)").bytes, value: "\(writer)-\(index)".bytes))
                        revisions.append(put.header.revision)
                    }
                    return revisions
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        // Every write got its own revision and every one is stored.
        #expect(Set(revisions).count == 64 * 20)
        let stored = try await client.range(.prefix(prefix.bytes))
        #expect(stored.count == 64 * 20)
        #expect(stored.kvs.allSatisfy { kv in kv.key.string.hasSuffix(kv.value.string.replacingOccurrences(of: "-", with: "/")) })
    }

    @Test func sixtyFourMebibyteRangeInOneCall() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared(), timeout: .seconds(60))
        let prefix = TestEtcd.uniquePrefix()
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask { _ = try await client.put(PutRequest(key: (prefix + "\(index)").bytes, value: value)) }
            }
            try await group.waitForAll()
        }
        let all = try await client.range(.prefix(prefix.bytes))
        #expect(all.kvs.count == 64)
        #expect(all.kvs.reduce(0) { $0 + $1.value.count } == 64 << 20)
        _ = try await client.deleteRange(DeleteRangeRequest(key: prefix.bytes, rangeEnd: Keys.prefixEnd(prefix.bytes)))
    }

    @Test func prefixEndFollowsEtcd() {
        #expect(Keys.prefixEnd("abc".bytes) == "abd".bytes)
        #expect(Keys.prefixEnd([0x61, 0xff]) == [0x62])
        #expect(Keys.prefixEnd([0xff, 0xff]) == [0])
        #expect(Keys.prefixEnd([]) == [0])
    }
}
