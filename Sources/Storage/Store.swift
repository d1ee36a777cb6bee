import APIMachinery
import EtcdClient

/// Kubernetes-style storage of one resource in etcd (kube-apiserver's etcd3
/// store): create, get, list, guaranteedUpdate, delete and watch, each once, for
/// the registry to configure per resource.
///
/// Reads set metadata.resourceVersion from etcd's mod_revision (a list's from
/// the revision it was read at); writes strip it, so it is never stored.
/// What goes wrong with an object is a `StorageError` and etcd's own failures
/// are `EtcdError`s: the registry decides the Status a client sees.
public final class Store: ResourceStorage {
    public let client: EtcdClient
    public let resource: GroupResource
    public let keys: ResourceKeys
    public let codec: any StorageCodec
    public let transformer: any ValueTransformer
    let metrics: EtcdRequestMetrics
    let leases: LeaseManager
    /// Attempts of a read-modify-write before giving up with 409 Conflict.
    static let maximumUpdateAttempts = 100

    public init(client: EtcdClient, resource: GroupResource, keys: ResourceKeys,
                codec: any StorageCodec = JSONStorageCodec(), transformer: any ValueTransformer = IdentityTransformer(),
                metrics: EtcdRequestMetrics? = nil) {
        self.client = client
        self.resource = resource
        self.keys = keys
        self.codec = codec
        self.transformer = transformer
        self.metrics = metrics ?? .unmeasured(resource)
        self.leases = LeaseManager()
    }

    // MARK: Create

    /// Stores a new object; keyExists when the key is taken. With a
    /// ttl (seconds) the object expires through an etcd lease.
    public func create(_ object: APIObject, ttl: Int64? = nil) async throws -> APIObject {
        let key = try keys.key(ObjectKey(namespace: object.namespace, name: object.name))
        guard object.resourceVersion.isEmpty else {
            throw StorageError(.invalidObject, key, "resourceVersion should not be set on objects to be created")
        }
        let data = try await seal(try encode(object, key: key), key: key)
        let lease = try await leaseID(ttl: ttl)
        let response = try await etcd(.create) {
            try await client.txn(TxnRequest(compare: [.absent(key.bytes)],
                                            success: [.put(PutRequest(key: key.bytes, value: data, lease: lease))]))
        }
        guard response.succeeded else { throw StorageError(.keyExists, key) }
        var created = object
        created.resourceVersion = String(response.header.revision)
        return created
    }

    // MARK: Get

    /// The stored object. resourceVersion "" or "0" reads the newest state;
    /// "N" requires the store to have reached revision N (504 if not).
    public func get(_ objectKey: ObjectKey, resourceVersion: String = "") async throws -> APIObject {
        let key = try keys.key(objectKey)
        let minimum = try parseResourceVersion(resourceVersion)
        let response = try await etcd(.get) { try await client.range(RangeRequest(key: key.bytes)) }
        if minimum > response.header.revision {
            throw tooLargeResourceVersion(minimum, current: response.header.revision)
        }
        guard let kv = response.kvs.first else { throw StorageError(.keyNotFound, key) }
        return try await decode(kv)
    }

    // MARK: List

    /// One page of the objects in `namespace` (every namespace when nil).
    public func list(namespace: String? = nil, _ options: ListOptions = ListOptions()) async throws -> ListResult {
        try options.validate()
        let prefix = try keys.listPrefix(namespace: namespace)
        let rangeEnd = Keys.prefixEnd(prefix.bytes)
        var startKey = prefix
        var revision: Int64 = 0  // 0: the newest, pinned after the first read
        var minimum: Int64 = 0
        var fromContinue = false

        if !options.continueToken.isEmpty {
            let token = try ContinueToken.decode(options.continueToken, prefix: prefix)
            startKey = token.startKey
            revision = max(token.revision, 0)
            fromContinue = true
        } else {
            let requested = try parseResourceVersion(options.resourceVersion)
            let exact = options.resourceVersionMatch == .exact
                || (options.resourceVersionMatch == nil && options.limit > 0 && requested > 0)
            if exact { revision = requested } else { minimum = requested }
        }

        var items: [APIObject] = []
        var more = false
        var lastKey: [UInt8]?
        var remaining: Int64?
        // With a filter, pages may come back short: read on until the page is
        // full or the range is exhausted, as kube-apiserver does.
        while true {
            var request = RangeRequest(key: startKey.bytes, rangeEnd: rangeEnd, revision: revision)
            if options.limit > 0 { request.limit = options.limit - Int64(items.count) }
            if options.filter != nil && options.limit > 0 { request.limit = max(request.limit, min(options.limit * 2, 10_000)) }
            let response: RangeResponse
            do {
                response = try await metrics.measure(.list) { try await client.range(request) }
            } catch let error as EtcdError {
                throw await listError(error, fromContinue: fromContinue, startKey: startKey, prefix: prefix, revision: revision)
            }
            if revision == 0 {
                revision = response.header.revision
                if minimum > revision { throw tooLargeResourceVersion(minimum, current: revision) }
            }
            var consumed = 0
            for kv in response.kvs {
                consumed += 1
                lastKey = kv.key
                let object = try await decode(kv)
                if options.filter.keeps(object) { items.append(object) }
                if options.limit > 0 && Int64(items.count) == options.limit { break }
            }
            more = response.more || consumed < response.kvs.count
            if options.filter == nil && more { remaining = response.count - Int64(consumed) }
            let full = options.limit > 0 && Int64(items.count) >= options.limit
            guard more, !full, let last = lastKey else { break }
            startKey = String(decoding: last + [0], as: UTF8.self)
        }

        var token = ""
        if more, let last = lastKey {
            token = ContinueToken(revision: revision, startKey: String(decoding: last + [0], as: UTF8.self)).encode(prefix: prefix)
        }
        return ListResult(items: items, resourceVersion: String(revision), continueToken: token,
                          remainingItemCount: remaining)
    }

