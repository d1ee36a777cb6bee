import APIMachinery
import EtcdClient
import Foundation
import Operations
import Registry
import Storage
import Testing
import TestSupport

/// The operator tools on custom resources: `berth migrate` moves them to
/// their CRD's storage version and trims status.storedVersions;
/// `berth backup logical` carries CRDs and their objects, and a restore
/// puts the CRDs back before their objects (through the API, once they are
/// Established).
@Suite(.timeLimit(.minutes(3))) struct CustomResourceOperationsTests {
    static let gizmos = "gizmos.ops.example.com"

    static func crd(storage: String) -> JSONValue {
        let schema: JSONValue = ["openAPIV3Schema": ["type": "object", "properties": [
            "spec": ["type": "object", "properties": ["size": ["type": "integer", "default": 1]]]]]]
        return ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": .string(gizmos)],
                "spec": ["group": "ops.example.com", "scope": "Namespaced",
                         "names": ["plural": "gizmos", "singular": "gizmo", "kind": "Gizmo"],
                         "versions": .array(["v1", "v2"].map { version in
                             ["name": .string(version), "served": true, "storage": .bool(version == storage), "schema": schema]
                         })]]
    }

    /// A registry over a fresh prefix holding the gizmos CRD (storage v1)
    /// and `count` gizmos stored at v1.
    static func filled(count: Int) async throws -> (client: EtcdClient, prefix: String, registry: Registry) {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let prefix = TestEtcd.uniquePrefix("crd-ops")
        let registry = try Registry(client: client, prefix: prefix, definitions: BuiltinResources.definitions(),
                                    schemas: BuiltinResources.schemas)
        let crds = try #require(registry.store(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions"))
        let crd = try await crds.create(APIObject(crd(storage: "v1")), namespace: "")
        let definition = try #require(CustomResourceDefinitions.definitions(for: crd).first { $0.0.version == "v1" }?.0)
        let gizmos = ResourceStore(definition: definition, client: client, prefix: prefix)
        for index in 0..<count {
            _ = try await gizmos.create(APIObject(["apiVersion": "ops.example.com/v1", "kind": "Gizmo",
                                                   "metadata": ["name": .string("g\(index)")], "spec": ["size": .int(Int64(index))]]),
                                        namespace: "default")
        }
        return (client, prefix, registry)
    }

    static func crdStore(_ registry: Registry) throws -> ResourceStore {
        try #require(registry.store(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions"))
    }

    @Test func migrateMovesCustomResourcesToTheNewStorageVersionAndTrimsStoredVersions() async throws {
        let (client, prefix, registry) = try await Self.filled(count: 3)
        let crds = try Self.crdStore(registry)
        var crd = try await crds.get(namespace: "", name: Self.gizmos)
        crd["spec"] = Self.crd(storage: "v2")["spec"]
        let updated = try await crds.update(crd, namespace: "", name: Self.gizmos).object
        #expect(updated["status"]?["storedVersions"] == ["v1", "v2"])

        let definitions = BuiltinResources.definitions() + (try await CustomResourceDefinitions.stored(client: client, prefix: prefix))
        let migrator = try StorageMigrator(client: client, prefix: prefix, definitions: definitions, resources: [Self.gizmos])
        let reports = try await migrator.run()
        #expect(reports.map(\.rewritten) == [3])
        #expect(reports.map(\.storageVersion) == ["ops.example.com/v2"])

        let store = ResourceStore(definition: try #require(definitions.first { $0.groupResource.description == Self.gizmos }),
                                  client: client, prefix: prefix)
        let stored = try await store.etcdStore.scan(after: nil, limit: 10).objects.map(\.object)
        #expect(stored.map(\.apiVersion) == Array(repeating: "ops.example.com/v2", count: 3))
        #expect(stored.map { $0["spec"]?["size"] } == [0, 1, 2])
        let trimmed = try await crds.get(namespace: "", name: Self.gizmos)
        #expect(trimmed["status"]?["storedVersions"] == ["v2"])
    }

    @Test func logicalBackupCarriesCRDsAndTheirObjectsIntoAnEmptyStore() async throws {
        let (client, prefix, _) = try await Self.filled(count: 2)
        let definitions = BuiltinResources.definitions() + (try await CustomResourceDefinitions.stored(client: client, prefix: prefix))
        let archive = TestEtcd.temporaryDirectory("crd-backup") + "/crds.tar.gz"
        let manifest = try await LogicalBackup.write(client: client, prefix: prefix, definitions: definitions, served: definitions,
                                                     options: .init(), to: archive)
        #expect(manifest.entries.filter { $0.resource == CustomResourceDefinitions.resourceName }.map(\.name) == [Self.gizmos])
        #expect(manifest.entries.filter { $0.resource == Self.gizmos }.map(\.name) == ["g0", "g1"])

        // Into etcd: the archive's CRDs say how their objects are stored.
        let restoredPrefix = TestEtcd.uniquePrefix("crd-restore")
        let restoredDefinitions = BuiltinResources.definitions() + (try LogicalRestore.customResourceDefinitions(in: archive))
        let destination = try EtcdRestoreDestination(client: client, prefix: restoredPrefix, definitions: restoredDefinitions)
        let report = try await LogicalRestore.restore(archive, into: destination, existing: .fail)
        #expect(report.failed == 0, "\(report.failures)")
        #expect(report.created == manifest.entries.count)
        let gizmos = ResourceStore(definition: try #require(restoredDefinitions.first { $0.groupResource.description == Self.gizmos }),
                                   client: client, prefix: restoredPrefix)
        #expect(try await gizmos.get(namespace: "default", name: "g1")["spec"]?["size"] == 1)

        // Through the API: the CRD is restored and Established before its objects are sent.
        try await APIRestoreTests.withServer(prefix: TestEtcd.uniquePrefix("crd-api-restore"), runtimeConfig: "") { kubeconfig in
            let connection = try APIConnection(try Kubeconfig(file: kubeconfig))
            defer { Task { try await connection.shutdown() } }
            let restored = try await LogicalRestore.restore(archive, into: APIRestoreDestination(connection), existing: .skip)
            #expect(restored.failed == 0, "\(restored.failures)")
            let (code, body) = try await connection.request(.GET, "/apis/ops.example.com/v1/namespaces/default/gizmos/g1")
            #expect(code == 200)
            #expect(body["spec"]?["size"] == 1)
        }
    }
}
