import APIMachinery
import EtcdClient

/// A watch event as the Kubernetes API sends it: for BOOKMARK the object
/// carries only metadata.resourceVersion; for ERROR it is a Status.
public struct StorageWatchEvent: Sendable, Hashable {
    public enum EventType: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }
    public var type: EventType
    /// From the watch cache, it carries the encodings every watcher of the
    /// change shares.
    public var object: APIObject

    public init(type: EventType, object: APIObject) {
        self.type = type
        self.object = object
    }
}

public struct StorageWatchOptions: Sendable {
    /// "" or "0": first an ADDED event per existing object, then every change.
    /// "N": every change after revision N.
    public var resourceVersion = ""
    /// Ask etcd for progress notifications and pass them on as BOOKMARKs.
    public var bookmarks = false
    /// ListOptions.sendInitialEvents: true sends the state at
    /// resourceVersion first (for "N", a state at least that new), then,
    /// with bookmarks, a BOOKMARK annotated k8s.io/initial-events-end;
    /// false sends changes only (from now for "" and "0").
    public var sendInitialEvents: Bool?
    /// Keeps the objects the predicate accepts; an object that starts or stops
    /// matching is seen as ADDED or DELETED.
    public var filter: SelectionPredicate?

    public init(resourceVersion: String = "", bookmarks: Bool = false, sendInitialEvents: Bool? = nil,
                filter: SelectionPredicate? = nil) {
        self.resourceVersion = resourceVersion
        self.bookmarks = bookmarks
        self.sendInitialEvents = sendInitialEvents
        self.filter = filter
    }

    /// Whether the watch starts with the current state as ADDED events.
    var startsWithState: Bool {
        sendInitialEvents ?? (resourceVersion.isEmpty || resourceVersion == "0")
    }

    /// Whether the initial events end with the annotated BOOKMARK.
    var marksInitialEventsEnd: Bool { sendInitialEvents == true && bookmarks }
}

