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
/// Archives are written and read as streams, so neither side holds one whole.
public enum LogicalBackup {
    public struct Options: Sendable {
        /// RESOURCE.GROUP names; nil for every resource.
        public var resources: [String]?
        public var namespace: String?
        public var selector: LabelSelector = .everything
        /// At the preferred served version instead of the storage version.
        public var asServed = false
        public var yaml = false
        /// How stored values are read (`berth serve`'s configuration).
        public var encryption: EncryptionConfiguration?
        /// Write the objects of resources `encryption` encrypts, in plain
        /// text; without it such a backup is refused.
        public var plaintext = false
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

    /// Writes the archive as it reads etcd, through a temporary file renamed
    /// at the end: memory stays flat however many objects there are, and a
    /// failure midway (etcd gone, a compaction) leaves no file behind.
    public static func write(client: EtcdClient, prefix: String, definitions: [ResourceDefinition],
                             served: [ResourceDefinition], options: Options, to file: String,
                             progress: (_ objects: Int, _ bytes: Int) -> Void = { _, _ in }) async throws -> Manifest {
        let targets = try StorageTargets(client: client, prefix: prefix, definitions: definitions, resources: options.resources,
                                         encryption: options.encryption)
        // A logical backup holds objects, not etcd's values: what is
        // encrypted at rest would lie in it in plain text.
        let encrypted = targets.all.filter { options.encryption?.encrypts($0.store.definition.groupResource) == true }.map(\.name)
        if !encrypted.isEmpty && !options.plaintext {
            throw OperationFailure(description: "\(encrypted.joined(separator: ", ")) \(encrypted.count == 1 ? "is" : "are") encrypted at rest, "
                + "and a logical backup would hold \(encrypted.count == 1 ? "its" : "their") objects in plain text: pass --plaintext to "
                + "write them so, leave them out with --resource, or take a snapshot (berth backup snapshot), which keeps them encrypted")
        }
        var manifest = Manifest(revision: 0, created: ISO8601DateFormatter().string(from: Date()),
                                format: options.yaml ? "yaml" : "json", versions: options.asServed ? "served" : "storage",
                                resources: [], entries: [])
        let modified = Int(Date().timeIntervalSince1970)
        let partial = file + ".partial"
        let archive = try GzipFileWriter(path: partial)
        do {
            var bytes = 0
            for (name, store) in targets.all {
                let apiVersion = options.asServed ? preferredServed(store.definition, served) : store.definition.storageVersion
                var count = 0
                var after: String?
                while true {
                    let page = try await store.etcdStore.scan(after: after, limit: pageSize, revision: manifest.revision)
                    manifest.revision = page.revision
                    for (key, stored) in page.objects {
                        after = key
                        guard selected(stored, store.definition, options) else { continue }
                        var object = try await store.definition.converted(store.definition.hub(stored), to: apiVersion)
                        object.resourceVersion = ""
                        let data = options.yaml ? YAMLConversion.encode(object.json) : object.serialized() + [0x0A]
                        let namespace = object.namespace.isEmpty ? nil : object.namespace
                        var path = ([name] + (namespace.map { [$0] } ?? []) + [object.name]).joined(separator: "/")
                            + (options.yaml ? ".yaml" : ".json")
                        if !TarArchive.fits(path) { path = "\(name)/\(manifest.entries.count).\(manifest.format)" }
                        try archive.write(TarArchive.encode(TarArchive.Entry(path: path, data: data), modified: modified))
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
            // The manifest goes last: it holds the checksum of every document before it.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try archive.write(TarArchive.encode(TarArchive.Entry(path: Self.manifestPath, data: Array(try encoder.encode(manifest))),
                                                modified: modified))
            try archive.write(TarArchive.endOfArchive)
            try archive.finish()
            try? FileManager.default.removeItem(atPath: file)
            try FileManager.default.moveItem(atPath: partial, toPath: file)
        } catch {
            archive.abandon()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return manifest
    }

    static let manifestPath = "manifest.json"

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

    /// Checks the whole archive, one entry at a time: its structure, its
    /// manifest, and every document against its SHA-256 and as JSON or YAML.
    /// A truncated, corrupted or foreign file is a clear error. Returns the
    /// manifest.
    public static func verify(_ file: String) throws -> Manifest {
        var archive = try Entries(file)
        var documents: [String: [UInt8]] = [:]  // path: SHA-256
        var manifest: Manifest?
        while let entry = try archive.next() {
            if entry.path == manifestPath {
                manifest = try? JSONDecoder().decode(Manifest.self, from: Data(entry.data))
            } else {
                documents[entry.path] = Array(SHA256.hash(data: entry.data))
            }
        }
        try archive.gzip.checkEnd()
        guard let manifest, manifest.kind == "logical" else { throw OperationFailure(description: "\(file) has no logical backup manifest") }
        for entry in manifest.entries {
            guard let checksum = documents[entry.path] else { throw OperationFailure(description: "\(file) lacks \(entry.path)") }
            guard Data(checksum).hex == entry.sha256 else {
                throw OperationFailure(description: "\(entry.path) in \(file) does not match its SHA-256: corrupted")
            }
        }
        // Checksums say the documents are as written; reading each says they are objects.
        var objects = try Objects(file, manifest) { _ in true }
        while try objects.next() != nil {}
        return manifest
    }

    /// The files of an archive, one at a time.
    struct Entries {
        let gzip: GzipFileReader
        var tar = TarArchive.Reader()

        init(_ file: String) throws {
            gzip = try GzipFileReader(path: file)
        }

        mutating func next() throws -> TarArchive.Entry? {
            do {
                return try tar.next(more: gzip.next)
            } catch let malformed as TarArchive.Malformed {
                throw OperationFailure(description: "\(gzip.path): \(malformed.description)")
            }
        }
    }

    /// The objects of an archive `verify` accepted, those `include` takes,
    /// one at a time in the archive's order.
    public struct Objects {
        var entries: Entries
        let listed: [String: Manifest.Entry]
        let yaml: Bool
        let include: (Manifest.Entry) -> Bool

        public init(_ file: String, _ manifest: Manifest, where include: @escaping (Manifest.Entry) -> Bool) throws {
            entries = try Entries(file)
            listed = Dictionary(manifest.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            yaml = manifest.format == "yaml"
            self.include = include
        }

        public mutating func next() throws -> (entry: Manifest.Entry, object: APIObject)? {
            while let file = try entries.next() {
                guard let entry = listed[file.path], include(entry) else { continue }
                do {
                    let json = yaml ? try YAMLConversion.decode(file.data) : try JSONValue.parse(file.data)
                    guard case .object = json else { throw APIError.badRequest("not an object") }
                    return (entry, APIObject(json))
                } catch {
                    throw OperationFailure(description: "\(file.path) in \(entries.gzip.path) is not a \(yaml ? "YAML" : "JSON") object: \(error)")
                }
            }
            return nil
        }
    }
}
