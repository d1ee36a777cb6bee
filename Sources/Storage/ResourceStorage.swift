import APIMachinery

/// How the registry keeps the objects of one resource (kube's
/// storage.Interface): the etcd `Store`, or the `Cacher` that decorates it
/// and answers reads and watches from memory. Objects come back at the
/// version they were stored at, with metadata.resourceVersion set.
public protocol ResourceStorage: Sendable {
    var resource: GroupResource { get }
    var keys: ResourceKeys { get }

    /// Stores a new object; with a ttl (seconds) it expires.
    func create(_ object: APIObject, ttl: Int64?) async throws -> APIObject
    /// resourceVersion "" reads the newest state, "0" any state, "N" a state
    /// at least as new as N.
    func get(_ key: ObjectKey, resourceVersion: String) async throws -> APIObject
    /// One page of the objects in `namespace` (every namespace when nil).
    func list(namespace: String?, _ options: ListOptions) async throws -> ListResult
    /// How many objects `namespace` holds (every namespace when nil).
    func count(namespace: String?) async throws -> Int64
    /// Read-modify-write guarded by the stored revision, retried on conflicts;
    /// `cached` may stand in for the first read.
    func guaranteedUpdate(_ key: ObjectKey, preconditions: Preconditions?, ignoreNotFound: Bool, ttl: Int64?,
                          cached: APIObject?, _ update: (APIObject?) async throws -> APIObject) async throws -> APIObject
    /// Deletes the object when the preconditions and `validate` accept its current state.
    func delete(_ key: ObjectKey, preconditions: Preconditions?,
                validate: ((APIObject) async throws -> Void)?) async throws -> APIObject
    /// Watches one object (`name` given) or a namespace (every one when nil).
    func watch(namespace: String?, name: String?, _ options: StorageWatchOptions) async throws -> AsyncStream<StorageWatchEvent>
}

extension ResourceStorage {
    public func create(_ object: APIObject) async throws -> APIObject {
        try await create(object, ttl: nil)
    }

    public func get(_ key: ObjectKey) async throws -> APIObject {
        try await get(key, resourceVersion: "")
    }

    public func list(namespace: String? = nil) async throws -> ListResult {
        try await list(namespace: namespace, ListOptions())
    }

    public func count() async throws -> Int64 {
        try await count(namespace: nil)
    }

    public func guaranteedUpdate(_ key: ObjectKey, preconditions: Preconditions? = nil, ignoreNotFound: Bool = false,
                                 ttl: Int64? = nil, cached: APIObject? = nil,
                                 _ update: (APIObject?) async throws -> APIObject) async throws -> APIObject {
        try await guaranteedUpdate(key, preconditions: preconditions, ignoreNotFound: ignoreNotFound, ttl: ttl,
                                   cached: cached, update)
    }

    public func delete(_ key: ObjectKey, preconditions: Preconditions? = nil) async throws -> APIObject {
        try await delete(key, preconditions: preconditions, validate: nil)
    }

    public func watch(namespace: String? = nil, name: String? = nil) async throws -> AsyncStream<StorageWatchEvent> {
        try await watch(namespace: namespace, name: name, StorageWatchOptions())
    }
}
