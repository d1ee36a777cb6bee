/// The order Kubernetes writes an object's fields in (its Go structs'
/// order): kind, apiVersion, metadata, then the rest as they came; ObjectMeta's
/// own fields in ObjectMeta's order. What Berth serves is in this order, and
/// so are the bytes the watch cache keeps, so that those bytes are served
/// as they are.
public enum WireOrder {
    private static let metadataOrder = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ]

    /// `json`'s kind and apiVersion first (null when absent), then metadata in
    /// ObjectMeta's order, then the rest.
    public static func object(_ json: JSONValue) -> JSONValue {
        guard case .object(let fields) = json else { return json }
        var ordered: JSONObject = ["kind": fields["kind"] ?? .null, "apiVersion": fields["apiVersion"] ?? .null]
        if let metadata = fields["metadata"]?.objectValue { ordered["metadata"] = .object(Self.metadata(metadata)) }
        for (key, value) in fields where ordered[key] == nil { ordered[key] = value }
        return .object(ordered)
    }

    public static func metadata(_ metadata: JSONObject) -> JSONObject {
        var ordered = JSONObject()
        for key in metadataOrder { if let value = metadata[key] { ordered[key] = value } }
        for (key, value) in metadata where ordered[key] == nil { ordered[key] = value }
        return ordered
    }

    /// How the wire-ordered JSON of an object of `kind` at `apiVersion`
    /// begins; what follows is `{` short of the object as a list item.
    public static func objectOpening(kind: String, apiVersion: String) -> [UInt8] {
        // Both are Kubernetes names: nothing in them needs escaping.
        Array(#"{"kind":"\#(kind)","apiVersion":"\#(apiVersion)","#.utf8)
    }
}
