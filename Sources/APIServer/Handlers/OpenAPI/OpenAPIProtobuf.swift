import APIMachinery
import Synchronization

/// An OpenAPI document (JSON) in the protobuf form of its document model
/// (proto/openapi/, gnostic's models), as kube-openapi serves it for
/// application/com.github.proto-openapi.spec.v2@v1.0+protobuf and the v3
/// equivalent. The JSON is read the way gnostic's compiler reads it: fields
/// by their camelCase names ($ref for _ref), "x-" keys as vendor
/// extensions, the keys of map-like objects as Named entries, each oneof by
/// what the JSON holds, and free-form values (defaults, examples,
/// extensions) as YAML text in an Any.
struct OpenAPIProtobuf {
    let messages: ProtobufMessages

    func encode(_ document: JSONValue, as message: String) -> [UInt8] {
        var writer = ProtobufWriter()
        write(document, as: message, into: &writer)
        return writer.bytes
    }

    private func write(_ value: JSONValue, as message: String, into writer: inout ProtobufWriter) {
        if message == "Any" {
            writer.string(2, String(decoding: YAMLConversion.encode(value), as: UTF8.self))
            return
        }
        let fields = messages[message]
        if !fields.isEmpty, fields.allSatisfy(\.oneof) {
            if let field = alternative(value, of: message, fields) { write(field, value, into: &writer) }
            return
        }
        // A list in a message of its own: TypeItem and StringArray (one string
        // or several), ItemsItem (one schema or several).
        if fields.count == 1, let only = fields.first, only.repeated, !isNamed(only) {
            for element in value.arrayValue ?? [value] { write(only, element, into: &writer) }
            return
        }
        guard case .object(let object) = value else { return }
        var consumed: Set<String> = []
        for field in fields where !isNamed(field) {
            let key = Self.jsonName(field.name)
            guard let fieldValue = object[key] else { continue }
            consumed.insert(key)
            for element in field.repeated ? fieldValue.arrayValue ?? [fieldValue] : [fieldValue] {
                write(field, element, into: &writer)
            }
        }
        // Map-like fields take the keys no other field took: extensions the
        // "x-" ones, additional_properties all, the rest (paths, response
        // codes) all but the extensions.
        for field in fields where isNamed(field) {
            let isExtension = field.name == "vendor_extension" || field.name == "specification_extension"
            for (key, entry) in object where !consumed.contains(key) {
                guard field.name == "additional_properties" || key.hasPrefix("x-") == isExtension else { continue }
                writeNamed(field, key, entry, into: &writer)
            }
        }
    }

    private func isNamed(_ field: ProtobufMessages.Field) -> Bool {
        guard field.repeated, case .message(let type) = field.kind else { return false }
        return type.hasPrefix("Named")
    }

    private func writeNamed(_ field: ProtobufMessages.Field, _ name: String, _ value: JSONValue,
                            into writer: inout ProtobufWriter) {
        guard case .message(let type) = field.kind, let valueField = messages[type].first(where: { $0.number == 2 })
        else { return }
        var named = ProtobufWriter()
        named.string(1, name)
        write(valueField, value, into: &named)
        writer.bytes(field.number, named.bytes)
    }

    /// One value of a field. Scalars at their zero value are left out, as
    /// proto3 does, except in a oneof, where being set is the point.
    private func write(_ field: ProtobufMessages.Field, _ value: JSONValue, into writer: inout ProtobufWriter) {
        let always = field.oneof || field.repeated
        switch field.kind {
        case .string:
            if let text = value.stringValue, always || !text.isEmpty { writer.string(field.number, text) }
        case .bool:
            if let flag = value.boolValue, always || flag { writer.bool(field.number, flag) }
        case .double:
            if let number = Self.number(value), always || number != 0 { writer.double(field.number, number) }
        case .float:
            if let number = Self.number(value), always || number != 0 { writer.float(field.number, Float(number)) }
        case .int64, .int32:
            if let number = value.intValue, always || number != 0 { writer.int64(field.number, number) }
        case .bytes, .protobufAny:
            break
        case .message(let type):
            if value.isNull { return }
            var nested = ProtobufWriter()
            write(value, as: type, into: &nested)
            writer.bytes(field.number, nested.bytes)
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    /// The oneof member the JSON value is: by its JSON type, a $ref, or the
    /// discriminating field gnostic looks at.
    private func alternative(_ value: JSONValue, of message: String,
                             _ fields: [ProtobufMessages.Field]) -> ProtobufMessages.Field? {
        switch value {
        case .bool: return fields.first { $0.kind == .bool }
        case .int, .double: return fields.first { [.double, .float, .int64, .int32].contains($0.kind) }
        case .string: return fields.first { $0.kind == .string }
        case .object(let object):
            let references: [ProtobufMessages.Kind] = [.message("JsonReference"), .message("Reference")]
            if object["$ref"] != nil, let reference = fields.first(where: { references.contains($0.kind) }) { return reference }
            if let name = Self.discriminated(message, object) { return fields.first { $0.name == name } }
            return fields.first { field in
                if case .message = field.kind { return !references.contains(field.kind) }
                return false
            }
        default: return nil
        }
    }

    static func discriminated(_ message: String, _ object: JSONObject) -> String? {
        let location = object["in"]?.stringValue ?? ""
        switch message {
        case "Parameter": return location == "body" ? "body_parameter" : "non_body_parameter"
        case "NonBodyParameter":
            return ["header": "header_parameter_sub_schema", "formData": "form_data_parameter_sub_schema",
                    "query": "query_parameter_sub_schema", "path": "path_parameter_sub_schema"][location]
        case "SchemaItem": return object["type"]?.stringValue == "file" ? "file_schema" : "schema"
        case "SecurityDefinitionsItem":
            switch (object["type"]?.stringValue, object["flow"]?.stringValue) {
            case ("basic", _): return "basic_authentication_security"
            case ("apiKey", _): return "api_key_security"
            case ("oauth2", "implicit"): return "oauth2_implicit_security"
            case ("oauth2", "password"): return "oauth2_password_security"
            case ("oauth2", "application"): return "oauth2_application_security"
            case ("oauth2", "accessCode"): return "oauth2_access_code_security"
            default: return nil
            }
        default: return nil
        }
    }

    /// The JSON name of a proto field: lowerCamelCase, "$ref" for "_ref".
    static func jsonName(_ field: String) -> String {
        if field == "_ref" { return "$ref" }
        let words = field.split(separator: "_")
        return String(words.first ?? "") + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// Protobuf forms of the documents, made on first request and kept: encoding
/// the whole API takes longer than the server takes to start.
final class OpenAPIProtobufCache: Sendable {
    private let bodies = Mutex<[String: OpenAPIDocuments.Document]>([:])

    func document(_ key: String, make: () -> [UInt8]) -> OpenAPIDocuments.Document {
        bodies.withLock { bodies in
            if let document = bodies[key] { return document }
            let document = OpenAPIDocuments.Document(make())
            bodies[key] = document
            return document
        }
    }
}
