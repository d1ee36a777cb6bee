import APIMachinery
import EtcdClient
import Foundation
@testable import Storage
import Testing
import TestSupport

/// Encryption at rest (--encryption-provider-config): kube-apiserver's
/// providers, value layouts and configuration checks, so that values move
/// between Berth and kube-apiserver both ways.
@Suite struct EncryptionTests {
    static let secret = Array(0..<32).map { UInt8($0) }
    static var encodedSecret: String { Data(secret).base64EncodedString() }
    static let etcdKey = Array("/registry/secrets/default/s1".utf8)

    static func configuration(_ providers: String, resources: String = "[secrets]") throws -> EncryptionConfiguration {
        try EncryptionConfiguration(parsing: Array("""
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
            - resources: \(resources)
              providers:
            \(providers)
            """.utf8))
    }

    static func aescbc(_ name: String, _ secret: String = encodedSecret) -> String {
        "  - aescbc: {keys: [{name: \(name), secret: \"\(secret)\"}]}"
    }

    static var secrets: GroupResource { GroupResource(resource: "secrets") }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// AES-256-CBC by OpenSSL, an implementation of the algorithm that
    /// is not Berth's (kube's aescbc is the same cipher, PKCS#7 padding).
    static func openssl(_ decrypt: Bool, _ input: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "enc", "-aes-256-cbc", decrypt ? "-d" : "-e", "-K", hex(secret), "-iv", hex(iv), "-nosalt"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openssl failed")
        return Array(output)
    }

    @Test func aescbcValuesAreKubesLayoutAndOpenSSLReadsAndWritesThem() async throws {
        let transformer = try Self.configuration(Self.aescbc("key1")).transformer(for: Self.secrets)
        let plain = Array(#"{"kind":"Secret","apiVersion":"v1","data":{"k":"dg=="}}"#.utf8)
        let stored = try await transformer.transformToStorage(plain, key: Self.etcdKey)
        let prefix = Array("k8s:enc:aescbc:v1:key1:".utf8)
        #expect(stored.starts(with: prefix))
        let iv = Array(stored[prefix.count..<prefix.count + 16])
        // The rest is the value in AES-CBC under that IV, as OpenSSL makes it.
        #expect(try Self.openssl(true, Array(stored[(prefix.count + 16)...]), iv: iv) == plain)
        // And what OpenSSL writes in that layout reads back.
        let theirs = prefix + iv + (try Self.openssl(false, plain, iv: iv))
        let read = try await transformer.transformFromStorage(theirs, key: Self.etcdKey)
        #expect(read.data == plain && !read.stale)
        // Two writes of one value differ (a random IV each time).
        #expect(try await transformer.transformToStorage(plain, key: Self.etcdKey) != stored)
    }

    /// Values other implementations made in kube's layouts
    /// (EncryptionVectors.swift, from Fixtures/encryption-vectors.py) read back.
    @Test(arguments: ["aescbc", "aesgcm", "secretbox"])
    func valuesMadeByOtherImplementationsReadBack(provider: String) async throws {
        let transformer = try Self.configuration("  - \(provider): {keys: [{name: key1, secret: \"\(Self.encodedSecret)\"}]}")
            .transformer(for: Self.secrets)
        let value = [
            "aescbc": EncryptionVectors.aescbc, "aesgcm": EncryptionVectors.aesgcm, "secretbox": EncryptionVectors.secretbox,
        ][provider]!
        let stored = Array(try #require(Data(base64Encoded: value)))
        let plain = Array(try #require(Data(base64Encoded: EncryptionVectors.plain)))
        let read = try await transformer.transformFromStorage(stored, key: Array(EncryptionVectors.etcdKey.utf8))
        #expect(read.data == plain && !read.stale)
        // What Berth writes, it reads, and it is not the plain text.
        let written = try await transformer.transformToStorage(plain, key: Self.etcdKey)
        #expect(written.starts(with: Array("k8s:enc:\(provider):v1:key1:".utf8)) && !written.contains(plain))
        #expect(try await transformer.transformFromStorage(written, key: Self.etcdKey).data == plain)
    }

    @Test func secretboxRefusesATamperedValue() async throws {
        let transformer = try Self.configuration("  - secretbox: {keys: [{name: key1, secret: \"\(Self.encodedSecret)\"}]}")
            .transformer(for: Self.secrets)
        var stored = Array(try #require(Data(base64Encoded: EncryptionVectors.secretbox)))
        stored[stored.count - 1] ^= 1
        await #expect { _ = try await transformer.transformFromStorage(stored, key: Self.etcdKey) } throws: {
            "\($0)" == "output array was not large enough for encryption"
        }
        // Every length a message may have, against blocks of 16 and 64.
        for count in [0, 1, 15, 16, 17, 63, 64, 65, 200] {
            let plain = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 7) }
            let written = try await transformer.transformToStorage(plain, key: Self.etcdKey)
            #expect(try await transformer.transformFromStorage(written, key: Self.etcdKey).data == plain)
        }
    }

    @Test func aesgcmBindsTheValueToItsKeyAndRefusesATamperedOne() async throws {
        let transformer = try Self.configuration("  - aesgcm: {keys: [{name: k, secret: \"\(Self.encodedSecret)\"}]}")
            .transformer(for: Self.secrets)
        let plain = Array("value".utf8)
        let stored = try await transformer.transformToStorage(plain, key: Self.etcdKey)
        let prefix = Array("k8s:enc:aesgcm:v1:k:".utf8)
        #expect(stored.starts(with: prefix) && stored.count == prefix.count + 12 + plain.count + 16)
        #expect(try await transformer.transformFromStorage(stored, key: Self.etcdKey).data == plain)
        // Copied under another key, or changed, it does not open.
        await #expect(throws: EncryptionError.self) {
            _ = try await transformer.transformFromStorage(stored, key: Array("/registry/secrets/default/s2".utf8))
        }
        var tampered = stored
        tampered[tampered.count - 1] ^= 1
        await #expect(throws: EncryptionError.self) { _ = try await transformer.transformFromStorage(tampered, key: Self.etcdKey) }
    }

