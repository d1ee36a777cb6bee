/// Writes the protobuf wire format one field at a time, the counterpart of
/// ProtobufReader: callers decide what each field number means.
public struct ProtobufWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    mutating func key(_ field: Int, _ wireType: ProtobufReader.WireType) {
        varint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    public mutating func varint(_ field: Int, _ value: UInt64) {
        key(field, .varint)
        varint(value)
    }

    /// int64 and int32: negative numbers as their two's complement, as protobuf does.
    public mutating func int64(_ field: Int, _ value: Int64) { varint(field, UInt64(bitPattern: value)) }

    public mutating func bool(_ field: Int, _ value: Bool) { varint(field, value ? 1 : 0) }

    public mutating func double(_ field: Int, _ value: Double) {
        key(field, .fixed64)
        littleEndian(value.bitPattern, count: 8)
    }

    public mutating func float(_ field: Int, _ value: Float) {
        key(field, .fixed32)
        littleEndian(UInt64(value.bitPattern), count: 4)
    }

    mutating func littleEndian(_ bits: UInt64, count: Int) {
        for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * index))) }
    }

    /// A length-delimited field: bytes, a string, or an embedded message.
    public mutating func bytes(_ field: Int, _ value: some Collection<UInt8>) {
        key(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func string(_ field: Int, _ value: String) { bytes(field, value.utf8) }

    /// A length-delimited field's key and length, its `length` bytes to
    /// follow through `raw`: a message written in parts, without first
    /// joining them.
    public mutating func header(_ field: Int, length: Int) {
        key(field, .lengthDelimited)
        varint(UInt64(length))
    }

    public mutating func raw(_ value: some Collection<UInt8>) { bytes.append(contentsOf: value) }

    /// The bytes a length-delimited field of `length` bytes takes.
    public static func fieldSize(_ field: Int, length: Int) -> Int {
        varintSize(UInt64(field) << 3) + varintSize(UInt64(length)) + length
    }

    static func varintSize(_ value: UInt64) -> Int {
        var value = value, size = 1
        while value >= 0x80 { value >>= 7; size += 1 }
        return size
    }
}
