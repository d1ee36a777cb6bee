import APIMachinery
import Registry

/// `berth restore logical`: puts the objects of a logical backup back, into
/// etcd directly or through a running berth's API (the `RestoreDestination`).
/// The archive is checked whole before anything is written, then read again
/// as it is restored: namespaces first, then everything else, several writes
/// in flight at a time. What to do with an object that exists already is the
/// caller's choice: skip it, overwrite it, or stop.
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

    enum Outcome: Sendable, Equatable {
        case created, overwritten, skipped
        case failed(String)
    }

    static let writesInFlight = 32

    /// `dryRun` asks the destination what exists to say what would happen,
    /// and writes nothing.
    public static func restore(_ file: String, into destination: some RestoreDestination, existing: Existing, dryRun: Bool = false) async throws -> Report {
        let manifest = try LogicalBackup.verify(file)
        try destination.check(manifest.entries)
        var report = Report()
        // Namespaces before what lives in them, CRDs before their objects:
        // each phase is all in before the next starts.
        let crd = CustomResourceDefinitions.resourceName
        let phases: [(LogicalBackup.Manifest.Entry) -> Bool] = [
            { $0.resource == "namespaces" }, { $0.resource == crd }, { $0.resource != "namespaces" && $0.resource != crd },
        ]
        // The CRDs as phase 1 writes them, to wait for before their objects.
        var crds: [APIObject] = []
        for (index, phase) in phases.enumerated() {
            if index == 2 && !dryRun && !crds.isEmpty { try await destination.waitUntilServed(crds) }
            var objects = try LogicalBackup.Objects(file, manifest, where: phase)
            // A sliding window of writes in flight, fed as the archive is read: memory stays flat.
            try await withThrowingTaskGroup(of: Outcome.self) { group in
                func count(_ outcome: Outcome) {
                    switch outcome {
                    case .created: report.created += 1
                    case .overwritten: report.overwritten += 1
                    case .skipped: report.skipped += 1
                    case .failed(let reason):
                        report.failed += 1
                        report.failures.append(reason)
                    }
                }
                var running = 0
                while let (entry, object) = try objects.next() {
                    if index == 1 { crds.append(object) }
                    if running == writesInFlight, let outcome = try await group.next() {
                        count(outcome)
                        running -= 1
                    }
                    group.addTask { try await restore(entry, object, into: destination, existing: existing, dryRun: dryRun) }
                    running += 1
                }
                for try await outcome in group { count(outcome) }
            }
        }
        return report
    }

    /// The resources the archive's CRDs define, so that their objects can be
    /// written straight into etcd.
    public static func customResourceDefinitions(in file: String) throws -> [ResourceDefinition] {
        let manifest = try LogicalBackup.verify(file)
        var crds = try LogicalBackup.Objects(file, manifest, where: { $0.resource == CustomResourceDefinitions.resourceName })
        var definitions: [ResourceDefinition] = []
        while let (_, crd) = try crds.next() { definitions += CustomResourceDefinitions.definitions(for: crd).map(\.0) }
        return definitions
    }

    static func restore(_ entry: LogicalBackup.Manifest.Entry, _ object: APIObject, into destination: some RestoreDestination,
                        existing: Existing, dryRun: Bool) async throws -> Outcome {
        let what = "\(entry.resource) \(entry.namespace.map { "\($0)/" } ?? "")\(entry.name)"
        do {
            if dryRun {
                return try await destination.exists(entry, object) ? try whenExisting(existing, what) : .created
            }
            if try await destination.create(entry, object) { return .created }
            let outcome = try whenExisting(existing, what)
            if outcome == .overwritten { try await destination.replace(entry, object) }
            return outcome
        } catch let failure as OperationFailure {
            throw failure
        } catch {
            return .failed("\(what): \(error)")
        }
    }

    static func whenExisting(_ existing: Existing, _ what: String) throws -> Outcome {
        switch existing {
        case .skip: return .skipped
        case .overwrite: return .overwritten
        case .fail: throw OperationFailure(description: "\(what) exists already (--existing fail); stopped there")
        }
    }
}
