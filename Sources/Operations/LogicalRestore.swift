import APIMachinery
import EtcdClient
import Registry
import Storage

/// `berth restore logical`: puts the objects of a logical backup back into
/// etcd directly, at each resource's storage version, with their metadata as
/// it was (uid, creationTimestamp, labels, finalizers, ...). Namespaces come
/// first, then everything else. The archive is checked whole before anything
/// is written. What to do with an object that exists already is the caller's
/// choice: skip it, overwrite it, or stop.
public enum LogicalRestore {
    public enum Existing: String, Sendable, CaseIterable {
        case skip, overwrite, fail
    }

    public struct Report: Codable, Sendable, Equatable {
        public var created = 0
        public var overwritten = 0
        public var skipped = 0
        public var failed = 0
        /// One line per object that could not be restored, with the reason.
        public var failures: [String] = []
        public init() {}
    }

    public typealias Failure = SnapshotBackup.Failure

    /// `dryRun` reads etcd to say what would happen, and writes nothing.
    public static func restore(_ file: String, client: EtcdClient, prefix: String, definitions: [ResourceDefinition],
                               existing: Existing, dryRun: Bool = false,
                               progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) async throws -> Report {
        let (_, objects) = try LogicalBackup.read(file)
        let stores = Dictionary(try StorageTargets(client: client, prefix: prefix, definitions: definitions, resources: nil).all
            .map { ($0.name, $0.store) }, uniquingKeysWith: { first, _ in first })
        if let unknown = objects.first(where: { stores[$0.entry.resource] == nil }) {
            throw Failure(description: "the backup holds \(unknown.entry.resource), which this berth does not know; nothing was restored")
        }
        // Namespaces before what lives in them.
        let ordered = objects.filter { $0.entry.resource == "namespaces" } + objects.filter { $0.entry.resource != "namespaces" }
        var report = Report()
        for (index, (entry, object)) in ordered.enumerated() {
            let store = stores[entry.resource]!
            let definition = store.definition
            let what = "\(entry.resource) \(entry.namespace.map { "\($0)/" } ?? "")\(entry.name)"
            do {
                let hub = try definition.hub(object)
                var stored = try definition.converted(hub, to: definition.storageVersion)
                stored.resourceVersion = ""
                let key = ObjectKey(namespace: definition.namespaced ? object.namespace : "", name: object.name)
                let ttl = definition.strategy.timeToLive(hub)
                if dryRun {
                    let exists = (try? await store.storage.get(key)) != nil
                    if !exists { report.created += 1 } else { try count(existing, what, into: &report) }
                } else {
                    do {
                        _ = try await store.storage.create(stored, ttl: ttl)
                        report.created += 1
                    } catch let error as APIError where error.reason == .alreadyExists {
                        try count(existing, what, into: &report)
                        if existing == .overwrite {
                            _ = try await store.storage.guaranteedUpdate(key, ttl: ttl) { _ in stored }
                        }
                    }
                }
            } catch let failure as Failure {
                throw failure
            } catch {
                report.failed += 1
                report.failures.append("\(what): \(error)")
            }
            progress(index + 1, ordered.count)
        }
        return report
    }

    static func count(_ existing: Existing, _ what: String, into report: inout Report) throws {
        switch existing {
        case .skip: report.skipped += 1
        case .overwrite: report.overwritten += 1
        case .fail: throw Failure(description: "\(what) exists already (--existing fail); stopped there")
        }
    }
}
