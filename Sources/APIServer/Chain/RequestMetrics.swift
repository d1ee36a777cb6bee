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
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            Self.logIfSlow(request, context, since: start, outcome: "\(error)")
            throw error
        }
        Self.logIfSlow(request, context, since: start, outcome: "\(response.status.code)")
        return metrics.instrument(response, context.labels.value, since: start)
    }

    /// An answer (but a watch's) slower than this is logged, as
    /// kube-apiserver traces slow requests.
    static let slow: Duration = .seconds(5)

    private static func logIfSlow(_ request: Request, _ context: APIRequestContext, since start: ContinuousClock.Instant,
                                  outcome: String) {
        let duration = ContinuousClock.now - start
        // Routing has named the verb by now; a watch is meant to last.
        guard duration > slow, context.labels.value.verb != "WATCH" else { return }
        context.logger.warning("slow request", metadata: [
            "method": "\(request.method)", "path": "\(request.uri.path)", "answer": "\(outcome)", "seconds": "\(duration)",
        ])
    }
}
