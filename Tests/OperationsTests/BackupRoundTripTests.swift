import APIMachinery
import EtcdClient
import Foundation
import Operations
import Registry
import Storage
import Testing
import TestSupport

/// The full round trip: a store with objects of every built-in kind, some at
/// an older storage version, backed up both ways, wiped, restored, and
/// compared object by object.
@Suite(.timeLimit(.minutes(3))) struct BackupRoundTripTests {
    static let prefix = "/registry"

    /// Objects of every built-in kind, HPAs at two storage versions.
    static func fill(_ client: EtcdClient) async throws {
        let old = try StorageVersionOverrides(parsing: ["horizontalpodautoscalers.autoscaling=v1"]).apply(to: BuiltinResources.definitions())
        let registry = try Registry(client: client, prefix: prefix, definitions: old, runtimeConfig: RuntimeConfig(parsing: "api/alpha=true,api/beta=true"),
                                    schemas: BuiltinResources.schemas)
        try await registry.ensureInitialNamespaces()
        func create(_ group: String, _ version: String, _ resource: String, _ json: JSONValue, in namespace: String = "shop") async throws {
            let store = try #require(registry.store(group: group, version: version, resource: resource))
            _ = try await store.create(APIObject(json), namespace: store.definition.namespaced ? namespace : "")
        }
        try await create("", "v1", "namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "shop", "labels": ["team": "a"]]])
        try await create("", "v1", "configmaps", ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "prices", "labels": ["app": "shop"]], "data": ["apple": "3"]])
        try await create("", "v1", "secrets", ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "keys"], "stringData": ["token": "s3cret"]])
        try await create("", "v1", "events", ["apiVersion": "v1", "kind": "Event", "metadata": ["name": "started"],
                                             "involvedObject": ["kind": "Pod", "name": "web", "namespace": "shop"], "reason": "Started", "message": "up"])
        try await create("events.k8s.io", "v1", "events", ["apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": ["name": "scaled"],
                                                          "eventTime": "2026-11-21T10:00:00.000000Z", "reportingController": "x/y", "reportingInstance": "i",
                                                          "action": "Scale", "reason": "Scaled", "type": "Normal", "note": "to 3",
                                                          "regarding": ["kind": "Deployment", "name": "web", "namespace": "shop"]])
        try await create("", "v1", "serviceaccounts", ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "robot"]])
        try await create("", "v1", "services", ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                                               "spec": ["ports": [["port": 80]], "selector": ["app": "web"]]])
        try await create("", "v1", "endpoints", ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "web"],
                                                "subsets": [["addresses": [["ip": "10.0.0.1"]], "ports": [["port": 80]]]]])
        try await create("", "v1", "pods", ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web", "finalizers": ["shop/keep"]],
                                           "spec": ["containers": [["name": "web", "image": "nginx"]]]])
        try await create("coordination.k8s.io", "v1", "leases", ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "leader"],
                                                                "spec": ["holderIdentity": "a"]])
        try await create("coordination.k8s.io", "v1alpha2", "leasecandidates", ["apiVersion": "coordination.k8s.io/v1alpha2", "kind": "LeaseCandidate",
                                                                               "metadata": ["name": "c"], "spec": ["leaseName": "leader", "binaryVersion": "1.32.0", "strategy": "OldestEmulationVersion", "emulationVersion": "1.32.0"]])
        let hpa: JSONValue = ["apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "old"],
                              "spec": ["scaleTargetRef": ["kind": "Deployment", "name": "web"], "maxReplicas": 3,
                                       "metrics": [["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "1Gi"]]]]]]
        try await create("autoscaling", "v2", "horizontalpodautoscalers", hpa)  // stored at autoscaling/v1
        // And one at today's storage version, autoscaling/v2.
        let today = try Registry(client: client, prefix: prefix, definitions: BuiltinResources.definitions(), schemas: BuiltinResources.schemas)
        var new = hpa
        new["metadata"] = ["name": "new"]
        _ = try await today.store(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers")!.create(APIObject(new), namespace: "shop")
        try await create("storagemigration.k8s.io", "v1alpha1", "storageversionmigrations", ["apiVersion": "storagemigration.k8s.io/v1alpha1",
            "kind": "StorageVersionMigration", "metadata": ["name": "m"], "spec": ["resource": ["group": "", "version": "v1", "resource": "configmaps"]]])
    }

    /// Every object as served at every version it is served at, without resourceVersion.
    static func everything(_ client: EtcdClient, prefix: String = prefix) async throws -> [String: JSONValue] {
        let registry = try Registry(client: client, prefix: prefix, definitions: BuiltinResources.definitions(),
                                    runtimeConfig: RuntimeConfig(parsing: "api/alpha=true,api/beta=true"), schemas: BuiltinResources.schemas)
        var all: [String: JSONValue] = [:]
        for store in registry.stores {
            for var object in try await store.list(namespace: nil, ListQuery()).items {
                object.resourceVersion = ""
                all["\(store.definition.groupVersion)/\(store.definition.resource)/\(object.namespace)/\(object.name)"] = object.json
            }
        }
        return all
    }

    static func wipe(_ client: EtcdClient) async throws {
        _ = try await client.deleteRange(DeleteRangeRequest(key: Array("\(prefix)/".utf8), rangeEnd: Keys.prefixEnd(Array("\(prefix)/".utf8))))
    }

    @Test func backUpBothWaysWipeRestoreAndCompareEveryObject() async throws {
        let server = try await TestEtcd.start(name: "roundtrip")
        defer { Task { await server.stop() } }
        let client = try TestEtcd.client(server)
        try await Self.fill(client)
        let before = try await Self.everything(client)
        #expect(before.count > 20)
        let rawBefore = try await client.range(.prefix(Array("\(Self.prefix)/".utf8))).kvs

        let directory = TestEtcd.temporaryDirectory("roundtrip")
        let snapshot = try await SnapshotBackup.write(client, to: directory + "/etcd.db")
        let definitions = BuiltinResources.definitions()
        let logical = try await LogicalBackup.write(client: client, prefix: Self.prefix, definitions: definitions, served: definitions,
                                                    options: .init(), to: directory + "/all.tar.gz")
        #expect(logical.revision == snapshot.revision, "both at one revision, nothing written between")
        #expect(logical.resources.first { $0.resource == "horizontalpodautoscalers.autoscaling" }?.count == 2)
        #expect(logical.resources.first { $0.resource == "horizontalpodautoscalers.autoscaling" }?.apiVersion == "autoscaling/v2")
        var yamlOptions = LogicalBackup.Options()
        yamlOptions.yaml = true
        yamlOptions.asServed = true
        _ = try await LogicalBackup.write(client: client, prefix: Self.prefix, definitions: definitions, served: definitions,
                                          options: yamlOptions, to: directory + "/all-yaml.tar.gz")
        // tar itself reads the archive.
        let listing = try runTool(["tar", "-tzf", directory + "/all.tar.gz"])
        #expect(listing.status == 0)
        #expect(listing.output.contains("configmaps/shop/prices.json"))

        // Logical: wipe, restore, compare (resourceVersions aside).
        let intoEtcd = try EtcdRestoreDestination(client: client, prefix: Self.prefix, definitions: definitions)
        for archive in ["all.tar.gz", "all-yaml.tar.gz"] {
            try await Self.wipe(client)
            let report = try await LogicalRestore.restore(directory + "/" + archive, into: intoEtcd, existing: .fail)
            #expect(report.failed == 0, "\(report.failures)")
            #expect(report.created == logical.entries.count)
            let after = try await Self.everything(client)
            #expect(Set(after.keys) == Set(before.keys), "\(archive)")
            // Field by field: YAML documents come back with their keys sorted.
            for (key, object) in before { #expect(after[key]?.canonical == object.canonical, "\(archive): \(key)") }
        }
        // Again onto what is there: skip, overwrite, or stop.
        let skipped = try await LogicalRestore.restore(directory + "/all.tar.gz", into: intoEtcd, existing: .skip)
        #expect(skipped.skipped == logical.entries.count && skipped.created == 0)
        let overwritten = try await LogicalRestore.restore(directory + "/all.tar.gz", into: intoEtcd, existing: .overwrite)
        #expect(overwritten.overwritten == logical.entries.count)
        await #expect(throws: OperationFailure.self) {
            _ = try await LogicalRestore.restore(directory + "/all.tar.gz", into: intoEtcd, existing: .fail)
        }

        // Snapshot: into a new etcd, byte for byte, revisions and all.
        let restored = directory + "/restored-etcd"
        let ports = try EmbeddedEtcd(dataDirectory: restored)
        let again = try EmbeddedEtcd(dataDirectory: restored, clientPort: ports.clientPort, peerPort: ports.peerPort)
        _ = try SnapshotBackup.restore(directory + "/etcd.db", into: restored, name: again.name, peerURL: "http://127.0.0.1:\(again.peerPort)")
        try await again.start()
        defer { Task { await again.stop() } }
        let rawAfter = try await TestEtcd.client(again).range(.prefix(Array("\(Self.prefix)/".utf8))).kvs
        #expect(rawAfter.map { [$0.key, $0.value] } == rawBefore.map { [$0.key, $0.value] })
        #expect(rawAfter.map(\.modRevision) == rawBefore.map(\.modRevision))
    }

    @Test func aDamagedArchiveIsRefusedAndNothingIsWritten() async throws {
        let server = try await TestEtcd.start(name: "damaged-archive")
        defer { Task { await server.stop() } }
        let client = try TestEtcd.client(server)
        try await Self.fill(client)
        let directory = TestEtcd.temporaryDirectory("damaged-archive")
        let definitions = BuiltinResources.definitions()
        let manifest = try await LogicalBackup.write(client: client, prefix: Self.prefix, definitions: definitions,
                                                     served: definitions, options: .init(), to: directory + "/all.tar.gz")
        try await Self.wipe(client)
        let intoEtcd = try EtcdRestoreDestination(client: client, prefix: Self.prefix, definitions: definitions)
        let original = try #require(FileManager.default.contents(atPath: directory + "/all.tar.gz"))
        var flipped = original
        flipped[flipped.count / 2] ^= 0xFF
        // A document edited after the backup: the archive is whole, its checksum is not.
        let unpacked = directory + "/unpacked"
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        #expect(try runTool(["tar", "-xzf", directory + "/all.tar.gz", "-C", unpacked]).status == 0)
        try Data(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"prices","namespace":"shop"},"data":{"apple":"1"}}"#.utf8)
            .write(to: URL(fileURLWithPath: unpacked + "/configmaps/shop/prices.json"))
        #expect(try runTool(["tar", "--format=ustar", "-czf", directory + "/edited.tar.gz", "-C", unpacked]
                            + FileManager.default.contentsOfDirectory(atPath: unpacked).sorted()).status == 0)
        let edited = try #require(FileManager.default.contents(atPath: directory + "/edited.tar.gz"))
        for (damage, contents) in [("truncated", original.prefix(original.count / 2)), ("foreign", Data("not an archive".utf8)),
                                   ("one byte changed", flipped), ("a document edited", edited),
                                   ("trailing bytes", original + Data("junk".utf8)), ("its gzip trailer cut", original.dropLast(6))] {
            FileManager.default.createFile(atPath: directory + "/bad.tar.gz", contents: contents)
            await #expect(throws: OperationFailure.self, "\(damage)") {
                _ = try await LogicalRestore.restore(directory + "/bad.tar.gz", into: intoEtcd, existing: .fail)
            }
            #expect(try await client.range(.prefix(Array("\(Self.prefix)/".utf8))).kvs.isEmpty, "\(damage): nothing written")
        }
        // A dry run counts and writes nothing.
        let dry = try await LogicalRestore.restore(directory + "/all.tar.gz", into: intoEtcd, existing: .fail, dryRun: true)
        #expect(dry.created == manifest.entries.count)
        #expect(try await client.range(.prefix(Array("\(Self.prefix)/".utf8))).kvs.isEmpty)
    }
}

