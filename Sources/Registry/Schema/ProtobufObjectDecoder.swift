import APIMachinery
import Foundation

/// Reads a request body in Kubernetes' protobuf encoding into the JSON value
/// the rest of the server works on. Client-go's typed clients (and so
/// kubectl's `create configmap`, `create secret`, `run`, ...) send this.
///
/// The body is the magic "k8s\0" and a runtime.Unknown: the apiVersion and
/// kind, then the object's own message, whose field numbers the catalog's
/// schemas give.
public struct ProtobufObjectDecoder: Sendable {
    public static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]
    public let catalog: SchemaCatalog

    public init(catalog: SchemaCatalog) {
        self.catalog = catalog
    }

    public func decode(_ body: [UInt8]) throws -> JSONValue {
        guard body.starts(with: Self.magic) else {
            throw APIError.badRequest("the protobuf body does not start with the Kubernetes magic number \"k8s\\0\"")
        }
        do {
            let envelope = try Envelope(body[4...])
            guard envelope.contentEncoding.isEmpty else {
                throw APIError.badRequest("protobuf content encoding \"\(envelope.contentEncoding)\" is not supported")
            }
            let parts = envelope.apiVersion.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let kind = GroupVersionKind(group: parts.count == 2 ? parts[0] : "", version: parts.last ?? "", kind: envelope.kind)
            guard let schema = catalog.type(for: kind) ?? deleteOptions(kind) else {
                throw APIError.badRequest("no kind \"\(envelope.kind)\" is registered for version \"\(envelope.apiVersion)\" in protobuf")
            }
            var object: JSONObject = ["kind": .string(envelope.kind), "apiVersion": .string(envelope.apiVersion)]
            if case .object(let fields) = try message(envelope.raw, schema) {
                object.merge(fields) { first, _ in first }
            }
            return .object(object)
        } catch let error as ProtobufReader.Malformed {
            throw APIError.badRequest("malformed protobuf body: \(error)")
        }
    }

    /// DeleteOptions is accepted under every group's version.
    private func deleteOptions(_ kind: GroupVersionKind) -> TypeSchema? {
        kind.kind == "DeleteOptions" ? catalog.resolve("DeleteOptions") : nil
    }

    private func message(_ bytes: ArraySlice<UInt8>, _ schema: TypeSchema) throws -> JSONValue {
        var reader = ProtobufReader(bytes)
        var object: JSONObject = [:]
        while let (number, wire) = try reader.next() {
            guard let field = schema.fields.first(where: { $0.number == number }) else {
                throw APIError.badRequest("protobuf field \(number) is not a field of \(schema.name) that Berth knows")
            }
            switch field.type {
            case .array(let element):
                var items = object[field.name]?.arrayValue ?? []
                if case .bytes(let packed) = wire, element.isNumeric {
                    var inner = ProtobufReader(packed)
                    while let value = try inner.nextPacked(fixed64: element == .double) { items.append(try scalar(value, element, field)) }
                } else {
                    items.append(try value(wire, element, field))
                }
                object[field.name] = .array(items)
            case .map(let element):
                guard case .bytes(let entry) = wire else { throw wrongWire(field) }
                var map = object[field.name]?.objectValue ?? [:]
                var key = "", item: JSONValue?
                var entryReader = ProtobufReader(entry)
                while let (entryNumber, entryWire) = try entryReader.next() {
                    if entryNumber == 1 { key = try value(entryWire, .string, field).stringValue ?? "" }
                    if entryNumber == 2 { item = try value(entryWire, element, field) }
                }
                // An entry without a value holds the type's zero value.
                map[key] = try item ?? zero(element, field)
                object[field.name] = .object(map)
            default:
                let decoded = try value(wire, field.type, field)
                if field.isInline, case .object(let embedded) = decoded {
                    object.merge(embedded) { _, new in new }
                } else {
                    object[field.name] = decoded
                }
            }
        }
        // Go's JSON leaves out zero values of plain (non-pointer) fields; so
        // does kube-apiserver after decoding protobuf into its structs.
        object = object.filter { name, value in
            schema.field(name).map { $0.keepsZero || !value.isZero } ?? true
        }
        return .object(object)
    }

    private func value(_ wire: ProtobufReader.Value, _ type: ValueSchema, _ field: FieldSchema) throws -> JSONValue {
        switch type {
        case .string, .bytes:
            guard case .bytes(let bytes) = wire else { throw wrongWire(field) }
            if type == .bytes { return .string(Data(bytes).base64EncodedString()) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw APIError.badRequest("field \(field.name) is not valid UTF-8")
            }
            return .string(text)
        case .int32, .int64, .double, .boolean:
            return try scalar(wire, type, field)
        case .time, .microTime:
            guard case .bytes(let bytes) = wire else { throw wrongWire(field) }
            var reader = ProtobufReader(bytes)
            var seconds: Int64 = 0, nanos: Int64 = 0
            while let (number, part) = try reader.next() {
                if case .varint(let raw) = part {
                    if number == 1 { seconds = Int64(bitPattern: raw) } else if number == 2 { nanos = Int64(Int32(truncatingIfNeeded: raw)) }
                }
            }
            if bytes.isEmpty { return .null }
            let text = Timestamp.format(secondsSinceEpoch: seconds)
            guard type == .microTime else { return .string(text) }
            let micros = String(nanos / 1000)
            return .string(text.dropLast() + "." + String(repeating: "0", count: 6 - micros.count) + micros + "Z")
        case .quantity:
            guard case .bytes(let bytes) = wire else { throw wrongWire(field) }
            var reader = ProtobufReader(bytes)
            var text = ""
            while let (number, part) = try reader.next() {
                if number == 1, case .bytes(let raw) = part { text = String(decoding: raw, as: UTF8.self) }
            }
            return .string(text)
        case .intOrString:
            guard case .bytes(let bytes) = wire else { throw wrongWire(field) }
            var reader = ProtobufReader(bytes)
            var isString = false, number: Int64 = 0, text = ""
            while let (part, raw) = try reader.next() {
                switch (part, raw) {
                case (1, .varint(let type)): isString = type == 1
                case (2, .varint(let value)): number = Int64(Int32(truncatingIfNeeded: value))
                case (3, .bytes(let value)): text = String(decoding: value, as: UTF8.self)
                default: break
                }
            }
            return isString ? .string(text) : .int(number)
        case .freeForm:
            // RawExtension and FieldsV1 carry JSON in their first field.
            guard case .bytes(let bytes) = wire else { throw wrongWire(field) }
            var reader = ProtobufReader(bytes)
            var raw: ArraySlice<UInt8> = []
            while let (number, part) = try reader.next() {
                if number == 1, case .bytes(let value) = part { raw = value }
            }
            if raw.isEmpty { return .null }
            do { return try JSONValue.parse(Array(raw)) } catch {
                throw APIError.badRequest("field \(field.name) holds bytes that are not JSON")
            }
        case .schemaUnion(let union):
            guard case .bytes(let bytes) = wire else { throw wrongWire(field) }
            return try unionValue(union, bytes, field: field)
        case .reference(let name):
            guard case .bytes(let bytes) = wire else { throw wrongWire(field) }
            guard let schema = catalog.resolve(name) else { throw APIError.internalError("no schema for \(name)") }
            return try message(bytes, schema)
        case .array, .map:
            throw APIError.internalError("nested collections in \(field.name)")
        }
    }

    /// What an absent value decodes as: 0, false, "" or an empty message.
    private func zero(_ type: ValueSchema, _ field: FieldSchema) throws -> JSONValue {
        switch type {
        case .int32, .int64: return .int(0)
        case .double: return .double(0)
        case .boolean: return .bool(false)
        default: return try value(.bytes([]), type, field)
        }
    }

    private func scalar(_ wire: ProtobufReader.Value, _ type: ValueSchema, _ field: FieldSchema) throws -> JSONValue {
        switch (type, wire) {
        case (.boolean, .varint(let raw)): return .bool(raw != 0)
        case (.int32, .varint(let raw)): return .int(Int64(Int32(truncatingIfNeeded: raw)))
        case (.int64, .varint(let raw)): return .int(Int64(bitPattern: raw))
        case (.double, .fixed64(let raw)): return .double(Double(bitPattern: raw))
        default: throw wrongWire(field)
        }
    }

    /// A JSONSchemaProps union back in its JSON form, as Go's MarshalJSON
    /// writes it: the list when it has items, else the schema when set,
    /// else (OrBool) the bool, else null.
    private func unionValue(_ union: SchemaUnion, _ bytes: ArraySlice<UInt8>, field: FieldSchema) throws -> JSONValue {
        guard let schema = catalog.resolve(SchemaUnion.schemaType) else {
            throw APIError.internalError("no schema for JSONSchemaProps")
        }
        var reader = ProtobufReader(bytes)
        var allows = false, single: JSONValue?, list: [JSONValue] = []
        while let (number, wire) = try reader.next() {
            switch (union, number, wire) {
            case (.orBool, 1, .varint(let value)): allows = value != 0
            case (.orBool, 2, .bytes(let message)), (.orArray, 1, .bytes(let message)), (.orStringArray, 1, .bytes(let message)):
                single = try self.message(message, schema)
            case (.orArray, 2, .bytes(let message)): list.append(try self.message(message, schema))
            case (.orStringArray, 2, .bytes(let name)): list.append(.string(String(decoding: name, as: UTF8.self)))
            case (_, 1...2, _): throw wrongWire(field)
            default: continue
            }
        }
        if !list.isEmpty { return .array(list) }
        if let single { return single }
        return union == .orBool ? .bool(allows) : .null
    }

    private func wrongWire(_ field: FieldSchema) -> APIError {
        APIError.badRequest("protobuf field \(field.name) has the wrong wire type")
    }
}

