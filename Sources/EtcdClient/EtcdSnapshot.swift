import CEtcd

/// etcd's Maintenance Snapshot: the member's whole database as a sequence of
/// chunks, in order. Concatenated, the chunks are a file `etcdutl snapshot
/// restore` accepts.
public struct EtcdSnapshot: AsyncSequence, Sendable {
    public typealias Element = SnapshotChunk
    public typealias AsyncIterator = AsyncThrowingStream<SnapshotChunk, Error>.AsyncIterator

    private let chunks: AsyncThrowingStream<SnapshotChunk, Error>

    init(client: EtcdClient, timeout: Duration?) throws {
        let (chunks, continuation) = AsyncThrowingStream<SnapshotChunk, Error>.makeStream()
        let call = try StreamCall.open(
            client, CETCD_MAINTENANCE_SNAPSHOT, timeout: timeout,
            onMessage: { message in
                let m = UnsafeMutableRawPointer(message).assumingMemoryBound(to: Etcdserverpb__SnapshotResponse.self).pointee
                continuation.yield(SnapshotChunk(bytes: decodeBytes(m.blob), remainingBytes: m.remaining_bytes,
                                                 revision: ResponseHeader(m.header).revision))
            },
            onClose: { error in continuation.finish(throwing: error) })
        continuation.onTermination = { _ in call.cancel() }
        call.send { $0.message(etcdserverpb__snapshot_request__init) }
        call.closeSend()
        self.chunks = chunks
    }

    public func makeAsyncIterator() -> AsyncIterator { chunks.makeAsyncIterator() }
}

extension EtcdClient {
    /// Streams a snapshot of the current member. `timeout` bounds the whole
    /// transfer (none by default: a large database takes a while).
    public func snapshot(timeout: Duration? = nil) throws -> EtcdSnapshot {
        try EtcdSnapshot(client: self, timeout: timeout)
    }
}