extension Store {
    /// Watches one object (`name` given) or every object of `namespace` (all
    /// namespaces when nil). Returns once etcd has started the watch. The
    /// sequence ends after an ERROR event (410 Expired when the revision was
    /// compacted), or when the consumer stops; stopping cancels the etcd watch.
    public func watch(namespace: String? = nil, name: String? = nil,
                      _ options: StorageWatchOptions = StorageWatchOptions()) async throws -> AsyncStream<StorageWatchEvent> {
        let key: String
        let rangeEnd: [UInt8]?
        if let name {
            key = try keys.key(ObjectKey(namespace: namespace ?? "", name: name))
            rangeEnd = nil
        } else {
            key = try keys.listPrefix(namespace: namespace)
            rangeEnd = Keys.prefixEnd(key.bytes)
        }
        var startRevision = try parseResourceVersion(options.resourceVersion) + 1
        var initial: [StorageWatchEvent] = []
        if options.startsWithState {
            // The current state first (at least as new as any "N" asked
            // for, since etcd reads are linearizable), then changes from
            // the revision it was read at.
            let response = try await etcd(.list) { try await client.range(RangeRequest(key: key.bytes, rangeEnd: rangeEnd)) }
            for kv in response.kvs {
                let object = try await decode(kv)
                if options.filter.keeps(object) { initial.append(StorageWatchEvent(type: .added, object: object)) }
            }
            startRevision = response.header.revision + 1
            if options.marksInitialEventsEnd { initial.append(.bookmark(response.header.revision, initialEventsEnd: true)) }
        } else if options.resourceVersion.isEmpty || options.resourceVersion == "0" {
            // Changes only, from now.
            var probe = RangeRequest(key: key.bytes, rangeEnd: rangeEnd)
            probe.countOnly = true
            startRevision = try await etcd(.list) { try await client.range(probe) }.header.revision + 1
        }

        var watchOptions = WatchOptions(key: key.bytes, rangeEnd: rangeEnd, startRevision: startRevision, prevKV: true)
        watchOptions.progressNotify = options.bookmarks
        let etcdWatch = try await etcd(.watch) { try await client.watch(watchOptions) }

        let (events, continuation) = AsyncStream<StorageWatchEvent>.makeStream()
        for event in initial { continuation.yield(event) }
        let requested = startRevision - 1
        let task = Task {
            do {
                for try await response in etcdWatch {
                    if response.isProgressNotify {
                        if options.bookmarks { continuation.yield(.bookmark(response.header.revision)) }
                        continue
                    }
                    for event in response.events {
                        if let converted = try await convert(event, filter: options.filter) { continuation.yield(converted) }
                    }
                }
            } catch let error as EtcdError where error.isCompacted {
                let oldest = error.compactRevision.map { " (\($0))" } ?? ""
                continuation.yield(errorEvent(.expired("too old resource version: \(requested)\(oldest)")))
            } catch let error as EtcdError {
                if !Task.isCancelled { continuation.yield(errorEvent(error.apiError())) }
            } catch let error as StorageError {
                // A value the watch cannot read: kube's watcher sends it as an internal error.
                continuation.yield(errorEvent(.internalError(error.detail)))
            } catch {
                if !Task.isCancelled { continuation.yield(errorEvent(.internalError("\(error)"))) }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            task.cancel()
            etcdWatch.cancel()
        }
        return events
    }

    /// An etcd event as a Kubernetes one; nil when the filter hides it.
    private func convert(_ event: WatchEvent, filter: SelectionPredicate?) async throws -> StorageWatchEvent? {
        let revision = event.kv.modRevision
        let previous = try await event.prevKV.asyncMap { try await decode($0.value, key: $0.key, revision: revision) }
        switch event.type {
        case .delete:
            guard let previous else {
                throw StorageError(.corruptObject, event.kv.key.string, "etcd sent a delete without the previous value")
            }
            return StorageWatchEvent.seen(.deleted, previous, previous: nil, passes: filter.keeps(previous))
        case .put:
            let current = try await decode(event.kv.value, key: event.kv.key, revision: revision)
            let created = event.kv.createRevision == event.kv.modRevision
            return StorageWatchEvent.seen(created ? .added : .modified, current, previous: previous,
                                          passes: filter.keeps(current), previousPasses: previous.map(filter.keeps))
        }
    }

    private func errorEvent(_ error: APIError) -> StorageWatchEvent {
        StorageWatchEvent(type: .error, object: APIObject(error.status))
    }
}

extension StorageWatchEvent {
    /// A BOOKMARK at `revision`; the one that ends a WatchList's initial
    /// events carries kube's annotation.
    static func bookmark(_ revision: Int64, initialEventsEnd: Bool = false) -> StorageWatchEvent {
        var metadata: JSONValue = ["resourceVersion": .string(String(revision))]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        return StorageWatchEvent(type: .bookmark, object: APIObject(["metadata": metadata]))
    }

    /// What a watcher sees of one change (as kube's cacheWatcher decides),
    /// given whether its filter keeps the new state (`passes`) and the one
    /// before (`previousPasses`): an object that starts matching is ADDED,
    /// one that stops matching DELETED (its previous state at the change's
    /// resourceVersion); nil when the change is hidden. `object` is the new
    /// state, or the deleted one; `previous` the state before a
    /// modification (nil when unknown: the change is shown as is).
    static func seen(_ type: EventType, _ object: APIObject, previous: APIObject?,
                     passes currentPasses: Bool, previousPasses: Bool? = nil) -> StorageWatchEvent? {
        guard type == .modified else { return currentPasses ? StorageWatchEvent(type: type, object: object) : nil }
        switch (previousPasses ?? currentPasses, currentPasses) {
        case (true, true): return StorageWatchEvent(type: .modified, object: object)
        case (false, true): return StorageWatchEvent(type: .added, object: object)
        case (true, false):
            var gone = previous ?? object
            gone.resourceVersion = object.resourceVersion
            return StorageWatchEvent(type: .deleted, object: gone)
        case (false, false): return nil
        }
    }
}

extension Array where Element == UInt8 {
    var string: String { String(decoding: self, as: UTF8.self) }
}
