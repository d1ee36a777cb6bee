import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOHTTPTypes

/// A close of the connection some time from now, armed once: the deadlines
/// below each arm one on their own occasion.
struct ScheduledClose {
    private var timer: Scheduled<Void>?

    mutating func arm(_ context: ChannelHandlerContext, in delay: TimeAmount) {
        guard timer == nil else { return }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) { bound.value.close(promise: nil) }
    }

    mutating func cancel() {
        timer?.cancel()
    }
}

/// Closes a connection whose first request has not arrived whole in time:
/// one that never starts TLS, or stops inside its headers (slowloris), would
/// otherwise hold its file descriptor for good. Disarmed by `FirstRequestHead`.
final class RequestHeaderDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let timeout: TimeAmount
    private var close = ScheduledClose()

    init(_ timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        close.arm(context, in: timeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func disarm() {
        close.cancel()
    }
}

/// Closes the connection a while after the server began its graceful
/// shutdown: HTTP/2's goodbye (GOAWAY, then a PING the client must answer)
/// waits on the client, and a client that never answers would hold the
/// shutdown forever. Open requests have this long to finish; watches end at once.
final class ShutdownDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let grace: TimeAmount
    private var close = ScheduledClose()

    init(grace: TimeAmount) {
        self.grace = grace
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent { close.arm(context, in: grace) }
        context.fireUserInboundEventTriggered(event)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        close.cancel()
    }
}

/// HTTP/2: closes the connection a while after the server says GOAWAY (idle,
/// or shutting down). The goodbye waits on the client answering a PING; one
/// that never answers would otherwise keep the connection for good.
final class GoAwayDeadline: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private let grace: TimeAmount
    private var close = ScheduledClose()

    init(grace: TimeAmount) {
        self.grace = grace
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .goAway = unwrapOutboundIn(data).payload { close.arm(context, in: grace) }
        context.write(data, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        close.cancel()
    }
}

/// Tells the connection's `RequestHeaderDeadline` that a request's headers
/// arrived, then leaves the pipeline. In an HTTP/2 stream the deadline is on
/// the parent (the connection).
final class FirstRequestHead: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let inHTTP2Stream: Bool

    init(inHTTP2Stream: Bool) {
        self.inHTTP2Stream = inHTTP2Stream
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        let connection = inHTTP2Stream ? context.channel.parent ?? context.channel : context.channel
        (try? connection.pipeline.syncOperations.handler(type: RequestHeaderDeadline.self))?.disarm()
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

/// HTTP/1.1: a header block over the decoder's limit (1 MiB) is answered 431,
/// as Go's server answers it, and the connection closed; without this the
/// parser's error became an empty 400.
final class HeaderBlockTooLarge: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests read whose answers have not ended: a 431 may not cut into one.
    private var unanswered = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { unanswered += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { unanswered -= 1 }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, parserError == .headerOverflow, unanswered == 0 else {
            return context.fireErrorCaught(error)
        }
        let text = "431 Request Header Fields Too Large"
        var fields = HTTPFields()
        fields[.contentType] = "text/plain; charset=utf-8"
        fields[.contentLength] = String(text.utf8.count)
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .requestHeaderFieldsTooLarge, headerFields: fields))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(string: text))), promise: nil)
        // Closed a little later, as Go's server does (rstAvoidanceDelay): the
        // client is likely still sending its headers, and a close with unread
        // input resets the connection, losing the answer on the way.
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            bound.value.eventLoop.scheduleTask(in: .milliseconds(500)) { bound.value.close(promise: nil) }
        }
    }
}

/// HTTP/1.0 as Go's server speaks it: the answer says HTTP/1.0 (so its body is
/// never chunked, which 1.0 clients cannot read), and the connection closes
/// after it unless the client asked for keep-alive and the answer has a
/// length. Without this every 1.0 connection stayed open.
final class HTTP10KeepAlive: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Per request read and not yet answered, in order: whether it is an
    /// HTTP/1.0 one and whether it asked for keep-alive.
    private var requests: [(http10: Bool, keepAlive: Bool)] = []
    private var closeAfterAnswer = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            requests.append((head.version == .http1_0, head.isKeepAlive))
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where requests.first?.http10 == true:
            let keepAlive = requests.first!.keepAlive && head.headers[canonicalForm: "content-length"].first != nil
            head.version = .http1_0
            head.headers.replaceOrAdd(name: "connection", value: keepAlive ? "keep-alive" : "close")
            closeAfterAnswer = !keepAlive
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where !requests.isEmpty:
            requests.removeFirst()
            guard closeAfterAnswer else { return context.write(data, promise: promise) }
            closeAfterAnswer = false
            let written = context.writeAndFlush(data)
            if let promise { written.cascade(to: promise) }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            written.whenComplete { _ in bound.value.close(promise: nil) }
        default:
            context.write(data, promise: promise)
        }
    }
}
