import APIMachinery

/// What decoding a JSON body into kube-apiserver's Go structs finds: fields
/// the type does not have (dropped, as Go's decoding drops them) and the first
/// value of the wrong type, which Go refuses and Berth must not store, since
/// every typed client of the kind would then fail to read it.
public struct DecodingCheck: Sendable {
    /// Paths as strict decoding errors name them: "spec.foo", "spec.containers[0].bar".
    public var unknownFields: [String] = []
    /// The first type error, worded as Go's encoding/json words it:
    /// "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string".
    public var typeError: String?
}

extension SchemaCatalog {
    /// Walks `value` as the Go type `type` would read it: removes unknown
    /// fields and notes the first value of the wrong type. With
    /// `checkingTypes` false (a patch, whose nulls and directives are not
    /// values of the type) only unknown fields are looked for.
    /// Keys starting with "$" are patch directives and stay.
    public func check(_ value: inout JSONValue, as type: TypeSchema, checkingTypes: Bool = true) -> DecodingCheck {
        var walk = DecodingWalk(catalog: self, checkingTypes: checkingTypes)
        walk.visit(&value, .reference(type.name))
        return walk.result
    }

    /// Removes the fields of `value` that `type` does not have and returns their paths.
    public func pruneUnknownFields(_ value: inout JSONValue, of type: TypeSchema) -> [String] {
        check(&value, as: type, checkingTypes: false).unknownFields
    }
}

private struct DecodingWalk {
    let catalog: SchemaCatalog
    let checkingTypes: Bool
    var result = DecodingCheck()
    /// Where the walk is, for unknown fields; rendered only when one is
    /// found, as building a path for every field showed in profiles of creates.
    var path: [PathPart] = []
    /// Go's error context: the JSON names of the struct fields entered (no
    /// indexes, no map keys) and the innermost struct's type name.
    var fieldStack: [String] = []
    var structName = ""

    enum PathPart {
        case key(String)
        case index(Int)
    }

    mutating func visit(_ value: inout JSONValue, _ schema: ValueSchema) {
        // null decodes into anything (it leaves Go's zero value).
        if value == .null { return }
        switch (schema, value) {
        case (.reference(let name), .object(var object)):
            guard let type = catalog.resolve(name) else { return }
            value = .null  // `object` is now the only reference, so the edits below do not copy it
            let outerStruct = structName
            var index = 0
            while index < object.count {
                let key = object.keys[index]
                guard !key.hasPrefix("$") else {
                    index += 1
                    continue
                }
                path.append(.key(key))
                if let field = type.field(key) {
                    fieldStack.append(key)
                    structName = type.shortName
                    visit(&object.values[index], field.type)
                    fieldStack.removeLast()
                    index += 1
                } else {
                    result.unknownFields.append(Self.render(path))
                    object.remove(at: index)
                }
                path.removeLast()
            }
            structName = outerStruct
            value = .object(object)
        case (.array(let element), .array(var items)):
            value = .null
            for index in items.indices {
                path.append(.index(index))
                visit(&items[index], element)
                path.removeLast()
            }
            value = .array(items)
        case (.map(let element), .object(var object)):
            value = .null
            for index in object.values.indices where !object.keys[index].hasPrefix("$") {
                path.append(.key(object.keys[index]))
                visit(&object.values[index], element)
                path.removeLast()
            }
            value = .object(object)
        default:
            guard checkingTypes, result.typeError == nil else { return }
            result.typeError = scalarError(value, schema)
        }
    }

    /// Go's verdict on a value that is not a struct, slice or map of the
    /// right kind; nil when it decodes.
    func scalarError(_ value: JSONValue, _ schema: ValueSchema) -> String? {
        switch (schema, value) {
        case (.string, .string), (.boolean, .bool), (.double, .int), (.double, .double), (.freeForm, _), (.schemaUnion, _):
            return nil
        case (.int32, .int(let number)), (.intOrString, .int(let number)):
            return Int32(exactly: number) == nil ? unmarshalError("number \(number)", "int32") : nil
        case (.int64, .int):
            return nil
        case (.int32, .double), (.int64, .double), (.intOrString, .double):
            return unmarshalError("number \(value.jsonString)", schema == .int64 ? "int64" : "int32")
        case (.intOrString, .string):
            return nil
        case (.intOrString, _):
            return unmarshalError(Self.jsonKind(value), "int32")
        case (.bytes, .string(let text)):
            return Base64Check.error(text)
        case (.time, .string(let text)):
            return TimeLayout.rfc3339.parseError(text)
        case (.microTime, .string(let text)):
            return TimeLayout.rfc3339Micro.parseError(text)
        case (.time, _), (.microTime, _):
            // metav1.Time reads its JSON into a Go string first.
            return unmarshalError(Self.jsonKind(value), "string")
        case (.quantity, .string(let text)):
            return QuantityFormat.error(text)
        case (.quantity, _):
            // resource.Quantity parses the raw JSON of anything else (5, true, {}).
            return QuantityFormat.error(value.jsonString)
        default:
            return unmarshalError(Self.jsonKind(value), goTypeName(schema))
        }
    }

    func unmarshalError(_ jsonValue: String, _ goType: String) -> String {
        if fieldStack.isEmpty { return "json: cannot unmarshal \(jsonValue) into Go value of type \(goType)" }
        return "json: cannot unmarshal \(jsonValue) into Go struct field \(structName).\(fieldStack.joined(separator: ".")) of type \(goType)"
    }

    static func jsonKind(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The Go type a schema stands for, as reflect prints it ("[]v1.OwnerReference").
    func goTypeName(_ schema: ValueSchema) -> String {
        switch schema {
        case .string: return "string"
        case .bytes: return "[]uint8"
        case .int32: return "int32"
        case .int64: return "int64"
        case .double: return "float64"
        case .boolean: return "bool"
        case .time: return "v1.Time"
        case .microTime: return "v1.MicroTime"
        case .quantity: return "resource.Quantity"
        case .intOrString: return "intstr.IntOrString"
        case .freeForm: return "runtime.RawExtension"
        case .schemaUnion(let union): return "v1." + union.rawValue
        case .array(let element): return "[]" + goTypeName(element)
        case .map(let element): return "map[string]" + goTypeName(element)
        case .reference(let name):
            // "core.v1.OwnerReference": Go's package is the version.
            let parts = (catalog.resolve(name)?.name ?? name).split(separator: ".")
            return parts.count >= 2 ? "\(parts[parts.count - 2]).\(parts[parts.count - 1])" : name
        }
    }

    static func render(_ path: [PathPart]) -> String {
        var text = ""
        for part in path {
            switch part {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
