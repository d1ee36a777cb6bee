/// ObjectMeta fields beyond the ones storage needs, as the registry manages
/// them. Setting an empty value removes the field, as Go's omitempty would.
extension APIObject {
    public var generateName: String {
        get { meta("generateName") }
        set { setMeta("generateName", newValue) }
    }

    public var creationTimestamp: String {
        get { meta("creationTimestamp") }
        set { setMeta("creationTimestamp", newValue) }
    }

    public var deletionTimestamp: String {
        get { meta("deletionTimestamp") }
        set { setMeta("deletionTimestamp", newValue) }
    }

    public var generation: Int64 {
        get { metadata["generation"]?.intValue ?? 0 }
        set { setMetadata("generation", newValue == 0 ? nil : .int(newValue)) }
    }

    public var labels: [String: String] {
        get { Self.stringMap(metadata["labels"]) }
        set { setMetadata("labels", Self.jsonMap(newValue)) }
    }

    public var annotations: [String: String] {
        get { Self.stringMap(metadata["annotations"]) }
        set { setMetadata("annotations", Self.jsonMap(newValue)) }
    }

    public var finalizers: [String] {
        get { metadata["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        set { setMetadata("finalizers", newValue.isEmpty ? nil : .array(newValue.map { .string($0) })) }
    }

    /// The object's top-level field (spec, status, data, ...), if any.
    public subscript(field: String) -> JSONValue? {
        get { json[field] }
        set { json[field] = newValue }
    }

    public mutating func setMetadata(_ key: String, _ value: JSONValue?) {
        var metadata = self.metadata
        metadata[key] = value
        self.metadata = metadata
    }

    static func stringMap(_ value: JSONValue?) -> [String: String] {
        guard let object = value?.objectValue else { return [:] }
        var map: [String: String] = [:]
        for (key, value) in object { map[key] = value.stringValue ?? "" }
        return map
    }

    static func jsonMap(_ map: [String: String]) -> JSONValue? {
        guard !map.isEmpty else { return nil }
        return .object(JSONObject(uniqueKeysWithValues: map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }
}
