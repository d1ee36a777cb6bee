import APIMachinery
import EtcdClient
import Registry
import Storage

/// Carries out the migrations that storagemigration.k8s.io/v1alpha1
/// StorageVersionMigration objects ask a running `berth serve` for, with the
/// same StorageMigrator as `berth migrate`, and reports in their status:
/// Running while it works, then Succeeded with what it did, or Failed with why.
public struct StorageVersionMigrationController: Sendable {
    let registry: Registry
    let client: EtcdClient
    let prefix: String

    public init(registry: Registry, client: EtcdClient, prefix: String) {
        self.registry = registry
        self.client = client
        self.prefix = prefix
    }

    var migrations: ResourceStore? {
        registry.store(group: "storagemigration.k8s.io", version: "v1alpha1", resource: "storageversionmigrations")
    }

    /// Looks for new migrations every second while the API is served.
    public func run() async {
        guard migrations != nil else { return }
        while !Task.isCancelled {
            try? await reconcile()
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Runs each migration that has neither succeeded nor failed.
    public func reconcile() async throws {
        guard let store = migrations else { return }
        for migration in try await store.list(namespace: nil, ListQuery()).items where !Self.isFinished(migration) {
            try await migrate(migration, store)
        }
    }

    static func isFinished(_ migration: APIObject) -> Bool {
        (migration["status"]?["conditions"]?.arrayValue ?? []).contains {
            ["Succeeded", "Failed"].contains($0["type"]?.stringValue ?? "") && $0["status"]?.stringValue == "True"
        }
    }

    func migrate(_ migration: APIObject, _ store: ResourceStore) async throws {
        let resource = migration["spec"]?["resource"]
        let group = resource?["group"]?.stringValue ?? ""
        let name = (resource?["resource"]?.stringValue ?? "") + (group.isEmpty ? "" : ".\(group)")
        try await report(migration.name, store, [condition("Running", "True", "Migrating", "rewriting the stored \(name) at their storage version")])
        do {
            let migrator = try StorageMigrator(client: client, prefix: prefix, definitions: registry.stores.map(\.definition),
                                               resources: [name])
            let result = try await migrator.run()
            let done = result.first.map { "found \($0.found), rewritten \($0.rewritten), already current \($0.current), conflicts retried \($0.conflictsRetried), skipped \($0.skipped)" } ?? "nothing stored"
            try await report(migration.name, store, [condition("Running", "False", "Completed", done),
                                                     condition("Succeeded", "True", "Completed", done)])
        } catch {
            let why = (error as? UnknownResource)?.description ?? "\(error)"
            try await report(migration.name, store, [condition("Running", "False", "Failed", why),
                                                     condition("Failed", "True", "MigrationFailed", why)])
        }
    }

    func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
        ["type": .string(type), "status": .string(status), "lastUpdateTime": .string(Timestamp.now()),
         "reason": .string(reason), "message": .string(message)]
    }

    /// Replaces the migration's conditions (a merge patch of the status subresource).
    func report(_ name: String, _ store: ResourceStore, _ conditions: [JSONValue]) async throws {
        _ = try await store.patch(["status": ["conditions": .array(conditions)]], type: .merge, namespace: "", name: name,
                                  subresource: .status)
    }
}
