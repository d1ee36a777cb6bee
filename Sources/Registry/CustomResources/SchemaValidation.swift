import APIMachinery
import Foundation

/// kube-openapi's validation of a custom resource against its version's
/// schema, with kube-apiserver's field paths ("spec.tags[0]") and messages
/// ("spec.size in body should be less than or equal to 10").
extension StructuralSchema {
    public func validate(_ value: JSONValue, at path: String) -> [FieldError] {
        var errors: [FieldError] = []
        validate(value, at: path, into: &errors)
        return errors
    }

    private func validate(_ value: JSONValue, at path: String, into errors: inout [FieldError]) {
        if case .null = value {
            if nullable || (type == nil && !isIntOrString) { return }
            errors.append(Self.typeInvalid(path, "null", expected: isIntOrString ? "integer,string" : type!))
            return
        }
        if let problem = typeProblem(value) {
            errors.append(Self.typeInvalid(path, Self.typeName(value), expected: problem))
            return
        }
        if let enumValues, !enumValues.contains(where: { $0.canonical == value.canonical }) {
            errors.append(FieldError(type: "FieldValueNotSupported", field: path,
                                     detail: "Unsupported value: \(Self.shown(value)): supported values: "
                                         + enumValues.map { FieldError.quote($0.stringValue ?? $0.jsonString) }.joined(separator: ", ")))
        }
        switch value {
        case .int, .double: validateNumber(value, at: path, into: &errors)
        case .string(let text): validateString(text, at: path, into: &errors)
        case .array(let elements): validateArray(elements, at: path, into: &errors)
        case .object(let object):
            validateObject(object, at: path, into: &errors)
            if isEmbeddedResource { validateEmbeddedResource(object, at: path, into: &errors) }
        default: break
        }
        for schema in allOf { schema.validate(value, at: path, into: &errors) }
        if !anyOf.isEmpty, !anyOf.contains(where: { $0.validate(value, at: path).isEmpty }) {
            errors.append(.invalidValue(path, value, "\(path) in body must validate at least one schema (anyOf)"))
        }
        if !oneOf.isEmpty, oneOf.filter({ $0.validate(value, at: path).isEmpty }).count != 1 {
            errors.append(.invalidValue(path, value, "\(path) in body must validate one and only one schema (oneOf)"))
        }
        if let not, not.validate(value, at: path).isEmpty {
            errors.append(.invalidValue(path, value, "\(path) in body must not validate the schema (not)"))
        }
    }

