/// A parsed `labelSelector` query parameter (k8s.io/apimachinery/pkg/labels):
/// comma-separated requirements, all of which must hold.
///   key, !key, key=value, key==value, key!=value, key in (a,b), key notin (a,b), key>N, key<N
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: Sendable, Hashable {
        case exists, doesNotExist, equals, notEquals, isIn, notIn, greaterThan, lessThan
    }

    public struct Requirement: Sendable, Hashable {
        public var key: String
        public var op: Operator
        public var values: [String]

        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .equals, .isIn: return value.map(values.contains) ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .greaterThan, .lessThan:
                guard let value, let number = Int64(value), let bound = values.first.flatMap({ Int64($0) }) else { return false }
                return op == .greaterThan ? number > bound : number < bound
            }
        }
    }

    public var requirements: [Requirement]
    public let description: String

    public static let everything = LabelSelector(requirements: [], description: "")
    public var isEverything: Bool { requirements.isEmpty }

    private init(requirements: [Requirement], description: String) {
        self.requirements = requirements
        self.description = description
    }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// Parses selector text; bad syntax or an invalid key or value is a 400.
    public init(parsing text: String) throws {
        var parser = Parser(Array(text.unicodeScalars))
        self.init(requirements: try parser.parse(), description: text)
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        func fail(_ message: String) -> APIError {
            APIError.badRequest("unable to parse requirement: \(message)")
        }

        mutating func skipSpaces() {
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        }

        var atEnd: Bool { index >= scalars.count }

        mutating func peek(_ text: String) -> Bool {
            let wanted = Array(text.unicodeScalars)
            guard index + wanted.count <= scalars.count else { return false }
            return Array(scalars[index..<index + wanted.count]) == wanted
        }

        /// A key or value: anything up to a space, comma, operator or paren.
        mutating func word() -> String {
            var out = String.UnicodeScalarView()
            while index < scalars.count {
                let scalar = scalars[index]
                if " \t,=!()<>".unicodeScalars.contains(scalar) { break }
                out.append(scalar)
                index += 1
            }
            return String(out)
        }

        mutating func parse() throws -> [Requirement] {
            var requirements: [Requirement] = []
            skipSpaces()
            if atEnd { return [] }
            while true {
                requirements.append(try requirement())
                skipSpaces()
                if atEnd { return requirements }
                guard scalars[index] == "," else { throw fail("found '\(scalars[index])', expected: ',' or end of string") }
                index += 1
                skipSpaces()
                if atEnd { throw fail("found '', expected: identifier after ','") }
            }
        }

        mutating func requirement() throws -> Requirement {
            skipSpaces()
            if !atEnd, scalars[index] == "!" {
                index += 1
                skipSpaces()
                let key = word()
                try validateKey(key)
                return Requirement(key: key, op: .doesNotExist, values: [])
            }
            let key = word()
            if key.isEmpty { throw fail("found '\(atEnd ? "" : String(scalars[index]))', expected: identifier") }
            try validateKey(key)
            skipSpaces()
            if atEnd || scalars[index] == "," { return Requirement(key: key, op: .exists, values: []) }
            let op: Operator
            if peek("==") { op = .equals; index += 2 }
            else if peek("!=") { op = .notEquals; index += 2 }
            else if peek("=") { op = .equals; index += 1 }
            else if peek(">") { op = .greaterThan; index += 1 }
            else if peek("<") { op = .lessThan; index += 1 }
            else if peek("notin") { op = .notIn; index += 5 }
            else if peek("in") { op = .isIn; index += 2 }
            else { throw fail("found '\(word())', expected: in, notin, =, ==, !=, gt, lt") }
            skipSpaces()
            var values: [String]
            if op == .isIn || op == .notIn {
                guard !atEnd, scalars[index] == "(" else { throw fail("found '\(word())', expected: '('") }
                index += 1
                values = []
                while true {
                    skipSpaces()
                    values.append(word())
                    skipSpaces()
                    guard !atEnd else { throw fail("found '', expected: ',' or ')'") }
                    if scalars[index] == ")" { index += 1; break }
                    guard scalars[index] == "," else { throw fail("found '\(scalars[index])', expected: ',' or ')'") }
                    index += 1
                }
            } else {
                values = [word()]
            }
            for (position, value) in values.enumerated() {
                if op == .greaterThan || op == .lessThan {
                    guard Int64(value) != nil else {
                        throw fail("for 'Gt', 'Lt' operators, the value must be an integer")
                    }
                } else if let problem = Validation.labelValueProblem(value) {
                    throw fail("values[\(position)][\(key)]: Invalid value: \"\(value)\": \(problem)")
                }
            }
            return Requirement(key: key, op: op, values: values)
        }

        func validateKey(_ key: String) throws {
            if let problem = Validation.qualifiedNameProblem(key) {
                throw fail("key: Invalid value: \"\(key)\": \(problem)")
            }
        }
    }
}
