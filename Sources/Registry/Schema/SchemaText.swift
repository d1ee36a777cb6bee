/// The compact text the built-in schemas are written in: one line per type,
/// then one indented line per field.
///
///     core.v1.ConfigMap gvk=/v1/ConfigMap -- Holds configuration data.
///       metadata 1 ObjectMeta
///       data 2 {string} -- Configuration data as strings.
///       immutable 4 bool? -- ...
///
/// A field line is: name, protobuf number ("-" for envelope fields), type,
/// then flags. Types are string, bytes, int32, int64, double, bool, time,
/// microtime, quantity, intorstring, object (free-form), a type's short name,
/// `[T]` for lists and `{T}` for maps. A trailing `?` marks a Go pointer,
/// whose zero value is kept. Flags: required, merge=KEY, strategy=S,
/// list=atomic|set|map:K1,K2, maptype=M, enum=A,B, and inline for a protobuf
/// field whose message's fields appear in JSON as the parent's own. Text
/// after ` -- ` is the description.
public enum SchemaText {
    public struct SyntaxError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws -> [TypeSchema] {
        var schemas: [TypeSchema] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            func fail(_ why: String) -> SyntaxError { SyntaxError(description: "schema line \(index + 1): \(why): \(rawLine)") }
            let trimmed = rawLine.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let (body, description) = splitDescription(trimmed)
            let words = body.split(separator: " ").map(String.init)
            if rawLine.first != " " {
                var schema = TypeSchema(name: words[0], description: description, fields: [], kinds: [], isAtomic: false)
                for flag in words.dropFirst() {
                    if flag == "atomic" { schema.isAtomic = true; continue }
                    guard flag.hasPrefix("gvk=") else { throw fail("unknown type flag \(flag)") }
                    let parts = flag.dropFirst(4).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                    guard parts.count == 3 else { throw fail("gvk needs group/version/kind") }
                    schema.kinds.append(GroupVersionKind(group: parts[0], version: parts[1], kind: parts[2]))
                }
                schemas.append(schema)
                continue
            }
            guard !schemas.isEmpty else { throw fail("a field before any type") }
            guard words.count >= 3 else { throw fail("a field needs a name, a number and a type") }
            var typeWord = words[2]
            let keepsZero = typeWord.hasSuffix("?")
            if keepsZero { typeWord.removeLast() }
            guard let type = valueSchema(Substring(typeWord)) else { throw fail("unknown type \(typeWord)") }
            var field = FieldSchema(name: words[0], number: Int(words[1]), type: type, description: description)
            guard field.number != nil || words[1] == "-" else { throw fail("bad field number") }
            field.keepsZero = keepsZero
            for flag in words.dropFirst(3) {
                let (key, value) = flag.firstIndex(of: "=").map { (String(flag[..<$0]), String(flag[flag.index(after: $0)...])) } ?? (flag, "")
                switch key {
                case "required": field.isRequired = true
                case "inline": field.isInline = true
                case "merge": field.patchMergeKey = value
                case "strategy": field.patchStrategy = value
                case "maptype": field.mapType = value
                case "enum": field.allowedValues = value.split(separator: ",").map(String.init)
                case "list":
                    if value.hasPrefix("map:") {
                        field.listType = "map"
                        field.listMapKeys = value.dropFirst(4).split(separator: ",").map(String.init)
                    } else {
                        field.listType = value
                    }
                default: throw fail("unknown field flag \(flag)")
                }
            }
            schemas[schemas.count - 1].fields.append(field)
        }
        return schemas
    }

    private static func splitDescription(_ line: Substring) -> (Substring, String) {
        guard let range = line.range(of: " -- ") else { return (line, "") }
        return (line[..<range.lowerBound], String(line[range.upperBound...]))
    }

    private static func valueSchema(_ word: Substring) -> ValueSchema? {
        if word.hasPrefix("["), word.hasSuffix("]") { return valueSchema(word.dropFirst().dropLast()).map(ValueSchema.array) }
        if word.hasPrefix("{"), word.hasSuffix("}") { return valueSchema(word.dropFirst().dropLast()).map(ValueSchema.map) }
        switch word {
        case "string": return .string
        case "bytes": return .bytes
        case "int32": return .int32
        case "int64": return .int64
        case "double": return .double
        case "bool": return .boolean
        case "time": return .time
        case "microtime": return .microTime
        case "quantity": return .quantity
        case "intorstring": return .intOrString
        case "object": return .freeForm
        default:
            if let union = SchemaUnion(rawValue: String(word)) { return .schemaUnion(union) }
            guard let first = word.first, first.isUppercase, word.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
            return .reference(String(word))
        }
    }
}
