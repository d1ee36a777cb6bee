/// Reads the protobuf wire format one field at a time. It knows nothing of
/// messages: callers decide what each field number means.
public struct ProtobufReader {
    public enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    /// One field as it appears on the wire.
    public enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(ArraySlice<UInt8>)
    }

    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    public var isAtEnd: Bool { position >= bytes.endIndex }

    /// The next field's number and value, or nil at the end of the message.
    public mutating func next() throws -> (number: Int, value: Value)? {
        guard !isAtEnd else { return nil }
        let tag = try readVarint()
        let number = Int(tag >> 3)
        guard number > 0, let wireType = WireType(rawValue: UInt8(tag & 7)) else {
            throw Malformed(description: "invalid tag \(tag) at byte \(position - bytes.startIndex)")
        }
        switch wireType {
        case .varint:
            return (number, .varint(try readVarint()))
        case .fixed64:
            return (number, .fixed64(try readFixed(8)))
        case .fixed32:
            return (number, .fixed32(UInt32(try readFixed(4))))
        case .lengthDelimited:
            let length = try readVarint()
            guard length <= UInt64(bytes.endIndex - position) else {
                throw Malformed(description: "field \(number) claims \(length) bytes, past the end of its message")
            }
            let start = position
            position += Int(length)
            return (number, .bytes(bytes[start..<position]))
        }
    }

    /// The next element of a packed repeated field: values with no tags.
    public mutating func nextPacked(fixed64: Bool) throws -> Value? {
        guard !isAtEnd else { return nil }
        return fixed64 ? .fixed64(try readFixed(8)) : .varint(try readVarint())
    }

    private mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard position < bytes.endIndex else { throw Malformed(description: "truncated varint") }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return result }
        }
        throw Malformed(description: "varint longer than 10 bytes")
    }

    private mutating func readFixed(_ count: Int) throws -> UInt64 {
        guard bytes.endIndex - position >= count else { throw Malformed(description: "truncated fixed-width field") }
        var result: UInt64 = 0
        for index in 0..<count { result |= UInt64(bytes[position + index]) << UInt64(8 * index) }
        position += count
        return result
    }
}
