import APIMachinery
import EtcdClient
import Foundation
import Registry
import Storage

/// `berth migrate` as a library: finds every stored value whose apiVersion is
/// not the storage version of its resource (as `berth serve` is configured,
/// from the same definitions) and rewrites it at the storage version, each
/// with a guarded no-op update (`ResourceStore.migrate`), so it is safe
/// under live traffic. Progress is checkpointed in etcd after each page; a
/// migration stopped at any point and started again carries on after the last
/// checkpoint, and a finished one leaves no checkpoint, so a second run finds
/// nothing to do.
public struct StorageMigrator: Sendable {
    /// What one resource's migration found and did.
    public struct Report: Sendable, Codable, Equatable {
        public var resource: String
        public var storageVersion: String
        public var found = 0
        public var rewritten = 0
        public var current = 0
        public var conflictsRetried = 0
        public var skipped = 0

        public init(resource: String, storageVersion: String) {
            self.resource = resource
            self.storageVersion = storageVersion
        }
    }

    /// Reported after each page and at the end of each resource.
    public struct Progress: Sendable {
        public var report: Report
        /// How many objects the resource held when its migration began.
        public var total: Int
        public var finished: Bool
    }

    let client: EtcdClient
    let prefix: String
    /// One store per storage, named as the flag names it, writing at the storage version.
    let targets: [(name: String, store: ResourceStore)]
    public var pageSize = 500
    /// Rewrites of one page in flight at once.
    public var writesInFlight = 32

    /// `definitions` as `berth serve` has them (with --storage-version
    /// applied); `resources` the RESOURCE.GROUP names to migrate, nil for all;
    /// `encryption` as `berth serve` has it.
    public init(client: EtcdClient, prefix: String, definitions: [ResourceDefinition], resources: [String]?,
                encryption: EncryptionConfiguration? = nil) throws {
        self.client = client
        self.prefix = ResourceKeys(prefix: prefix, resourcePath: "", namespaced: false).prefix
        targets = try StorageTargets(client: client, prefix: prefix, definitions: definitions, resources: resources,
                                     encryption: encryption).all
    }

    /// Migrates each resource in turn; `dryRun` reports what would be
    /// rewritten and writes nothing (not even a checkpoint).
    public func run(dryRun: Bool = false, progress: (Progress) -> Void = { _ in }) async throws -> [Report] {
        var reports: [Report] = []
        for (name, store) in targets {
            reports.append(try await migrate(name, store, dryRun: dryRun, progress: progress))
            if !dryRun && store.definition.isCustomResource { try await trimStoredVersions(store.definition) }
        }
        return reports
    }

    func migrate(_ name: String, _ store: ResourceStore, dryRun: Bool, progress: (Progress) -> Void) async throws -> Report {
        let storageVersion = store.definition.storageVersion
        let checkpointKey = Array("\(prefix)/berth/storage-migrations/\(store.definition.storagePath)".utf8)
        var checkpoint = Checkpoint(report: Report(resource: name, storageVersion: storageVersion), lastKey: nil)
        if !dryRun, let saved = try await client.get(checkpointKey),
           let resumed = try? JSONDecoder().decode(Checkpoint.self, from: Data(saved.value)),
           resumed.report.storageVersion == storageVersion {
            checkpoint = resumed
        }
        let total = Int(try await store.etcdStore.count()) + checkpoint.report.found
        while true {
            try Task.checkCancellation()
            let page = try await store.etcdStore.scan(after: checkpoint.lastKey, limit: pageSize)
            // The page's rewrites run side by side; the checkpoint moves only
            // once all of them are done, so a stop never skips an object.
            let outcomes = try await page.objects.concurrentMap(limit: writesInFlight) {
                try await store.migrate($0.object, stale: page.stale.contains($0.key), dryRun: dryRun)
            }
            for outcome in outcomes {
                checkpoint.report.found += 1
                switch outcome {
                case .rewritten(let conflicts):
                    checkpoint.report.rewritten += 1
                    checkpoint.report.conflictsRetried += conflicts
                case .current: checkpoint.report.current += 1
                case .gone: checkpoint.report.skipped += 1
                }
            }
            checkpoint.lastKey = page.objects.last?.key ?? checkpoint.lastKey
            if !dryRun && page.more {
                _ = try await client.put(PutRequest(key: checkpointKey, value: Array(try JSONEncoder().encode(checkpoint))))
            }
            progress(Progress(report: checkpoint.report, total: max(total, checkpoint.report.found), finished: !page.more))
            if !page.more { break }
        }
        if !dryRun { _ = try await client.deleteRange(DeleteRangeRequest(key: checkpointKey)) }
        return checkpoint.report
    }

    /// Once every object of a custom resource is at the storage version, its
    /// CRD's status.storedVersions is just that version, as
    /// kube-storage-version-migrator leaves it: older versions may then be
    /// removed from the CRD.
    func trimStoredVersions(_ definition: ResourceDefinition) async throws {
        let crds = CustomResourceDefinitions.crdStore(client: client, prefix: prefix)
        let version = String(definition.storageVersion.split(separator: "/").last ?? "")
        _ = try await crds.patch(["status": ["storedVersions": [.string(version)]]], type: .merge, namespace: "",
                                 name: "\(definition.resource).\(definition.group)", subresource: .status)
    }

    /// Where a resource's migration is, kept in etcd under the prefix.
    struct Checkpoint: Codable {
        var report: Report
        /// The key of the last object visited.
        var lastKey: String?
    }
}
