import APIMachinery
import Foundation

/// Writes objects in Kubernetes' protobuf encoding (`Accept:
/// application/vnd.kubernetes.protobuf`), byte for byte as kube-apiserver
/// does, from the catalog's field numbers. kube's marshallers (gogo-protobuf,
/// generated into k8s.io/api) write fields in number order; a plain Go field
/// always, even when it is "", 0, false or an empty struct; a pointer, a
/// byte slice or a raw extension only when set; lists element by element and
/// maps entry by entry in key order. So the JSON an object is held in (which
/// leaves zero values out) is enough, given which Go fields are pointers
/// (`?` in `SchemaText`).
public struct ProtobufObjectEncoder: Sendable {
    public static let magic = ProtobufObjectDecoder.magic
    /// The encoder of the built-in kinds (and meta/v1 Status).
    public static let builtin = ProtobufObjectEncoder(catalog: BuiltinResources.schemas)
    public let catalog: SchemaCatalog
    /// Each type's protobuf fields in number order.
    private let numbered: [String: [FieldSchema]]

    public init(catalog: SchemaCatalog) {
        self.catalog = catalog
        numbered = catalog.types.mapValues { schema in
            schema.fields.filter { $0.number != nil }.sorted { $0.number! < $1.number! }
        }
    }

    /// Whether `kind` has a protobuf form: built-in kinds do (CRDs
    /// included); custom resources answer JSON, as kube's do.
    public func encodes(_ kind: GroupVersionKind) -> Bool {
        catalog.type(for: kind) != nil
    }

    /// `object` (with its apiVersion and kind) in kube's envelope: the magic
    /// "k8s\0", then a runtime.Unknown holding the type and the message; nil
    /// for a kind with no protobuf form.
    public func encode(_ object: JSONValue) -> [UInt8]? {
        guard case .object(let fields) = object, let apiVersion = fields["apiVersion"]?.stringValue,
              let kind = fields["kind"]?.stringValue, let schema = catalog.type(for: Self.kind(apiVersion, kind))
        else { return nil }
        return Self.envelope(apiVersion: apiVersion, kind: kind, message: message(fields, schema))
    }

    /// The message of `schema` for an object's JSON fields, without the
    /// envelope: what a list holds for each item.
    public func message(_ fields: JSONObject, _ schema: TypeSchema) -> [UInt8] {
        var writer = ProtobufWriter()
        for field in numbered[schema.name] ?? [] {
            write(field, field.isInline ? .object(fields) : fields[field.name], into: &writer)
        }
        return writer.bytes
    }

    /// The message of the type named `name` (a short or full name).
    public func message(_ fields: JSONObject, type name: String) -> [UInt8] {
        guard let schema = catalog.resolve(name) else { return [] }
        return message(fields, schema)
    }

    /// runtime.Unknown after the magic: TypeMeta, the raw message, and
    /// contentEncoding and contentType, empty but written.
    public static func envelope(apiVersion: String, kind: String, message: some Collection<UInt8>) -> [UInt8] {
        envelope(apiVersion: apiVersion, kind: kind, fields: [(nil, Array(message))])
    }

    /// The envelope around a message made of `fields`, each a
    /// length-delimited field (number, bytes) or, with no number, bytes
    /// as they are.
    public static func envelope(apiVersion: String, kind: String, fields: [(number: Int?, bytes: [UInt8])]) -> [UInt8] {
        let parts = envelopeParts(apiVersion: apiVersion, kind: kind, fields: fields)
        var body: [UInt8] = []
        body.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { body += part }
        return body
    }

    /// The same envelope as parts to be written in order: the fields' own
    /// arrays between the headers, none copied (a list of 100,000 objects
    /// is written as it is, not joined first).
    public static func envelopeParts(apiVersion: String, kind: String, fields: [(number: Int?, bytes: [UInt8])]) -> [[UInt8]] {
        var typeMeta = ProtobufWriter()
        typeMeta.string(1, apiVersion)
        typeMeta.string(2, kind)
        let length = fields.reduce(0) { total, field in
            total + (field.number.map { ProtobufWriter.fieldSize($0, length: field.bytes.count) } ?? field.bytes.count)
        }
        var head = ProtobufWriter()
        head.raw(magic)
        head.bytes(1, typeMeta.bytes)
        head.header(2, length: length)
        var parts = [head.bytes]
        parts.reserveCapacity(2 * fields.count + 2)
        for field in fields {
            if let number = field.number {
                var header = ProtobufWriter()
                header.header(number, length: field.bytes.count)
                parts.append(header.bytes)
            }
            parts.append(field.bytes)
        }
        var tail = ProtobufWriter()
        tail.string(3, "")
        tail.string(4, "")
        parts.append(tail.bytes)
        return parts
    }

