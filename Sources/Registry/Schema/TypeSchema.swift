/// The shape of one API type: what OpenAPI publishes for it and how protobuf
/// numbers its fields. Schemas are written in the compact text of
/// `SchemaText`; one catalog holds every type the server knows.
public struct TypeSchema: Sendable {
    /// "core.v1.ConfigMap", "meta.v1.ObjectMeta": the Go package's group and
    /// version, then the type.
    public var name: String
    public var description: String
    public var fields: [FieldSchema]
    /// The kinds this type is served as (group, version, kind).
    public var kinds: [GroupVersionKind]
    /// Replaced as a whole by server-side apply, never merged field by field.
    public var isAtomic: Bool

    /// The last component of the name, by which references name the type.
    public var shortName: String { String(name.split(separator: ".").last ?? "") }

    /// The name OpenAPI gives the type, as kube-apiserver publishes it.
    public var openAPIName: String {
        for (package, prefix) in Self.openAPIPrefixes where name.hasPrefix(package + ".") { return prefix + name }
        return "io.k8s.api." + name
    }

    /// Packages that live outside k8s.io/api, and OpenAPI's prefix for each.
    static let openAPIPrefixes = [("meta", "io.k8s.apimachinery.pkg.apis."),
                                  ("apiextensions", "io.k8s.apiextensions-apiserver.pkg.apis."),
                                  ("apiregistration", "io.k8s.kube-aggregator.pkg.apis.")]

    /// The JSON field called `name`.
    public func field(_ name: String) -> FieldSchema? { fields.first { $0.name == name && !$0.isInline } }
}

public struct GroupVersionKind: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }
}

public struct FieldSchema: Sendable {
    public var name: String
    /// The protobuf field number; nil for apiVersion and kind of top-level
    /// kinds, which travel in the envelope instead.
    public var number: Int?
    public var type: ValueSchema
    public var description: String = ""
    public var isRequired = false
    /// A protobuf-only field: a Go struct embedded inline, whose own fields
    /// are listed (without numbers) on this type. Not a JSON field.
    public var isInline = false
    /// A pointer in Go: zero (false, 0) is a value to keep, not an absence.
    public var keepsZero = false
    public var patchMergeKey: String?
    public var patchStrategy: String?
    /// "atomic", "set" or "map" (with `listMapKeys`).
    public var listType: String?
    public var listMapKeys: [String] = []
    public var mapType: String?
    public var allowedValues: [String] = []
}

/// A field's value type.
public indirect enum ValueSchema: Sendable, Equatable {
    case string
    /// Base64 in JSON, raw bytes in protobuf.
    case bytes
    case int32
    case int64
    case double
    case boolean
    /// metav1.Time: RFC 3339 to the second.
    case time
    /// metav1.MicroTime: RFC 3339 to the microsecond.
    case microTime
    /// resource.Quantity: "100m", "1Gi".
    case quantity
    /// intstr.IntOrString.
    case intOrString
    /// Any JSON object (RawExtension, FieldsV1).
    case freeForm
    /// One of apiextensions' JSONSchemaProps unions: in JSON a schema or
    /// the alternative, in protobuf a message with a field for each.
    case schemaUnion(SchemaUnion)
    case array(ValueSchema)
    /// An object with string keys and values of one type.
    case map(ValueSchema)
    /// Another type in the catalog, by its short name ("ObjectMeta").
    case reference(String)
}

/// The JSONSchemaProps unions of apiextensions.k8s.io, named as in Go.
public enum SchemaUnion: String, Sendable, Equatable {
    /// The schema each union holds one of, or several.
    public static let schemaType = "apiextensions.v1.JSONSchemaProps"

    /// A schema, or true or false (additionalProperties, additionalItems):
    /// {1: allows, 2: schema}.
    case orBool = "JSONSchemaPropsOrBool"
    /// A schema, or a list of schemas (items): {1: schema, 2: schemas}.
    case orArray = "JSONSchemaPropsOrArray"
    /// A schema, or a list of property names (dependencies):
    /// {1: schema, 2: names}.
    case orStringArray = "JSONSchemaPropsOrStringArray"
}
