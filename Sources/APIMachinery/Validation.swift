/// One problem with one field, worded as k8s.io/apimachinery's field.Error so
/// a 422 reads the same as kube-apiserver's.
public struct FieldError: Sendable, Hashable {
    public var type: String
    public var field: String
    public var detail: String

    public init(type: String, field: String, detail: String) {
        self.type = type
        self.field = field
        self.detail = detail
    }

    public static func invalid(_ field: String, _ value: String, _ detail: String) -> FieldError {
        FieldError(type: "FieldValueInvalid", field: field, detail: "Invalid value: \(Self.quote(value)): \(detail)")
    }

    public static func invalidValue(_ field: String, _ value: JSONValue, _ detail: String) -> FieldError {
        let shown = value.stringValue.map(Self.quote) ?? value.jsonString
        return FieldError(type: "FieldValueInvalid", field: field, detail: "Invalid value: \(shown): \(detail)")
    }

    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(type: "FieldValueRequired", field: field, detail: detail.isEmpty ? "Required value" : "Required value: \(detail)")
    }

    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(type: "FieldValueForbidden", field: field, detail: "Forbidden: \(detail)")
    }

    public static func tooLong(_ field: String, _ maximum: Int) -> FieldError {
        FieldError(type: "FieldValueTooLong", field: field, detail: "Too long: must have at most \(maximum) bytes")
    }

    public static func notSupported(_ field: String, _ value: String, _ supported: [String]) -> FieldError {
        FieldError(type: "FieldValueNotSupported", field: field,
                   detail: "Unsupported value: \(Self.quote(value)): supported values: "
                       + supported.map(Self.quote).joined(separator: ", "))
    }

    public static func duplicate(_ field: String, _ value: String) -> FieldError {
        FieldError(type: "FieldValueDuplicate", field: field, detail: "Duplicate value: \(Self.quote(value))")
    }

    public static func tooMany(_ field: String, _ count: Int, _ maximum: Int) -> FieldError {
        FieldError(type: "FieldValueTooMany", field: field, detail: "Too many: \(count): must have at most \(maximum) items")
    }

    public var cause: APIError.Cause { APIError.Cause(type: type, message: detail, field: field) }

    /// A string as Go's %q shows it in a message.
    public static func quote(_ text: String) -> String { JSONValue.string(text).jsonString }
}

extension APIError {
    /// 422 Invalid for a kind's field errors.
    public static func invalid(_ kind: String, group: String = "", _ name: String, errors: [FieldError]) -> APIError {
        invalid(kind, group: group, name, errors.map(\.cause))
    }
}

/// The name and label rules of k8s.io/apimachinery/pkg/util/validation. Each
/// returns nil when the text is valid, else the problem in Kubernetes' words.
public enum Validation {
    static let subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let dns1035Message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    static let labelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    static let qualifiedNameMessage = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let configKeyMessage = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"

    private static func isLowerAlnum(_ byte: UInt8) -> Bool { (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) }
    private static func isAlnum(_ byte: UInt8) -> Bool { isLowerAlnum(byte) || (byte >= 65 && byte <= 90) }

    private static func isDNSLabel(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == 45 }
    }

    public static func dns1123SubdomainProblem(_ text: String) -> String? {
        if text.utf8.count > 253 { return "must be no more than 253 characters" }
        let bytes = Array(text.utf8)
        let labels = bytes.split(separator: 46, omittingEmptySubsequences: false)
        return labels.allSatisfy(isDNSLabel) ? nil : subdomainMessage
    }

    public static func dns1123LabelProblem(_ text: String) -> String? {
        if text.utf8.count > 63 { return "must be no more than 63 characters" }
        return isDNSLabel(ArraySlice(text.utf8)) ? nil : labelMessage
    }

    public static func dns1035LabelProblem(_ text: String) -> String? {
        if text.utf8.count > 63 { return "must be no more than 63 characters" }
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first >= 97 && first <= 122, isDNSLabel(ArraySlice(bytes)) else { return dns1035Message }
        return nil
    }

    public static func labelValueProblem(_ text: String) -> String? {
        if text.isEmpty { return nil }
        if text.utf8.count > 63 { return "must be no more than 63 characters" }
        return isQualifiedNamePart(Array(text.utf8)) ? nil : labelValueMessage
    }

    private static func isQualifiedNamePart(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    /// A label or annotation key: an optional DNS subdomain prefix and a
    /// slash, then a name of at most 63 characters.
    public static func qualifiedNameProblem(_ text: String) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1: name = parts[0]
        case 2:
            if parts[0].isEmpty { return "prefix part must be non-empty" }
            if let problem = dns1123SubdomainProblem(String(parts[0])) { return "prefix part \(problem)" }
            name = parts[1]
        default:
            return "a qualified name " + qualifiedNameMessage.dropFirst("name part ".count)
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        }
        if name.isEmpty { return "name part must be non-empty" }
        if name.utf8.count > 63 { return "name part must be no more than 63 characters" }
        return isQualifiedNamePart(Array(name.utf8)) ? nil : qualifiedNameMessage
    }

    public static func configKeyProblem(_ text: String) -> String? {
        if text.utf8.count > 253 { return "must be no more than 253 characters" }
        if text == "." || text == ".." { return "must not be '\(text)'" }
        if text.hasPrefix("..") { return "must not start with '..'" }
        let valid = !text.isEmpty && text.utf8.allSatisfy { isAlnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
        return valid ? nil : configKeyMessage
    }

    /// Labels: each key a qualified name, each value a label value.
    public static func labels(_ labels: [String: String], field: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            if let problem = qualifiedNameProblem(key) { errors.append(.invalid(field, key, problem)) }
            if let problem = labelValueProblem(value) { errors.append(.invalid("\(field)[\(key)]", value, problem)) }
        }
        return errors
    }

    public static let totalAnnotationSizeLimit = 256 * 1024

    public static func annotations(_ annotations: [String: String], field: String) -> [FieldError] {
        var errors: [FieldError] = []
        var total = 0
        for (key, value) in annotations.sorted(by: { $0.key < $1.key }) {
            if let problem = qualifiedNameProblem(key.lowercased()) { errors.append(.invalid(field, key, problem)) }
            total += key.utf8.count + value.utf8.count
        }
        if total > totalAnnotationSizeLimit { errors.append(.tooLong(field, totalAnnotationSizeLimit)) }
        return errors
    }
}
