import APIMachinery
import EtcdClient
import Operations
import Registry
import Storage
import Testing
import TestSupport

/// berth migrate against a real etcd: values written while HPAs were stored at
/// autoscaling/v1 are moved to today's storage version (v2), safely under
/// live writes, resumably, and only once.
@Suite(.timeLimit(.minutes(2))) struct StorageMigrationTests {
    static let hpas = "horizontalpodautoscalers.autoscaling"

    /// A store over a fresh prefix whose HPAs were written at autoscaling/v1,
    /// plus a ConfigMap, which is stored at its storage version already.
    static func oldStore(count: Int) async throws -> (client: EtcdClient, prefix: String, store: ResourceStore) {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let prefix = TestEtcd.uniquePrefix()
        let old = try StorageVersionOverrides(parsing: ["\(hpas)=v1"]).apply(to: BuiltinResources.definitions())
        let registry = try Registry(client: client, prefix: prefix, definitions: old, schemas: BuiltinResources.schemas)
        try await registry.ensureInitialNamespaces()
        let store = try #require(registry.store(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers"))
        for index in 0..<count {
            _ = try await store.create(APIObject([
                "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": .string("h\(index)")],
                "spec": ["scaleTargetRef": ["kind": "Deployment", "name": "web"], "maxReplicas": 5,
                         "metrics": [["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "1Gi"]]]]],
            ]), namespace: "default")
        }
        let configMaps = try #require(registry.store(group: "", version: "v1", resource: "configmaps"))
        _ = try await configMaps.create(APIObject(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"]]), namespace: "default")
        return (client, prefix, store)
    }

    /// The apiVersion of every stored HPA, as etcd holds it.
    static func storedVersions(_ store: ResourceStore) async throws -> [String] {
        try await store.etcdStore.scan(after: nil, limit: 1000).objects.map(\.object.apiVersion)
    }

    static func migrator(_ client: EtcdClient, _ prefix: String, resources: [String]? = [hpas], pageSize: Int = 3) throws -> StorageMigrator {
        var migrator = try StorageMigrator(client: client, prefix: prefix, definitions: BuiltinResources.definitions(),
                                           resources: resources)
        migrator.pageSize = pageSize
        return migrator
    }

    @Test func rewritesOldValuesOnceAndADryRunWritesNothing() async throws {
        let (client, prefix, store) = try await Self.oldStore(count: 7)
        let before = try await store.etcdStore.scan(after: nil, limit: 100).objects.map(\.object.resourceVersion)

        let dry = try await Self.migrator(client, prefix).run(dryRun: true)
        #expect(dry.map(\.rewritten) == [7], "what it would rewrite")
        #expect(try await store.etcdStore.scan(after: nil, limit: 100).objects.map(\.object.resourceVersion) == before)

        var pages: [Int] = []
        let reports = try await Self.migrator(client, prefix).run { pages.append($0.report.found) }
        #expect(reports.count == 1)
        #expect(reports[0].resource == Self.hpas)
        #expect(reports[0].storageVersion == "autoscaling/v2")
        #expect(reports[0].found == 7 && reports[0].rewritten == 7 && reports[0].current == 0 && reports[0].skipped == 0)
        #expect(pages == [3, 6, 7], "progress after each page of 3")
        #expect(try await Self.storedVersions(store) == Array(repeating: "autoscaling/v2", count: 7))
        // Nothing was lost in the move: the v2-only metric is still there.
        let read = try await store.get(namespace: "default", name: "h3")
        #expect(read["spec"]?["metrics"]?[0]?["resource"]?["name"] == "memory")

        let again = try await Self.migrator(client, prefix).run()
        #expect(again[0].rewritten == 0 && again[0].current == 7, "a second run finds nothing to do")
    }

    @Test func allCoversEveryResourceAndUnknownNamesAreRefused() async throws {
        let (client, prefix, _) = try await Self.oldStore(count: 2)
        let reports = try await Self.migrator(client, prefix, resources: nil).run()
        let byName = Dictionary(uniqueKeysWithValues: reports.map { ($0.resource, $0) })
        #expect(byName[Self.hpas]?.rewritten == 2)
        #expect(byName["configmaps"]?.current == 1)
        #expect(byName["namespaces"]?.current == 4)
        #expect(byName["events"] != nil, "events are listed once, under core/v1, their storage version")
        #expect(byName["events.events.k8s.io"] == nil)
        #expect(throws: UnknownResource.self) { try Self.migrator(client, prefix, resources: ["deployments.apps"]) }
    }

    @Test func aStoppedMigrationCarriesOnFromItsCheckpoint() async throws {
        let (client, prefix, store) = try await Self.oldStore(count: 7)
        let stopped = Task {
            try await Self.migrator(client, prefix, pageSize: 2).run { _ in withUnsafeCurrentTask { $0?.cancel() } }
        }
        await #expect(throws: CancellationError.self) { try await stopped.value }
        #expect(try await Self.storedVersions(store).filter { $0 == "autoscaling/v2" }.count == 2, "one page done")

        let resumed = try await Self.migrator(client, prefix, pageSize: 2).run()
        #expect(resumed[0].found == 7)
        #expect(resumed[0].rewritten == 7, "2 before the stop, 5 after, none twice")
        #expect(resumed[0].current == 0)
        #expect(try await Self.storedVersions(store) == Array(repeating: "autoscaling/v2", count: 7))
    }

    @Test func liveWritesAreNeverOverwrittenAndWatchersSeeModified() async throws {
        let (client, prefix, _) = try await Self.oldStore(count: 20)
        // The writer is a server of today, storing at autoscaling/v2 too.
        let registry = try Registry(client: client, prefix: prefix, definitions: BuiltinResources.definitions(),
                                    schemas: BuiltinResources.schemas)
        let store = try #require(registry.store(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers"))
        let start = try await store.list(namespace: "default", ListQuery()).resourceVersion
        let events = try await store.watch(namespace: "default", ListQuery(listOptions: ListOptions(resourceVersion: start)),
                                           bookmarks: false)
        // A writer moves every HPA's maxReplicas while the migration runs.
        async let writes: Void = {
            for round in 1...3 {
                for index in 0..<20 {
                    _ = try await store.patch(["spec": ["maxReplicas": .int(Int64(5 + round))]], type: .merge,
                                              namespace: "default", name: "h\(index)")
                }
            }
        }()
        let report = try await Self.migrator(client, prefix, pageSize: 4).run()[0]
        try await writes
        #expect(report.found == 20)
        #expect(report.rewritten + report.current == 20)
        for index in 0..<20 {
            let object = try await store.get(namespace: "default", name: "h\(index)")
            #expect(object["spec"]?["maxReplicas"] == 8, "the last write stands")
        }
        #expect(try await Self.storedVersions(store) == Array(repeating: "autoscaling/v2", count: 20))

        var modified = 0
        for await event in events {
            if event.type == .modified { modified += 1 }
            if modified >= report.rewritten + 60 { break }
        }
        #expect(modified == report.rewritten + 60, "each rewrite is a MODIFIED event, beside the 60 patches")
    }
}

/// The API form: a StorageVersionMigration object makes a running server
/// migrate its resource and report in the object's status.
@Suite(.timeLimit(.minutes(2))) struct StorageVersionMigrationAPITests {
    static func migration(_ name: String, group: String, resource: String) -> APIObject {
        APIObject(["apiVersion": "storagemigration.k8s.io/v1alpha1", "kind": "StorageVersionMigration", "metadata": ["name": .string(name)],
                   "spec": ["resource": ["group": .string(group), "version": "v2", "resource": .string(resource)]]])
    }

    @Test func aMigrationObjectIsCarriedOutAndReportsInItsConditions() async throws {
        let (client, prefix, _) = try await StorageMigrationTests.oldStore(count: 5)
        let registry = try Registry(client: client, prefix: prefix, definitions: BuiltinResources.definitions(),
                                    runtimeConfig: RuntimeConfig(parsing: "storagemigration.k8s.io/v1alpha1=true"),
                                    schemas: BuiltinResources.schemas)
        let migrations = try #require(registry.store(group: "storagemigration.k8s.io", version: "v1alpha1",
                                                     resource: "storageversionmigrations"))
        _ = try await migrations.create(Self.migration("hpas", group: "autoscaling", resource: "horizontalpodautoscalers"), namespace: "")
        _ = try await migrations.create(Self.migration("nothing", group: "apps", resource: "deployments"), namespace: "")
        let controller = StorageVersionMigrationController(registry: registry, client: client, prefix: prefix)
        try await controller.reconcile()

        let done = try await migrations.get(namespace: "", name: "hpas")
        let conditions = done["status"]?["conditions"]?.arrayValue ?? []
        #expect(conditions.map { $0["type"] } == ["Running", "Succeeded"])
        #expect(conditions.map { $0["status"] } == ["False", "True"])
        #expect(conditions.last?["message"]?.stringValue?.contains("rewritten 5") == true)
        let hpas = try #require(registry.store(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers"))
        #expect(try await StorageMigrationTests.storedVersions(hpas) == Array(repeating: "autoscaling/v2", count: 5))

        let failed = try await migrations.get(namespace: "", name: "nothing")
        #expect(failed["status"]?["conditions"]?.arrayValue?.last?["type"] == "Failed")
        #expect(failed["status"]?["conditions"]?.arrayValue?.last?["message"]?.stringValue?.contains("deployments.apps") == true)

        // Finished migrations are left alone.
        let version = done.resourceVersion
        try await controller.reconcile()
        #expect(try await migrations.get(namespace: "", name: "hpas").resourceVersion == version)
    }

    @Test func theResourceOfAMigrationCannotChange() async throws {
        let client = try TestEtcd.client(try await TestEtcd.shared())
        let registry = try Registry(client: client, prefix: TestEtcd.uniquePrefix(), definitions: BuiltinResources.definitions(),
                                    runtimeConfig: RuntimeConfig(parsing: "api/alpha=true"), schemas: BuiltinResources.schemas)
        let migrations = try #require(registry.store(group: "storagemigration.k8s.io", version: "v1alpha1",
                                                     resource: "storageversionmigrations"))
        _ = try await migrations.create(Self.migration("m", group: "autoscaling", resource: "horizontalpodautoscalers"), namespace: "")
        await #expect(throws: APIError.self) {
            _ = try await migrations.patch(["spec": ["resource": ["resource": "configmaps", "group": ""]]], type: .merge,
                                           namespace: "", name: "m")
        }
        await #expect(throws: APIError.self) {
            _ = try await migrations.create(APIObject(["apiVersion": "storagemigration.k8s.io/v1alpha1", "kind": "StorageVersionMigration",
                                                      "metadata": ["name": "empty"], "spec": [:]]), namespace: "")
        }
    }
}
