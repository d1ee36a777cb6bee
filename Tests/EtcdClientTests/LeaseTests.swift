import EtcdClient
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct LeaseTests {
    @Test func grantKeepAliveTimeToLiveAndRevoke() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let key = (TestEtcd.uniquePrefix() + "leased").bytes
        let lease = try await client.leaseGrant(ttl: 30)
        #expect(lease.id != 0 && lease.ttl == 30)
        _ = try await client.put(PutRequest(key: key, value: "v".bytes, lease: lease.id))

        let ttl = try await client.leaseTimeToLive(id: lease.id, keys: true)
        #expect(ttl.grantedTTL == 30 && ttl.ttl > 0 && ttl.ttl <= 30)
        #expect(ttl.keys == [key])
        #expect(try await client.get(key)?.lease == lease.id)

        let refreshed = try await client.leaseKeepAliveOnce(id: lease.id)
        #expect(refreshed.id == lease.id && refreshed.ttl == 30)

        // One stream refreshing several times answers each time, in order.
        let stream = try client.leaseKeepAlive()
        var answers = 0
        stream.keepAlive(lease.id)
        for try await response in stream {
            #expect(response.ttl == 30)
            answers += 1
            if answers == 3 { break }
            stream.keepAlive(lease.id)
        }
        #expect(answers == 3, "the keep-alive stream ended after \(answers) answers")

        try await client.leaseRevoke(id: lease.id)
        #expect(try await client.get(key) == nil)
        #expect(try await client.leaseTimeToLive(id: lease.id).ttl == -1)
        // Keeping a revoked lease alive answers TTL 0: the lease is gone.
        #expect(try await client.leaseKeepAliveOnce(id: lease.id).ttl <= 0)
    }

    @Test func expiredLeaseDeletesItsKeys() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let key = (TestEtcd.uniquePrefix() + "short").bytes
        // A machine stalled for longer than the TTL between the grant and the
        // put sees the lease expire first ("lease not found"); try again then.
        for attempt in 1...3 {
            let lease = try await client.leaseGrant(ttl: 1)
            do {
                _ = try await client.put(PutRequest(key: key, value: "v".bytes, lease: lease.id))
                break
            } catch let error as EtcdError where error.message.contains("lease not found") && attempt < 3 {
                continue
            }
        }
        var gone = false
        for _ in 0..<60 where !gone {
            try await Task.sleep(for: .milliseconds(100))
            gone = try await client.get(key) == nil
        }
        #expect(gone)
    }

    @Test func revokingAnUnknownLeaseIsAnError() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        await #expect(throws: EtcdError.self) { try await client.leaseRevoke(id: 0x7abc_def0_1234) }
    }
}
