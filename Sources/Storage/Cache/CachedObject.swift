import APIMachinery

/// One current object as the watch cache keeps it: its wire-ordered
/// compact JSON, not its parsed tree (a 1 KiB ConfigMap is about 1.3 KiB
/// so, 2.3 as a tree), with the encodings every reader of this state
/// shares and what selectors and indexes read of it. A plain JSON get or
/// list at the storage version sends the bytes as they are; a reader that
/// needs the tree parses its own copy (`object`), which goes when the read
/// is done.
struct CachedObject: Sendable {
    let json: [UInt8]
    let apiVersion: String
    let kind: String
    let encodings: SharedEncodings
    let attributes: SelectionAttributes

    /// Keeps `object` (as decoded from etcd, resourceVersion set) with new
    /// encodings.
    init(_ object: APIObject, indexes: CacheIndexes) {
        var encoded: [UInt8] = []
        WireOrder.object(object.json).serialize(into: &encoded)
        self.init(json: Self.exact(encoded[...]), of: object, indexes: indexes)
    }

    private init(json: [UInt8], of object: APIObject, indexes: CacheIndexes) {
        self.json = json
        apiVersion = object.apiVersion
        kind = object.kind
        encodings = SharedEncodings()
        attributes = SelectionAttributes(object, indexes: indexes)
    }

    /// Keeps the objects of a list, as `init` would each. They are encoded
    /// one after another into one buffer and only then copied out, each to
    /// an array of its own size, and their keys with them, so that what the
    /// cache keeps lies packed together, not between the pieces of the
    /// trees, the etcd response and the growing buffers that are freed: a
    /// key decoded beside each tree kept every page of the trees in the
    /// process, and for 10,000 ConfigMaps of 1 KiB the holes held as much
    /// memory as the objects.
    static func many(_ objects: [(key: String, object: APIObject)], indexes: CacheIndexes) -> [(key: String, object: CachedObject)] {
        var buffer: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(objects.count)
        for (_, object) in objects {
            WireOrder.object(object.json).serialize(into: &buffer)
            ends.append(buffer.count)
        }
        var kept: [(key: String, object: CachedObject)] = []
        kept.reserveCapacity(objects.count)
        var start = 0
        for ((key, object), end) in zip(objects, ends) {
            kept.append((copy(key), CachedObject(json: exact(buffer[start..<end]), of: object, indexes: indexes)))
            start = end
        }
        return kept
    }

    /// The bytes in an array of exactly their size (an array that grew as
    /// it was written has up to twice the room).
    private static func exact(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: bytes)
        }
    }

    /// A string in storage of its own (a copy shares its original's).
    private static func copy(_ string: String) -> String {
        String(unsafeUninitializedCapacity: string.utf8.count) { $0.initialize(fromContentsOf: string.utf8) }
    }

    /// This state for one reader, parsed when it first looks inside.
    var object: APIObject {
        APIObject(encodedJSON: json, apiVersion: apiVersion, kind: kind, encodings: encodings)
    }

    /// This state for one reader, with what selectors read of it.
    var state: CachedState { CachedState(object: object, attributes: attributes) }
}

/// One state of an object as a read or a watcher is given it: the object,
/// and what selectors read of it without looking inside.
struct CachedState: Sendable {
    var object: APIObject
    let attributes: SelectionAttributes
}

/// What label and field selectors read of one state (kube's storeElement's
/// labels and fields), kept beside it so that matching a selector, or
/// moving the state between index values, needs no parse.
struct SelectionAttributes: Sendable {
    let labels: [String: String]
    /// The kind's selectable fields (`CacheIndexes.values`); metadata.name
    /// and metadata.namespace are apart, as most kinds have no others.
    let fields: [String: String]
    let name: String
    let namespace: String

    init(_ object: APIObject, indexes: CacheIndexes) {
        labels = object.labels
        fields = indexes.values(object)
        name = object.name
        namespace = object.namespace
    }

    /// Whether `predicate` keeps the state (every state, without one).
    func kept(by predicate: SelectionPredicate?) -> Bool {
        guard let predicate else { return true }
        var all = fields
        all["metadata.name"] = name
        if !namespace.isEmpty { all["metadata.namespace"] = namespace }
        return predicate.matches(labels: labels, fields: all)
    }
}
