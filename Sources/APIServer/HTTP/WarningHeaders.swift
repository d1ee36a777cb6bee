import Foundation

/// Warning header values as kube-apiserver's warning recorder writes them
/// (k8s.io/apiserver endpoints/filters/warning.go): `299 - "text"`, each text
/// once, and bounded, since a warning may repeat what a client sent (an
/// unknown field's name) and an unbounded header block breaks the
/// connection it travels on. While the texts fit in 4,096 characters in all
/// they go whole; past that every text is cut to 256 characters, and once
/// 4,096 more are written the rest are dropped.
enum WarningHeaders {
    static let totalCharacters = 4 * 1024
    static let itemCharacters = 256

    static func values(_ messages: [String]) -> [String] {
        var seen: Set<String> = []
        var ordered: [String] = []
        var values: [String] = []
        var written = 0
        var truncating = false
        for text in messages where !text.isEmpty {
            if truncating && written >= totalCharacters { break }
            guard seen.insert(text).inserted, isValid(text) else { continue }
            ordered.append(text)
            let item = truncating ? cut(text) : text
            let length = item.unicodeScalars.count
            if written + length <= totalCharacters || truncating {
                values.append(header(item))
                written += length
            } else {
                // Over the total: from now on every text is cut, from the first.
                truncating = true
                values = ordered.map { header(cut($0)) }
                written = ordered.reduce(0) { $0 + cut($1).unicodeScalars.count }
            }
        }
        return values
    }

    private static func cut(_ text: String) -> String {
        text.unicodeScalars.count > itemCharacters ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(itemCharacters))) : text
    }

    /// Control characters cannot travel in a header; upstream drops such a warning.
    private static func isValid(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    private static func header(_ text: String) -> String {
        "299 - \"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
