import EtcdClient
import Foundation
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct MaintenanceTests {
    @Test func statusAndMemberList() async throws {
        let server = try await TestEtcd.shared()
        let client = try TestEtcd.client(server)
        let status = try await client.status()
        #expect(status.version.hasPrefix("3."))
        #expect(status.leader != 0 && status.dbSize > 0 && status.header.revision > 0)
        let members = try await client.memberList()
        #expect(members.members.count == 1)
        #expect(members.members.first?.clientURLs == [server.clientURL])
        #expect(members.members.first?.id == status.header.memberID)
    }

    @Test func snapshotStreamsTheWholeDatabase() async throws {
        let server = try await TestEtcd.start(name: "snapshot")
        defer { server.kill() }
        let client = try TestEtcd.client(server)
        for index in 0..<200 {
            _ = try await client.put(PutRequest(key: "/snap/\(index)".bytes, value: [UInt8](repeating: 7, count: 1000)))
        }
        var file = [UInt8]()
        var chunks = 0
        var lastRemaining: UInt64 = .max
        for try await chunk in try client.snapshot() {
            file += chunk.bytes
            chunks += 1
            lastRemaining = chunk.remainingBytes
        }
        #expect(chunks > 1)
        #expect(lastRemaining == 0)
        // etcd's own tool accepts the file as a snapshot holding our keys.
        let path = TestEtcd.temporaryDirectory("snapshot-file") + "/db"
        try Data(file).write(to: URL(fileURLWithPath: path))
        let status = try runTool(["etcdctl", "snapshot", "status", path, "-w", "json"], environment: ["ETCDCTL_API": "3"])
        #expect(status.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as! [String: Any]
        #expect((json["totalKey"] as? Int ?? 0) >= 200)
    }
}
