import APIMachinery
import Hummingbird
import Synchronization

/// kube-apiserver's --max-requests-inflight and
/// --max-mutating-requests-inflight: past either limit a request is answered
/// 429 at once with Retry-After, so that a flood cannot queue without bound.
/// Watches are long-running and not counted, as kube leaves them out.
struct InFlightLimit: HandlerLink {
    /// Requests being served now, of one kind; shared by both ports.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
        init() {}
    }
    /// Reading and mutating requests are limited apart, as kube limits them.
    struct Counters: Sendable {
        let readOnly = Counter()
        let mutating = Counter()
    }

    let maxReadOnly: Int
    let maxMutating: Int
    let counters: Counters

    static let mutatingMethods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    func handle(_ request: Request, context: APIRequestContext,
                next: @escaping HandlerChain.Next) async throws -> Response {
        if LongRunning.isLongRunning(request) { return try await next(request, context) }
        let isMutating = Self.mutatingMethods.contains(request.method)
        let counter = isMutating ? counters.mutating : counters.readOnly
        let limit = isMutating ? maxMutating : maxReadOnly
        // 0 turns a limit off, as it does in kube.
        guard limit > 0 else { return try await next(request, context) }
        if counter.value.wrappingAdd(1, ordering: .relaxed).newValue > limit {
            counter.value.wrappingSubtract(1, ordering: .relaxed)
            throw APIError.tooManyRequests("Too many requests, please try again later.", retryAfterSeconds: 1)
        }
        defer { counter.value.wrappingSubtract(1, ordering: .relaxed) }
        return try await next(request, context)
    }
}

/// kube's long-running check: watches (and, later, proxied streams) live for
/// as long as the client wants and so escape the in-flight limit and the timeout.
enum LongRunning {
    static func isLongRunning(_ request: Request) -> Bool {
        // The query is parsed only when it could name a watch (plainly or
        // percent-encoded): this runs for every request, twice.
        guard !request.uri.path.contains("/watch/") else { return true }
        guard let query = request.uri.query, query.contains("watch") || query.contains("%") else { return false }
        return QueryParameters(request).bool("watch")
    }
}
