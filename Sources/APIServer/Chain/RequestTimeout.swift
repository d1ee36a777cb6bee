import APIMachinery
import Hummingbird

/// --request-timeout, as kube-apiserver's timeout filter: past it the
/// request is cancelled and answered 504. Watches are long-running and
/// excepted (their own timeoutSeconds ends them).
struct RequestTimeout: HandlerLink {
    let timeout: Duration

    func handle(_ request: Request, context: APIRequestContext,
                next: @escaping HandlerChain.Next) async throws -> Response {
        if LongRunning.isLongRunning(request) { return try await next(request, context) }
        return try await withThrowingTaskGroup(of: Response?.self) { group in
            group.addTask { try await next(request, context) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let response = try await group.next()! else {
                throw APIError.timeout("Timeout: request did not complete within requested timeout - context deadline exceeded")
            }
            return response
        }
    }
}
