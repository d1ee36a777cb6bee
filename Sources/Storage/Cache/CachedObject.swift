import APIMachinery

/// One current object as the watch cache keeps it: its wire-ordered
/// compact JSON, not its parsed tree (a 1 KiB ConfigMap is about 1.3 KiB
/// so, 2.3 as a tree), with the encodings every reader of this state
/// shares and the values its indexes file it under. A plain JSON get or
/// list at the storage version sends the bytes as they are; a reader that
/// needs the tree parses its own copy (`object`), which goes when the read
/// is done.
struct CachedObject: Sendable {
    let json: [UInt8]
    let apiVersion: String
    let kind: String
    let encodings: SharedEncodings
    /// Its value of each indexed field (`CacheIndexes`).
    let indexed: [String: String]

    /// Keeps `object` (as decoded from etcd, resourceVersion set) with new
    /// encodings.
    init(_ object: APIObject, indexes: CacheIndexes) {
        json = WireOrder.object(object.json).serialized()
        apiVersion = object.apiVersion
        kind = object.kind
        encodings = SharedEncodings()
        indexed = indexes.indexedValues(object)
    }

    /// This state for one reader, parsed when it first looks inside.
    var object: APIObject {
        APIObject(encodedJSON: json, apiVersion: apiVersion, kind: kind, encodings: encodings)
    }
}
