import CEtcd
import Synchronization

/// A watch on a key or a range, as an AsyncSequence of responses in revision
/// order. Each watch has its own gRPC stream.
///
/// The sequence ends by throwing an `EtcdError` when etcd cancels the watch:
/// with `isCompacted` and `compactRevision` set when the start revision was
/// compacted away. Cancelling the consuming task, or calling `cancel()`,
/// cancels the watch in etcd.
public struct EtcdWatch: AsyncSequence, Sendable {
    public typealias Element = WatchResponse
    public typealias AsyncIterator = AsyncThrowingStream<WatchResponse, Error>.AsyncIterator

    private let responses: AsyncThrowingStream<WatchResponse, Error>
    private let call: StreamCall

    /// Opens the watch and waits until etcd has created it, so that with
    /// startRevision 0 every later write is seen.
    init(client: EtcdClient, options: WatchOptions) async throws {
        let (responses, continuation) = AsyncThrowingStream<WatchResponse, Error>.makeStream()
        let bridge = WatchBridge(continuation: continuation)
        let call = try StreamCall.open(
            client, CETCD_WATCH,
            onMessage: { message in
                bridge.receive(UnsafeMutableRawPointer(message).assumingMemoryBound(to: Etcdserverpb__WatchResponse.self))
            },
            onClose: { error in bridge.close(error) })
        continuation.onTermination = { _ in call.cancel() }
        self.responses = responses
        self.call = call
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (created: CheckedContinuation<Void, Error>) in
                bridge.waitUntilCreated(created)
                call.send { $0.encode(options) }
            }
        } onCancel: {
            call.cancel()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        responses.makeAsyncIterator()
    }

    /// Asks etcd for a progress notification: an empty response whose header
    /// revision says how far the watch has seen.
    public func requestProgress() {
        call.send { $0.watchProgressRequest() }
    }

    public func cancel() {
        call.cancel()
    }
}

extension EtcdClient {
    public func watch(_ options: WatchOptions) async throws -> EtcdWatch {
        try await EtcdWatch(client: self, options: options)
    }
}

/// Turns the stream's messages into watch responses; runs on the poller thread.
private final class WatchBridge: Sendable {
    private struct State: Sendable {
        var created: CheckedContinuation<Void, Error>?
        var isCreated = false
        var earlyError: EtcdError?
        /// Events of a revision etcd split into fragments, until the last one.
        var fragments: [WatchEvent] = []
    }

    private let continuation: AsyncThrowingStream<WatchResponse, Error>.Continuation
    private let state = Mutex(State())

    init(continuation: AsyncThrowingStream<WatchResponse, Error>.Continuation) {
        self.continuation = continuation
    }

    func waitUntilCreated(_ created: CheckedContinuation<Void, Error>) {
        let outcome: Result<Void, EtcdError>? = state.withLock { state in
            if state.isCreated { return .success(()) }
            if let error = state.earlyError { return .failure(error) }
            state.created = created
            return nil
        }
        if let outcome { created.resume(with: outcome) }
    }

    private func resolveCreated(_ error: EtcdError?) {
        let waiter = state.withLock { state in
            if error == nil { state.isCreated = true } else if !state.isCreated { state.earlyError = error }
            defer { state.created = nil }
            return state.created
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume() }
    }

    func receive(_ message: UnsafeMutablePointer<Etcdserverpb__WatchResponse>) {
        let m = message.pointee
        if m.created != 0 { resolveCreated(nil) }
        if m.canceled != 0 {
            let reason = decodeString(m.cancel_reason)
            let error = m.compact_revision > 0
                ? EtcdError(code: .outOfRange, message: "mvcc: required revision has been compacted",
                            compactRevision: m.compact_revision)
                : EtcdError(code: .cancelled, message: reason.isEmpty ? "etcd cancelled the watch" : reason)
            resolveCreated(error)
            continuation.finish(throwing: error)
            return
        }
        if m.created != 0 && m.n_events == 0 { return }
        let events = decodeEach(m.events, m.n_events, WatchEvent.init)
        if m.fragment != 0 {
            state.withLock { $0.fragments.append(contentsOf: events) }
            return
        }
        var response = WatchResponse()
        response.header = ResponseHeader(m.header)
        response.events = state.withLock { state in
            defer { state.fragments = [] }
            return state.fragments.isEmpty ? events : state.fragments + events
        }
        continuation.yield(response)
    }

    func close(_ error: EtcdError?) {
        resolveCreated(error ?? EtcdError(code: .cancelled, message: "the watch ended before etcd created it"))
        continuation.finish(throwing: error)
    }
}
