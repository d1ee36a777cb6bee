import APIMachinery
@testable import APIServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The chain's own links, in front of a handler that holds each request
/// until the test lets it go, so that requests are really in flight.
@Suite struct HandlerChainTests {
    /// Parks every request until `release`; counts how many arrived.
    final class Gate: HTTPResponder, Sendable {
        typealias Context = APIRequestContext
        let arrived = AsyncStream<Void>.makeStream()
        let released = AsyncStream<Void>.makeStream()

        func respond(to request: Request, context: APIRequestContext) async throws -> Response {
            arrived.continuation.yield()
            for await _ in released.stream { break }
            try Task.checkCancellation()
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "done")))
        }

        func release() { released.continuation.yield() }
    }

    static func chain(_ links: [any HandlerLink], _ handler: Gate) -> Application<HandlerChain> {
        Application(responder: HandlerChain([StatusErrors(logger: Logger(label: "test"))] + links, handler: handler))
    }

    @Test func requestsPastTheInFlightLimitGet429WithRetryAfter() async throws {
        let gate = Gate()
        let limit = InFlightLimit(maxReadOnly: 1, maxMutating: 1, counters: .init())
        try await Self.chain([limit], gate).test(.router) { client in
            var arrivals = gate.arrived.stream.makeAsyncIterator()
            async let first = client.execute(uri: "/api/v1/configmaps", method: .get)
            _ = await arrivals.next()
            // A second read while the first is held: refused at once, as kube refuses it.
            let refused = try await client.execute(uri: "/api/v1/configmaps", method: .get)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "1")
            let status = try JSONValue.parse(Array(refused.body.readableBytesView))
            #expect(status["reason"] == "TooManyRequests")
            #expect(status["message"] == "Too many requests, please try again later.")
            #expect(status["details"]?["retryAfterSeconds"] == 1)
            // Mutating requests have a limit of their own, and watches none.
            async let write = client.execute(uri: "/api/v1/namespaces/default/configmaps", method: .post)
            _ = await arrivals.next()
            async let watch = client.execute(uri: "/api/v1/configmaps?watch=1", method: .get)
            _ = await arrivals.next()
            for _ in 0..<3 { gate.release() }
            #expect(try await first.status == .ok)
            #expect(try await write.status == .ok)
            #expect(try await watch.status == .ok)
            // Once the held request is done, the next one is served.
            async let again = client.execute(uri: "/api/v1/configmaps", method: .get)
            _ = await arrivals.next()
            gate.release()
            #expect(try await again.status == .ok)
        }
    }

    @Test func aRequestPastTheTimeoutGets504ButAWatchDoesNot() async throws {
        let gate = Gate()
        try await Self.chain([RequestTimeout(timeout: .milliseconds(200))], gate).test(.router) { client in
            let reply = try await client.execute(uri: "/api/v1/configmaps", method: .get)
            #expect(reply.status == .gatewayTimeout)
            let status = try JSONValue.parse(Array(reply.body.readableBytesView))
            #expect(status["reason"] == "Timeout")
            #expect(status["message"] == "Timeout: request did not complete within requested timeout - context deadline exceeded")
            // A watch is long-running: held past the timeout, it still ends as its handler says.
            var arrivals = gate.arrived.stream.makeAsyncIterator()
            _ = await arrivals.next()
            async let watch = client.execute(uri: "/api/v1/configmaps?watch=true", method: .get)
            _ = await arrivals.next()
            try await Task.sleep(for: .milliseconds(400))
            gate.release()
            #expect(try await watch.status == .ok)
        }
    }
}
