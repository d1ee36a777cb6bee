import APIMachinery
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The string formats kube-openapi checks in custom resources (its strfmt
/// registry); a value that is not of its format is "must be of type
/// <format>". Formats it does not know pass, as in kube.
enum SchemaFormat {
    /// nil when `text` is of `format` (or the format is not checked).
    static func problem(_ text: String, _ format: String) -> String? {
        valid(text, format) ? nil : format
    }

    private static func valid(_ text: String, _ format: String) -> Bool {
        switch format {
        case "date-time", "datetime": return Timestamp.parse(text) != nil || ISO8601DateFormatter().date(from: text) != nil
        case "date": return isDate(text)
        case "uuid": return matches(uuid, text)
        case "uuid3", "uuid4", "uuid5": return matches(uuid, text) && Array(text)[14] == format.last
        case "byte": return Data(base64Encoded: text) != nil
        case "ipv4": return isAddress(text, family: AF_INET)
        case "ipv6": return isAddress(text, family: AF_INET6)
        case "cidr":
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let bits = Int(parts[1]), bits >= 0 else { return false }
            if isAddress(String(parts[0]), family: AF_INET) { return bits <= 32 }
            return isAddress(String(parts[0]), family: AF_INET6) && bits <= 128
        case "hostname": return text.utf8.count <= 253 && matches(hostname, text)
        case "email": return matches(email, text)
        case "uri": return URLComponents(string: text)?.scheme?.isEmpty == false
        case "mac": return matches(mac, text)
        case "hexcolor": return matches(hexColor, text)
        case "rgbcolor": return matches(rgbColor, text)
        case "bsonobjectid": return matches(objectID, text)
        case "duration": return matches(duration, text)
        case "ssn": return matches(ssn, text)
        case "isbn10": return matches(isbn10, text)
        case "isbn13": return matches(isbn13, text)
        case "isbn": return matches(isbn10, text) || matches(isbn13, text)
        case "creditcard": return matches(creditCard, text)
        default: return true
        }
    }

    private static func regex(_ pattern: String) -> NSRegularExpression {
        try! NSRegularExpression(pattern: "^(?:" + pattern + ")$")
    }

    private static let uuid = regex("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    private static let hostname = regex("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
    private static let email = regex("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")
    private static let mac = regex("([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}")
    private static let hexColor = regex("#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")
    private static let rgbColor = regex("rgb\\(\\s*\\d{1,3}%?\\s*,\\s*\\d{1,3}%?\\s*,\\s*\\d{1,3}%?\\s*\\)")
    private static let objectID = regex("[0-9A-Fa-f]{24}")
    private static let duration = regex("(\\d+(\\.\\d+)?\\s*(ns|us|µs|ms|s|m|h|d|w)\\s*)+")
    private static let ssn = regex("\\d{3}[- ]?\\d{2}[- ]?\\d{4}")
    private static let isbn10 = regex("[0-9]{9}[0-9X]")
    private static let isbn13 = regex("97[89][0-9]{10}")
    private static let creditCard = regex("[0-9]{13,19}")

    private static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    private static func isAddress(_ text: String, family: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(family, text, &buffer) == 1
    }
}
