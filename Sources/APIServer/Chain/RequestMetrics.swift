import Hummingbird

/// Counts and times every answer under the labels routing learned
/// (apiserver_request_total and _duration_seconds); outermost but for the
/// header check, so that errors from any link are counted.
struct RequestMetrics: HandlerLink {
    let metrics: Metrics

    func handle(_ request: Request, context: APIRequestContext,
                next: @escaping HandlerChain.Next) async throws -> Response {
        let start = ContinuousClock.now
        context.labels.value = Metrics.RequestLabels(method: request.method)
        let response = try await next(request, context)
        return metrics.instrument(response, context.labels.value, since: start)
    }
}
