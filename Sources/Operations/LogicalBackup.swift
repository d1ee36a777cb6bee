import APIMachinery
import CompressNIO
import Crypto
import EtcdClient
import Foundation
import NIOCore
import Registry
import Storage

/// `berth backup logical` and its checks: every stored object (or those the
/// options select), read at one etcd revision and written as one tar.gz of
/// JSON or YAML documents, one per object, plus manifest.json with the
/// revision, the counts, the versions and a SHA-256 per document. Objects are
/// written at their storage version, or at the preferred served version.
public enum LogicalBackup {
    public struct Options: Sendable {
        /// RESOURCE.GROUP names; nil for every resource.
        public var resources: [String]?
        public var namespace: String?
        public var selector: LabelSelector = .everything
        /// At the preferred served version instead of the storage version.
        public var asServed = false
        public var yaml = false
        public init() {}
    }

    public struct Manifest: Codable, Sendable, Equatable {
        public struct Resource: Codable, Sendable, Equatable {
            public var resource: String
            public var apiVersion: String
            public var count: Int
        }

        public struct Entry: Codable, Sendable, Equatable {
            public var path: String
            public var resource: String
            public var namespace: String?
            public var name: String
            public var sha256: String
            public var bytes: Int
        }

        public var kind = "logical"
        public var revision: Int64
        public var created: String
        /// "json" or "yaml".
        public var format: String
        /// "storage" or "served".
        public var versions: String
        public var resources: [Resource]
        public var entries: [Entry]
    }

    static let pageSize = 500

    /// Writes the archive through a temporary file renamed at the end: a
    /// failure midway (etcd gone, a compaction) leaves no file behind.
    public static func write(client: EtcdClient, prefix: String, definitions: [ResourceDefinition],
                             served: [ResourceDefinition], options: Options, to file: String,
                             progress: (_ objects: Int, _ bytes: Int) -> Void = { _, _ in }) async throws -> Manifest {
        let targets = try StorageTargets(client: client, prefix: prefix, definitions: definitions, resources: options.resources)
        var entries: [TarArchive.Entry] = []
        var manifest = Manifest(revision: 0, created: ISO8601DateFormatter().string(from: Date()),
                                format: options.yaml ? "yaml" : "json", versions: options.asServed ? "served" : "storage",
                                resources: [], entries: [])
        var bytes = 0
        for (name, store) in targets.all {
            let apiVersion = options.asServed ? preferredServed(store.definition, served) : store.definition.storageVersion
            var count = 0
            var after: String?
            while true {
                let page = try await store.storage.scan(after: after, limit: pageSize, revision: manifest.revision)
                manifest.revision = page.revision
                for (key, stored) in page.objects {
                    after = key
                    guard selected(stored, store.definition, options) else { continue }
                    var object = try store.definition.converted(store.definition.hub(stored), to: apiVersion)
                    object.resourceVersion = ""
                    let data = options.yaml ? YAMLConversion.encode(object.json) : object.serialized() + [0x0A]
                    let namespace = object.namespace.isEmpty ? nil : object.namespace
                    var path = ([name] + (namespace.map { [$0] } ?? []) + [object.name]).joined(separator: "/")
                        + (options.yaml ? ".yaml" : ".json")
                    if !TarArchive.fits(path) { path = "\(name)/\(manifest.entries.count).\(manifest.format)" }
                    entries.append(TarArchive.Entry(path: path, data: data))
                    manifest.entries.append(Manifest.Entry(path: path, resource: name, namespace: namespace, name: object.name,
                                                           sha256: Data(SHA256.hash(data: data)).hex, bytes: data.count))
                    count += 1
                    bytes += data.count
                }
                progress(manifest.entries.count, bytes)
                if !page.more { break }
            }
            manifest.resources.append(Manifest.Resource(resource: name, apiVersion: apiVersion, count: count))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let archive = TarArchive.write([TarArchive.Entry(path: "manifest.json", data: Array(try encoder.encode(manifest)))] + entries,
                                       modified: Int(Date().timeIntervalSince1970))
        var buffer = ByteBuffer(bytes: archive)
        let compressed = try buffer.compress(with: .gzip())
        let partial = file + ".partial"
        do {
            try Data(compressed.readableBytesView).write(to: URL(fileURLWithPath: partial))
            try? FileManager.default.removeItem(atPath: file)
            try FileManager.default.moveItem(atPath: partial, toPath: file)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return manifest
    }

    static func selected(_ object: APIObject, _ definition: ResourceDefinition, _ options: Options) -> Bool {
        if let namespace = options.namespace {
            // A namespace's own object comes along with what is in it.
            let isTheNamespace = definition.group.isEmpty && definition.resource == "namespaces" && object.name == namespace
            guard object.namespace == namespace || isTheNamespace else { return false }
        }
        return options.selector.matches(object.labels)
    }

    /// The version discovery prefers among those served over the storage, in
    /// the storage version's group.
    static func preferredServed(_ writer: ResourceDefinition, _ served: [ResourceDefinition]) -> String {
        served.filter { $0.storagePath == writer.storagePath && $0.group == writer.group }
            .min { $0.apiVersion < $1.apiVersion }?.groupVersion ?? writer.storageVersion
    }

    /// The archive's manifest and objects, after checking its structure and
    /// every document's checksum: a truncated, corrupted or foreign file is a
    /// clear error.
    public static func read(_ file: String) throws -> (manifest: Manifest, objects: [(entry: Manifest.Entry, object: APIObject)]) {
        guard let data = FileManager.default.contents(atPath: file) else { throw OperationFailure(description: "cannot read \(file)") }
        guard data.starts(with: [0x1F, 0x8B]) else { throw OperationFailure(description: "\(file) is not gzip: not a logical backup") }
        var buffer = ByteBuffer(bytes: data)
        let tar: ByteBuffer
        do {
            tar = try buffer.decompress(with: .gzip())
        } catch {
            throw OperationFailure(description: "\(file) does not decompress (\(error)): truncated or corrupted")
        }
        let entries: [TarArchive.Entry]
        do {
            entries = try TarArchive.read(Array(tar.readableBytesView))
        } catch let malformed as TarArchive.Malformed {
            throw OperationFailure(description: "\(file): \(malformed.description)")
        }
        guard let manifestEntry = entries.first(where: { $0.path == "manifest.json" }),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(manifestEntry.data)), manifest.kind == "logical"
        else {
            throw OperationFailure(description: "\(file) has no logical backup manifest")
        }
        let contents = Dictionary(entries.map { ($0.path, $0.data) }, uniquingKeysWith: { first, _ in first })
        var objects: [(entry: Manifest.Entry, object: APIObject)] = []
        for entry in manifest.entries {
            guard let data = contents[entry.path] else { throw OperationFailure(description: "\(file) lacks \(entry.path)") }
            guard Data(SHA256.hash(data: data)).hex == entry.sha256 else {
                throw OperationFailure(description: "\(entry.path) in \(file) does not match its SHA-256: corrupted")
            }
            let text = String(decoding: data, as: UTF8.self)
            let json = manifest.format == "yaml" ? try YAMLConversion.decode(text) : try JSONValue.parse(data)
            objects.append((entry, APIObject(json)))
        }
        return (manifest, objects)
    }
}
