import CYaml
import Foundation
import Yams

/// YAML to JSON straight from libyaml's events, as go-yaml (and so
/// kube-apiserver) reads a body: the first document only, every value built
/// counted, and a document whose values come almost all from aliases refused
/// before it is built ("billion laughs": a few hundred bytes that stand for
/// billions of values). Composing Yams nodes first is no defence: Yams hashes
/// every mapping key to look for duplicates, and a key that is an alias to such
/// a tree takes exponential time to hash.
struct YAMLEventReader {
    struct ExcessiveAliasing: Error, CustomStringConvertible {
        var description: String { "document contains excessive aliasing" }
    }

    struct SyntaxError: Error, CustomStringConvertible {
        var description: String
    }

    /// What the reader keeps of one libyaml event.
    enum Event {
        case scalar(Node.Scalar)
        case sequenceStart
        case mappingStart
        case end
        /// The index of the event that starts the node the alias names.
        case alias(Int)
    }

    private var events: [Event] = []
    /// Where each node starting at an index ends (its last event), for
    /// aliases to replay.
    private var ends: [Int: Int] = [:]
    private var decodeCount = 0
    private var aliasCount = 0

    /// go-yaml's allowedAliasRatio: 99% of values may come from aliases in
    /// documents of up to 400,000 values, falling to 10% at 4,000,000.
    static func allowedAliasRatio(_ count: Int) -> Double {
        if count <= 400_000 { return 0.99 }
        if count >= 4_000_000 { return 0.10 }
        return 0.99 - 0.89 * (Double(count - 400_000) / 3_600_000)
    }

    mutating func read(_ bytes: [UInt8]) throws -> JSONValue {
        guard !bytes.isEmpty else { return .null }
        try readEvents(bytes)
        guard !events.isEmpty else { return .null }
        return try build()
    }

    // MARK: Events

