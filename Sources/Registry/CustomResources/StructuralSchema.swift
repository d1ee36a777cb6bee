import APIMachinery
import Foundation

/// A CRD version's openAPIV3Schema, read into what serving its custom
/// resources needs: validation, pruning of unknown fields, defaulting, list
/// semantics. Read from a CRD that passed validation, so it is lenient: what
/// it does not understand it ignores, as kube's structural schema does.
public final class StructuralSchema: Sendable {
    public let type: String?
    public let format: String?
    public let description: String?
    /// In the order the CRD lists them.
    public let properties: [(name: String, schema: StructuralSchema)]
    public let items: StructuralSchema?
    /// A schema for the values of a map; `allowsAnyProperty` when `additionalProperties: true`.
    public let additionalProperties: StructuralSchema?
    public let allowsAnyProperty: Bool
    public let required: [String]
    public let enumValues: [JSONValue]?
    public let maximum: JSONValue?
    public let minimum: JSONValue?
    public let exclusiveMaximum: Bool
    public let exclusiveMinimum: Bool
    public let multipleOf: JSONValue?
    public let maxLength: Int?
    public let minLength: Int?
    public let pattern: NSRegularExpression?
    public let patternText: String?
    public let maxItems: Int?
    public let minItems: Int?
    public let maxProperties: Int?
    public let minProperties: Int?
    public let nullable: Bool
    public let defaultValue: JSONValue?
    public let preservesUnknownFields: Bool
    public let isEmbeddedResource: Bool
    public let isIntOrString: Bool
    public let listType: String?
    public let listMapKeys: [String]
    public let mapType: String?
    /// Value validations that do not shape the object (kube's "junctors").
    public let allOf: [StructuralSchema]
    public let anyOf: [StructuralSchema]
    public let oneOf: [StructuralSchema]
    public let not: StructuralSchema?
    /// x-kubernetes-validations (CEL): kept, not yet enforced.
    public let celRules: [JSONValue]
    private let propertyIndex: [String: Int]

    public init(_ json: JSONValue) {
        let object = json.objectValue ?? [:]
        func schemas(_ key: String) -> [StructuralSchema] { (object[key]?.arrayValue ?? []).map(StructuralSchema.init) }
        func int(_ key: String) -> Int? { object[key]?.intValue.map { Int(clamping: $0) } }
        type = object["type"]?.stringValue
        format = object["format"]?.stringValue
        description = object["description"]?.stringValue
        let properties = (object["properties"]?.objectValue ?? [:]).map { (name: $0.key, schema: StructuralSchema($0.value)) }
        self.properties = properties
        propertyIndex = Dictionary(properties.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
        items = object["items"].flatMap { $0.objectValue != nil ? StructuralSchema($0) : nil }
        switch object["additionalProperties"] {
        case .object?: additionalProperties = StructuralSchema(object["additionalProperties"]!); allowsAnyProperty = false
        case .bool(true)?: additionalProperties = nil; allowsAnyProperty = true
        default: additionalProperties = nil; allowsAnyProperty = false
        }
        required = (object["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        enumValues = object["enum"]?.arrayValue
        maximum = object["maximum"]
        minimum = object["minimum"]
        exclusiveMaximum = object["exclusiveMaximum"]?.boolValue ?? false
        exclusiveMinimum = object["exclusiveMinimum"]?.boolValue ?? false
        multipleOf = object["multipleOf"]
        maxLength = int("maxLength")
        minLength = int("minLength")
        patternText = object["pattern"]?.stringValue
        pattern = patternText.flatMap { try? NSRegularExpression(pattern: $0) }
        maxItems = int("maxItems")
        minItems = int("minItems")
        maxProperties = int("maxProperties")
        minProperties = int("minProperties")
        nullable = object["nullable"]?.boolValue ?? false
        defaultValue = object["default"]
        preservesUnknownFields = object["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        isEmbeddedResource = object["x-kubernetes-embedded-resource"]?.boolValue ?? false
        isIntOrString = object["x-kubernetes-int-or-string"]?.boolValue ?? false
        listType = object["x-kubernetes-list-type"]?.stringValue
        listMapKeys = (object["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
        mapType = object["x-kubernetes-map-type"]?.stringValue
        allOf = schemas("allOf")
        anyOf = schemas("anyOf")
        oneOf = schemas("oneOf")
        not = object["not"].flatMap { $0.objectValue != nil ? StructuralSchema($0) : nil }
        celRules = object["x-kubernetes-validations"]?.arrayValue ?? []
    }

    public func property(_ name: String) -> StructuralSchema? {
        propertyIndex[name].map { properties[$0].schema }
    }

    /// Whether any schema in the tree has a default.
    public var hasDefaults: Bool { contains { $0.defaultValue != nil } }

    /// Whether any schema in the tree carries x-kubernetes-validations.
    public var hasCELRules: Bool { contains { !$0.celRules.isEmpty } }

    /// Whether this schema or one below it (properties, items, map values) is such.
    func contains(where predicate: (StructuralSchema) -> Bool) -> Bool {
        predicate(self) || properties.contains { $0.schema.contains(where: predicate) }
            || items?.contains(where: predicate) == true || additionalProperties?.contains(where: predicate) == true
    }
}
