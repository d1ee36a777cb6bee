import CEtcd
import Synchronization

/// One open gRPC stream of the shim, with its callbacks bridged to Swift.
///
/// The C stream is released when its close callback arrives; `send` and
/// `cancel` check under the lock that it is still there, so they are safe to
/// call at any time, from any task, before or after the stream ended.
final class StreamCall: Sendable {
    /// Runs on the shim's poller thread for each message, in order. The
    /// pointer is only valid during the call.
    typealias MessageHandler = @Sendable (UnsafeMutablePointer<ProtobufCMessage>) -> Void
    /// Runs once, last: nil when the stream ended normally or was cancelled by
    /// us, the error otherwise.
    typealias CloseHandler = @Sendable (EtcdError?) -> Void

    private struct State: @unchecked Sendable {
        var stream: OpaquePointer?
        var closed = false
        var cancelledByUs = false
    }

    private let state = Mutex(State())
    private let onMessage: MessageHandler
    private let onClose: CloseHandler
    /// Keeps the C client alive while the stream is open.
    private let client: EtcdClient

    private init(client: EtcdClient, onMessage: @escaping MessageHandler, onClose: @escaping CloseHandler) {
        self.client = client
        self.onMessage = onMessage
        self.onClose = onClose
    }

    static func open(_ client: EtcdClient, _ method: cetcd_method, timeout: Duration? = nil,
                     onMessage: @escaping MessageHandler, onClose: @escaping CloseHandler) throws -> StreamCall {
        let call = StreamCall(client: client, onMessage: onMessage, onClose: onClose)
        // The shim holds this reference until the close callback.
        let context = Unmanaged.passRetained(call).toOpaque()
        let stream = cetcd_stream_open(
            client.handle, method, timeout?.milliseconds ?? 0,
            { context, message in
                let call = Unmanaged<StreamCall>.fromOpaque(context!).takeUnretainedValue()
                call.onMessage(message!)
                cetcd_message_free(message)
            },
            { context, status, message in
                let call = Unmanaged<StreamCall>.fromOpaque(context!).takeRetainedValue()
                call.closed(status: status, message: message.map { String(cString: $0) } ?? "")
            },
            context)
        guard let stream else {
            Unmanaged<StreamCall>.fromOpaque(context).release()
            throw EtcdError(code: .cancelled, message: "the etcd client is shutting down")
        }
        let closedAlready = call.state.withLock { state in
            if state.closed { return true }
            state.stream = stream
            return false
        }
        if closedAlready { cetcd_stream_release(stream) }
        return call
    }

    private func closed(status: Int32, message: String) {
        let (stream, cancelledByUs) = state.withLock { state in
            state.closed = true
            defer { state.stream = nil }
            return (state.stream, state.cancelledByUs)
        }
        if let stream { cetcd_stream_release(stream) }
        if status == 0 || (cancelledByUs && status == EtcdError.Code.cancelled.rawValue) {
            onClose(nil)
        } else {
            onClose(EtcdError(status: status, message: message))
        }
    }

    /// Queues a request on the stream; false once the stream has ended.
    @discardableResult
    func send<Message>(_ build: (CArena) -> UnsafeMutablePointer<Message>) -> Bool {
        let arena = CArena()
        return state.withLock { state in
            guard let stream = state.stream else { return false }
            return cetcd_stream_send(stream, cMessage(build(arena))) == 0
        }
    }

    func closeSend() {
        state.withLock { state in
            if let stream = state.stream { cetcd_stream_close_send(stream) }
        }
    }

    func cancel() {
        state.withLock { state in
            state.cancelledByUs = true
            if let stream = state.stream { cetcd_stream_cancel(stream) }
        }
    }
}
