import APIMachinery
import EtcdClient
import Storage

/// The registry's view of its storage (kube's storeerr): the same calls,
/// with storage's errors turned into the Statuses a client sees, worded for
/// the object the request named. Storage only says what went wrong with a
/// key; which Status that is belongs here.
struct StorageStatuses: ResourceStorage {
    let storage: any ResourceStorage

    var resource: GroupResource { storage.resource }
    var keys: ResourceKeys { storage.keys }

    func create(_ object: APIObject, ttl: Int64?) async throws -> APIObject {
        try await statuses(object.name) { try await storage.create(object, ttl: ttl) }
    }

    func get(_ key: ObjectKey, resourceVersion: String) async throws -> APIObject {
        try await statuses(key.name) { try await storage.get(key, resourceVersion: resourceVersion) }
    }

    func list(namespace: String?, _ options: ListOptions) async throws -> ListResult {
        try await statuses("") { try await storage.list(namespace: namespace, options) }
    }

    func count(namespace: String?) async throws -> Int64 {
        try await statuses("") { try await storage.count(namespace: namespace) }
    }

    func guaranteedUpdate(_ key: ObjectKey, preconditions: Preconditions?, ignoreNotFound: Bool, ttl: Int64?,
                          cached: APIObject?, _ update: (APIObject?) async throws -> APIObject) async throws -> APIObject {
        try await statuses(key.name) {
            try await storage.guaranteedUpdate(key, preconditions: preconditions, ignoreNotFound: ignoreNotFound,
                                               ttl: ttl, cached: cached, update)
        }
    }

    func delete(_ key: ObjectKey, preconditions: Preconditions?,
                validate: ((APIObject) async throws -> Void)?) async throws -> APIObject {
        try await statuses(key.name) { try await storage.delete(key, preconditions: preconditions, validate: validate) }
    }

    func watch(namespace: String?, name: String?, _ options: StorageWatchOptions) async throws -> AsyncStream<StorageWatchEvent> {
        try await statuses(name ?? "") { try await storage.watch(namespace: namespace, name: name, options) }
    }

    /// Runs `call`, answering its storage and etcd errors with Statuses.
    func statuses<T>(_ name: String, _ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as StorageError {
            throw error.apiError(resource, name: name)
        } catch let error as EtcdError {
            throw error.apiError()
        }
    }
}

extension StorageError {
    /// The Status kube-apiserver answers for this failure of the object
    /// named `name` (storeerr's InterpretGetError and friends).
    func apiError(_ resource: GroupResource, name: String) -> APIError {
        switch code {
        case .keyNotFound: .notFound(resource, name)
        case .keyExists: .alreadyExists(resource, name)
        case .resourceVersionConflicts: .conflict(resource, name, detail)
        case .invalidObject, .corruptObject: .internalError(detail)
        }
    }
}
