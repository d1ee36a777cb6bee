import APIServer
import ArgumentParser
import EtcdClient
import Foundation
import Operations
import Registry

/// `berth migrate`: moves stored objects to their resources' storage versions,
/// with the same --storage-version settings as `berth serve`, so the two
/// cannot disagree.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rewrite stored objects at their resources' storage versions.",
        discussion: """
            Safe while berth serve runs: each rewrite is guarded by the value's revision. \
            Progress is kept in etcd, so a stopped migration carries on where it was when run again.
            """)

    @OptionGroup var etcd: EtcdOptions
    @Option(name: .customLong("resource"), help: "RESOURCE.GROUP to migrate (repeatable), e.g. horizontalpodautoscalers.autoscaling.")
    var resources: [String] = []
    @Flag(help: "Migrate every resource.")
    var all = false
    @Flag(help: "Report what would be rewritten; write nothing.")
    var dryRun = false
    @OptionGroup var storageVersions: StorageVersionOptions
    @OptionGroup var encryption: EncryptionOptions
    @Option(name: [.customShort("o"), .long], help: "text or json.")
    var output: ReportFormat = .text
    @Option(help: "Objects read from etcd at a time; progress is checkpointed after each page.")
    var pageSize = 500

    func validate() throws {
        try etcd.requireServers()
        guard all || !resources.isEmpty else { throw ValidationError("name resources with --resource, or use --all") }
    }

    func run() async throws {
        let client = try await EtcdClient.connect(etcd.configuration!)
        // Custom resources migrate to their CRD's storage version.
        let definitions = try storageVersions.definitions()
            + (try await CustomResourceDefinitions.stored(client: client, prefix: etcd.etcdPrefix))
        var migrator: StorageMigrator
        do {
            migrator = try StorageMigrator(client: client, prefix: etcd.etcdPrefix, definitions: definitions,
                                           resources: all ? nil : resources, encryption: try encryption.configuration())
        } catch let error as UnknownResource {
            throw ValidationError(error.description)
        }
        migrator.pageSize = max(pageSize, 1)
        let bar = ProgressLine(terminal: isatty(STDERR_FILENO) == 1)
        let reports = try await migrator.run(dryRun: dryRun) { bar.show($0) }
        switch output {
        case .json:
            try ReportFormat.printJSON(reports)
        case .text:
            if dryRun { print("Dry run: nothing was written; REWRITTEN counts what would be.") }
            print(Self.table(reports))
        }
    }

    static func table(_ reports: [StorageMigrator.Report]) -> String {
        let header = ["RESOURCE", "STORAGE VERSION", "FOUND", "REWRITTEN", "CURRENT", "CONFLICTS RETRIED", "SKIPPED"]
        let rows = reports.map { [$0.resource, $0.storageVersion, String($0.found), String($0.rewritten), String($0.current),
                                  String($0.conflictsRetried), String($0.skipped)] }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
        return ([header] + rows).map { row in
            row.enumerated().map { column, cell in
                column < 2 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "   ")
        }.joined(separator: "\n")
    }
}

/// Progress on standard error: a bar redrawn in place on a terminal, a plain
/// line per step otherwise (logs, CI).
struct ProgressLine {
    let terminal: Bool

    func show(_ progress: StorageMigrator.Progress) {
        let report = progress.report
        let total = max(progress.total, 1)
        if terminal {
            let width = 30
            let filled = min(width, report.found * width / total)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r\(report.resource) [\(bar)] \(report.found)/\(progress.total)".utf8))
            if progress.finished { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            FileHandle.standardError.write(Data("\(report.resource): \(report.found)/\(progress.total) visited, \(report.rewritten) rewritten\n".utf8))
        }
    }
}