    /// A meta/v1 WatchEvent in a protobuf watch stream: the bare message
    /// (kube's raw serializer: no magic, no envelope), whose object is the
    /// enveloped `object`, framed by its length as four big-endian bytes.
    public static func watchFrame(type: String, object: [UInt8]) -> [UInt8] {
        var raw = ProtobufWriter()
        raw.bytes(1, object)
        var event = ProtobufWriter()
        event.string(1, type)
        event.bytes(2, raw.bytes)
        let length = UInt32(event.bytes.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + event.bytes
    }

    static func kind(_ apiVersion: String, _ kind: String) -> GroupVersionKind {
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return GroupVersionKind(group: parts.count == 2 ? parts[0] : "", version: parts.last ?? "", kind: kind)
    }

    // MARK: Fields

    private func write(_ field: FieldSchema, _ value: JSONValue?, into writer: inout ProtobufWriter) {
        let number = field.number!
        let value = value == .null ? nil : value
        switch field.type {
        case .array(let element):
            // proto2's repeated scalars are not packed.
            guard case .array(let items)? = value else { return }
            for item in items { write(number, element, item, into: &writer) }
        case .map(let element):
            guard case .object(let entries)? = value else { return }
            for key in entries.keys.sorted() {
                var entry = ProtobufWriter()
                entry.string(1, key)
                write(2, element, entries[key] == .null ? nil : entries[key], into: &entry)
                writer.bytes(number, entry.bytes)
            }
        case .bytes:
            // A []byte is written when it is not nil.
            if value != nil { write(number, .bytes, value, into: &writer) }
        default:
            // A pointer is written when set; a plain field always.
            if value == nil && field.keepsZero { return }
            write(number, field.type, value, into: &writer)
        }
    }

    /// One value of `type` as field `number`; nil is the type's zero value.
    private func write(_ number: Int, _ type: ValueSchema, _ value: JSONValue?, into writer: inout ProtobufWriter) {
        switch type {
        case .string:
            writer.string(number, value?.stringValue ?? "")
        case .bytes:
            writer.bytes(number, value?.stringValue.flatMap { Data(base64Encoded: $0) } ?? Data())
        case .int32, .int64:
            writer.int64(number, Self.integer(value))
        case .double:
            switch value {
            case .double(let real)?: writer.double(number, real)
            case .int(let whole)?: writer.double(number, Double(whole))
            default: writer.double(number, 0)
            }
        case .boolean:
            writer.bool(number, value?.boolValue ?? false)
        case .time, .microTime:
            writer.bytes(number, Self.timestamp(value?.stringValue, micro: type == .microTime))
        case .quantity:
            var quantity = ProtobufWriter()
            switch value {
            case .string(let text)?: quantity.string(1, text)
            case .int(let whole)?: quantity.string(1, String(whole))
            default: quantity.string(1, "0")
            }
            writer.bytes(number, quantity.bytes)
        case .intOrString:
            var union = ProtobufWriter()
            if case .string(let text)? = value {
                union.int64(1, 1)
                union.int64(2, 0)
                union.string(3, text)
            } else {
                union.int64(1, 0)
                union.int64(2, Self.integer(value))
                union.string(3, "")
            }
            writer.bytes(number, union.bytes)
        case .freeForm:
            // RawExtension, FieldsV1 and apiextensions' JSON: the JSON in field 1.
            var raw = ProtobufWriter()
            if let value { raw.bytes(1, value.serialized()) }
            writer.bytes(number, raw.bytes)
        case .schemaUnion(let union):
            writer.bytes(number, unionMessage(union, value))
        case .reference(let name):
            writer.bytes(number, message(value?.objectValue ?? [:], type: name))
        case .array, .map:
            return  // no Kubernetes type nests collections directly
        }
    }

    /// A JSONSchemaProps union as Go marshals it: the schema (a pointer)
    /// when the JSON is an object, else the alternative; OrBool's `allows`
    /// is a plain bool, written always, and true beside a schema.
    private func unionMessage(_ union: SchemaUnion, _ value: JSONValue?) -> [UInt8] {
        let schema = SchemaUnion.schemaType
        var writer = ProtobufWriter()
        switch (union, value) {
        case (.orBool, .object(let fields)?):
            writer.bool(1, true)
            writer.bytes(2, message(fields, type: schema))
        case (.orBool, _):
            writer.bool(1, value?.boolValue ?? false)
        case (.orArray, .object(let fields)?), (.orStringArray, .object(let fields)?):
            writer.bytes(1, message(fields, type: schema))
        case (.orArray, .array(let schemas)?):
            for item in schemas { writer.bytes(2, message(item.objectValue ?? [:], type: schema)) }
        case (.orStringArray, .array(let names)?):
            for name in names { writer.string(2, name.stringValue ?? "") }
        case (.orArray, _), (.orStringArray, _):
            break
        }
        return writer.bytes
    }

    private static func integer(_ value: JSONValue?) -> Int64 {
        switch value {
        case .int(let whole)?: return whole
        case .double(let number)? where number.rounded() == number && abs(number) < 9.2e18: return Int64(number)
        default: return 0
        }
    }

    /// metav1.Time and MicroTime: a Timestamp of seconds and nanoseconds,
    /// both written; Time keeps no fraction (kube drops it, as its JSON
    /// does), and a zero time is an empty message.
    private static func timestamp(_ text: String?, micro: Bool) -> [UInt8] {
        guard let text, let seconds = Timestamp.parse(text) else { return [] }
        var nanos: Int64 = 0
        if micro, let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
            let padded = (digits.prefix(9) + String(repeating: "0", count: max(0, 9 - digits.count)))
            nanos = Int64(padded) ?? 0
        }
        var writer = ProtobufWriter()
        writer.int64(1, seconds)
        writer.int64(2, nanos)
        return writer.bytes
    }
}
