import APIMachinery

/// The HTTP-level errors of kube-apiserver, worded as it words them.
enum APIErrorFactory {
    static let notAcceptable = APIError(
        code: 406, reason: .notAcceptable,
        message: "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf")

    static let notFound = generic(404, .notFound, "the server could not find the requested resource")

    static let methodNotAllowed = generic(405, .methodNotAllowed, "the server does not allow this method on the requested resource")

    /// An error as NewGenericServerResponse makes it (with empty details).
    static func generic(_ code: Int, _ reason: APIError.Reason, _ message: String) -> APIError {
        var error = APIError(code: code, reason: reason, message: message)
        error.alwaysHasDetails = true
        return error
    }

    static func unsupportedMediaType(_ type: String, accepted: [String]) -> APIError {
        APIError(code: 415, reason: .unsupportedMediaType,
                 message: "the body of the request was in an unknown format - accepted media types include: "
                     + accepted.joined(separator: ", "))
    }

    static func tooLarge(limit: Int) -> APIError {
        APIError.requestEntityTooLarge("Request entity too large: limit is \(limit)")
    }

    static let unauthorized = APIError(code: 401, reason: .unauthorized, message: "Unauthorized")
}
