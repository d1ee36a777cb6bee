import EtcdClient
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct BadInputTests {
    @Test func emptyKeyIsRejected() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        do {
            _ = try await client.put(PutRequest(key: [], value: "v".bytes))
            Issue.record("etcd accepted an empty key")
        } catch let error as EtcdError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("key is not provided"))
        }
    }

    @Test func valueOverTheRequestLimitIsRequestTooLarge() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let key = (TestEtcd.uniquePrefix() + "big").bytes
        let tooBig = [UInt8](repeating: 1, count: 2 << 20)  // etcd's default limit is 1.5 MiB
        do {
            _ = try await client.put(PutRequest(key: key, value: tooBig))
            Issue.record("etcd accepted a 2 MiB request")
        } catch let error as EtcdError {
            #expect(error.isRequestTooLarge)
        }
        #expect(try await client.get(key) == nil)
    }

    @Test func unusableConfigurationsAreRefused() throws {
        #expect(throws: EtcdError.self) { try EtcdClient(EtcdConfiguration(endpoints: [])) }
        #expect(throws: EtcdError.self) { try EtcdClient(EtcdConfiguration(endpoints: [""])) }
        #expect(throws: EtcdError.self) { try EtcdClient(EtcdConfiguration(endpoints: ["https://127.0.0.1:2379"])) }
        var missingCA = EtcdConfiguration(endpoints: ["127.0.0.1:2379"])
        missingCA.caFile = "/nonexistent/ca.pem"
        #expect(throws: EtcdError.self) { try EtcdClient(missingCA) }
        var certWithoutKey = EtcdConfiguration(endpoints: ["127.0.0.1:2379"])
        certWithoutKey.certFile = "/etc/hostname"
        #expect(throws: EtcdError.self) { try EtcdClient(certWithoutKey) }
    }
}