    /// The first provider's first key writes; every key reads what carries
    /// its prefix, and a value read with any but the first is stale.
    @Test func keysRotateAndValuesMoveToAndFromPlainText() async throws {
        let old = try Self.configuration(Self.aescbc("key1")).transformer(for: Self.secrets)
        let plain = Array("value".utf8)
        let written = try await old.transformToStorage(plain, key: Self.etcdKey)

        let newKey = Data(Array(repeating: 7, count: 32)).base64EncodedString()
        let rotated = try Self.configuration(Self.aescbc("key2", newKey) + "\n" + Self.aescbc("key1"))
            .transformer(for: Self.secrets)
        let read = try await rotated.transformFromStorage(written, key: Self.etcdKey)
        #expect(read.data == plain && read.stale)
        #expect(try await rotated.transformToStorage(plain, key: Self.etcdKey).starts(with: Array("k8s:enc:aescbc:v1:key2:".utf8)))

        // identity first: writes plain text, still reads the encrypted values.
        let decrypting = try Self.configuration("  - identity: {}\n" + Self.aescbc("key1")).transformer(for: Self.secrets)
        #expect(try await decrypting.transformToStorage(plain, key: Self.etcdKey) == plain)
        #expect(try await decrypting.transformFromStorage(written, key: Self.etcdKey) == (plain, true))
        #expect(try await decrypting.transformFromStorage(plain, key: Self.etcdKey) == (plain, false))

        // Plain text with no identity provider, or a key no one has: kube's errors.
        await #expect { _ = try await old.transformFromStorage(plain, key: Self.etcdKey) } throws: {
            "\($0)" == "no matching prefix found"
        }
        await #expect { _ = try await Self.configuration("  - identity: {}").transformer(for: Self.secrets)
            .transformFromStorage(written, key: Self.etcdKey) } throws: { "\($0)" == "no matching prefix found" }
    }

    @Test func rulesApplyToTheirResourceThenItsGroupThenAll() throws {
        let configuration = try Self.configuration(Self.aescbc("key1"), resources: "[secrets, \"*.apps\"]")
        #expect(configuration.transformer(for: Self.secrets) is EncryptingTransformer)
        #expect(configuration.transformer(for: GroupResource(group: "apps", resource: "deployments")) is EncryptingTransformer)
        #expect(configuration.transformer(for: GroupResource(resource: "configmaps")) is IdentityTransformer)
        let everything = try Self.configuration(Self.aescbc("key1"), resources: "[\"*.*\"]")
        #expect(everything.transformer(for: GroupResource(resource: "configmaps")) is EncryptingTransformer)
        let core = try Self.configuration(Self.aescbc("key1"), resources: "[\"*.\"]")
        #expect(core.transformer(for: GroupResource(resource: "configmaps")) is EncryptingTransformer)
        #expect(core.transformer(for: GroupResource(group: "apps", resource: "deployments")) is IdentityTransformer)
    }

    /// A configuration kube-apiserver would refuse is refused, saying where.
    @Test func badConfigurationsAreRefusedWithKubesFieldPaths() throws {
        func problem(_ providers: String, resources: String = "[secrets]") -> String {
            do {
                _ = try Self.configuration(providers, resources: resources)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(problem(Self.aescbc("key1", Data([1, 2, 3]).base64EncodedString())) ==
            #"resources[0].providers[0].aescbc.keys[0].secret: Invalid value: "REDACTED": secret is not of the expected length, got 3, expected one of [16 24 32]"#)
        #expect(problem(Self.aescbc("key1", "not base64!")) ==
            #"resources[0].providers[0].aescbc.keys[0].secret: Invalid value: "REDACTED": secrets must be base64 encoded"#)
        #expect(problem("  - {identity: {}, aescbc: {keys: []}}").hasPrefix(
            "resources[0].providers[0]: Invalid value: \"identity,aescbc\": more than one provider specified in a single element"))
        #expect(problem("  - identity: {}", resources: "[secrets, secrets]") ==
            #"resources[0].resources[1]: Duplicate value: "secrets""#)
        #expect(problem("  - secretbox: {keys: [{name: k, secret: \"\(Data(Array(repeating: 1, count: 16)).base64EncodedString())\"}]}") ==
            #"resources[0].providers[0].secretbox.keys[0].secret: Invalid value: "REDACTED": secret is not of the expected length, got 16, expected one of [32]"#)
        #expect(problem("  - kms: {name: plugin}").hasPrefix("resources[0].providers[0].kms: Unsupported value"))
        #expect(problem("  - aescbc: {keys: [{name: \"a:b\", secret: \"\(Self.encodedSecret)\"}]}") ==
            #"resources[0].providers[0].aescbc.keys[0].name: Invalid value: "a:b": key name must not contain ":""#)
        #expect(throws: EncryptionConfigurationError.self) {
            try EncryptionConfiguration(parsing: Array("apiVersion: v1\nkind: ConfigMap\n".utf8))
        }
    }

    /// kube's no-op update holds with encryption too: an update that changes
    /// nothing writes nothing (the plain values are compared, not the
    /// ciphertexts, whose nonces differ), unless the value is stale, which
    /// is written again under the current key.
    @Test func anUpdateThatChangesNothingWritesNothingUnlessAnOlderKeyWroteTheValue() async throws {
        let server = try await TestEtcd.shared()
        let prefix = TestEtcd.uniquePrefix()
        let configMaps = GroupResource(resource: "configmaps")
        let old = try Self.configuration(Self.aescbc("key1"), resources: "[configmaps]")
        let store = try await configMapStore(server, prefix: prefix, transformer: old.transformer(for: configMaps))
        let created = try await store.create(configMap("c", data: ["k": "v"]))
        let key = ObjectKey(namespace: "default", name: "c")
        let unchanged = try await store.guaranteedUpdate(key) { $0! }
        #expect(unchanged.resourceVersion == created.resourceVersion)

        let newKey = Data(Array(repeating: 7, count: 32)).base64EncodedString()
        let rotated = try Self.configuration(Self.aescbc("key2", newKey) + "\n" + Self.aescbc("key1"), resources: "[configmaps]")
        let rotatedStore = try await configMapStore(server, prefix: prefix, transformer: rotated.transformer(for: configMaps))
        let scanned = try await rotatedStore.scan(after: nil, limit: 10)
        #expect(scanned.stale == [try rotatedStore.keys.key(key)])
        let rewritten = try await rotatedStore.guaranteedUpdate(key) { $0! }
        #expect(rewritten.resourceVersion != created.resourceVersion)
        let raw = try #require(try await rotatedStore.client.range(RangeRequest(key: Array(try rotatedStore.keys.key(key).utf8))).kvs.first)
        #expect(raw.value.starts(with: Array("k8s:enc:aescbc:v1:key2:".utf8)))
        #expect(try await rotatedStore.scan(after: nil, limit: 10).stale.isEmpty)
    }

    /// Through a store on a real etcd: the value etcd holds is encrypted,
    /// the object reads back whole, and resources no rule names stay plain.
    @Test func aStoredValueIsEncryptedInEtcdAndReadsBack() async throws {
        let server = try await TestEtcd.shared()
        let configuration = try Self.configuration(Self.aescbc("key1"), resources: "[configmaps]")
        let store = try await configMapStore(server, transformer: configuration.transformer(for: GroupResource(resource: "configmaps")))
        _ = try await store.create(configMap("c", data: ["password": "hunter2"]))
        let key = try store.keys.key(ObjectKey(namespace: "default", name: "c"))
        let raw = try #require(try await store.client.range(RangeRequest(key: Array(key.utf8))).kvs.first?.value)
        #expect(raw.starts(with: Array("k8s:enc:aescbc:v1:key1:".utf8)))
        #expect(!String(decoding: raw, as: UTF8.self).contains("hunter2"))
        let read = try await store.get(ObjectKey(namespace: "default", name: "c"))
        #expect(read["data"]?["password"] == "hunter2")

        let plain = try await configMapStore(server)
        _ = try await plain.create(configMap("p", data: ["k": "visible"]))
        let plainKey = try plain.keys.key(ObjectKey(namespace: "default", name: "p"))
        let plainRaw = try #require(try await plain.client.range(RangeRequest(key: Array(plainKey.utf8))).kvs.first?.value)
        #expect(String(decoding: plainRaw, as: UTF8.self).contains("visible"))
    }
}
