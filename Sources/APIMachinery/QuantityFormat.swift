import Foundation

/// resource.Quantity's text form as kube-apiserver's ParseQuantity checks
/// it: a signed decimal number, then a binary suffix (Ki … Ei), a decimal
/// one (n u m "" k M G T P E) or an exponent (e3, E-2).
public enum QuantityFormat {
    static let formatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    static let suffixes: Set<Substring> = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"]

    /// nil for a valid quantity; kube's error otherwise.
    public static func error(_ text: String) -> String? {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
        let number = rest.prefix { $0 == "." || ($0.isASCII && $0.isNumber) }
        rest = rest.dropFirst(number.count)
        let suffix = rest.prefix { "eEinumkKMGTP".contains($0) }
        let exponent = rest.dropFirst(suffix.count)
        let exponentDigits = exponent.first == "+" || exponent.first == "-" ? exponent.dropFirst() : exponent
        guard !number.isEmpty, exponentDigits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return formatWrong }
        // At most one point, and a digit somewhere.
        guard number.filter({ $0 == "." }).count <= 1, number.contains(where: \.isNumber) else {
            return "unable to parse numeric part of quantity"
        }
        let whole = rest
        if suffixes.contains(whole) { return nil }
        // An exponent: "e" or "E", then a signed integer.
        if let first = whole.first, first == "e" || first == "E", whole.count > 1 {
            let power = whole.dropFirst()
            let digits = power.first == "+" || power.first == "-" ? power.dropFirst() : power
            if !digits.isEmpty && digits.allSatisfy({ $0.isASCII && $0.isNumber }) { return nil }
        }
        return "unable to parse quantity's suffix"
    }
}
