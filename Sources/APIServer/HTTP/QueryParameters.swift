import APIMachinery
import Foundation
import Hummingbird
import Registry
import Storage

/// The query parameters of a Kubernetes API request, parsed and checked.
struct QueryParameters: Sendable {
    private let values: [String: [String]]

    init(_ request: Request) {
        self.init(query: request.uri.query ?? "")
    }

    /// The query as Go's url.ParseQuery reads it, as client-go and kubectl
    /// encode it (application/x-www-form-urlencoded): "+" is a space, and a
    /// pair with a bad escape is skipped, as Go's Request.URL.Query() skips it.
    init(query: String) {
        func decode(_ text: Substring) -> String? {
            String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        var values: [String: [String]] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else { continue }
            values[key, default: []].append(value)
        }
        self.values = values
    }

    subscript(_ name: String) -> String? { values[name]?.first }

    func bool(_ name: String) -> Bool {
        guard let value = self[name] else { return false }
        return value == "true" || value == "1" || value.isEmpty
    }

    /// Pretty JSON for ?pretty=true, or by default for curl and browsers.
    func pretty(userAgent: String?) -> Bool {
        if let value = self["pretty"] { return value == "true" || value == "1" }
        let agent = userAgent ?? ""
        return agent.hasPrefix("curl") || agent.hasPrefix("Wget") || agent.hasPrefix("Mozilla/5.0")
    }

    func dryRun() throws -> Bool { try Self.dryRun(values["dryRun"] ?? []) }

    static func dryRun(_ values: [String]) throws -> Bool {
        for value in values where value != "All" {
            throw APIError.badRequest("Invalid dryRun value \"\(value)\": supported values: \"All\"")
        }
        return !values.isEmpty
    }

    enum FieldValidation: String {
        case ignore = "Ignore", warn = "Warn", strict = "Strict"
    }

    /// What to do with unknown fields in a written object; Warn by default,
    /// as since Kubernetes 1.25. `options` names the kind of options the
    /// verb takes (CreateOptions, ...) for the error.
    func fieldValidation(options: String) throws -> FieldValidation {
        let value = self["fieldValidation"] ?? ""
        if value.isEmpty { return .warn }
        guard let parsed = FieldValidation(rawValue: value) else {
            throw APIError.invalid(options, group: "meta.k8s.io", "", errors: [
                FieldError.notSupported("fieldValidation", value, ["", "Ignore", "Strict", "Warn"]),
            ])
        }
        return parsed
    }

    var includeObject: ObjectShapes.IncludeObject {
        self["includeObject"].flatMap(ObjectShapes.IncludeObject.init(rawValue:)) ?? .metadata
    }

    func listQuery() throws -> ListQuery {
        var options = ListOptions()
        options.resourceVersion = self["resourceVersion"] ?? ""
        if let match = self["resourceVersionMatch"], !match.isEmpty {
            guard let parsed = ResourceVersionMatch(rawValue: match) else {
                throw APIError.invalid("ListOptions", group: "meta.k8s.io", "", errors: [
                    FieldError.notSupported("resourceVersionMatch", match, ["Exact", "NotOlderThan"]),
                ])
            }
            options.resourceVersionMatch = parsed
        }
        if let limit = self["limit"], !limit.isEmpty {
            guard let value = Int64(limit) else { throw APIError.badRequest("invalid limit \"\(limit)\": not an integer") }
            options.limit = value
        }
        options.continueToken = self["continue"] ?? ""
        if let value = self["sendInitialEvents"] {
            options.sendInitialEvents = try Self.goBool(value)
        }
        return ListQuery(labelSelector: try LabelSelector(parsing: self["labelSelector"] ?? ""),
                         fieldSelector: try FieldSelector(parsing: self["fieldSelector"] ?? ""),
                         listOptions: options)
    }

    /// A boolean query parameter as Go's strconv.ParseBool reads it; 400 otherwise.
    static func goBool(_ value: String) throws -> Bool {
        switch value {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: throw APIError.badRequest("strconv.ParseBool: parsing \"\(value)\": invalid syntax")
        }
    }

    func timeoutSeconds() throws -> Int64? {
        guard let text = self["timeoutSeconds"], !text.isEmpty else { return nil }
        guard let value = Int64(text), value >= 0 else { throw APIError.badRequest("invalid timeoutSeconds \"\(text)\"") }
        return value
    }
}

/// Reads a request body up to the --max-request-bytes limit (413 beyond it).
/// A body that ends before its Content-Length (the client closed its side, an
/// HTTP/2 stream ended early) or runs past it is 400 for this request alone,
/// as Go's "unexpected EOF".
enum RequestBodyReader {
    static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        if let declared, declared > limit {
            throw APIErrorFactory.tooLarge(limit: limit)
        }
        var bytes: [UInt8] = []
        do {
            for try await buffer in request.body {
                guard bytes.count + buffer.readableBytes <= limit else { throw APIErrorFactory.tooLarge(limit: limit) }
                bytes.append(contentsOf: buffer.readableBytesView)
            }
        } catch let error where error is APIError || error is CancellationError {
            throw error
        } catch {
            // The HTTP/1 parser's end of input inside the body.
            throw APIError.badRequest("unexpected EOF")
        }
        if let declared, declared != bytes.count {
            throw APIError.badRequest(declared > bytes.count ? "unexpected EOF" : "http: request body larger than its Content-Length")
        }
        return bytes
    }
}
