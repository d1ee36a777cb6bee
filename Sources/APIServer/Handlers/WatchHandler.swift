import APIMachinery
import Hummingbird
import Registry
import ServiceLifecycle
import Storage

/// Streams a watch as kube-apiserver does: one JSON WatchEvent per line
/// ({"type": ..., "object": ...}), chunked, until timeoutSeconds passes, the
/// client goes away, the server shuts down, or an ERROR event ends it.
struct WatchHandler: Sendable {
    /// Without timeoutSeconds a watch lasts a random time in
    /// [minimum, 2 * minimum), as kube-apiserver's --min-request-timeout does,
    /// so clients spread their reconnects.
    let minimumTimeout: Duration

    func watch(_ store: ResourceStore, namespace: String?, query: ListQuery, parameters: QueryParameters,
               format: ResponseFormat, shapes: ObjectShapes) async throws -> Response {
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
        headers[.contentType] = format.contentType
        headers[.cacheControl] = "no-cache, private"
        let body = ResponseBody { writer in
            let (merged, continuation) = AsyncStream<StorageWatchEvent>.makeStream()
            try await withGracefulShutdownHandler {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await event in events { continuation.yield(event) }
                        continuation.finish()
                    }
                    group.addTask {
                        try? await Task.sleep(for: timeout)
                        continuation.finish()
                    }
                    var first = true
                    for await event in merged {
                        let line = encode(event, shapes: shapes, format: format, includeObject: includeObject,
                                          withHeaders: first)
                        first = false
                        do {
                            try await writer.write(ByteBuffer(bytes: line))
                        } catch {
                            break  // the client went away
                        }
                    }
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    func encode(_ event: StorageWatchEvent, shapes: ObjectShapes, format: ResponseFormat,
                includeObject: ObjectShapes.IncludeObject, withHeaders: Bool) -> [UInt8] {
        let object: JSONValue
        switch event.type {
        case .error:
            object = event.object.json
        case .bookmark:
            var bookmark = event.object
            bookmark.apiVersion = shapes.definition.groupVersion
            bookmark.kind = shapes.definition.kind
            object = shapes.reorderedTypeMeta(bookmark.json)
        case .added, .modified, .deleted:
            switch format.shape {
            case .object: object = shapes.object(event.object)
            case .partialMetadata, .partialMetadataList: object = shapes.partialMetadata(event.object)
            case .table:
                object = shapes.table([event.object], listMetadata: ["resourceVersion": .string(event.object.resourceVersion)],
                                      includeObject: includeObject, withHeaders: withHeaders)
            }
        }
        let line: JSONValue = ["type": .string(event.type.rawValue), "object": object]
        return ObjectCoding.encode(line, ResponseFormat(serialization: .json, shape: .object, pretty: false))
    }
}
