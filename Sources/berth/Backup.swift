import ArgumentParser
import EtcdClient
import Foundation
import Operations

/// `berth backup`: consistent copies of what etcd holds.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Back up etcd, or check a backup.",
        subcommands: [Snapshot.self, Verify.self])

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write etcd's own snapshot to FILE, with its SHA-256 and revision in FILE.manifest.json.")

        @OptionGroup var etcd: EtcdOptions
        @Argument(help: "Where to write the snapshot.")
        var file: String

        func validate() throws {
            guard etcd.etcdServers != nil else { throw ValidationError("--etcd-servers is required") }
        }

        func run() async throws {
            let client = try await EtcdClient.connect(etcd.configuration!)
            let bar = ByteProgress(terminal: isatty(STDERR_FILENO) == 1)
            let manifest = try await SnapshotBackup.write(client, to: file) { bar.show($0, of: $1) }
            bar.finish()
            print("snapshot of revision \(manifest.revision): \(file) (\(manifest.bytes) bytes, sha256 \(manifest.sha256))")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a backup's checksums and structure and say what it holds.")

        @Argument(help: "The backup file.")
        var file: String

        func run() throws {
            do {
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
        subcommands: [Snapshot.self])

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
