import APIMachinery
import EtcdClient
import Foundation
import Operations
import Registry
import Storage
import Testing
import TestSupport

/// The operator tools with --encryption-provider-config: a logical backup
/// holds encrypted resources in plain text only when asked to, a restore
/// into etcd encrypts them again, and without the configuration a tool
/// says it met encrypted data instead of calling it corrupt JSON.
@Suite(.timeLimit(.minutes(2))) struct EncryptedBackupTests {
    static let prefix = "/registry"

    /// Secrets through aesgcm, with these keys in order (name, and the byte
    /// their 32 bytes repeat).
    static func encryption(_ keys: [(name: String, byte: UInt8)]) throws -> EncryptionConfiguration {
        let providers = keys.map { key in
            "  - aesgcm: {keys: [{name: \(key.name), secret: \"\(Data(Array(repeating: key.byte, count: 32)).base64EncodedString())\"}]}"
        }
        return try EncryptionConfiguration(parsing: Array((["apiVersion: apiserver.config.k8s.io/v1", "kind: EncryptionConfiguration",
                                                            "resources:", "- resources: [secrets]", "  providers:"] + providers)
            .joined(separator: "\n").utf8))
    }

    static let encryption = try! encryption([("key1", 9)])

    static func rawSecret(_ client: EtcdClient) async throws -> [UInt8] {
        try #require(try await client.range(RangeRequest(key: Array("\(prefix)/secrets/shop/keys".utf8))).kvs.first?.value)
    }

    @Test func aLogicalBackupHoldsEncryptedResourcesInPlainTextOnlyWhenAskedAndARestoreEncryptsThemAgain() async throws {
        let server = try await TestEtcd.start(name: "encrypted-backup")
        defer { Task { await server.stop() } }
        let client = try TestEtcd.client(server)
        let definitions = BuiltinResources.definitions()
        let registry = try Registry(client: client, prefix: Self.prefix, definitions: definitions, schemas: BuiltinResources.schemas,
                                    encryption: Self.encryption)
        let namespaces = try #require(registry.store(group: "", version: "v1", resource: "namespaces"))
        _ = try await namespaces.create(APIObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "shop"]]), namespace: "")
        let secrets = try #require(registry.store(group: "", version: "v1", resource: "secrets"))
        _ = try await secrets.create(APIObject(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "keys"],
                                                "stringData": ["token": "s3cret"]]), namespace: "shop")
        #expect(try await Self.rawSecret(client).starts(with: Array("k8s:enc:aesgcm:v1:key1:".utf8)))

        let directory = TestEtcd.temporaryDirectory("encrypted-backup")
        var options = LogicalBackup.Options()
        options.encryption = Self.encryption
        do {
            _ = try await LogicalBackup.write(client: client, prefix: Self.prefix, definitions: definitions, served: definitions,
                                              options: options, to: directory + "/refused.tar.gz")
            Issue.record("a backup of encrypted secrets in plain text was written without --plaintext")
        } catch let failure as OperationFailure {
            #expect(failure.description.hasPrefix("secrets is encrypted at rest, and a logical backup would hold its objects in plain text"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/refused.tar.gz"))
        // Without the configuration the tool cannot read them, and says why.
        await #expect { _ = try await LogicalBackup.write(client: client, prefix: Self.prefix, definitions: definitions,
                                                          served: definitions, options: .init(), to: directory + "/blind.tar.gz") }
            throws: { "\($0)".contains("identity transformer tried to read encrypted data") }

        options.plaintext = true
        let manifest = try await LogicalBackup.write(client: client, prefix: Self.prefix, definitions: definitions, served: definitions,
                                                     options: options, to: directory + "/plain.tar.gz")
        #expect(manifest.resources.first { $0.resource == "secrets" }?.count == 1)
        let archived = try runTool(["sh", "-c", "tar -xzOf \(directory)/plain.tar.gz secrets/shop/keys.json"])
        #expect(archived.status == 0 && archived.output.contains(Data("s3cret".utf8).base64EncodedString()), "the archive holds the secret decrypted")

        // Restored into an emptied etcd through the same configuration: encrypted again, and whole.
        _ = try await client.deleteRange(DeleteRangeRequest(key: Array("\(Self.prefix)/secrets/".utf8),
                                                            rangeEnd: Keys.prefixEnd(Array("\(Self.prefix)/secrets/".utf8))))
        let destination = try EtcdRestoreDestination(client: client, prefix: Self.prefix, definitions: definitions,
                                                     encryption: Self.encryption)
        _ = try await LogicalRestore.restore(directory + "/plain.tar.gz", into: destination, existing: .skip)
        #expect(try await Self.rawSecret(client).starts(with: Array("k8s:enc:aesgcm:v1:key1:".utf8)))
        let restored = try await secrets.get(namespace: "shop", name: "keys")
        #expect(restored["data"]?["token"]?.stringValue == Data("s3cret".utf8).base64EncodedString())

        // A new key first: berth migrate rewrites what the old one wrote, once.
        let rotated = try Self.encryption([("key2", 3), ("key1", 9)])
        let migrator = try StorageMigrator(client: client, prefix: Self.prefix, definitions: definitions, resources: ["secrets"],
                                           encryption: rotated)
        #expect(try await migrator.run().first?.rewritten == 1)
        #expect(try await Self.rawSecret(client).starts(with: Array("k8s:enc:aesgcm:v1:key2:".utf8)))
        #expect(try await migrator.run().first?.current == 1)
    }
}
