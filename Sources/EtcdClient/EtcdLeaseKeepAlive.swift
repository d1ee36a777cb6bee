import CEtcd

/// A LeaseKeepAlive stream: each `keepAlive(_:)` refreshes a lease, and each
/// answer arrives, in order, as an element of the sequence.
public struct EtcdLeaseKeepAlive: AsyncSequence, Sendable {
    public typealias Element = LeaseKeepAliveResponse
    public typealias AsyncIterator = AsyncThrowingStream<LeaseKeepAliveResponse, Error>.AsyncIterator

    private let responses: AsyncThrowingStream<LeaseKeepAliveResponse, Error>
    private let call: StreamCall

    init(client: EtcdClient) throws {
        let (responses, continuation) = AsyncThrowingStream<LeaseKeepAliveResponse, Error>.makeStream()
        call = try StreamCall.open(
            client, CETCD_LEASE_KEEP_ALIVE,
            onMessage: { message in
                continuation.yield(LeaseKeepAliveResponse(
                    UnsafeMutableRawPointer(message).assumingMemoryBound(to: Etcdserverpb__LeaseKeepAliveResponse.self)))
            },
            onClose: { error in continuation.finish(throwing: error) })
        let call = self.call
        continuation.onTermination = { _ in call.cancel() }
        self.responses = responses
    }

    /// Refreshes lease `id`; false when the stream has ended.
    @discardableResult
    public func keepAlive(_ id: Int64) -> Bool {
        call.send { arena in
            let message = arena.message(etcdserverpb__lease_keep_alive_request__init)
            message.pointee.id = id
            return message
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { responses.makeAsyncIterator() }

    public func cancel() { call.cancel() }
}

extension EtcdClient {
    /// Opens a keep-alive stream for refreshing leases repeatedly.
    public func leaseKeepAlive() throws -> EtcdLeaseKeepAlive {
        try EtcdLeaseKeepAlive(client: self)
    }

    /// Refreshes a lease once and returns its new TTL (0 or less: it is gone).
    public func leaseKeepAliveOnce(id: Int64) async throws -> LeaseKeepAliveResponse {
        let stream = try leaseKeepAlive()
        defer { stream.cancel() }
        stream.keepAlive(id)
        for try await response in stream { return response }
        throw EtcdError(code: .unavailable, message: "the keep-alive stream ended without an answer")
    }
}
