/// Base64 as Go's encoding/base64 StdEncoding reads it, which is how
/// kube-apiserver decodes a []byte field (Secret data, ConfigMap binaryData).
/// Only the verdict matters here: the value is stored as the text it came in.
public enum Base64Check {
    /// nil for valid base64; otherwise Go's error, "illegal base64 data at
    /// input byte N", with N where Go's decoder stops (CorruptInputError).
    public static func error(_ text: String) -> String? {
        corruptOffset(Array(text.utf8)).map { "illegal base64 data at input byte \($0)" }
    }

    /// Go's decodeQuantum loop over the whole input: padding is required,
    /// CR and LF are skipped anywhere, anything after the padding is garbage.
    static func corruptOffset(_ source: [UInt8]) -> Int? {
        var index = 0
        while index < source.count {
            var digits = 0
            while digits < 4 {
                if index == source.count {
                    // Go's StdEncoding pads, so a short final quantum is corrupt.
                    return digits == 0 ? nil : index - digits
                }
                let byte = source[index]
                index += 1
                if isAlphabet(byte) {
                    digits += 1
                    continue
                }
                if byte == 0x0A || byte == 0x0D { continue }
                guard byte == UInt8(ascii: "=") else { return index - 1 }
                switch digits {
                case 0, 1: return index - 1
                case 2:
                    // "==" is expected; the first "=" is read.
                    while index < source.count && (source[index] == 0x0A || source[index] == 0x0D) { index += 1 }
                    if index == source.count { return source.count }
                    guard source[index] == UInt8(ascii: "=") else { return index - 1 }
                    index += 1
                default: break
                }
                while index < source.count && (source[index] == 0x0A || source[index] == 0x0D) { index += 1 }
                return index < source.count ? index : nil
            }
        }
        return nil
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }
}
