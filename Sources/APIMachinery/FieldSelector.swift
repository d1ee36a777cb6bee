/// A parsed `fieldSelector` query parameter (k8s.io/apimachinery/pkg/fields):
/// comma-separated `field=value`, `field==value` or `field!=value`, all of
/// which must hold. Each resource says which fields it supports.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    public struct Requirement: Sendable, Hashable {
        public var field: String
        public var value: String
        public var equals: Bool
    }

    public var requirements: [Requirement]
    public let description: String

    public static let everything = FieldSelector(requirements: [], description: "")
    public var isEverything: Bool { requirements.isEmpty }

    private init(requirements: [Requirement], description: String) {
        self.requirements = requirements
        self.description = description
    }

    public init(parsing text: String) throws {
        var requirements: [Requirement] = []
        for term in Self.split(text, on: ",") where !term.isEmpty {
            let parts: [String]
            let equals: Bool
            if term.contains("!=") {
                parts = Self.split(term, on: "!=")
                equals = false
            } else if term.contains("==") {
                parts = Self.split(term, on: "==")
                equals = true
            } else {
                parts = Self.split(term, on: "=")
                equals = true
            }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            requirements.append(Requirement(field: Self.unescape(parts[0]), value: Self.unescape(parts[1]), equals: equals))
        }
        self.init(requirements: requirements, description: text)
    }

    /// The value of a required `field=value` term, as a shortcut for
    /// metadata.name and metadata.namespace.
    public func requiredValue(of field: String) -> String? {
        requirements.first { $0.field == field && $0.equals }?.value
    }

    /// The values the selector requires exactly (`field=value`), the
    /// first of each field's.
    public var exactValues: [String: String] {
        Dictionary(requirements.filter(\.equals).map { ($0.field, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// 400 for a field the resource does not support, as kube-apiserver's
    /// field label conversion reports it.
    public func validate(supported: Set<String>) throws {
        for requirement in requirements where !supported.contains(requirement.field) {
            throw APIError.badRequest("field label not supported: \(requirement.field)")
        }
    }

    public func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            (fields[requirement.field] ?? "") == requirement.value ? requirement.equals : !requirement.equals
        }
    }

    /// Splits on an unescaped separator (a backslash escapes the next character).
    static func split(_ text: String, on separator: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var rest = Substring(text)
        while let first = rest.first {
            if first == "\\", rest.count > 1 {
                current.append(first)
                current.append(rest[rest.index(after: rest.startIndex)])
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix(separator) {
                parts.append(current)
                current = ""
                rest = rest.dropFirst(separator.count)
            } else {
                current.append(first)
                rest = rest.dropFirst()
            }
        }
        parts.append(current)
        return parts
    }

    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped || character != "\\" {
                out.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return out
    }
}