    private func listError(_ error: EtcdError, fromContinue: Bool, startKey: String, prefix: String,
                           revision: Int64) async -> any Error {
        if error.isCompacted && fromContinue {
            var expired = APIError.expired(
                "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
            expired.continueToken = ContinueToken(revision: -1, startKey: startKey).encode(prefix: prefix)
            return expired
        }
        if error.isFutureRevision {
            // etcd's refusal does not say how far it is; a one-key read does.
            var probe = RangeRequest(key: startKey.bytes)
            probe.countOnly = true
            guard let current = try? await client.range(probe).header.revision else { return error }
            return tooLargeResourceVersion(revision, current: current)
        }
        return error
    }

    /// Number of stored objects in `namespace` (all when nil).
    public func count(namespace: String? = nil) async throws -> Int64 {
        let prefix = try keys.listPrefix(namespace: namespace)
        var request = RangeRequest.prefix(prefix.bytes)
        request.countOnly = true
        return try await etcd(.count) { try await client.range(request).count }
    }

    /// Up to `limit` stored objects in key order, starting after `key` (from
    /// the first when nil), each as stored (at whatever version) with its key:
    /// for operations that visit every object once and remember where they
    /// are (storage migration, backup). Read at `revision` (0: the newest);
    /// `revision` in the answer is the one read at, to pin the next pages
    /// to. `more` says whether keys follow. A compacted revision is 410 Gone.
    /// `stale` holds the keys whose value an older encryption key or
    /// provider wrote (a rewrite encrypts them with the current one).
    public func scan(after key: String?, limit: Int, revision: Int64 = 0) async throws
        -> (objects: [(key: String, object: APIObject)], more: Bool, revision: Int64, stale: Set<String>) {
        let prefix = keys.resourcePrefix
        var request = RangeRequest(key: key.map { Array($0.utf8) + [0] } ?? prefix.bytes,
                                   rangeEnd: Keys.prefixEnd(prefix.bytes), revision: revision)
        request.limit = Int64(limit)
        let response = try await etcd(.list) { try await client.range(request) }
        var objects: [(key: String, object: APIObject)] = []
        var stale: Set<String> = []
        for kv in response.kvs {
            let key = String(decoding: kv.key, as: UTF8.self), stored = try await decodeWithData(kv)
            objects.append((key, stored.object))
            if stored.stale { stale.insert(key) }
        }
        return (objects, response.more, revision == 0 ? response.header.revision : revision, stale)
    }

    // MARK: Update

    /// Read-modify-write: `update` gets the current object (nil when absent and
    /// `ignoreNotFound`) and returns the new one, which is written only if the
    /// key has not changed meanwhile (a Txn on mod_revision); otherwise the
    /// current state is re-read and `update` runs again. An update that
    /// changes nothing writes nothing and keeps the resourceVersion.
    /// A value an older encryption key wrote is written again even when
    /// nothing changes, so that it ends up under the current key.
    /// `cached`, as kube's cachedExistingObject, is a copy the caller read
    /// already (its resourceVersion is its mod revision): it stands in for the
    /// first read, and if it is stale the transaction fails and the current
    /// state is read as after any lost race.
    public func guaranteedUpdate(
        _ objectKey: ObjectKey, preconditions: Preconditions? = nil, ignoreNotFound: Bool = false,
        ttl: Int64? = nil, cached: APIObject? = nil, _ update: (APIObject?) async throws -> APIObject
    ) async throws -> APIObject {
        let key = try keys.key(objectKey)
        var current: Stored?
        if let cached, let modRevision = Int64(cached.resourceVersion) {
            current = Stored(object: cached, data: try encode(cached, key: key), modRevision: modRevision, stale: false)
        } else {
            current = try await read(key)
        }
        for _ in 0..<Self.maximumUpdateAttempts {
            if current == nil && !ignoreNotFound { throw StorageError(.keyNotFound, key) }
            if let current { try preconditions?.check(current.object, key: key) }
            let updated = try await update(current?.object)
            let data = try encode(updated, key: key)
            if let current, !current.stale, current.data == data, ttl == nil { return current.object }
            let value = try await seal(data, key: key)
            let lease = try await leaseID(ttl: ttl)
            let guardClause: Compare = current.map { .modRevision(key.bytes, is: $0.modRevision) } ?? .absent(key.bytes)
            let response = try await etcd(.update) {
                try await client.txn(TxnRequest(compare: [guardClause],
                                                success: [.put(PutRequest(key: key.bytes, value: value, lease: lease))],
                                                failure: [.range(RangeRequest(key: key.bytes))]))
            }
            if response.succeeded {
                var stored = updated
                stored.resourceVersion = String(response.header.revision)
                return stored
            }
            // Someone else wrote first: start again from what they wrote.
            current = try await currentAfterLostRace(response, key: key)
        }
        throw StorageError(.resourceVersionConflicts, key, "too many concurrent updates, giving up")
    }

    // MARK: Delete

    /// Deletes the object if the preconditions and `validate` accept its
    /// current state, and returns that state with the delete's revision as
    /// resourceVersion.
    public func delete(
        _ objectKey: ObjectKey, preconditions: Preconditions? = nil,
        validate: ((APIObject) async throws -> Void)? = nil
    ) async throws -> APIObject {
        let key = try keys.key(objectKey)
        var current = try await read(key)
        for _ in 0..<Self.maximumUpdateAttempts {
            guard let existing = current else { throw StorageError(.keyNotFound, key) }
            try preconditions?.check(existing.object, key: key)
            try await validate?(existing.object)
            let response = try await etcd(.delete) {
                try await client.txn(TxnRequest(compare: [.modRevision(key.bytes, is: existing.modRevision)],
                                                success: [.deleteRange(DeleteRangeRequest(key: key.bytes))],
                                                failure: [.range(RangeRequest(key: key.bytes))]))
            }
            if response.succeeded {
                var deleted = existing.object
                deleted.resourceVersion = String(response.header.revision)
                return deleted
            }
            current = try await currentAfterLostRace(response, key: key)
        }
        throw StorageError(.resourceVersionConflicts, key, "too many concurrent updates, giving up")
    }

    // MARK: Shared pieces

    struct Stored {
        var object: APIObject
        /// The value as the codec wrote it (decrypted), to notice updates
        /// that change nothing.
        var data: [UInt8]
        var modRevision: Int64
        /// Written with an older encryption key or provider.
        var stale: Bool
    }

    /// The key's state from the failure branch (a Range) of a guarded Txn
    /// that lost to another writer; nil when it was deleted meanwhile.
    private func currentAfterLostRace(_ response: TxnResponse, key: String) async throws -> Stored? {
        guard case .range(let latest) = response.responses.first else {
            throw StorageError(.corruptObject, key, "etcd answered a failed transaction without the current value")
        }
        return try await latest.kvs.first.asyncMap(decodeWithData)
    }

    private func read(_ key: String) async throws -> Stored? {
        let response = try await etcd(.get) { try await client.range(RangeRequest(key: key.bytes)) }
        return try await response.kvs.first.asyncMap(decodeWithData)
    }

    private func decodeWithData(_ kv: KeyValue) async throws -> Stored {
        try await open(kv.value, key: kv.key, revision: kv.modRevision)
    }

    func decode(_ kv: KeyValue) async throws -> APIObject {
        try await decodeWithData(kv).object
    }

    /// A stored value as an object whose resourceVersion is `revision`.
    func decode(_ value: [UInt8], key: [UInt8], revision: Int64) async throws -> APIObject {
        try await open(value, key: key, revision: revision).object
    }

    /// A stored value decrypted and decoded; one that cannot be read is
    /// corruptObject, whatever failed.
    private func open(_ value: [UInt8], key: [UInt8], revision: Int64) async throws -> Stored {
        do {
            let (data, stale) = try await transformer.transformFromStorage(value, key: key)
            var object = try codec.decode(data)
            object.resourceVersion = String(revision)
            return Stored(object: object, data: data, modRevision: revision, stale: stale)
        } catch {
            throw StorageError(.corruptObject, key.string, "unable to decode an object from etcd: \(Self.reason(error))")
        }
    }

    /// What the codec writes of `object` (without resourceVersion), before
    /// the transformer: what tells an update that changes nothing.
    private func encode(_ object: APIObject, key: String) throws -> [UInt8] {
        var stored = object
        stored.resourceVersion = ""
        do {
            return try codec.encode(stored)
        } catch {
            throw StorageError(.invalidObject, key, Self.reason(error))
        }
    }

    /// The value etcd keeps of `data`: encrypted when the resource is.
    private func seal(_ data: [UInt8], key: String) async throws -> [UInt8] {
        try await transformer.transformToStorage(data, key: key.bytes)
    }

    private static func reason(_ error: any Error) -> String {
        (error as? APIError)?.message ?? "\(error)"
    }

    private func leaseID(ttl: Int64?) async throws -> Int64 {
        guard let ttl, ttl > 0 else { return 0 }
        return try await leases.lease(ttl: ttl) { ttl in
            try await etcd(.grant) { try await client.leaseGrant(ttl: ttl).id }
        }
    }

}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

extension Optional {
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
