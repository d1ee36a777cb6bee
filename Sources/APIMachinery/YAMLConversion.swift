import Yams

/// YAML in and out. Kubernetes converts YAML to JSON on the way in and JSON
/// to YAML (keys sorted, as sigs.k8s.io/yaml writes them) on the way out.
public enum YAMLConversion {
    public static func decode(_ text: String) throws -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw APIError.badRequest("error converting YAML to JSON: \(error)")
        }
        guard let node else { return .null }
        return try json(node)
    }

    static func json(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            // Only plain scalars resolve to null, booleans and numbers.
            guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let value = node.bool { return .bool(value) }
            if let value = node.int { return .int(Int64(value)) }
            if let value = node.float { return .double(value) }
            return .string(scalar.string)
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard let name = key.string else { throw APIError.badRequest("error converting YAML to JSON: a mapping key is not a string") }
                object[name] = try json(value)
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(try sequence.map(json))
        case .alias:
            throw APIError.badRequest("error converting YAML to JSON: aliases are not supported")
        }
    }

    public static func encode(_ value: JSONValue) -> [UInt8] {
        let text = (try? Yams.serialize(node: node(value))) ?? ""
        return Array(text.utf8)
    }

    static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let value): return Node(value ? "true" : "false", Tag(.bool))
        case .int(let value): return Node(String(value), Tag(.int))
        case .double: return Node(value.jsonString, Tag(.float))
        case .string(let text):
            // Text that would read back as another type is quoted, as upstream does.
            let scalar = text.represented()
            return .scalar(scalar.style == .singleQuoted ? Node.Scalar(text, scalar.tag, .doubleQuoted) : scalar)
        case .array(let values): return Node(values.map(node))
        case .object(let object):
            return Node(object.sorted { $0.key < $1.key }.map { (Node($0.key), node($0.value)) })
        }
    }
}
