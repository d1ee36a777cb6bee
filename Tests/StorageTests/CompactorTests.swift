import EtcdClient
import Storage
import Testing
import TestSupport

/// Compaction shared by several servers over one etcd, as kube-apiserver's
/// compactors share it: one compacts per interval, the others learn of it
/// through compact_rev_key, and one takes over when the other stops.
@Suite(.timeLimit(.minutes(2))) struct CompactorTests {
    /// A revision before `revision` can no longer be read.
    static func expectCompacted(_ client: EtcdClient, before revision: Int64, _ comment: Comment) async {
        await #expect(comment) {
            _ = try await client.range(RangeRequest(key: Array("/k".utf8), revision: revision - 1))
        } throws: { ($0 as? EtcdError)?.isCompacted == true }
    }

    @Test func twoServersTakeTurnsAndOneTakesOverWhenTheOtherStops() async throws {
        let server = try await TestEtcd.start(name: "compactor")
        defer { Task { await server.stop() } }
        let client = try TestEtcd.client(server)
        func write() async throws -> Int64 { try await client.put(PutRequest(key: Array("/k".utf8), value: [1])).header.revision }

        var a = Compactor(client: client), b = Compactor(client: client)
        _ = try await write()
        // First round: a moves the clock, b learns it; nobody compacts yet.
        #expect(try await a.round() == nil)
        let seenByA = a.revision
        #expect(try await b.round() == nil)
        #expect(a.time == 1 && b.time == 1)
        for _ in 0..<5 { _ = try await write() }

        // Second round: a compacts to what it saw a round ago; b, a moment later, finds the clock moved and does not.
        #expect(try await a.round() == seenByA)
        await Self.expectCompacted(client, before: seenByA, "a compacted")
        #expect(try await b.round() == nil)
        #expect(b.time == 2)
        #expect(try await client.get(Compactor.key)?.version == 2, "one compaction, one tick of the clock")

        // a stops. b's next round finds the clock where it left it, and b compacts.
        for _ in 0..<5 { _ = try await write() }
        let seenByB = b.revision
        #expect(try await b.round() == seenByB)
        await Self.expectCompacted(client, before: seenByB, "b took over")
        let latest = try await write()
        #expect(try await client.range(RangeRequest(key: Array("/k".utf8), revision: latest)).kvs.count == 1, "history since is kept")
    }
}
