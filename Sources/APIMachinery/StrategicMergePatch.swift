/// How strategic merge patch treats the fields under one point of a kind: the
/// Go struct tags `patchStrategy` and `patchMergeKey` of the built-in types,
/// as a tree. A field without an entry is merged like JSON merge patch, and a
/// list without a merge key or merge strategy is replaced whole.
public final class PatchSchema: Sendable {
    public let fields: [String: PatchSchema]
    /// For a list of objects: the key that identifies an element.
    public let mergeKey: String?
    /// For a list of scalars: merged as a set instead of replaced.
    public let mergesPrimitives: Bool
    /// For a list: the schema of its elements; for a map: of its values.
    public let elements: PatchSchema?

    public init(fields: [String: PatchSchema] = [:], mergeKey: String? = nil, mergesPrimitives: Bool = false,
                elements: PatchSchema? = nil) {
        self.fields = fields
        self.mergeKey = mergeKey
        self.mergesPrimitives = mergesPrimitives
        self.elements = elements
    }

    public static let opaque = PatchSchema()

    /// A list of objects merged by `key`, whose elements follow `elements`.
    public static func list(mergeKey key: String, _ elements: PatchSchema = .opaque) -> PatchSchema {
        PatchSchema(mergeKey: key, elements: elements)
    }

    public static let primitiveSet = PatchSchema(mergesPrimitives: true)

    func field(_ name: String) -> PatchSchema { fields[name] ?? .opaque }
}

/// application/strategic-merge-patch+json for built-in kinds
/// (k8s.io/apimachinery/pkg/util/strategicpatch): merge patch, plus lists
/// merged by their merge key, and the directives $patch (replace, delete,
/// merge), $retainKeys, $deleteFromPrimitiveList/FIELD and
/// $setElementOrder/FIELD that kubectl sends.
public enum StrategicMergePatch {
    public static func apply(_ patch: JSONValue, to original: JSONValue, schema: PatchSchema) throws -> JSONValue {
        guard case .object(let patchObject) = patch else {
            throw APIError.badRequest("a strategic merge patch must be a JSON object")
        }
        return .object(try mergeObject(original.objectValue ?? [:], patchObject, schema) ?? [:])
    }

    /// nil when the patch says `$patch: delete`.
    static func mergeObject(_ original: JSONObject, _ patch: JSONObject, _ schema: PatchSchema) throws -> JSONObject? {
        switch patch["$patch"] {
        case "replace": return stripDirectives(patch)
        case "delete": return nil
        case nil, "merge": break
        case let other?: throw badPatchType(other, in: patch)
        }
        var result = original
        if let retained = patch["$retainKeys"] {
            // A list of the names to keep, which names every field the patch sets.
            guard let list = retained.arrayValue else { throw APIError.badRequest("invalid patch format of retainKeys") }
            let keep = Set(list.compactMap(\.stringValue))
            for (key, value) in patch where !key.hasPrefix("$") && !value.isNull && !keep.contains(key) {
                throw APIError.badRequest("invalid patch format of retainKeys")
            }
            for key in result.keys where !keep.contains(key) { result.removeValue(forKey: key) }
        }
        var orders: [(String, [JSONValue])] = []
        for (key, value) in patch {
            if let field = key.dropPrefix("$deleteFromPrimitiveList/") {
                // Not a list: nothing to delete, as upstream does nothing either.
                let remove = value.arrayValue ?? []
                if let list = result[field]?.arrayValue {
                    let kept = list.filter { !remove.contains($0) }
                    result[field] = kept.isEmpty ? nil : .array(kept)
                }
            } else if let field = key.dropPrefix("$setElementOrder/") {
                guard let order = value.arrayValue else {
                    throw APIError.badRequest("expected a []interface {}, but received a \(goTypeName(value))")
                }
                orders.append((field, order))
            } else if key.hasPrefix("$") {
                continue
            } else if value.isNull {
                result.removeValue(forKey: key)
            } else if case .object(let patchChild) = value {
                let fieldSchema = schema.fields[key] ?? schema.elements ?? .opaque
                if case .object(let originalChild) = result[key] ?? .null {
                    result[key] = try mergeObject(originalChild, patchChild, fieldSchema).map { .object($0) }
                } else if patchChild["$patch"]?.stringValue == "delete" {
                    result.removeValue(forKey: key)
                } else {
                    result[key] = .object(stripDirectives(patchChild))
                }
            } else if case .array(let patchList) = value {
                let fieldSchema = schema.field(key)
                if case .array(let originalList) = result[key] ?? .null {
                    result[key] = .array(try mergeList(originalList, patchList, fieldSchema))
                } else {
                    result[key] = .array(try mergeList([], patchList, fieldSchema))
                }
            } else {
                result[key] = value
            }
        }
        for (field, order) in orders {
            if case .array(let list) = result[field] ?? .null {
                result[field] = .array(reorder(list, by: order, mergeKey: schema.field(field).mergeKey))
            }
        }
        return result
    }

