import APIMachinery
import ArgumentParser
import EtcdClient
import Foundation
import Operations
import Registry

/// `berth restore`: back from a backup.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup.",
        subcommands: [Snapshot.self, Logical.self])

    struct Logical: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put the objects of a logical backup back, namespaces first: into etcd with their metadata as it was, or through a running server's API.")

        @OptionGroup var etcd: EtcdOptions
        @Option(help: "Restore through the API of the server this kubeconfig points at, instead of into etcd (--etcd-servers).")
        var kubeconfig: String?
        @Option(help: "The kubeconfig context to use; its current context by default.")
        var context: String?
        @Argument(help: "The archive berth backup logical wrote.")
        var file: String
        @Option(help: "What to do with an object that exists: skip, overwrite or fail.")
        var existing: LogicalRestore.Existing = .fail
        @Flag(help: "Say what would happen; write nothing.")
        var dryRun = false
        @OptionGroup var storageVersions: StorageVersionOptions
        @OptionGroup var encryption: EncryptionOptions
        @Option(name: [.customShort("o"), .long], help: "text or json.")
        var output: ReportFormat = .text

        func validate() throws {
            if kubeconfig == nil { try etcd.requireServers() }
            if kubeconfig != nil && encryption.encryptionProviderConfig != nil {
                throw ValidationError("--encryption-provider-config is for a restore into etcd; through the API the server encrypts")
            }
            if kubeconfig != nil && etcd.etcdServers != nil {
                throw ValidationError("give --etcd-servers or --kubeconfig, not both")
            }
        }

        func run() async throws {
            let report: LogicalRestore.Report
            do {
                if let kubeconfig {
                    let connection = try APIConnection(try Kubeconfig(file: kubeconfig, context: context))
                    do {
                        report = try await restore(into: APIRestoreDestination(connection))
                        try await connection.shutdown()
                    } catch {
                        try? await connection.shutdown()
                        throw error
                    }
                } else {
                    let client = try await EtcdClient.connect(etcd.configuration!)
                    // Custom resources are stored as the CRDs in etcd and in the archive define them.
                    let definitions = try storageVersions.definitions()
                        + (try await CustomResourceDefinitions.stored(client: client, prefix: etcd.etcdPrefix))
                        + (try LogicalRestore.customResourceDefinitions(in: file))
                    report = try await restore(into: EtcdRestoreDestination(client: client, prefix: etcd.etcdPrefix,
                                                                            definitions: definitions,
                                                                            encryption: try encryption.configuration()))
                }
            } catch let failure as OperationFailure {
                throw ValidationError(failure.description)
            } catch let invalid as Kubeconfig.Invalid {
                throw ValidationError(invalid.description)
            }
            switch output {
            case .json:
                try ReportFormat.printJSON(report)
            case .text:
                if dryRun { print("Dry run: nothing was written.") }
                print("created \(report.created), overwritten \(report.overwritten), skipped \(report.skipped), failed \(report.failed)")
                for failure in report.failures { print("  failed: \(failure)") }
            }
            if report.failed > 0 { throw ExitCode(1) }
        }

        func restore(into destination: some RestoreDestination) async throws -> LogicalRestore.Report {
            try await LogicalRestore.restore(file, into: destination, existing: existing, dryRun: dryRun)
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
            } catch let failure as OperationFailure {
                throw ValidationError(failure.description)
            }
        }
    }
}

extension LogicalRestore.Existing: ExpressibleByArgument {}
