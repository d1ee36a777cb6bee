/// The ustar tar format (POSIX.1-1988), as much of it as logical backups need:
/// regular files with a path of at most 255 bytes. Archives are written and
/// read one entry at a time, so that neither side holds a whole backup in
/// memory, and they are what `tar -xzf` unpacks once gunzipped.
enum TarArchive {
    struct Entry: Equatable {
        var path: String
        var data: [UInt8]
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static let block = 512

    /// Two zero blocks end an archive.
    static let endOfArchive = [UInt8](repeating: 0, count: 2 * block)

    /// Whether ustar can hold `path`: a name of up to 100 bytes, after a
    /// directory prefix of up to 155.
    static func fits(_ path: String) -> Bool { split(path) != nil }

    static func split(_ path: String) -> (prefix: [UInt8], name: [UInt8])? {
        let bytes = Array(path.utf8)
        if bytes.count <= 100 { return ([], bytes) }
        for index in bytes.indices.reversed() where bytes[index] == UInt8(ascii: "/") {
            let prefix = Array(bytes[..<index]), name = Array(bytes[(index + 1)...])
            if prefix.count <= 155 && name.count <= 100 && !name.isEmpty { return (prefix, name) }
        }
        return nil
    }

    /// An entry as it goes into the archive: its header block, its data, and
    /// zeros up to the next block.
    static func encode(_ entry: Entry, modified: Int) -> [UInt8] {
        guard let (prefix, name) = split(entry.path) else { preconditionFailure("path too long for ustar: \(entry.path)") }
        var header = [UInt8](repeating: 0, count: block)
        func put(_ bytes: [UInt8], at offset: Int) { header.replaceSubrange(offset..<offset + bytes.count, with: bytes) }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: width - 1 - digits.count) + digits).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(0o644, width: 8), at: 100)  // mode
        put(octal(0, width: 8), at: 108)  // uid
        put(octal(0, width: 8), at: 116)  // gid
        put(octal(entry.data.count, width: 12), at: 124)
        put(octal(modified, width: 12), at: 136)
        put(Array("        ".utf8), at: 148)  // checksum, counted as spaces
        header[156] = UInt8(ascii: "0")  // a regular file
        put(Array("ustar".utf8) + [0], at: 257)
        put(Array("00".utf8), at: 263)
        put(prefix, at: 345)
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(octal(checksum, width: 7) + [UInt8(ascii: " ")], at: 148)
        return header + entry.data + [UInt8](repeating: 0, count: (block - entry.data.count % block) % block)
    }

    /// Reads entries one at a time from bytes handed to it as they come.
    struct Reader {
        private var pending: [UInt8] = []
        private var offset = 0
        private var ended = false

        /// The next regular file; nil at the end of the archive. `more`
        /// gives the next bytes of the archive, nil when there are none.
        mutating func next(more: () throws -> [UInt8]?) throws -> Entry? {
            while !ended {
                guard let header = try take(block, more).map(Array.init) else {
                    throw Malformed(description: "the archive ends without its end-of-archive blocks: truncated")
                }
                if header.allSatisfy({ $0 == 0 }) {
                    ended = true
                    return nil
                }
                func field(_ start: Int, _ length: Int) -> [UInt8] { Array(header[start..<start + length].prefix { $0 != 0 }) }
                // Octal digits, padded with spaces or NULs on either side.
                func number(_ start: Int, _ length: Int) throws -> Int {
                    let digits = header[start..<start + length].drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
                    guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x37).contains($0) }) else {
                        throw Malformed(description: "a tar header has a bad number field")
                    }
                    return digits.reduce(0) { $0 * 8 + Int($1 - 0x30) }
                }
                guard field(257, 6) == Array("ustar".utf8) else { throw Malformed(description: "not a ustar archive") }
                var summed = header
                summed.replaceSubrange(148..<156, with: Array("        ".utf8))
                guard try number(148, 8) == summed.reduce(0, { $0 + Int($1) }) else {
                    throw Malformed(description: "a tar header's checksum does not match")
                }
                let size = try number(124, 12)
                let prefix = field(345, 155), name = field(0, 100)
                let path = String(decoding: prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name, as: UTF8.self)
                guard let data = try take((size + block - 1) / block * block, more) else {
                    throw Malformed(description: "\(path) is cut short: the archive is truncated")
                }
                if header[156] == UInt8(ascii: "0") || header[156] == 0 {
                    return Entry(path: path, data: Array(data.prefix(size)))
                }
            }
            return nil
        }

        /// The next `count` bytes, asking for more as needed; nil when the
        /// archive ends first.
        private mutating func take(_ count: Int, _ more: () throws -> [UInt8]?) throws -> ArraySlice<UInt8>? {
            while pending.count - offset < count {
                guard let bytes = try more() else { return nil }
                pending.removeFirst(offset)
                offset = 0
                pending += bytes
            }
            defer { offset += count }
            return pending[offset..<offset + count]
        }
    }
}
