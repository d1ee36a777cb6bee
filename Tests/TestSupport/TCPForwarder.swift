import NIOCore
import NIOPosix
import Synchronization

/// A loopback port that passes TCP connections on to another address, and
/// that a test can cut (every connection through it closed, new ones
/// refused) and mend: a network fault between one client and its server,
/// with the server itself left running for the test's own client.
public final class TCPForwarder: Sendable {
    private struct State {
        /// 0 until the first listener has a port of its own.
        var port = 0
        var listener: Channel?
        var connections: [ObjectIdentifier: Channel] = [:]
    }

    private let target: SocketAddress
    private let state = Mutex(State())

    /// Starts forwarding from a free loopback port to 127.0.0.1:`targetPort`.
    public static func start(toLoopbackPort targetPort: Int) async throws -> TCPForwarder {
        let forwarder = TCPForwarder(target: try SocketAddress(ipAddress: "127.0.0.1", port: targetPort))
        try await forwarder.mend()
        return forwarder
    }

    private init(target: SocketAddress) {
        self.target = target
    }

    /// The loopback port it listens on.
    public var port: Int { state.withLock { $0.port } }

    /// Closes the listening port and every connection through it.
    public func cut() async {
        let (listener, connections) = state.withLock { state in
            defer { (state.listener, state.connections) = (nil, [:]) }
            return (state.listener, Array(state.connections.values))
        }
        try? await listener?.close()
        for connection in connections { try? await connection.close() }
    }

    /// Listens on the same port again.
    public func mend() async throws {
        let listener = try await bootstrap().bind(host: "127.0.0.1", port: port).get()
        state.withLock { state in
            state.port = listener.localAddress?.port ?? state.port
            state.listener = listener
        }
    }

    private func track(_ channel: Channel) {
        let id = ObjectIdentifier(channel)
        state.withLock { $0.connections[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.state.withLock { $0.connections.removeValue(forKey: id) }
        }
    }

    private func bootstrap() -> ServerBootstrap {
        ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [target] inbound in
                ClientBootstrap(group: inbound.eventLoop).connect(to: target).flatMapThrowing { outbound in
                    let (toOutbound, toInbound) = Glue.pair()
                    try inbound.pipeline.syncOperations.addHandler(toOutbound)
                    try outbound.pipeline.syncOperations.addHandler(toInbound)
                    self.track(inbound)
                    self.track(outbound)
                }
            }
    }
}

/// One end of a pair of handlers that copies what one channel reads to the
/// other and closes both when either closes. Both channels share an event
/// loop, so each handler may call its partner directly.
private final class Glue: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: Glue?
    private var context: ChannelHandlerContext?

    static func pair() -> (Glue, Glue) {
        let first = Glue(), second = Glue()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.context?.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.context?.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
