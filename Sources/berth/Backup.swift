import APIMachinery
import ArgumentParser
import EtcdClient
import Foundation
import Operations
import Registry

/// `berth backup`: consistent copies of what etcd holds.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Back up etcd, or check a backup.",
        subcommands: [Snapshot.self, Logical.self, Verify.self])

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write etcd's own snapshot to FILE, with its SHA-256 and revision in FILE.manifest.json.")

        @OptionGroup var etcd: EtcdOptions
        @Argument(help: "Where to write the snapshot.")
        var file: String

        func validate() throws {
            try etcd.requireServers()
        }

        func run() async throws {
            let client = try await EtcdClient.connect(etcd.configuration!)
            let bar = ByteProgress(terminal: isatty(STDERR_FILENO) == 1)
            let manifest = try await SnapshotBackup.write(client, to: file) { bar.show($0, of: $1) }
            bar.finish()
            print("snapshot of revision \(manifest.revision): \(file) (\(manifest.bytes) bytes, sha256 \(manifest.sha256))")
        }
    }

    struct Logical: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every object (or those selected), read at one revision, to FILE as a tar.gz of JSON or YAML documents.")

        enum Versions: String, ExpressibleByArgument { case storage, served }
        enum Format: String, ExpressibleByArgument { case json, yaml }

        @OptionGroup var etcd: EtcdOptions
        @Argument(help: "Where to write the archive (.tar.gz).")
        var file: String
        @Option(name: .customLong("resource"), help: "RESOURCE.GROUP to back up (repeatable); every resource when absent.")
        var resources: [String] = []
        @Option(help: "Only objects in this namespace (and the namespace itself).")
        var namespace: String?
        @Option(help: "A label selector, as kubectl's -l.")
        var selector = ""
        @Option(name: .customLong("as"), help: "storage (each resource's storage version) or served (its preferred served version).")
        var versions: Versions = .storage
        @Option(help: "json or yaml.")
        var format: Format = .json
        @OptionGroup var storageVersions: StorageVersionOptions

        func validate() throws {
            try etcd.requireServers()
        }

        func run() async throws {
            var options = LogicalBackup.Options()
            options.resources = resources.isEmpty ? nil : resources
            options.namespace = namespace
            options.asServed = versions == .served
            options.yaml = format == .yaml
            let definitions = try storageVersions.definitions()
            do {
                options.selector = try LabelSelector(parsing: selector)
            } catch {
                throw ValidationError("--selector: \(error)")
            }
            let client = try await EtcdClient.connect(etcd.configuration!)
            let terminal = isatty(STDERR_FILENO) == 1
            do {
                let manifest = try await LogicalBackup.write(
                    client: client, prefix: etcd.etcdPrefix, definitions: definitions,
                    served: try RuntimeConfig().served(definitions), options: options, to: file
                ) { objects, bytes in
                    if terminal { FileHandle.standardError.write(Data("\r\(objects) objects, \(bytes) bytes".utf8)) }
                }
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                print("logical backup of revision \(manifest.revision): \(file) (\(manifest.entries.count) objects in \(manifest.resources.filter { $0.count > 0 }.count) resources)")
            } catch let unknown as UnknownResource {
                throw ValidationError(unknown.description)
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a backup's checksums and structure and say what it holds.")

        @Argument(help: "The backup file.")
        var file: String

        func run() throws {
            do {
                if FileManager.default.contents(atPath: file)?.starts(with: [0x1F, 0x8B]) == true {
                    let (manifest, _) = try LogicalBackup.read(file)
                    print("\(file): logical backup of revision \(manifest.revision), taken \(manifest.created), \(manifest.format) at \(manifest.versions) versions; every document matches its sha256")
                    for resource in manifest.resources where resource.count > 0 {
                        print("  \(resource.resource) (\(resource.apiVersion)): \(resource.count)")
                    }
                    return
                }
                let manifest = try SnapshotBackup.verify(file)
                print("\(file): etcd snapshot of revision \(manifest.revision), \(manifest.bytes) bytes, taken \(manifest.created); sha256 and etcd's integrity hash match")
            } catch let failure as SnapshotBackup.Failure {
                throw ValidationError(failure.description)
            }
        }
    }
}

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

/// Bytes written, on standard error: redrawn in place on a terminal, a line
/// now and then otherwise.
final class ByteProgress {
    let terminal: Bool
    private var lastLine = 0

    init(terminal: Bool) { self.terminal = terminal }

    func show(_ written: Int64, of total: Int64) {
        let mib = { (bytes: Int64) in String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        if terminal {
            FileHandle.standardError.write(Data("\r\(mib(written)) of \(mib(total))".utf8))
        } else if Int(written / 16_777_216) > lastLine || written == total {
            lastLine = Int(written / 16_777_216)
            FileHandle.standardError.write(Data("\(mib(written)) of \(mib(total))\n".utf8))
        }
    }

    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

extension LogicalRestore.Existing: ExpressibleByArgument {}
