import APIMachinery

/// The messages of a .proto file as the OpenAPI protobuf encoder needs them:
/// each field's name, number, type, whether it repeats and whether it is
/// part of the message's oneof. The tables are generated from proto/openapi/
/// (Generated/OpenAPIMessages.swift).
struct ProtobufMessages: Sendable {
    enum Kind: Sendable, Equatable {
        case string, bool, double, float, int64, int32, bytes
        /// google.protobuf.Any, which the OpenAPI models carry but kube never sets.
        case protobufAny
        case message(String)
    }

    struct Field: Sendable {
        var name: String
        var number: Int
        var kind: Kind
        var repeated: Bool
        var oneof: Bool

        init(_ name: String, _ number: Int, _ kind: Kind, repeated: Bool = false, oneof: Bool = false) {
            self.name = name
            self.number = number
            self.kind = kind
            self.repeated = repeated
            self.oneof = oneof
        }
    }

    let messages: [String: [Field]]

    init(_ messages: [String: [Field]]) { self.messages = messages }

    subscript(name: String) -> [Field] { messages[name] ?? [] }
}
