import Yams

/// YAML in and out. Kubernetes converts YAML to JSON on the way in and JSON
/// to YAML (keys sorted, as sigs.k8s.io/yaml writes them) on the way out.
public enum YAMLConversion {
    /// The document as JSON. `expectedKind` names the kind in the error
    /// kube-apiserver gives for a document it cannot read.
    public static func decode(_ text: String, expectedKind: String = "") throws -> JSONValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw APIError.badRequest("error converting YAML to JSON: \(error)")
        }
        guard let node else { return .null }
        var converter = Converter()
        do {
            return try converter.json(node)
        } catch let error as ExcessiveAliasing {
            throw APIError.unrecognized(expectedKind: expectedKind, "yaml: \(error.description)", body: Array(text.utf8))
        }
    }

    struct ExcessiveAliasing: Error, CustomStringConvertible {
        var description: String { "document contains excessive aliasing" }
    }

    /// Node to JSON with go-yaml's bound on alias expansion: Yams shares an
    /// anchored node wherever an alias names it, so a few hundred bytes
    /// ("billion laughs") can stand for billions of values once built. As
    /// go-yaml (and so kube-apiserver) does, every value built counts, those
    /// built again through an alias count as aliasing, and a document whose
    /// values come almost all from aliases is refused before it is built.
    struct Converter {
        var decodeCount = 0
        var aliasCount = 0
        /// Where each node built so far began (line, column, kind): a node
        /// met again is one an alias repeats.
        var seen: Set<Int> = []

        /// go-yaml's allowedAliasRatio: 99% for documents of up to 400,000
        /// values, falling to 10% at 4,000,000.
        static func allowedAliasRatio(_ count: Int) -> Double {
            if count <= 400_000 { return 0.99 }
            if count >= 4_000_000 { return 0.10 }
            return 0.99 - 0.89 * (Double(count - 400_000) / 3_600_000)
        }

        mutating func count(_ node: Node, kind: Int) throws {
            decodeCount += 1
            if let mark = node.mark, !seen.insert((mark.line << 24) | (mark.column << 2) | kind).inserted {
                aliasCount += 1
            }
            if aliasCount > 100 && decodeCount > 1000
                && Double(aliasCount) / Double(decodeCount) > Self.allowedAliasRatio(decodeCount) {
                throw ExcessiveAliasing()
            }
        }

        mutating func json(_ node: Node) throws -> JSONValue {
            switch node {
            case .scalar(let scalar):
                try count(node, kind: 0)
                // Only plain scalars resolve to null, booleans and numbers.
                guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
                if node.null != nil { return .null }
                if let value = node.bool { return .bool(value) }
                if let value = node.int { return .int(Int64(value)) }
                if let value = node.float { return .double(value) }
                return .string(scalar.string)
            case .mapping(let mapping):
                try count(node, kind: 1)
                var object = JSONObject()
                for (key, value) in mapping {
                    try count(key, kind: 0)
                    guard let name = key.string else { throw APIError.badRequest("error converting YAML to JSON: a mapping key is not a string") }
                    object[name] = try json(value)
                }
                return .object(object)
            case .sequence(let sequence):
                try count(node, kind: 2)
                var array: [JSONValue] = []
                array.reserveCapacity(sequence.count)
                for element in sequence { array.append(try json(element)) }
                return .array(array)
            case .alias:
                throw APIError.badRequest("error converting YAML to JSON: aliases are not supported")
            }
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
