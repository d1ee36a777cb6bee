/// application/json-patch+json (RFC 6902): a list of add, remove, replace,
/// move, copy and test operations on JSON pointers (RFC 6901), applied in
/// order; the first that fails fails the whole patch.
public enum JSONPatch {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func apply(_ patch: JSONValue, to document: JSONValue) throws -> JSONValue {
        guard let operations = patch.arrayValue else {
            throw APIError.badRequest("json patch must be a JSON array of operations")
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
            case "add": document = try add(try value(), at: try pointer("path"), in: document)
            case "remove": document = try remove(at: try pointer("path"), in: document).document
            case "replace":
                let path = try pointer("path")
                _ = try get(path, in: document)
                document = try set(try value(), at: path, in: document)
            case "move":
                let from = try pointer("from")
                let (without, moved) = try remove(at: from, in: document)
                document = try add(moved, at: try pointer("path"), in: without)
            case "copy": document = try add(try get(try pointer("from"), in: document), at: try pointer("path"), in: document)
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
    static func set(_ value: JSONValue, at path: [String], in document: JSONValue) throws -> JSONValue {
        try modify(path, in: document, fullPath: path) { container, token in
            switch container {
            case .object(var object):
                object[token] = value
                container = .object(object)
            case .array(var array):
                guard let index = Int(token), array.indices.contains(index) else { throw missing(path, path.count - 1) }
                array[index] = value
                container = .array(array)
            default: throw missing(path, path.count - 1)
            }
        } whole: { value }
    }

    static func add(_ value: JSONValue, at path: [String], in document: JSONValue) throws -> JSONValue {
        try modify(path, in: document, fullPath: path) { container, token in
            switch container {
            case .object(var object):
                object[token] = value
                container = .object(object)
            case .array(var array):
                if token == "-" {
                    array.append(value)
                } else {
                    guard let index = Int(token), index >= 0, index <= array.count else {
                        throw Failure(description: "add operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\"")
                    }
                    array.insert(value, at: index)
                }
                container = .array(array)
            default: throw missing(path, path.count - 1)
            }
        } whole: { value }
    }

    static func remove(at path: [String], in document: JSONValue) throws -> (document: JSONValue, removed: JSONValue) {
        let removed = try get(path, in: document)
        guard !path.isEmpty else { return (.null, removed) }
        let result = try modify(path, in: document, fullPath: path) { container, token in
            switch container {
            case .object(var object):
                object.removeValue(forKey: token)
                container = .object(object)
            case .array(var array):
                guard let index = Int(token), array.indices.contains(index) else { throw missing(path, path.count - 1) }
                array.remove(at: index)
                container = .array(array)
            default: throw missing(path, path.count - 1)
            }
        } whole: { .null }
        return (result, removed)
    }

    /// Walks to the parent of `path` and lets `edit` change it in place.
    private static func modify(_ path: [String], in document: JSONValue, fullPath: [String],
                               _ edit: (inout JSONValue, String) throws -> Void,
                               whole: () -> JSONValue) throws -> JSONValue {
        guard let last = path.last else { return whole() }
        func walk(_ value: JSONValue, _ depth: Int) throws -> JSONValue {
            var value = value
            if depth == path.count - 1 {
                try edit(&value, last)
                return value
            }
            let token = path[depth]
            switch value {
            case .object(var object):
                guard let child = object[token] else { throw missing(fullPath, depth) }
                object[token] = try walk(child, depth + 1)
                return .object(object)
            case .array(var array):
                guard let index = Int(token), array.indices.contains(index) else { throw missing(fullPath, depth) }
                array[index] = try walk(array[index], depth + 1)
                return .array(array)
            default: throw missing(fullPath, depth)
            }
        }
        return try walk(document, 0)
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
