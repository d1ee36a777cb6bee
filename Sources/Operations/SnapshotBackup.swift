import APIMachinery
import Crypto
import EtcdClient
import Foundation

/// `berth backup snapshot`, `berth backup verify` and `berth restore snapshot`:
/// etcd's own snapshot, streamed through the Maintenance API into a file,
/// with a manifest beside it (FILE.manifest.json) that records its SHA-256,
/// size and revision. Restoring checks both before handing the file to
/// etcd's restore tool.
public enum SnapshotBackup {
    public struct Manifest: Codable, Sendable, Equatable {
        public var kind = "snapshot"
        public var sha256: String
        public var bytes: Int64
        /// The store revision the snapshot holds everything up to.
        public var revision: Int64
        public var created: String
    }

    public static func manifestPath(_ file: String) -> String { file + ".manifest.json" }

    /// Streams a snapshot of the member `client` talks to into `file`. The
    /// data goes to a temporary file renamed into place at the end, so a
    /// failure midway leaves nothing behind under either name.
    public static func write(_ client: EtcdClient, to file: String,
                             progress: (_ written: Int64, _ total: Int64) -> Void = { _, _ in }) async throws -> Manifest {
        let partial = file + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil) else {
            throw OperationFailure(description: "cannot create \(partial)")
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
            defer { try? handle.close() }
            // The revision the snapshot holds at least; etcd 3.4 leaves the
            // snapshot's own header empty.
            var revision = try await client.range(RangeRequest(key: [0], countOnly: true)).header.revision
            var hash = SHA256()
            var written: Int64 = 0
            for try await chunk in try client.snapshot() {
                try handle.write(contentsOf: chunk.bytes)
                hash.update(data: chunk.bytes)
                written += Int64(chunk.bytes.count)
                if chunk.revision > 0 { revision = chunk.revision }
                progress(written, written + Int64(chunk.remainingBytes))
            }
            try handle.synchronize()
            guard written > 0 else { throw OperationFailure(description: "etcd sent an empty snapshot") }
            let manifest = Manifest(sha256: hash.finalize().hex, bytes: written, revision: revision,
                                    created: ISO8601DateFormatter().string(from: Date()))
            try writeManifest(manifest, beside: file)
            try? FileManager.default.removeItem(atPath: file)
            try FileManager.default.moveItem(atPath: partial, toPath: file)
            return manifest
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            try? FileManager.default.removeItem(atPath: manifestPath(file))
            throw error
        }
    }

    static func writeManifest(_ manifest: Manifest, beside file: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: manifestPath(file)), options: .atomic)
    }

    /// Checks that `file` is whole: its SHA-256 and size match the manifest,
    /// and the integrity hash etcd appends to a snapshot (SHA-256 of the
    /// database before it) matches too.
    public static func verify(_ file: String) throws -> Manifest {
        guard let manifestData = FileManager.default.contents(atPath: manifestPath(file)) else {
            throw OperationFailure(description: "\(manifestPath(file)) is missing: not a berth snapshot backup")
        }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: manifestData), manifest.kind == "snapshot" else {
            throw OperationFailure(description: "\(manifestPath(file)) is not a snapshot manifest")
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw OperationFailure(description: "cannot read \(file)") }
        guard Int64(data.count) == manifest.bytes else {
            throw OperationFailure(description: "\(file) has \(data.count) bytes, the manifest says \(manifest.bytes): truncated or replaced")
        }
        guard Data(SHA256.hash(data: data)).hex == manifest.sha256 else {
            throw OperationFailure(description: "\(file) does not match its SHA-256 in the manifest: corrupted")
        }
        let body = data.prefix(data.count - 32), trailer = data.suffix(32)
        guard data.count > 32, Data(SHA256.hash(data: body)) == trailer else {
            throw OperationFailure(description: "\(file) lacks etcd's integrity hash: not an etcd snapshot")
        }
        return manifest
    }

    /// Restores `file` into a new etcd data directory, after verifying it,
    /// with etcd's own tool (etcdutl, or etcdctl where etcd is older).
    public static func restore(_ file: String, into dataDirectory: String, name: String = "default",
                               peerURL: String = "http://localhost:2380") throws -> Manifest {
        let manifest = try verify(file)
        guard !FileManager.default.fileExists(atPath: dataDirectory) else {
            throw OperationFailure(description: "\(dataDirectory) already exists: restore into a new data directory")
        }
        let tool = ["etcdutl", "etcdctl"].first { executable($0) != nil }
        guard let tool, let path = executable(tool) else {
            throw OperationFailure(description: "neither etcdutl nor etcdctl is on PATH; install etcd's client tools")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["snapshot", "restore", file, "--data-dir", dataDirectory, "--name", name,
                             "--initial-cluster", "\(name)=\(peerURL)", "--initial-advertise-peer-urls", peerURL]
        var environment = ProcessInfo.processInfo.environment
        environment["ETCDCTL_API"] = "3"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: dataDirectory)
            throw OperationFailure(description: "\(tool) snapshot restore failed: \(String(decoding: message, as: UTF8.self))")
        }
        return manifest
    }

    static func executable(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