    /// The type the value should have had, or nil when it has it.
    private func typeProblem(_ value: JSONValue) -> String? {
        if isIntOrString {
            switch value {
            case .string: return nil
            case .int: return nil
            case .double(let number) where number.rounded() == number: return nil
            default: return "integer,string"
            }
        }
        guard let type else { return nil }
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int),
             ("number", .int), ("number", .double):
            return nil
        case ("integer", .double(let number)) where number.rounded() == number && abs(number) < 9.2e18:
            return nil
        default:
            return type
        }
    }

    private func validateNumber(_ value: JSONValue, at path: String, into errors: inout [FieldError]) {
        let number = Self.number(value) ?? 0
        if let maximum, let limit = Self.number(maximum) {
            if exclusiveMaximum ? number >= limit : number > limit {
                errors.append(.invalidValue(path, value, exclusiveMaximum ? "\(path) in body should be less than \(Self.shown(maximum))"
                    : "\(path) in body should be less than or equal to \(Self.shown(maximum))"))
            }
        }
        if let minimum, let limit = Self.number(minimum) {
            if exclusiveMinimum ? number <= limit : number < limit {
                errors.append(.invalidValue(path, value, exclusiveMinimum ? "\(path) in body should be greater than \(Self.shown(minimum))"
                    : "\(path) in body should be greater than or equal to \(Self.shown(minimum))"))
            }
        }
        if let multipleOf, let factor = Self.number(multipleOf), factor > 0 {
            let quotient = number / factor
            if quotient.rounded() != quotient {
                errors.append(.invalidValue(path, value, "\(path) in body should be a multiple of \(Self.shown(multipleOf))"))
            }
        }
    }

    private func validateString(_ text: String, at path: String, into errors: inout [FieldError]) {
        let length = text.unicodeScalars.count
        if let maxLength, length > maxLength {
            errors.append(FieldError(type: "FieldValueTooLong", field: path,
                                     detail: "Too long: may not be more than \(maxLength) \(maxLength == 1 ? "byte" : "bytes")"))
        }
        if let minLength, length < minLength {
            errors.append(.invalid(path, text, "\(path) in body should be at least \(minLength) chars long"))
        }
        if let pattern, let patternText,
           pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
            errors.append(.invalid(path, text, "\(path) in body should match '\(patternText)'"))
        }
        if let format, let problem = SchemaFormat.problem(text, format) {
            errors.append(FieldError(type: "FieldValueTypeInvalid", field: path,
                                     detail: "Invalid value: \(FieldError.quote(text)): \(path) in body must be of type \(problem): \(FieldError.quote(text))"))
        }
    }

    private func validateArray(_ elements: [JSONValue], at path: String, into errors: inout [FieldError]) {
        if let maxItems, elements.count > maxItems {
            errors.append(FieldError(type: "FieldValueTooMany", field: path,
                                     detail: "Too many: \(elements.count): must have at most \(maxItems) \(maxItems == 1 ? "item" : "items")"))
        }
        if let minItems, elements.count < minItems {
            errors.append(.invalidValue(path, .int(Int64(elements.count)), "\(path) in body should have at least \(minItems) items"))
        }
        if let items {
            for (index, element) in elements.enumerated() { items.validate(element, at: "\(path)[\(index)]", into: &errors) }
        }
        switch listType {
        case "set":
            var seen: Set<JSONValue> = []
            for (index, element) in elements.enumerated() where !seen.insert(element.canonical).inserted {
                errors.append(FieldError(type: "FieldValueDuplicate", field: "\(path)[\(index)]", detail: "Duplicate value: \(Self.shown(element))"))
            }
        case "map":
            var seen: Set<JSONValue> = []
            for (index, element) in elements.enumerated() {
                guard let object = element.objectValue else {
                    errors.append(.invalidValue("\(path)[\(index)]", element, "must be an object for an array of list-type map"))
                    continue
                }
                var key = JSONObject()
                for name in listMapKeys { if let value = object[name] { key[name] = value } }
                if !seen.insert(JSONValue.object(key).canonical).inserted {
                    errors.append(FieldError(type: "FieldValueDuplicate", field: "\(path)[\(index)]",
                                             detail: "Duplicate value: \(JSONValue.object(key).jsonString)"))
                }
            }
        default:
            break
        }
    }

    private func validateObject(_ object: JSONObject, at path: String, into errors: inout [FieldError]) {
        if let maxProperties, object.count > maxProperties {
            errors.append(FieldError(type: "FieldValueTooMany", field: path,
                                     detail: "Too many: \(object.count): must have at most \(maxProperties) \(maxProperties == 1 ? "item" : "items")"))
            return
        }
        if let minProperties, object.count < minProperties {
            errors.append(.invalidValue(path, .int(Int64(object.count)), "\(path) in body should have at least \(minProperties) properties"))
            return
        }
        // Sorted, so that the same object always gets its errors in one order.
        for key in object.keys.sorted() {
            let child = Self.child(path, key)
            if let schema = property(key) {
                schema.validate(object[key]!, at: child, into: &errors)
            } else if let additionalProperties {
                additionalProperties.validate(object[key]!, at: child, into: &errors)
            }
        }
        for key in required where object[key] == nil {
            errors.append(.required(Self.child(path, key)))
        }
    }

    /// An x-kubernetes-embedded-resource must say what it is, as kube's
    /// objectmeta validation of embedded objects requires.
    private func validateEmbeddedResource(_ object: JSONObject, at path: String, into errors: inout [FieldError]) {
        for field in ["apiVersion", "kind"] {
            switch object[field] {
            case nil, .string("")?: errors.append(.required(Self.child(path, field), "must not be empty"))
            case .string?: break
            default: errors.append(.invalidValue(Self.child(path, field), object[field]!, "must be a string"))
            }
        }
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, let problem = Validation.dns1035LabelProblem(kind.lowercased()) {
            errors.append(.invalid(Self.child(path, "kind"), kind, "may have mixed case, but should otherwise match: " + problem))
        }
        if let name = object["metadata"]?["name"]?.stringValue, !name.isEmpty, let problem = Validation.dns1123SubdomainProblem(name) {
            errors.append(.invalid(Self.child(Self.child(path, "metadata"), "name"), name, problem))
        }
    }

    // MARK: Wording

    static func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func typeInvalid(_ path: String, _ actual: String, expected: String) -> FieldError {
        FieldError(type: "FieldValueTypeInvalid", field: path,
                   detail: "Invalid value: \(FieldError.quote(actual)): \(path) in body must be of type \(expected): \(FieldError.quote(actual))")
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func shown(_ value: JSONValue) -> String {
        if case .string(let text) = value { return FieldError.quote(text) }
        return value.jsonString
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }
}
