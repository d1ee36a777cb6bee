import APIMachinery
import Registry
import Storage

/// Answers in compact JSON or protobuf made from the objects' shared encodings (the
/// watch cache's objects carry them): each object is serialized once per
/// form however many gets, lists and watch events send it, and the bytes
/// are the ones the JSONValue path would write.
extension ObjectShapes {
    /// `object` as served, alone (a get, a watch event's object): its
    /// encoded JSON itself when that is at the served version.
    func objectBytes(_ object: APIObject, shared: SharedEncodings) -> [UInt8] {
        if let encoded = servedAsEncoded(object) { return encoded }
        return shared.bytes("json object \(definition.groupVersion) \(definition.kind)") { self.object(object).serialized() }
    }

    /// `object` as a list item, without kind and apiVersion: after a `{`,
    /// the rest of its encoded JSON when that is at the served version.
    func itemBytes(_ object: APIObject, shared: SharedEncodings) -> ArraySlice<UInt8> {
        if let encoded = servedAsEncoded(object) { return encoded[opening.count...] }
        return shared.bytes("json item \(definition.groupVersion) \(definition.kind)") { item(object).serialized() }[1...]
    }

    /// `object`'s encoded JSON (the watch cache's objects carry it) when it
    /// is the object as served: the same kind and group-version.
    private func servedAsEncoded(_ object: APIObject) -> [UInt8]? {
        guard let encoded = object.encodedJSON, encoded.starts(with: opening) else { return nil }
        return encoded
    }

    /// `object`'s protobuf message as served, without the envelope: a
    /// list's item, or what a get's or a watch event's envelope holds.
    func messageBytes(_ object: APIObject, shared: SharedEncodings) -> [UInt8] {
        shared.bytes("protobuf \(definition.groupVersion) \(definition.kind)") {
            guard let schema = ProtobufObjectEncoder.builtin.catalog.type(for: definition.groupVersionKind),
                  case .object(let fields) = self.object(object) else { return [] }
            return ProtobufObjectEncoder.builtin.message(fields, schema)
        }
    }

    /// `object` as served, enveloped (a get, a protobuf watch event's object).
    func envelopeBytes(_ object: APIObject, shared: SharedEncodings) -> [UInt8] {
        ProtobufObjectEncoder.envelope(apiVersion: definition.groupVersion, kind: definition.kind,
                                       message: messageBytes(object, shared: shared))
    }

    /// The body of a get answered as a plain JSON or protobuf object; nil
    /// for any other form, or an object without shared encodings.
    func sharedBody(_ object: APIObject, _ format: ResponseFormat) -> [UInt8]? {
        guard let shared = object.encodings else { return nil }
        if Self.isProtobufObject(format) { return envelopeBytes(object, shared: shared) }
        guard Self.isPlainJSON(format) else { return nil }
        return objectBytes(object, shared: shared) + [0x0A]
    }

    /// The body of a list answered as a plain JSON or protobuf list whose
    /// items all have shared encodings, in parts: the items' bytes as they
    /// are shared, between the list's own; nil otherwise.
    func sharedBody(_ result: ListResult, _ format: ResponseFormat) -> BodyParts? {
        if Self.isProtobufObject(format) { return sharedProtobufList(result) }
        guard Self.isPlainJSON(format) else { return nil }
        // {"kind":...,"apiVersion":...,"metadata":{...},"items":[...]}, as list(_:) serializes.
        let head: JSONValue = ["kind": .string(definition.listKind), "apiVersion": .string(definition.groupVersion),
                               "metadata": listMetadata(result)]
        var opening = head.serialized()
        opening.removeLast()  // the closing brace
        opening += #","items":["#.utf8
        var body = BodyParts()
        body.reserveCapacity(2 * result.items.count + 2)
        body.append(opening)
        // Each item is `{` and the rest of its bytes, where they are kept.
        let first: [UInt8] = [UInt8(ascii: "{")], next: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "{")]
        for (index, object) in result.items.enumerated() {
            guard let shared = object.encodings else { return nil }
            body.append(index > 0 ? next : first)
            body.append(itemBytes(object, shared: shared))
        }
        body.append([UInt8(ascii: "]"), UInt8(ascii: "}"), 0x0A])
        return body
    }

    /// A protobuf list: ListMeta, then each item's shared message.
    private func sharedProtobufList(_ result: ListResult) -> BodyParts? {
        let encoder = ProtobufObjectEncoder.builtin
        guard let listSchema = encoder.catalog.type(for: GroupVersionKind(group: definition.group, version: definition.version,
                                                                          kind: definition.listKind)),
              let metadata = listSchema.field("metadata")?.number, let items = listSchema.field("items")?.number,
              case .object(let listMeta) = listMetadata(result)
        else { return nil }
        var fields: [(number: Int?, bytes: [UInt8])] = [(metadata, encoder.message(listMeta, type: "ListMeta"))]
        fields.reserveCapacity(result.items.count + 1)
        for object in result.items {
            guard let shared = object.encodings else { return nil }
            fields.append((items, messageBytes(object, shared: shared)))
        }
        return BodyParts(ProtobufObjectEncoder.envelopeParts(apiVersion: definition.groupVersion, kind: definition.listKind,
                                                             fields: fields))
    }

    /// A list's object form and a get's, compact: what shared bytes can be.
    private static func isPlainJSON(_ format: ResponseFormat) -> Bool {
        format.serialization == .json && !format.pretty && format.shape == .object
    }

    private static func isProtobufObject(_ format: ResponseFormat) -> Bool {
        format.serialization == .protobuf && format.shape == .object
    }
}
