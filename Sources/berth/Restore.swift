import ArgumentParser
import EtcdClient
import Foundation
import Operations

/// `berth restore`: back from a backup.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup.",
        subcommands: [Snapshot.self, Logical.self])

    struct Logical: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put the objects of a logical backup back into etcd, namespaces first, with their metadata as it was.")

        enum Format: String, ExpressibleByArgument { case text, json }

        @OptionGroup var etcd: EtcdOptions
        @Argument(help: "The archive berth backup logical wrote.")
        var file: String
        @Option(help: "What to do with an object that exists: skip, overwrite or fail.")
        var existing: LogicalRestore.Existing = .fail
        @Flag(help: "Say what would happen; write nothing.")
        var dryRun = false
        @OptionGroup var storageVersions: StorageVersionOptions
        @Option(name: [.customShort("o"), .long], help: "text or json.")
        var output: Format = .text

        func validate() throws {
            try etcd.requireServers()
        }

        func run() async throws {
            let definitions = try storageVersions.definitions()
            let client = try await EtcdClient.connect(etcd.configuration!)
            let report: LogicalRestore.Report
            do {
                report = try await LogicalRestore.restore(file, client: client, prefix: etcd.etcdPrefix, definitions: definitions,
                                                          existing: existing, dryRun: dryRun)
            } catch let failure as LogicalRestore.Failure {
                throw ValidationError(failure.description)
            }
            switch output {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            case .text:
                if dryRun { print("Dry run: nothing was written.") }
                print("created \(report.created), overwritten \(report.overwritten), skipped \(report.skipped), failed \(report.failed)")
                for failure in report.failures { print("  failed: \(failure)") }
            }
            if report.failed > 0 { throw ExitCode(1) }
        }
    }

    struct Snapshot: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore an etcd snapshot into a new etcd data directory, after checking it, with etcd's own restore tool.")

        @Argument(help: "The snapshot file (its FILE.manifest.json beside it).")
        var file: String
        @Option(help: "The new etcd data directory; it must not exist yet.")
        var dataDir: String
        @Option(help: "The restored member's name, as etcd will be started with it.")
        var name = "default"
        @Option(help: "The restored member's peer URL, as etcd will be started with it.")
        var initialAdvertisePeerUrls = "http://localhost:2380"

        func run() throws {
            do {
                let manifest = try SnapshotBackup.restore(file, into: dataDir, name: name, peerURL: initialAdvertisePeerUrls)
                print("restored the snapshot of revision \(manifest.revision) into \(dataDir); start etcd with --data-dir \(dataDir) --name \(name)")
            } catch let failure as SnapshotBackup.Failure {
                throw ValidationError(failure.description)
            }
        }
    }
}

extension LogicalRestore.Existing: ExpressibleByArgument {}
