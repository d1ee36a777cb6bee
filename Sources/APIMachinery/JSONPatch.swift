/// application/json-patch+json (RFC 6902): a list of add, remove, replace,
/// move, copy and test operations on JSON pointers (RFC 6901), applied in
/// order; the first that fails fails the whole patch.
public enum JSONPatch {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// kube-apiserver's bound on operations in one patch (413 beyond it).
    public static let maximumOperations = 10_000

    /// Each operation edits the document in place (no level of it is copied),
    /// so a patch costs what its operations touch, not operations × size.
    public static func apply(_ patch: JSONValue, to document: JSONValue) throws -> JSONValue {
        guard let operations = patch.arrayValue else {
            throw APIError.badRequest("json patch must be a JSON array of operations")
        }
        guard operations.count <= maximumOperations else {
            throw APIError.requestEntityTooLarge(
                "Request entity too large: The allowed maximum operations in a JSON patch is \(maximumOperations), got \(operations.count)")
        }
        var document = document
        for operation in operations {
            guard let op = operation["op"]?.stringValue else {
                throw Failure(description: "Unexpected kind: \(operation["op"].map { $0.jsonString } ?? "missing")")
            }
            func pointer(_ name: String) throws -> [String] {
                guard let text = operation[name]?.stringValue else {
                    throw Failure(description: "missing \(name) in \(op) operation")
                }
                return try parsePointer(text)
            }
            func value() throws -> JSONValue {
                guard let value = operation["value"] else { throw Failure(description: "missing value in \(op) operation") }
                return value
            }
            switch op {
            case "add": try add(try value(), at: try pointer("path"), in: &document)
            case "remove": _ = try remove(at: try pointer("path"), in: &document)
            case "replace": try replace(at: try pointer("path"), with: try value(), in: &document)
            case "move":
                let from = try pointer("from")
                let path = try pointer("path")
                let moved = try remove(at: from, in: &document)
                try add(moved, at: path, in: &document)
            case "copy": try add(try get(try pointer("from"), in: document), at: try pointer("path"), in: &document)
            case "test":
                let path = try pointer("path")
                guard try get(path, in: document) == (try value()) else {
                    throw Failure(description: "testing value /\(path.joined(separator: "/")) failed: test failed")
                }
            default: throw Failure(description: "Unexpected kind: \(op)")
            }
        }
        return document
    }

    static func parsePointer(_ text: String) throws -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw Failure(description: "JSON pointer \"\(text)\" must start with /") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(unescape)
    }

    static func get(_ path: [String], in document: JSONValue) throws -> JSONValue {
        var current = document
        for (depth, token) in path.enumerated() {
            switch current {
            case .object(let object):
                guard let next = object[token] else { throw missing(path, depth) }
                current = next
            case .array(let array):
                guard let index = Int(token), array.indices.contains(index) else { throw missing(path, depth) }
                current = array[index]
            default: throw missing(path, depth)
            }
        }
        return current
    }

    static func missing(_ path: [String], _ depth: Int) -> Failure {
        Failure(description: "doc is missing path: \"/\(path.joined(separator: "/"))\": missing value")
    }

    /// Replaces the value at an existing path (or the whole document).
    static func replace(at path: [String], with value: JSONValue, in document: inout JSONValue) throws {
        guard let last = path.last else { return document = value }
        try editParent(of: path, in: &document) { container in
            switch container {
            case .object(var object):
                guard let index = object.index(forKey: last) else { throw missing(path, path.count - 1) }
                container = .null  // `object` is now the only reference, so the edit is in place
                object.values[index] = value
                container = .object(object)
            case .array(var array):
                guard let index = Int(last), array.indices.contains(index) else { throw missing(path, path.count - 1) }
                container = .null
                array[index] = value
                container = .array(array)
            default: throw missing(path, path.count - 1)
            }
        }
    }

    static func add(_ value: JSONValue, at path: [String], in document: inout JSONValue) throws {
        guard let last = path.last else { return document = value }
        try editParent(of: path, in: &document) { container in
            switch container {
            case .object(var object):
                container = .null
                object[last] = value
                container = .object(object)
            case .array(var array):
                if last == "-" {
                    container = .null
                    array.append(value)
                } else {
                    guard let index = Int(last), index >= 0, index <= array.count else {
                        throw Failure(description: "add operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\"")
                    }
                    container = .null
                    array.insert(value, at: index)
                }
                container = .array(array)
            default: throw missing(path, path.count - 1)
            }
        }
    }

    /// Removes the value at `path` and returns it.
    static func remove(at path: [String], in document: inout JSONValue) throws -> JSONValue {
        guard let last = path.last else {
            defer { document = .null }
            return document
        }
        return try editParent(of: path, in: &document) { container in
            switch container {
            case .object(var object):
                guard let index = object.index(forKey: last) else { throw missing(path, path.count - 1) }
                container = .null
                let removed = object.remove(at: index).value
                container = .object(object)
                return removed
            case .array(var array):
                guard let index = Int(last), array.indices.contains(index) else { throw missing(path, path.count - 1) }
                container = .null
                let removed = array.remove(at: index)
                container = .array(array)
                return removed
            default: throw missing(path, path.count - 1)
            }
        }
    }

    /// Walks to the parent of `path` and lets `edit` change it in place: each
    /// level is taken out of its container while the level below is edited,
    /// so no level is ever shared, and so never copied.
    private static func editParent<Result>(of path: [String], in document: inout JSONValue,
                                           _ edit: (inout JSONValue) throws -> Result) throws -> Result {
        func walk(_ value: inout JSONValue, _ depth: Int) throws -> Result {
            if depth == path.count - 1 { return try edit(&value) }
            let token = path[depth]
            switch value {
            case .object(var object):
                guard let index = object.index(forKey: token) else { throw missing(path, depth) }
                value = .null
                defer { value = .object(object) }
                return try walk(&object.values[index], depth + 1)
            case .array(var array):
                guard let index = Int(token), array.indices.contains(index) else { throw missing(path, depth) }
                value = .null
                defer { value = .array(array) }
                return try walk(&array[index], depth + 1)
            default: throw missing(path, depth)
            }
        }
        return try walk(&document, 0)
    }
}

extension JSONPatch {
    /// A pointer token: "~1" is "/", "~0" is "~".
    static func unescape(_ token: Substring) -> String {
        var out = ""
        var tilde = false
        for character in token {
            if tilde {
                out.append(character == "1" ? "/" : character == "0" ? "~" : character)
                tilde = false
            } else if character == "~" {
                tilde = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