/// runtime.Unknown, the envelope around every protobuf object.
private struct Envelope {
    var apiVersion = ""
    var kind = ""
    var raw: ArraySlice<UInt8> = []
    var contentEncoding = ""

    init(_ bytes: ArraySlice<UInt8>) throws {
        var reader = ProtobufReader(bytes)
        while let (number, value) = try reader.next() {
            guard case .bytes(let field) = value else { continue }
            switch number {
            case 1:
                var typeMeta = ProtobufReader(field)
                while let (part, text) = try typeMeta.next() {
                    guard case .bytes(let text) = text else { continue }
                    if part == 1 { apiVersion = String(decoding: text, as: UTF8.self) }
                    if part == 2 { kind = String(decoding: text, as: UTF8.self) }
                }
            case 2: raw = field
            case 3: contentEncoding = String(decoding: field, as: UTF8.self)
            default: break
            }
        }
    }
}

extension ValueSchema {
    var isNumeric: Bool { self == .int32 || self == .int64 || self == .double || self == .boolean }
}

extension JSONValue {
    /// What Go's omitempty treats as empty.
    var isZero: Bool {
        switch self {
        case .null: return true
        case .bool(let value): return !value
        case .int(let value): return value == 0
        case .double(let value): return value == 0
        case .string(let value): return value.isEmpty
        case .array(let items): return items.isEmpty
        case .object: return false  // Go structs are never omitted
        }
    }
}