    /// The first document's events; anchors resolved to where their node starts.
    private mutating func readEvents(_ bytes: [UInt8]) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw SyntaxError(description: "cannot start the parser") }
        defer { yaml_parser_delete(&parser) }
        try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var anchors: [String: Int] = [:]
            /// Open collections: where each starts and its anchor.
            var open: [(start: Int, anchor: String?)] = []
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { throw Self.syntaxError(parser) }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_SCALAR_EVENT:
                    let data = event.data.scalar
                    let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
                    let tag = data.quoted_implicit == 1 ? Tag.Name.str.rawValue : Self.string(data.tag)
                    let style = Node.Scalar.Style(rawValue: numericCast(data.style.rawValue)) ?? .any
                    if let anchor = Self.string(data.anchor) { anchors[anchor] = events.count }
                    events.append(.scalar(Node.Scalar(value, Tag(tag.map(Tag.Name.init(rawValue:)) ?? .implicit), style)))
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let isSequence = event.type == YAML_SEQUENCE_START_EVENT
                    open.append((events.count, Self.string(isSequence ? event.data.sequence_start.anchor
                                                                      : event.data.mapping_start.anchor)))
                    events.append(isSequence ? .sequenceStart : .mappingStart)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    let (start, anchor) = open.removeLast()
                    ends[start] = events.count
                    events.append(.end)
                    // An anchor names its node once the node is whole.
                    if let anchor { anchors[anchor] = start }
                case YAML_ALIAS_EVENT:
                    let name = Self.string(event.data.alias.anchor) ?? ""
                    // A node cannot contain itself: its anchor is not yet
                    // registered while it is open.
                    guard let target = anchors[name] else {
                        throw SyntaxError(description: "unknown anchor '\(name)' referenced")
                    }
                    events.append(.alias(target))
                case YAML_DOCUMENT_END_EVENT, YAML_STREAM_END_EVENT:
                    return
                default:
                    continue
                }
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func syntaxError(_ parser: yaml_parser_t) -> SyntaxError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        return SyntaxError(description: "line \(parser.problem_mark.line + 1): \(problem)")
    }

    // MARK: Values

    /// A collection being built.
    private enum Frame {
        case sequence([JSONValue])
        case mapping(JSONObject, key: String?)
    }

    /// Builds the value of the events without recursion: aliases replay the
    /// events of the node they name, with a stack of positions to return to.
    private mutating func build() throws -> JSONValue {
        var frames: [Frame] = []
        /// Where to continue after each alias being replayed, and where it stops.
        var returns: [(resume: Int, stop: Int)] = []
        var index = 0
        var result: JSONValue?
        while result == nil {
            // The end of a replayed alias: back to after the alias.
            if let last = returns.last, index > last.stop {
                index = last.resume
                returns.removeLast()
                continue
            }
            let event = events[index]
            index += 1
            if case .end = event {} else { try count(insideAlias: !returns.isEmpty) }
            var value: JSONValue?
            switch event {
            case .scalar(let scalar):
                value = Self.json(scalar)
            case .sequenceStart:
                frames.append(.sequence([]))
            case .mappingStart:
                frames.append(.mapping([:], key: nil))
            case .end:
                switch frames.removeLast() {
                case .sequence(let items): value = .array(items)
                case .mapping(let object, _): value = .object(object)
                }
            case .alias(let target):
                returns.append((index, ends[target] ?? target))
                index = target
            }
            guard let value else { continue }
            guard !frames.isEmpty else {
                result = value
                break
            }
            switch frames.removeLast() {
            case .sequence(var items):
                items.append(value)
                frames.append(.sequence(items))
            case .mapping(var object, let key?):
                object[key] = value
                frames.append(.mapping(object, key: nil))
            case .mapping(let object, nil):
                guard case .string(let key) = value else {
                    throw SyntaxError(description: "invalid map key: \(value.jsonString)")
                }
                frames.append(.mapping(object, key: key))
            }
        }
        return result!
    }

    /// go-yaml's count, made for every value built (and every alias): one
    /// built while an alias is being replayed counts as aliasing too.
    private mutating func count(insideAlias: Bool) throws {
        decodeCount += 1
        if insideAlias { aliasCount += 1 }
        if aliasCount > 100 && decodeCount > 1000
            && Double(aliasCount) / Double(decodeCount) > Self.allowedAliasRatio(decodeCount) {
            throw ExcessiveAliasing()
        }
    }

    /// A scalar as JSON: only plain scalars resolve to null, booleans and
    /// numbers, as sigs.k8s.io/yaml reads them. Numbers are read here, not
    /// by Yams, whose base-60 integers ("1:20") trap on overflow.
    private static func json(_ scalar: Node.Scalar) -> JSONValue {
        guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
        let node = Node.scalar(scalar)
        if node.null != nil { return .null }
        if let value = node.bool { return .bool(value) }
        let plain = scalar.string.replacingOccurrences(of: "_", with: "")
        if let value = integer(plain) { return .int(value) }
        if isDecimal(plain), let value = Double(plain), value.isFinite { return .double(value) }
        return .string(scalar.string)
    }

    /// go-yaml's integers: Go's ParseInt with base prefixes (0x, 0o, 0b, a
    /// leading 0 for octal), an optional sign, within int64.
    static func integer(_ plain: String) -> Int64? {
        var text = Substring(plain)
        let negative = text.first == "-"
        if text.first == "-" || text.first == "+" { text = text.dropFirst() }
        var radix = 10
        for (prefix, base) in [("0x", 16), ("0X", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
            radix = base
            text = text.dropFirst(2)
        }
        if radix == 10 && text.count > 1 && text.first == "0" {
            radix = 8
            text = text.dropFirst()
        }
        guard !text.isEmpty, !text.hasPrefix("-"), !text.hasPrefix("+"), let magnitude = UInt64(text, radix: radix) else {
            return nil
        }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// go-yaml's float syntax: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    static func isDecimal(_ plain: String) -> Bool {
        var text = Substring(plain)
        if text.first == "-" || text.first == "+" { text = text.dropFirst() }
        let whole = text.prefix { $0.isASCII && $0.isNumber }
        text = text.dropFirst(whole.count)
        var fraction: Substring = ""
        if text.first == "." {
            text = text.dropFirst()
            fraction = text.prefix { $0.isASCII && $0.isNumber }
            text = text.dropFirst(fraction.count)
        }
        guard !whole.isEmpty || !fraction.isEmpty else { return false }
        if text.first == "e" || text.first == "E" {
            text = text.dropFirst()
            if text.first == "-" || text.first == "+" { text = text.dropFirst() }
            let exponent = text.prefix { $0.isASCII && $0.isNumber }
            guard !exponent.isEmpty else { return false }
            text = text.dropFirst(exponent.count)
        }
        return text.isEmpty
    }
}
