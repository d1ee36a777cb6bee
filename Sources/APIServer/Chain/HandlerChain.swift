import Hummingbird

/// One link of the handler chain: it may answer itself or hand the request
/// (and its context, perhaps changed) to `next`. Like a Hummingbird
/// middleware, but `next` may outlive the call's frame (the timeout runs it
/// in a child task).
protocol HandlerLink: Sendable {
    func handle(_ request: Request, context: APIRequestContext,
                next: @escaping HandlerChain.Next) async throws -> Response
}

/// The request path as kube-apiserver builds it (DefaultBuildHandlerChain):
/// links run outside in, each with one job, and the last hands the request
/// to the local API. Built once per port; every request walks the same links.
struct HandlerChain: HTTPResponder {
    typealias Context = APIRequestContext
    typealias Next = @Sendable (Request, APIRequestContext) async throws -> Response

    private let first: Next

    init(_ links: [any HandlerLink], handler: some HTTPResponder<APIRequestContext>) {
        var next: Next = handler.respond(to:context:)
        for link in links.reversed() {
            let inner = next
            next = { request, context in try await link.handle(request, context: context, next: inner) }
        }
        first = next
    }

    func respond(to request: Request, context: APIRequestContext) async throws -> Response {
        try await first(request, context)
    }
}
