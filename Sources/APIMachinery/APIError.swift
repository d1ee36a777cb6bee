/// The one error type that reaches a client: a meta/v1 Status with the reason
/// and HTTP code Kubernetes uses for the same condition. Every layer throws it
/// (or has its errors mapped into it) so the API layer only has to encode it.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// metav1.StatusReason values.
    public enum Reason: String, Sendable {
        case unknown = ""
        case unauthorized = "Unauthorized"
        case forbidden = "Forbidden"
        case notFound = "NotFound"
        case alreadyExists = "AlreadyExists"
        case conflict = "Conflict"
        case gone = "Gone"
        case invalid = "Invalid"
        case serverTimeout = "ServerTimeout"
        case timeout = "Timeout"
        case tooManyRequests = "TooManyRequests"
        case badRequest = "BadRequest"
        case methodNotAllowed = "MethodNotAllowed"
        case notAcceptable = "NotAcceptable"
        case requestEntityTooLarge = "RequestEntityTooLarge"
        case unsupportedMediaType = "UnsupportedMediaType"
        case internalError = "InternalError"
        case expired = "Expired"
        case serviceUnavailable = "ServiceUnavailable"
    }

    /// A metav1.StatusCause.
    public struct Cause: Sendable, Hashable {
        public var type: String
        public var message: String
        public var field: String
        public init(type: String, message: String, field: String = "") {
            self.type = type
            self.message = message
            self.field = field
        }
    }

    public var code: Int
    public var reason: Reason
    public var message: String
    /// metav1.StatusDetails: what the error is about.
    public var name: String = ""
    public var group: String = ""
    public var kind: String = ""
    public var causes: [Cause] = []
    public var retryAfterSeconds: Int = 0
    /// ListMeta.continue of the Status: for an expired continue token, a token
    /// that goes on with the rest of the list at the newest revision.
    public var continueToken: String = ""
    /// Whether the Status carries `details` even when they are empty, as
    /// k8s.io/apimachinery's NewGenericServerResponse errors do.
    public var alwaysHasDetails = false

    public init(code: Int, reason: Reason, message: String) {
        self.code = code
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(code) \(reason.rawValue): \(message)" }

    /// `"configmaps"` or `"deployments.apps"`, as Kubernetes names a resource in messages.
    static func qualified(_ resource: GroupResource) -> String { resource.description }

    // MARK: The errors of k8s.io/apimachinery/pkg/api/errors, same texts.

    public static func notFound(_ resource: GroupResource, _ name: String) -> APIError {
        var error = APIError(code: 404, reason: .notFound, message: "\(qualified(resource)) \"\(name)\" not found")
        error.details(resource, name)
        return error
    }

    public static func alreadyExists(_ resource: GroupResource, _ name: String) -> APIError {
        var error = APIError(code: 409, reason: .alreadyExists, message: "\(qualified(resource)) \"\(name)\" already exists")
        error.details(resource, name)
        return error
    }

    public static func conflict(_ resource: GroupResource, _ name: String, _ why: String) -> APIError {
        var error = APIError(code: 409, reason: .conflict,
                             message: "Operation cannot be fulfilled on \(qualified(resource)) \"\(name)\": \(why)")
        error.details(resource, name)
        return error
    }

    /// The registry's wording when an update carries a stale resourceVersion.
    public static let optimisticLockMessage =
        "the object has been modified; please apply your changes to the latest version and try again"

    public static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: .expired, message: message)
    }

    public static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: .gone, message: message)
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: .badRequest, message: message)
    }

    /// kube-apiserver's 400 for a body it could not decode far enough to know
    /// its kind: the problem, then the body's start (summarizeData: up to 30
    /// bytes, as text when it looks like JSON, else in hex).
    public static func unrecognized(expectedKind: String, _ problem: String, body: [UInt8]) -> APIError {
        let summary: String
        if body.isEmpty {
            summary = "<empty>"
        } else if body[0] == UInt8(ascii: "{") {
            summary = String(decoding: body.prefix(30), as: UTF8.self) + (body.count > 30 ? " ..." : "")
        } else {
            summary = body.prefix(30).hex + (body.count > 30 ? " ..." : "")
        }
        return badRequest("the object provided is unrecognized (must be of type \(expectedKind)): \(problem) (\(summary))")
    }

    public static func invalid(_ kind: String, group: String = "", _ name: String, _ causes: [Cause]) -> APIError {
        let list = causes.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }
        let joined = list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]"
        var error = APIError(code: 422, reason: .invalid,
                             message: "\(kind)\(group.isEmpty ? "" : "." + group) \"\(name)\" is invalid: \(joined)")
        error.kind = kind
        error.group = group
        error.name = name
        error.causes = causes
        return error
    }

    public static func internalError(_ message: String) -> APIError {
        var error = APIError(code: 500, reason: .internalError, message: "Internal error occurred: \(message)")
        error.causes = [Cause(type: "", message: message)]
        return error
    }

    /// 504: the server could not finish in time (etcd deadline, future resourceVersion).
    public static func timeout(_ message: String, retryAfterSeconds: Int = 0) -> APIError {
        var error = APIError(code: 504, reason: .timeout, message: message)
        error.retryAfterSeconds = retryAfterSeconds
        return error
    }

    /// 429: the server is at its limit of requests in flight; try again after a while.
    public static func tooManyRequests(_ message: String, retryAfterSeconds: Int) -> APIError {
        var error = APIError(code: 429, reason: .tooManyRequests, message: message)
        error.retryAfterSeconds = retryAfterSeconds
        return error
    }

    public static func serviceUnavailable(_ message: String) -> APIError {
        APIError(code: 503, reason: .serviceUnavailable, message: message)
    }

    public static func requestEntityTooLarge(_ message: String) -> APIError {
        APIError(code: 413, reason: .requestEntityTooLarge, message: message)
    }

    private mutating func details(_ resource: GroupResource, _ name: String) {
        self.name = name
        self.group = resource.group
        self.kind = resource.resource
    }

    /// The meta/v1 Status object a client receives.
    public var status: JSONValue {
        var metadata = JSONObject()
        if !continueToken.isEmpty { metadata["continue"] = .string(continueToken) }
        var status: JSONObject = [
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": .object(metadata),
            "status": "Failure",
            "message": .string(message),
        ]
        if reason != .unknown { status["reason"] = .string(reason.rawValue) }
        var details = JSONObject()
        if !name.isEmpty { details["name"] = .string(name) }
        if !group.isEmpty { details["group"] = .string(group) }
        if !kind.isEmpty { details["kind"] = .string(kind) }
        if !causes.isEmpty {
            details["causes"] = .array(causes.map { cause in
                var object = JSONObject()
                if !cause.type.isEmpty { object["reason"] = .string(cause.type) }
                if !cause.message.isEmpty { object["message"] = .string(cause.message) }
                if !cause.field.isEmpty { object["field"] = .string(cause.field) }
                return .object(object)
            })
        }
        if retryAfterSeconds > 0 { details["retryAfterSeconds"] = .int(Int64(retryAfterSeconds)) }
        if !details.isEmpty || alwaysHasDetails { status["details"] = .object(details) }
        status["code"] = .int(Int64(code))
        return .object(status)
    }
}

extension APIError {
    /// 403 Forbidden for `name` of `resource`, with the reason Kubernetes gives.
    public static func forbidden(_ resource: GroupResource, _ name: String, _ why: String,
                                 cause: Cause? = nil) -> APIError {
        var error = APIError(code: 403, reason: .forbidden,
                             message: "\(qualified(resource)) \"\(name)\" is forbidden: \(why)")
        error.name = name
        error.group = resource.group
        error.kind = resource.resource
        if let cause { error.causes = [cause] }
        return error
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex, two digits a byte (Go's hex.EncodeToString).
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}
