import APIMachinery
import Hummingbird
import Registry
import ServiceLifecycle
import Storage
import Synchronization

/// Streams a watch as kube-apiserver does: one JSON WatchEvent per line
/// ({"type": ..., "object": ...}), or in protobuf one length-prefixed
/// WatchEvent per event, chunked, until timeoutSeconds passes, the
/// client goes away (noticed at once, not at the next event), the server shuts
/// down, the client falls too far behind, or an ERROR event ends it.
struct WatchHandler: Sendable {
    /// Without timeoutSeconds a watch lasts a random time in
    /// [minimum, 2 * minimum), as kube-apiserver's --min-request-timeout does,
    /// so clients spread their reconnects.
    let minimumTimeout: Duration
    /// How many bytes of encoded events may wait for a client that does not
    /// read. Beyond it the watch ends, as kube's cacher ends a watcher that
    /// cannot keep up; the client watches again from the last
    /// resourceVersion it saw, so it misses nothing.
    var maximumPendingBytes = 2 << 20

    func watch(_ request: Request, _ store: ResourceStore, namespace: String?, query: ListQuery,
               parameters: QueryParameters, format: ResponseFormat, shapes: ObjectShapes) async throws -> Response {
        let timeout: Duration
        if let seconds = try parameters.timeoutSeconds() {
            timeout = .seconds(seconds)
        } else {
            let base = minimumTimeout.components.seconds
            timeout = .seconds(base + Int64.random(in: 0..<max(base, 1)))
        }
        let events: AsyncStream<StorageWatchEvent>
        do {
            events = try await store.watch(namespace: namespace, query,
                                           bookmarks: parameters.bool("allowWatchBookmarks"))
        } catch let error as APIError where error.code == 410 {
            // Too old a resourceVersion: a 200 whose only event is the 410, as upstream.
            events = AsyncStream { continuation in
                continuation.yield(StorageWatchEvent(type: .error, object: APIObject(error.status)))
                continuation.finish()
            }
        }
        let includeObject = parameters.includeObject
        var headers = HTTPFields()
        headers[.contentType] = format.serialization == .protobuf ? format.contentType + ";stream=watch" : format.contentType
        headers[.cacheControl] = "no-cache, private"
        let maximumPendingBytes = self.maximumPendingBytes
        let body = ResponseBody { writer in
            let lines = PendingLines(maximumBytes: maximumPendingBytes)
            // The request's inbound side closes when the client goes away
            // (a closed connection, an HTTP/2 stream reset).
            try await request.body.consumeWithInboundCloseHandler { _ in
                try await withGracefulShutdownHandler {
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            await Self.feed(events, into: lines) { event, first in
                                encode(event, shapes: shapes, format: format, includeObject: includeObject, withHeaders: first)
                            }
                        }
                        group.addTask {
                            try? await Task.sleep(for: timeout)
                            lines.finish()
                        }
                        for await line in lines.stream {
                            do {
                                try await writer.write(ByteBuffer(bytes: line))
                            } catch {
                                break  // the client went away
                            }
                            lines.sent(line.count)
                        }
                        group.cancelAll()
                    }
                } onGracefulShutdown: {
                    lines.finish()
                }
            } onInboundClosed: {
                lines.finish()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Encodes events into `lines` until the watch ends, for whatever reason
    /// (the events end, the client is too far behind or gone, the timeout, a
    /// shutdown); then the storage watch is cancelled at once, so a client
    /// that stopped reading costs nothing more.
    static func feed(_ events: AsyncStream<StorageWatchEvent>, into lines: PendingLines,
                     encode: @escaping @Sendable (_ event: StorageWatchEvent, _ first: Bool) -> [UInt8]) async {
        await withTaskGroup(of: Void.self) { feed in
            feed.addTask {
                var first = true
                for await event in events {
                    // Past the end, keep waiting here for the cancel below:
                    // only a cancelled wait ends the storage watch.
                    lines.push(encode(event, first))
                    first = false
                }
                lines.finish()
            }
            await lines.ended()
            feed.cancelAll()
        }
    }

    func encode(_ event: StorageWatchEvent, shapes: ObjectShapes, format: ResponseFormat,
                includeObject: ObjectShapes.IncludeObject, withHeaders: Bool) -> [UInt8] {
        if format.serialization == .protobuf { return Self.protobufFrame(event, shapes: shapes, shape: format.shape) }
        let object: JSONValue
        switch event.type {
        case .error:
            object = event.object.json
        case .bookmark:
            var bookmark = event.object
            bookmark.apiVersion = shapes.definition.groupVersion
            bookmark.kind = shapes.definition.kind
            object = WireOrder.object(bookmark.json)
        case .added, .modified, .deleted:
            if format.shape == .object, let shared = event.object.encodings {
                // Serialized once for every watcher of this change that is
                // served the same group-version and kind.
                return Self.line(event.type, object: shapes.objectBytes(event.object, shared: shared))
            }
            switch format.shape {
            case .object: object = shapes.object(event.object)
            case .partialMetadata, .partialMetadataList: object = shapes.partialMetadata(event.object)
            case .table:
                object = shapes.table([event.object], listMetadata: ["resourceVersion": .string(event.object.resourceVersion)],
                                      includeObject: includeObject, withHeaders: withHeaders)
            }
        }
        let line: JSONValue = ["type": .string(event.type.rawValue), "object": object]
        return line.serialized() + [0x0A]
    }

    /// A protobuf watch event: a length-prefixed WatchEvent whose object is
    /// enveloped as a get's (the shared bytes when the cache has them), or
    /// for a metadata watch, bookmarks too, PartialObjectMetadata.
    static func protobufFrame(_ event: StorageWatchEvent, shapes: ObjectShapes, shape: ResponseFormat.Shape) -> [UInt8] {
        let object: [UInt8]
        switch event.type {
        case .error:
            object = ProtobufObjectEncoder.builtin.encode(event.object.json) ?? []
        case .added, .modified, .deleted, .bookmark:
            if shape == .partialMetadata || shape == .partialMetadataList {
                object = ProtobufObjectEncoder.builtin.encode(shapes.partialMetadata(event.object)) ?? []
            } else if event.type != .bookmark, let shared = event.object.encodings {
                object = shapes.envelopeBytes(event.object, shared: shared)
            } else {
                var served = event.object
                served.apiVersion = shapes.definition.groupVersion
                served.kind = shapes.definition.kind
                object = ProtobufObjectEncoder.builtin.encode(served.json) ?? []
            }
        }
        return ProtobufObjectEncoder.watchFrame(type: event.type.rawValue, object: object)
    }

    /// A WatchEvent line around an object already serialized: the bytes
    /// the JSONValue above would encode to.
    static func line(_ type: StorageWatchEvent.EventType, object: [UInt8]) -> [UInt8] {
        var line = Array(#"{"type":""#.utf8)
        line.reserveCapacity(object.count + 32)
        line += type.rawValue.utf8
        line += #"","object":"#.utf8
        line += object
        line += [UInt8(ascii: "}"), 0x0A]
        return line
    }
}

/// The encoded events of one watch that its client has not taken yet, bounded
/// in bytes: a client that stops reading costs at most `maximumBytes` (and
/// always one line, however large), not every event that follows.
final class PendingLines: Sendable {
    let stream: AsyncStream<[UInt8]>
    private let continuation: AsyncStream<[UInt8]>.Continuation
    private let maximumBytes: Int
    private let pendingBytes = Mutex(0)
    /// Finishes with `stream`'s input, for `ended()`.
    private let end: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)

    init(maximumBytes: Int) {
        (stream, continuation) = AsyncStream.makeStream()
        end = AsyncStream.makeStream()
        self.maximumBytes = maximumBytes
    }

    /// Returns once no more lines will be queued.
    func ended() async {
        for await _ in end.stream {}
    }

    /// Queues a line; when the client is too far behind to take it, the
    /// stream ends instead, after what is queued.
    func push(_ line: [UInt8]) {
        let fits = pendingBytes.withLock { pending in
            guard pending == 0 || pending + line.count <= maximumBytes else { return false }
            pending += line.count
            return true
        }
        guard fits else { return finish() }
        continuation.yield(line)
    }

    /// A line of `count` bytes reached the client's connection.
    func sent(_ count: Int) {
        pendingBytes.withLock { $0 -= count }
    }

    func finish() {
        continuation.finish()
        end.continuation.finish()
    }
}
