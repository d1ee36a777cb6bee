import APIMachinery
import Foundation

/// Whether a CRD's openAPIV3Schema is one kube can serve: structural (a type
/// at every level, the root an object, metadata limited to name and
/// generateName) and using only the keywords and x-kubernetes extensions it
/// allows, with kube's messages. Problems come sorted by their text, as
/// kube's structural validation sorts them.
enum StructuralSchemaCheck {
    static let types = ["array", "boolean", "integer", "number", "object", "string"]

    static func problems(_ schema: JSONValue, at path: String, hasStatus: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let root = schema.objectValue ?? [:]
        let type = root["type"]?.stringValue ?? ""
        if type.isEmpty {
            errors.append(.required("\(path).type", "must not be empty at the root"))
        } else if type != "object" {
            errors.append(.invalid("\(path).type", type, "must be object at the root"))
        }
        if root["additionalProperties"] != nil {
            errors.append(.forbidden("\(path).additionalProperties", "must not be used at the root"))
        }
        if root["nullable"]?.boolValue == true {
            errors.append(.forbidden("\(path).nullable", "nullable cannot be true at the root"))
        }
        if let properties = root["properties"]?.objectValue {
            if let metadata = properties["metadata"]?.objectValue {
                if let metadataType = metadata["type"]?.stringValue, metadataType != "object" {
                    errors.append(.invalid("\(path).properties[metadata].type", metadataType, "must be object"))
                }
                let allowed = Set(["name", "generateName"])
                let extra = metadata.keys.filter { $0 != "type" && $0 != "properties" }
                let extraProperties = (metadata["properties"]?.objectValue?.keys).map { $0.filter { !allowed.contains($0) } } ?? []
                if !extra.isEmpty || !extraProperties.isEmpty {
                    errors.append(.forbidden("\(path).properties[metadata]",
                                             "must not specify anything other than name and generateName, but metadata is implicitly specified"))
                }
            }
            for field in ["apiVersion", "kind"] {
                if let fieldType = properties[field]?["type"]?.stringValue, fieldType != "string" {
                    errors.append(.invalid("\(path).properties[\(field)].type", fieldType, "must be string"))
                }
            }
        }
        visit(schema, at: path, context: .root, errors: &errors)
        return errors.sorted { "\($0.field): \($0.detail)" < "\($1.field): \($1.detail)" }
    }

    enum Context { case root, objectField, arrayItems, junctor }

