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
        @OptionGroup var encryption: EncryptionOptions
        @Flag(help: "Write the objects of resources --encryption-provider-config encrypts, in plain text (refused otherwise).")
        var plaintext = false

        func validate() throws {
            try etcd.requireServers()
        }

        func run() async throws {
            var options = LogicalBackup.Options()
            options.encryption = try encryption.configuration()
            options.plaintext = plaintext
            options.resources = resources.isEmpty ? nil : resources
            options.namespace = namespace
            options.asServed = versions == .served
            options.yaml = format == .yaml
            do {
                options.selector = try LabelSelector(parsing: selector)
            } catch {
                throw ValidationError("--selector: \(error)")
            }
            let client = try await EtcdClient.connect(etcd.configuration!)
            // Custom resources are backed up with their CRDs.
            let definitions = try storageVersions.definitions()
                + (try await CustomResourceDefinitions.stored(client: client, prefix: etcd.etcdPrefix))
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
                let magic = FileHandle(forReadingAtPath: file).flatMap { try? $0.read(upToCount: 2) }
                if magic == Data([0x1F, 0x8B]) {
                    let manifest = try LogicalBackup.verify(file)
                    print("\(file): logical backup of revision \(manifest.revision), taken \(manifest.created), \(manifest.format) at \(manifest.versions) versions; every document matches its sha256")
                    for resource in manifest.resources where resource.count > 0 {
                        print("  \(resource.resource) (\(resource.apiVersion)): \(resource.count)")
                    }
                    return
                }
                let manifest = try SnapshotBackup.verify(file)
                print("\(file): etcd snapshot of revision \(manifest.revision), \(manifest.bytes) bytes, taken \(manifest.created); sha256 and etcd's integrity hash match")
            } catch let failure as OperationFailure {
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
