import EtcdClient
import Foundation
import Operations
import Registry
import Testing
import TestSupport

/// berth backup snapshot / verify / restore snapshot against a real etcd of
/// the test's own, with etcd's tools as the second opinion.
@Suite(.timeLimit(.minutes(2))) struct SnapshotBackupTests {
    static func filledEtcd() async throws -> (EmbeddedEtcd, EtcdClient) {
        let server = try await TestEtcd.start(name: "snapshot")
        let client = try TestEtcd.client(server)
        for index in 0..<50 {
            _ = try await client.put(PutRequest(key: Array("/registry/configmaps/default/c\(index)".utf8),
                                                value: Array("value \(index)".utf8)))
        }
        return (server, client)
    }

    @Test func aSnapshotRestoresIntoAnEtcdHoldingEverything() async throws {
        let (server, client) = try await Self.filledEtcd()
        defer { Task { await server.stop() } }
        let file = TestEtcd.temporaryDirectory("snapshot") + "/etcd.db"
        var reported: [Int64] = []
        let manifest = try await SnapshotBackup.write(client, to: file) { written, _ in reported.append(written) }
        #expect(manifest.bytes == (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64))
        #expect(reported.last == manifest.bytes)
        #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
        #expect(try SnapshotBackup.verify(file) == manifest)
        // etcd's own tool agrees on the revision it holds.
        let status = try runTool(["etcdctl", "snapshot", "status", file, "-w", "json"], environment: ["ETCDCTL_API": "3"])
        #expect(status.status == 0)
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
        #expect((fields["revision"] as? Int).map(Int64.init) == manifest.revision)

        let restored = TestEtcd.temporaryDirectory("restored") + "/etcd"
        // The restored member's name and peer URL are those it will run with.
        let ports = try EmbeddedEtcd(dataDirectory: restored)
        let again = try EmbeddedEtcd(dataDirectory: restored, clientPort: ports.clientPort, peerPort: ports.peerPort)
        _ = try SnapshotBackup.restore(file, into: restored, name: again.name, peerURL: "http://127.0.0.1:\(again.peerPort)")
        try await again.start()
        defer { Task { await again.stop() } }
        let reader = try TestEtcd.client(again)
        let value = try await reader.get(Array("/registry/configmaps/default/c49".utf8))
        #expect(value.map { String(decoding: $0.value, as: UTF8.self) } == "value 49")
        #expect(try await reader.range(.prefix(Array("/registry/".utf8), limit: 0)).kvs.count == 50)
        #expect(throws: OperationFailure.self) { try SnapshotBackup.restore(file, into: restored) }
    }

    @Test func damagedOrForeignFilesAreRefusedAndNothingIsRestored() async throws {
        let (server, client) = try await Self.filledEtcd()
        defer { Task { await server.stop() } }
        let directory = TestEtcd.temporaryDirectory("damaged")
        let file = directory + "/etcd.db"
        _ = try await SnapshotBackup.write(client, to: file)
        let original = try #require(FileManager.default.contents(atPath: file))
        func refused(_ contents: Data, _ why: String) {
            FileManager.default.createFile(atPath: file, contents: contents)
            #expect(throws: OperationFailure.self, "\(why)") { try SnapshotBackup.verify(file) }
            #expect(throws: OperationFailure.self) { try SnapshotBackup.restore(file, into: directory + "/restored") }
            #expect(!FileManager.default.fileExists(atPath: directory + "/restored"), "nothing written")
        }
        var flipped = original
        flipped[flipped.count / 2] ^= 0xFF
        refused(flipped, "one byte changed")
        refused(original.prefix(original.count - 100), "truncated")
        // A foreign file with a manifest that matches it: no etcd integrity hash.
        let foreign = Data(repeating: 7, count: 4096)
        FileManager.default.createFile(atPath: directory + "/foreign.db", contents: foreign)
        let sha256 = try runTool(["sha256sum", directory + "/foreign.db"]).output.prefix(64)
        try Data("""
            {"kind":"snapshot","sha256":"\(sha256)","bytes":4096,"revision":1,"created":"2026-11-21T00:00:00Z"}
            """.utf8).write(to: URL(fileURLWithPath: directory + "/foreign.db.manifest.json"))
        #expect(throws: OperationFailure.self) { try SnapshotBackup.verify(directory + "/foreign.db") }
        #expect(throws: OperationFailure.self) { try SnapshotBackup.verify(directory + "/no-such.db") }
    }
}

/// A backup whose etcd is gone is a clear error and leaves no file behind.
@Suite(.timeLimit(.minutes(2))) struct BackupFailureTests {
    @Test func anUnreachableEtcdLeavesNoFileBehind() async throws {
        let (server, client) = try await SnapshotBackupTests.filledEtcd()
        await server.stop()
        let directory = TestEtcd.temporaryDirectory("unreachable")
        await #expect(throws: (any Error).self) { _ = try await SnapshotBackup.write(client, to: directory + "/etcd.db") }
        let definitions = BuiltinResources.definitions()
        await #expect(throws: (any Error).self) {
            _ = try await LogicalBackup.write(client: client, prefix: "/registry", definitions: definitions, served: definitions,
                                              options: .init(), to: directory + "/all.tar.gz")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty, "no file, partial or whole")
    }
}
