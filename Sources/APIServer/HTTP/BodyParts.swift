import Hummingbird

/// A response body made of byte arrays that already exist elsewhere (a
/// list's items, as the watch cache holds their encodings), written in
/// order without first being joined: a list of 100,000 objects is never
/// copied into one buffer, and its first bytes leave before its last are
/// looked at.
struct BodyParts: Sendable {
    private(set) var parts: [ArraySlice<UInt8>] = []
    private(set) var byteCount = 0

    /// The size of the writes: parts are gathered up to this before they go.
    static let chunkBytes = 64 * 1024

    init(_ parts: [[UInt8]] = []) {
        for part in parts { append(part) }
    }

    mutating func append(_ part: [UInt8]) {
        append(part[...])
    }

    /// A part that is a piece of bytes kept elsewhere, such as a list item
    /// within the JSON the watch cache keeps of an object.
    mutating func append(_ part: ArraySlice<UInt8>) {
        parts.append(part)
        byteCount += part.count
    }

    mutating func reserveCapacity(_ count: Int) {
        parts.reserveCapacity(count)
    }

    /// The whole body in one array (for tests and small bodies).
    var joined: [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(byteCount)
        for part in parts { body += part }
        return body
    }

    /// A response body of known length that writes the parts in chunks.
    var responseBody: ResponseBody {
        ResponseBody(contentLength: byteCount) { [parts] writer in
            var chunk = ByteBuffer()
            chunk.reserveCapacity(Self.chunkBytes)
            for part in parts {
                if chunk.readableBytes + part.count > Self.chunkBytes, chunk.readableBytes > 0 {
                    try await writer.write(chunk)
                    chunk = ByteBuffer()
                    chunk.reserveCapacity(Self.chunkBytes)
                }
                chunk.writeBytes(part)
            }
            if chunk.readableBytes > 0 { try await writer.write(chunk) }
            try await writer.finish(nil)
        }
    }
}
