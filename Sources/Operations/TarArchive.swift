/// The ustar tar format (POSIX.1-1988), as much of it as logical backups need:
/// regular files with a path of at most 255 bytes, written and read whole.
/// Archives are what `tar -xzf` unpacks once gunzipped.
enum TarArchive {
    struct Entry: Equatable {
        var path: String
        var data: [UInt8]
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static let block = 512

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

    static func write(_ entries: [Entry], modified: Int) -> [UInt8] {
        var out: [UInt8] = []
        for entry in entries {
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
            out += header
            out += entry.data
            out += [UInt8](repeating: 0, count: (block - entry.data.count % block) % block)
        }
        return out + [UInt8](repeating: 0, count: 2 * block)
    }

    static func read(_ bytes: [UInt8]) throws -> [Entry] {
        var entries: [Entry] = []
        var offset = 0
        while offset + block <= bytes.count {
            let header = Array(bytes[offset..<offset + block])
            if header.allSatisfy({ $0 == 0 }) { return entries }
            func field(_ start: Int, _ length: Int) -> [UInt8] { Array(header[start..<start + length].prefix { $0 != 0 }) }
            func number(_ start: Int, _ length: Int) throws -> Int {
                let text = String(decoding: field(start, length), as: UTF8.self).trimmingSpaces
                guard let value = Int(text, radix: 8) else { throw Malformed(description: "a tar header has a bad number field") }
                return value
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
            let start = offset + block
            guard start + size <= bytes.count else { throw Malformed(description: "\(path) is cut short: the archive is truncated") }
            if header[156] == UInt8(ascii: "0") || header[156] == 0 {
                entries.append(Entry(path: path, data: Array(bytes[start..<start + size])))
            }
            offset = start + (size + block - 1) / block * block
        }
        throw Malformed(description: "the archive ends without its end-of-archive blocks: truncated")
    }
}

extension String {
    var trimmingSpaces: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
