/// A Kubernetes API object as stored and served: a JSON object with apiVersion,
/// kind and metadata. Typed accessors cover the metadata the storage layer
/// itself needs; everything else stays as JSON for the registry to handle.
public struct APIObject: Sendable, Hashable {
    public var json: JSONValue {
        // Bytes of the old state must never be served for the new one.
        didSet { encodings = nil }
    }
    /// This state's encoded forms, when it is shared (the watch cache's
    /// objects); dropped by any change to the object. Not part of its
    /// identity.
    public var encodings: SharedEncodings?

    public init(_ json: JSONValue) { self.json = json }

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
        json = value
    }

    public var apiVersion: String {
        get { json["apiVersion"]?.stringValue ?? "" }
        set { json["apiVersion"] = .string(newValue) }
    }

    public var kind: String {
        get { json["kind"]?.stringValue ?? "" }
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