    static func mergeList(_ original: [JSONValue], _ patch: [JSONValue], _ schema: PatchSchema) throws -> [JSONValue] {
        for case .object(let element) in patch {
            switch element["$patch"] {
            case nil, "replace", "delete": break
            case "merge": throw APIError.badRequest("merging lists cannot yet be specified in the patch")
            case let other?: throw badPatchType(other, in: element)
            }
        }
        if patch.contains(where: { $0["$patch"] == "replace" }) {
            return patch.filter { $0["$patch"] == nil }.map(strip)
        }
        if let mergeKey = schema.mergeKey {
            var result = original
            for element in patch {
                guard case .object(let patchElement) = element else {
                    throw APIError.badRequest("a list merged by \(mergeKey) must hold objects")
                }
                guard let key = patchElement[mergeKey] else {
                    throw APIError.badRequest("map: \(element.jsonString) does not contain declared merge key: \(mergeKey)")
                }
                let index = result.firstIndex { $0[mergeKey] == key }
                if patchElement["$patch"]?.stringValue == "delete" {
                    result.removeAll { $0[mergeKey] == key }
                } else if let index, case .object(let existing) = result[index] {
                    if let merged = try mergeObject(existing, patchElement, schema.elements ?? .opaque) {
                        result[index] = .object(merged)
                    } else {
                        result.remove(at: index)
                    }
                } else {
                    result.append(strip(element))
                }
            }
            return result
        }
        if schema.mergesPrimitives {
            var result = original
            for element in patch where !result.contains(element) { result.append(element) }
            return result
        }
        return patch.map(strip)
    }

    /// Puts the listed elements first, in the listed order; the rest follow as they were.
    static func reorder(_ list: [JSONValue], by order: [JSONValue], mergeKey: String?) -> [JSONValue] {
        func identity(_ value: JSONValue) -> JSONValue { mergeKey.flatMap { value[$0] } ?? value }
        let wanted = order.map(identity)
        var ordered: [JSONValue] = []
        var rest = list
        for key in wanted {
            if let index = rest.firstIndex(where: { identity($0) == key }) { ordered.append(rest.remove(at: index)) }
        }
        return ordered + rest
    }

    static func strip(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object): return .object(stripDirectives(object))
        case .array(let array): return .array(array.map(strip))
        default: return value
        }
    }

    static func stripDirectives(_ object: JSONObject) -> JSONObject {
        var result = JSONObject()
        for (key, value) in object where !key.hasPrefix("$") { result[key] = strip(value) }
        return result
    }

    /// Upstream's ErrBadPatchType, worded by Go's fmt: "%s" of the
    /// directive, "%v" of the map it stands in.
    static func badPatchType(_ directive: JSONValue, in object: JSONObject) -> APIError {
        let shown: String
        switch directive {
        case .string(let text): shown = text
        case .object, .array: shown = goValue(directive)
        default: shown = "%!s(\(goTypeName(directive))=\(goValue(directive)))"
        }
        return APIError.badRequest("unknown patch type: \(shown) in map: \(goValue(.object(object)))")
    }

    /// The Go type a decoded JSON value has (interface{} holding it).
    static func goTypeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int64"
        case .double: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }

    /// Go's "%v" of a decoded JSON value: maps with sorted keys.
    static func goValue(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let flag): return String(flag)
        case .int(let number): return String(number)
        case .double: return value.jsonString
        case .string(let text): return text
        case .array(let items): return "[" + items.map(goValue).joined(separator: " ") + "]"
        case .object(let object):
            return "map[" + object.keys.sorted().map { "\($0):\(goValue(object[$0]!))" }.joined(separator: " ") + "]"
        }
    }
}

extension String {
    func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
