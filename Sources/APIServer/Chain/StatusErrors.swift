import APIMachinery
import Hummingbird
import Logging

/// Turns an error from any link inside into the meta/v1 Status a client
/// expects; an error that is not an APIError is logged and answered 500.
struct StatusErrors: HandlerLink {
    let logger: Logger

    func handle(_ request: Request, context: APIRequestContext,
                next: @escaping HandlerChain.Next) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.response(error, request)
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return Self.response(APIError.internalError("\(error)"), request)
        }
    }

    /// The error's Status in protobuf when the client asks for that first
    /// and `protobuf` allows it (not for a kind without a protobuf form),
    /// else JSON; a 406 is JSON, as kube falls back when nothing it may
    /// write is acceptable.
    static func response(_ error: APIError, _ request: Request, protobuf: Bool = true) -> Response {
        let pretty = QueryParameters(request).pretty(userAgent: request.headers[.userAgent])
        var format = ResponseFormat.forStatus(accept: request.headers[.accept], pretty: pretty)
        if !protobuf || error.code == 406 { format.serialization = .json }
        var response = Response.encoded(error.status, format,
                                        status: HTTPResponse.Status(code: error.code))
        response.headers[.cacheControl] = "no-cache, private"
        if error.retryAfterSeconds > 0 { response.headers[.retryAfter] = String(error.retryAfterSeconds) }
        return response
    }
}
