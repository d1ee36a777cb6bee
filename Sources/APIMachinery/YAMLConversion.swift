import Yams

/// YAML in and out. Kubernetes converts YAML to JSON on the way in and JSON
/// to YAML (keys sorted, as sigs.k8s.io/yaml writes them) on the way out.
public enum YAMLConversion {
    public static func decode(_ text: String, expectedKind: String = "") throws -> JSONValue {
        try decode(Array(text.utf8), expectedKind: expectedKind)
    }

    /// The first document as JSON. `expectedKind` names the kind in the
    /// error kube-apiserver gives for a document it cannot read.
    public static func decode(_ bytes: [UInt8], expectedKind: String = "") throws -> JSONValue {
        var reader = YAMLEventReader()
        do {
            return try reader.read(bytes)
        } catch let error as YAMLEventReader.ExcessiveAliasing {
            throw APIError.unrecognized(expectedKind: expectedKind, "yaml: \(error.description)", body: bytes)
        } catch let error as YAMLEventReader.SyntaxError {
            throw APIError.badRequest("error converting YAML to JSON: yaml: \(error.description)")
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
