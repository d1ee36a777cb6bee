/// The two layouts kube-apiserver parses times with (metav1.Time: Go's
/// RFC3339; metav1.MicroTime: RFC3339 with six fraction digits), read the way
/// Go's time.Parse reads them, so that a bad time gets Go's own error:
/// `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`.
public enum TimeLayout: String, Sendable {
    case rfc3339 = "2006-01-02T15:04:05Z07:00"
    case rfc3339Micro = "2006-01-02T15:04:05.000000Z07:00"

    private enum Element {
        case literal(String)
        case year, month, day, hour, minute, second
        case fraction(digits: Int)
        case zone

        var layoutText: String {
            switch self {
            case .literal(let text): return text
            case .year: return "2006"
            case .month: return "01"
            case .day: return "02"
            case .hour: return "15"
            case .minute: return "04"
            case .second: return "05"
            case .fraction(let digits): return "." + String(repeating: "0", count: digits)
            case .zone: return "Z07:00"
            }
        }
    }

    private var elements: [Element] {
        var elements: [Element] = [.year, .literal("-"), .month, .literal("-"), .day, .literal("T"), .hour, .literal(":"),
                                   .minute, .literal(":"), .second]
        if self == .rfc3339Micro { elements.append(.fraction(digits: 6)) }
        elements.append(.zone)
        return elements
    }

    /// nil when Go's time.Parse accepts `text` in this layout; its error otherwise.
    public func parseError(_ text: String) -> String? {
        var rest = Substring(text)
        var month = 1, day = 1, year = 0
        func quote(_ text: some StringProtocol) -> String { "\"" + text + "\"" }
        func cannotParse(_ value: Substring, as element: String) -> String {
            "parsing time \(quote(text)) as \(quote(rawValue)): cannot parse \(quote(value)) as \(quote(element))"
        }
        func outOfRange(_ what: String) -> String { "parsing time \(quote(text)): \(what) out of range" }
        /// Go's getnum: one or two digits, exactly two when `fixed`.
        func number(fixed: Bool) -> Int? {
            let digits = rest.prefix(2).prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, !fixed || digits.count == 2 else { return nil }
            rest = rest.dropFirst(digits.count)
            return Int(digits)
        }
        for (position, element) in elements.enumerated() {
            let before = rest
            switch element {
            case .literal(let literal):
                guard rest.hasPrefix(literal) else { return cannotParse(rest, as: literal) }
                rest = rest.dropFirst(literal.count)
            case .year:
                let digits = rest.prefix(4)
                guard digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    return cannotParse(before, as: element.layoutText)
                }
                year = Int(digits)!
                rest = rest.dropFirst(4)
            case .month, .day, .minute, .second:
                guard let value = number(fixed: true) else { return cannotParse(before, as: element.layoutText) }
                switch element {
                case .month:
                    guard (1...12).contains(value) else { return outOfRange("month") }
                    month = value
                case .day: day = value
                case .minute: guard value < 60 else { return outOfRange("minute") }
                default:
                    guard value < 60 else { return outOfRange("second") }
                    // Go reads a fraction after the seconds even when the
                    // layout has none.
                    if case .fraction = elements[position + 1] { break }
                    let fraction = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
                    if (rest.first == "." || rest.first == ","), !fraction.isEmpty { rest = rest.dropFirst(1 + fraction.count) }
                }
            case .hour:
                guard let value = number(fixed: false) else { return cannotParse(before, as: element.layoutText) }
                guard value < 24 else { return outOfRange("hour") }
            case .fraction(let digits):
                let fraction = rest.dropFirst().prefix(digits)
                guard rest.first == "." || rest.first == ",", fraction.count == digits,
                      fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    return cannotParse(before, as: element.layoutText)
                }
                rest = rest.dropFirst(1 + digits)
            case .zone:
                if rest.first == "Z" {
                    rest = rest.dropFirst()
                    break
                }
                let zone = Array(rest.prefix(6))
                guard zone.count == 6, zone[0] == "+" || zone[0] == "-", zone[3] == ":",
                      [zone[1], zone[2], zone[4], zone[5]].allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    return cannotParse(before, as: element.layoutText)
                }
                rest = rest.dropFirst(6)
            }
        }
        if !rest.isEmpty { return "parsing time \(quote(text)): extra text: \(quote(rest))" }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return outOfRange("day") }
        return nil
    }
}
