import Synchronization

/// A Kubernetes API object as stored and served: a JSON object with apiVersion,
/// kind and metadata. Typed accessors cover the metadata the storage layer
/// itself needs; everything else stays as JSON for the registry to handle.
public struct APIObject: Sendable, Hashable {
    /// The parsed object; nil while it is only `encoded`.
    private var tree: JSONValue?
    /// The object as wire-ordered compact JSON, when it came as such (the
    /// watch cache keeps its objects so): parsed on first use.
    private var encoded: EncodedJSON?
    /// This state's encoded forms, when it is shared (the watch cache's
    /// objects); dropped by any change to the object. Not part of its
    /// identity.
    public var encodings: SharedEncodings?

    public init(_ json: JSONValue) { tree = json }

    /// An object known by its wire-ordered compact JSON (`WireOrder`), as
    /// the watch cache keeps it. It parses `bytes` at most once, on first
    /// use (its copies share the tree), so a holder of `bytes` alone gives
    /// each reader an object of its own.
    public init(encodedJSON bytes: [UInt8], apiVersion: String, kind: String, encodings: SharedEncodings?) {
        encoded = EncodedJSON(bytes: bytes, apiVersion: apiVersion, kind: kind)
        self.encodings = encodings
    }

    public var json: JSONValue {
        get { tree ?? encoded?.tree ?? .null }
        set {
            tree = newValue
            encoded = nil
            // Bytes of the old state must never be served for the new one.
            encodings = nil
        }
        _modify {
            var value = tree ?? encoded?.tree ?? .null
            // Let go of every other reference so that the edit is in place.
            tree = nil
            encoded = nil
            encodings = nil
            defer { tree = value }
            yield &value
        }
    }

    /// The object's wire-ordered compact JSON, when it is known without
    /// serializing (see init(encodedJSON:)).
    public var encodedJSON: [UInt8]? { encoded?.bytes }

    public static func == (a: APIObject, b: APIObject) -> Bool { a.json == b.json }

    public func hash(into hasher: inout Hasher) { hasher.combine(json) }

    /// Parses a JSON object; anything else is a 400 BadRequest.
    public init(parsing bytes: [UInt8]) throws {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch let error as JSONParseError {
            throw APIError.badRequest("the object is not valid JSON: \(error)")
        }
        guard case .object = value else { throw APIError.badRequest("the object is not a JSON object") }
        tree = value
    }

    public var apiVersion: String {
        get { encoded?.apiVersion ?? json["apiVersion"]?.stringValue ?? "" }
        set { json["apiVersion"] = .string(newValue) }
    }

    public var kind: String {
        get { encoded?.kind ?? json["kind"]?.stringValue ?? "" }
        set { json["kind"] = .string(newValue) }
    }

    public var metadata: JSONObject {
        get { json["metadata"]?.objectValue ?? [:] }
        set { json["metadata"] = .object(newValue) }
    }

    func meta(_ key: String) -> String { metadata[key]?.stringValue ?? "" }

    /// Sets a metadata string field; an empty string removes it.
    mutating func setMeta(_ key: String, _ value: String) {
        setMetadata(key, value.isEmpty ? nil : .string(value))
    }

    public var name: String {
        get { meta("name") }
        set { setMeta("name", newValue) }
    }

    public var namespace: String {
        get { meta("namespace") }
        set { setMeta("namespace", newValue) }
    }

    public var uid: String {
        get { meta("uid") }
        set { setMeta("uid", newValue) }
    }

    /// Never stored in etcd: set from the key's mod_revision on every read.
    public var resourceVersion: String {
        get { meta("resourceVersion") }
        set { setMeta("resourceVersion", newValue) }
    }

    public func serialized() -> [UInt8] { json.serialized() }
}

/// An object's wire-ordered compact JSON with what is read of it without
/// parsing, and its tree once parsed.
private final class EncodedJSON: Sendable {
    let bytes: [UInt8]
    let apiVersion: String
    let kind: String
    private let parsed: Mutex<JSONValue?>

    init(bytes: [UInt8], apiVersion: String, kind: String) {
        self.bytes = bytes
        self.apiVersion = apiVersion
        self.kind = kind
        parsed = Mutex(nil)
    }

    var tree: JSONValue {
        parsed.withLock { parsed in
            if let parsed { return parsed }
            // Bytes Berth serialized from a parsed object parse again.
            let tree = (try? JSONValue.parse(bytes)) ?? .null
            parsed = tree
            return tree
        }
    }
}