    private static func visit(_ schema: JSONValue, at path: String, context: Context, errors: inout [FieldError]) {
        guard let object = schema.objectValue else { return }
        let type = object["type"]?.stringValue ?? ""
        let intOrString = object["x-kubernetes-int-or-string"]?.boolValue == true
        let preserves = object["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        if type.isEmpty, !intOrString, !preserves {
            switch context {
            case .objectField: errors.append(.required("\(path).type", "must not be empty for specified object fields"))
            case .arrayItems: errors.append(.required("\(path).type", "must not be empty for specified array items"))
            case .root, .junctor: break
            }
        } else if !type.isEmpty, !types.contains(type) {
            errors.append(.notSupported("\(path).type", type, types))
        }
        if type == "array", object["items"] == nil { errors.append(.required("\(path).items", "must be specified")) }
        if object["properties"] != nil, object["additionalProperties"] != nil {
            errors.append(.forbidden("\(path).additionalProperties", "additionalProperties and properties are mutual exclusive"))
        }
        if object["x-kubernetes-preserve-unknown-fields"]?.boolValue == false {
            errors.append(.invalid("\(path).x-kubernetes-preserve-unknown-fields", "false", "must be true or undefined"))
        }
        if object["uniqueItems"]?.boolValue == true {
            errors.append(.forbidden("\(path).uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
        }
        for keyword in ["id", "$ref", "additionalItems", "patternProperties", "definitions", "dependencies"] where object[keyword] != nil {
            errors.append(.forbidden("\(path).\(keyword)", "\(keyword) is not supported"))
        }
        if case .array? = object["items"] {
            errors.append(.forbidden("\(path).items", "items must be a schema object and not an array"))
        }
        if let pattern = object["pattern"]?.stringValue, (try? NSRegularExpression(pattern: pattern)) == nil {
            errors.append(.invalid("\(path).pattern", pattern, "must be a valid regular expression, but isn't"))
        }
        if let listType = object["x-kubernetes-list-type"]?.stringValue {
            if type != "array" { errors.append(.invalid("\(path).type", type, "must be array if x-kubernetes-list-type is specified")) }
            if !["atomic", "set", "map"].contains(listType) {
                errors.append(.notSupported("\(path).x-kubernetes-list-type", listType, ["atomic", "set", "map"]))
            }
            let keys = (object["x-kubernetes-list-map-keys"]?.arrayValue ?? []).compactMap(\.stringValue)
            if listType == "map" {
                if keys.isEmpty {
                    errors.append(.required("\(path).x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"))
                } else if let itemProperties = object["items"]?["properties"]?.objectValue,
                          !keys.allSatisfy({ itemProperties[$0] != nil }) {
                    errors.append(.invalidValue("\(path).x-kubernetes-list-map-keys", .array(keys.map(JSONValue.string)),
                                                "entries must all be names of item properties"))
                }
            }
        } else if object["x-kubernetes-list-map-keys"] != nil {
            errors.append(.required("\(path).x-kubernetes-list-type", "must be map if x-kubernetes-list-map-keys is non-empty"))
        }
        if let mapType = object["x-kubernetes-map-type"]?.stringValue {
            if type != "object" { errors.append(.invalid("\(path).type", type, "must be object if x-kubernetes-map-type is specified")) }
            if !["atomic", "granular"].contains(mapType) {
                errors.append(.notSupported("\(path).x-kubernetes-map-type", mapType, ["atomic", "granular"]))
            }
        }
        if object["x-kubernetes-embedded-resource"]?.boolValue == true, type != "object" {
            errors.append(.invalid("\(path).type", type, "must be object if x-kubernetes-embedded-resource is true"))
        }
        if intOrString, preserves || object["x-kubernetes-embedded-resource"]?.boolValue == true {
            errors.append(.invalid("\(path).x-kubernetes-preserve-unknown-fields", "true", "must be false if x-kubernetes-int-or-string is true"))
        }
        if let value = object["default"], context != .junctor {
            errors += defaultProblems(value, of: object, at: path)
        }
        if context == .root, let metadata = object["properties"]?["metadata"], metadata["default"] != nil {
            errors.append(.forbidden("\(path).properties[metadata].default", "must not be set in top-level metadata"))
        }
        for (name, property) in object["properties"]?.objectValue ?? [:] {
            visit(property, at: "\(path).properties[\(name)]", context: .objectField, errors: &errors)
        }
        if let items = object["items"], items.objectValue != nil {
            visit(items, at: "\(path).items", context: .arrayItems, errors: &errors)
        }
        if let additional = object["additionalProperties"], additional.objectValue != nil {
            visit(additional, at: "\(path).additionalProperties", context: .objectField, errors: &errors)
        }
        for junctor in ["allOf", "anyOf", "oneOf"] {
            for (index, schema) in (object[junctor]?.arrayValue ?? []).enumerated() {
                junctorProblems(schema, at: "\(path).\(junctor)[\(index)]", errors: &errors)
            }
        }
        if let not = object["not"] { junctorProblems(not, at: "\(path).not", errors: &errors) }
    }

    /// A default must be what its schema accepts, with no field pruning
    /// would drop, as kube's defaulting validation requires.
    private static func defaultProblems(_ value: JSONValue, of node: JSONObject, at path: String) -> [FieldError] {
        var node = node
        node["default"] = nil
        let schema = StructuralSchema(.object(node))
        if !schema.unknownFields(in: value).isEmpty {
            return [.invalidValue("\(path).default", value, "must not have unknown fields")]
        }
        return schema.validate(value, at: "").map { error in
            FieldError(type: error.type, field: error.field.isEmpty ? "\(path).default" : "\(path).default.\(error.field)",
                       detail: error.detail)
        }
    }

    /// Inside allOf/anyOf/oneOf/not only value validations may appear.
    private static func junctorProblems(_ schema: JSONValue, at path: String, errors: inout [FieldError]) {
        guard let object = schema.objectValue else { return }
        for key in ["type", "title", "description"] where object[key] != nil {
            errors.append(.forbidden("\(path).\(key)", "must be empty to be structural"))
        }
        for key in ["additionalProperties", "default", "externalDocs", "x-kubernetes-list-type", "x-kubernetes-map-type"]
        where object[key] != nil {
            errors.append(.forbidden("\(path).\(key)", "must be undefined to be structural"))
        }
        for key in ["nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string"]
        where object[key]?.boolValue == true {
            errors.append(.forbidden("\(path).\(key)", "must be false to be structural"))
        }
        for (name, property) in object["properties"]?.objectValue ?? [:] {
            junctorProblems(property, at: "\(path).properties[\(name)]", errors: &errors)
        }
        if let items = object["items"] { junctorProblems(items, at: "\(path).items", errors: &errors) }
    }
}
