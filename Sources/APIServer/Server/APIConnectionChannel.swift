import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP2
import NIOHTTPTypesHTTP1
import NIOHTTPTypesHTTP2
import NIOSSL

/// How Berth serves one accepted connection: TLS with ALPN (HTTP/2 or
/// HTTP/1.1), or plain HTTP/1.1. It stands in for Hummingbird's ready-made
/// channels because kube-apiserver's limits on connections need settings
/// those do not expose (see `ConnectionLimits`): a deadline for the first
/// request's headers that also covers the TLS handshake, header blocks up to
/// 1 MiB on both protocols, and HTTP/2 stream errors that end their stream,
/// not the whole connection.
struct APIConnectionChannel: ServerChildChannel {
    typealias Negotiated = NIONegotiatedHTTPVersion<HTTP1Channel.Value, NIOHTTP2Handler.AsyncStreamMultiplexer<HTTP1Channel.Value>>

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    /// nil: plain HTTP/1.1 (the local insecure port).
    let tls: NIOSSLContext?
    let limits: ConnectionLimits
    let http1: HTTP1Channel

    init(tls: NIOSSLContext?, limits: ConnectionLimits, responder: @escaping HTTPChannelHandler.Responder) {
        self.tls = tls
        self.limits = limits
        let configuration = HTTP1Channel.Configuration(
            additionalChannelHandlers: [FirstRequestHead(inHTTP2Stream: false), HeaderBlockTooLarge()],
            idleTimeout: limits.idleTimeout,
            httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maximumHeaderBytes,
                                            maxHeaderListSize: limits.maximumHeaderBytes))
        http1 = HTTP1Channel(responder: responder, configuration: configuration)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandlers(RequestHeaderDeadline(limits.requestHeaderTimeout),
                                                            ShutdownDeadline(grace: limits.shutdownGrace))
            guard let tls else {
                return setupHTTP1(channel, logger: logger).map { connection in
                    Value(negotiated: channel.eventLoop.makeSucceededFuture(.http1_1(connection)), channel: channel)
                }
            }
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return channel.configureHTTP2AsyncSecureUpgrade { connection in
            setupHTTP1(connection, logger: logger)
        } http2ConnectionInitializer: { connection in
            setupHTTP2(connection, logger: logger)
        }.map { Value(negotiated: $0, channel: channel) }
    }

    private func setupHTTP1(_ channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { connection in
            let codec = try channel.pipeline.syncOperations.handler(type: HTTP1ToHTTPServerCodec.self)
            try channel.pipeline.syncOperations.addHandler(HTTP10KeepAlive(), position: .before(codec))
            return connection
        }
    }

    private func setupHTTP2(_ channel: any Channel,
                            logger: Logger) -> EventLoopFuture<NIOHTTP2Handler.AsyncStreamMultiplexer<HTTP1Channel.Value>> {
        channel.eventLoop.makeCompletedFuture {
            // NIO's manager says GOAWAY when the server shuts down gracefully or
            // the connection has had no stream for the idle time, and lets
            // open streams finish. Unlike Hummingbird's, it does not close the
            // connection on a stream's error. (Its idle timer starts when the
            // last stream closes; a connection that never opens one is the
            // RequestHeaderDeadline's.)
            let manager = NIOHTTP2ServerConnectionManagementHandler(
                eventLoop: channel.eventLoop,
                configuration: .init(maxIdleTime: limits.idleTimeout, maxAge: nil, maxGraceTime: limits.shutdownGrace,
                                     keepalive: nil))
            let multiplexer = try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(
                mode: .server, streamDelegate: manager.http2StreamDelegate, configuration: limits.http2
            ) { stream in
                stream.eventLoop.makeCompletedFuture {
                    let pipeline = stream.pipeline.syncOperations
                    try pipeline.addHandler(HTTP2FramePayloadToHTTPServerCodec())
                    try pipeline.addHandler(FirstRequestHead(inHTTP2Stream: true))
                    try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
                    return try HTTP1Channel.Value(wrappingChannelSynchronously: stream)
                }
            }
            try channel.pipeline.syncOperations.addHandlers(GoAwayDeadline(grace: limits.shutdownGrace), manager)
            return multiplexer
        }
    }

    func handle(value: Value, logger: Logger) async {
        guard let negotiated = try? await value.negotiated.get() else { return }
        switch negotiated {
        case .http1_1(let connection):
            await http1.handle(value: connection, logger: logger)
        case .http2(let multiplexer):
            // Each stream is one request, served as an HTTP/1 exchange is.
            try? await withThrowingDiscardingTaskGroup { group in
                for try await stream in multiplexer.inbound {
                    group.addTask { await http1.handle(value: stream, logger: logger) }
                }
            }
        }
    }
}

/// kube-apiserver's limits on a connection (Go's net/http server as it sets it up).
struct ConnectionLimits: Sendable {
    /// A connection whose first request's headers have not all arrived by
    /// then (TLS handshake included) is closed: Go's ReadHeaderTimeout, 32 s.
    var requestHeaderTimeout: TimeAmount = .seconds(32)
    /// A connection idle between requests this long is closed (HTTP/1.1,
    /// also one stalled inside its next request's headers) or said GOAWAY to
    /// (HTTP/2): kube's IdleTimeout, 90 s.
    var idleTimeout: TimeAmount = .seconds(90)
    /// A connection still open this long after the server began its
    /// graceful shutdown, or after HTTP/2's GOAWAY, is closed.
    var shutdownGrace: TimeAmount = .seconds(10)
    /// Header blocks up to this size are accepted; larger ones are answered
    /// 431 (Go's DefaultMaxHeaderBytes).
    var maximumHeaderBytes = 1 << 20

    /// HTTP/2: header blocks up to 4 MiB are decoded, so one over 1 MiB gets
    /// its 431 on its own stream (HPACK state is shared, so only a block
    /// beyond what is decoded at all must end the connection); request body
    /// lengths are checked against Content-Length by the handler, which
    /// answers 400 on that stream, rather than by NIO, which resets it.
    var http2: NIOHTTP2Handler.Configuration {
        var configuration = NIOHTTP2Handler.Configuration()
        configuration.connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: 250),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 4 << 20),
        ]
        // CONTINUATION frames of 16 KiB up to the 4 MiB block, with room to spare.
        configuration.connection.maximumSequentialContinuationFrames = 300
        configuration.connection.contentLengthValidation = .disabled
        return configuration
    }
}

extension HTTPServerBuilder {
    /// Berth's own connection channel, TLS (HTTP/2 or HTTP/1.1) or plain HTTP/1.1.
    static func connections(tls: NIOSSLContext?, limits: ConnectionLimits) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in APIConnectionChannel(tls: tls, limits: limits, responder: responder) }
    }
}
