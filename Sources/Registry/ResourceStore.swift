import APIMachinery
import CoreMetrics
import EtcdClient
import Foundation
import Storage

/// The generic registry store (k8s.io/apiserver's genericregistry.Store):
/// every verb implemented once, for any resource, configured by its
/// definition and strategy. Handlers decode and encode; this owns metadata,
/// validation, optimistic concurrency, finalizers and the subresources.
public final class ResourceStore: Sendable {
    public let definition: ResourceDefinition
    /// What requests read and write through: the etcd store, or the cache
    /// over it, its errors answered with Statuses (`StorageStatuses`).
    public let storage: any ResourceStorage
    /// The etcd store itself, for the operations that must see etcd
    /// directly (migration, backup and restore scan and write it).
    public let etcdStore: Store
    let admission: (any Admission)?
    /// The served kind's Go type, for what decoding into it would refuse
    /// (a patched object of the wrong shape); nil checks nothing.
    public let schema: (any ObjectSchema)?

    /// Attempts at a generated name before giving up on collisions.
    static let generateNameAttempts = 8

    public init(definition: ResourceDefinition, client: EtcdClient, prefix: String,
                metrics: any MetricsFactory = NOOPMetricsHandler.instance, admission: (any Admission)? = nil,
                schemas: SchemaCatalog? = nil, schema: (any ObjectSchema)? = nil, cachers: Cachers? = nil,
                encryption: EncryptionConfiguration? = nil) {
        self.definition = definition
        self.schema = schema ?? schemas.flatMap { KindSchema(catalog: $0, kind: definition.groupVersionKind) }
        let etcdStore = Store(client: client, resource: definition.groupResource,
                              keys: ResourceKeys(prefix: prefix, resourcePath: definition.storagePath,
                                                 namespaced: definition.namespaced),
                              transformer: encryption?.transformer(for: definition.groupResource) ?? IdentityTransformer(),
                              metrics: EtcdRequestMetrics(resource: definition.groupResource, factory: metrics))
        self.etcdStore = etcdStore
        self.storage = StorageStatuses(storage: cachers?.decorate(etcdStore, indexes: Self.cacheIndexes(definition)) ?? etcdStore)
        self.admission = admission
    }

    var strategy: any ResourceStrategy { definition.strategy }
    var resource: GroupResource { definition.groupResource }

    // MARK: Versions
    //
    // Values are read at whatever version they were stored at and converted
    // lazily: to the served version on the way out, to the hub for the
    // strategy, to the storage version on the way in. Each conversion is
    // skipped when the object is already at the version asked for.

    func served(_ object: APIObject) async throws -> APIObject {
        try await served([object])[0]
    }

    /// A list's objects at the served version: one conversion for the lot
    /// (one ConversionReview when a webhook converts).
    func served(_ objects: [APIObject]) async throws -> [APIObject] {
        // A built-in kind's served object is a function of the stored one
        // alone (its conversion and defaults are code that never changes
        // while Berth runs), so a stored state from the watch cache keeps
        // its served form in its shared encodings: each state is converted
        // once, and encoded once per form, for every reader. A custom
        // resource's conversion and defaults change with its CRD, so its
        // converted objects are made for each read.
        let view = "\(definition.groupVersion) \(definition.kind)"
        let shares = !definition.isCustomResource
        var result = objects
        var pending: [Int] = []
        for (index, object) in objects.enumerated() {
            if shares, let known = object.encodings?.servedObject(view) { result[index] = known } else { pending.append(index) }
        }
        guard !pending.isEmpty else { return result }
        var converted = try await definition.converted(pending.map { objects[$0] }, to: definition.groupVersion)
        if strategy.defaultsOnRead {
            for index in converted.indices { strategy.applyReadDefaults(&converted[index]) }
        }
        for (index, object) in zip(pending, converted) {
            result[index] = shares ? (objects[index].encodings?.keepServed(object, as: view) ?? object) : object
        }
        return result
    }

    /// Whether what is read needs more than decoding: a conversion or defaults.
    var changesOnRead: Bool { definition.conversion != nil || strategy.defaultsOnRead }

    func hub(_ object: APIObject) async throws -> APIObject { try await definition.hub(object) }

    func storable(_ hub: APIObject) async throws -> APIObject {
        try await definition.converted(hub, to: definition.storageVersion)
    }

    // MARK: Reads

    public func get(namespace: String, name: String, resourceVersion: String = "") async throws -> APIObject {
        try await served(await storage.get(ObjectKey(namespace: scoped(namespace), name: name), resourceVersion: resourceVersion))
    }

    /// `namespace` nil lists every namespace.
    public func list(namespace: String?, _ query: ListQuery) async throws -> ListResult {
        try query.fieldSelector.validate(supported: supportedFields)
        var options = query.listOptions
        options.filter = filter(query)
        var result = try await storage.list(namespace: namespace.map(scoped), options)
        if changesOnRead { result.items = try await served(result.items) }
        return result
    }

    public func watch(namespace: String?, name: String? = nil, _ query: ListQuery,
                      bookmarks: Bool) async throws -> AsyncStream<StorageWatchEvent> {
        try query.fieldSelector.validate(supported: supportedFields)
        var listOptions = query.listOptions
        listOptions.setWatchDefaults()
        try listOptions.validate(watch: true)
        let options = StorageWatchOptions(resourceVersion: listOptions.resourceVersion, bookmarks: bookmarks,
                                          sendInitialEvents: listOptions.sendInitialEvents, filter: filter(query))
        let events = try await storage.watch(namespace: namespace.map(scoped), name: name, options)
        guard changesOnRead else { return events }
        return AsyncStream { continuation in
            let task = Task {
                for await event in events {
                    var event = event
                    if [.added, .modified, .deleted].contains(event.type) {
                        do {
                            event.object = try await served(event.object)
                        } catch let error as APIError {
                            event = StorageWatchEvent(type: .error, object: APIObject(error.status))
                        }
                    }
                    continuation.yield(event)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    var supportedFields: Set<String> {
        strategy.selectableFieldNames.union(definition.namespaced ? ["metadata.name", "metadata.namespace"] : ["metadata.name"])
    }

    /// Every value a field selector may test on `object` (at any version).
    public func fields(_ object: APIObject) -> [String: String] {
        var fields = strategy.selectableFields(definition.localHub(object))
        fields["metadata.name"] = object.name
        if definition.namespaced { fields["metadata.namespace"] = object.namespace }
        return fields
    }

    /// The fields the kind's watch cache indexes (beyond the namespace,
    /// which its keys' order serves already).
    static func cacheIndexes(_ definition: ResourceDefinition) -> CacheIndexes {
        CacheIndexes(fields: definition.strategy.cacheIndexedFields) { object in
            definition.strategy.selectableFields(definition.localHub(object))
        }
    }

    func filter(_ query: ListQuery) -> SelectionPredicate? {
        if query.labelSelector.isEverything && query.fieldSelector.isEverything { return nil }
        return SelectionPredicate(labels: query.labelSelector, fields: query.fieldSelector) { [self] in fields($0) }
    }

    // MARK: Create

    public func create(_ object: APIObject, namespace: String, _ options: WriteOptions = WriteOptions()) async throws -> APIObject {
        var object = object
        try adoptNamespace(&object, namespace)
        try await admission?.admitCreate(definition, namespace: object.namespace, name: object.name.isEmpty ? object.generateName : object.name)
        if !object.name.isEmpty || object.generateName.isEmpty {
            return try await createOnce(object, options)
        }
        for attempt in 1...Self.generateNameAttempts {
            var named = object
            named.name = object.generateName + Self.randomSuffix()
            do {
                return try await createOnce(named, options)
            } catch let error as APIError where error.reason == .alreadyExists && attempt < Self.generateNameAttempts {
                continue
            }
        }
        throw APIError.internalError("no free name after \(Self.generateNameAttempts) attempts")
    }

    private func createOnce(_ object: APIObject, _ options: WriteOptions) async throws -> APIObject {
        var object = try await hub(object)
        try strategy.normalize(&object)
        prepareForCreate(&object)
        try validateCreate(object)
        if options.dryRun { return try await served(object) }
        return try await served(await storage.create(try await storable(object), ttl: strategy.timeToLive(object)))
    }

    func prepareForCreate(_ object: inout APIObject) {
        object.uid = UUID().uuidString.lowercased()
        object.creationTimestamp = Timestamp.now()
        object.deletionTimestamp = ""
        object.setMetadata("deletionGracePeriodSeconds", nil)
        object.generation = strategy.tracksGeneration ? 1 : 0
        strategy.prepareForCreate(&object)
    }

    func validateCreate(_ object: APIObject) throws {
        let errors = metadataErrors(object) + strategy.validate(object)
        if !errors.isEmpty { throw APIError.invalid(definition.kind, group: definition.group, object.name, errors: errors) }
    }

    /// The object's namespace must agree with the URL's; a namespaced object
    /// without one takes the URL's, a cluster-scoped one has none.
    func adoptNamespace(_ object: inout APIObject, _ namespace: String) throws {
        guard definition.namespaced else {
            object.namespace = ""
            return
        }
        if object.namespace.isEmpty {
            object.namespace = namespace
        } else if object.namespace != namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
    }

    func scoped(_ namespace: String) -> String { definition.namespaced ? namespace : "" }

    static func randomSuffix() -> String {
        // The alphabet of k8s.io/apimachinery/pkg/util/rand: no vowels, no
        // look-alikes, so generated names never spell words.
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }

    // MARK: Update

    /// PUT: replaces the object (or its status or finalize subresource).
    /// Returns whether it was created (allowed for some kinds).
    public func update(_ object: APIObject, namespace: String, name: String, subresource: Subresource? = nil,
                       _ options: WriteOptions = WriteOptions()) async throws -> (object: APIObject, created: Bool) {
        var object = try await hub(object)
        try adoptNamespace(&object, namespace)
        if object.name != name {
            throw APIError.badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(name))")
        }
        let createsOnMissing = subresource == nil && strategy.allowsCreateOnUpdate
        var created = false
        let result = try await readModifyWrite(
            ObjectKey(namespace: scoped(namespace), name: name), ignoreNotFound: createsOnMissing,
            ttl: strategy.timeToLive(object), options
        ) { current in
            guard let current else {
                // Only a PUT that creates passes admission, as a create would.
                try await admission?.admitCreate(definition, namespace: object.namespace, name: object.name)
                created = true
                var new = object
                new.resourceVersion = ""
                try strategy.normalize(&new)
                prepareForCreate(&new)
                try validateCreate(new)
                return try await storable(new)
            }
            if !object.resourceVersion.isEmpty && object.resourceVersion != current.resourceVersion {
                throw APIError.conflict(resource, name, APIError.optimisticLockMessage)
            }
            return try await storable(updated(object, from: hub(current), subresource: subresource))
        }
        return (try await served(result), created)
    }

    /// PATCH: applies the patch to the current object and stores the result
    /// as an update would; retried against the newest state on a conflict.
    public func patch(_ patch: JSONValue, type: PatchType, namespace: String, name: String,
                      subresource: Subresource? = nil, _ options: WriteOptions = WriteOptions()) async throws -> APIObject {
        try await served(await readModifyWrite(ObjectKey(namespace: scoped(namespace), name: name), options) { current in
            guard let current else { throw APIError.notFound(resource, name) }
            // A patch is written against the version the client speaks.
            var result = try apply(patch, type: type, to: await served(current).json)
            try schema?.checkPatched(&result)
            let patched = try APIObject.fromPatch(result, kind: definition.kind)
            if patched.apiVersion != definition.groupVersion || patched.kind != definition.kind {
                throw APIError.badRequest("the patch may not change apiVersion or kind (\(definition.groupVersion) \(definition.kind))")
            }
            var object = try await hub(patched)
            if object.name != name {
                throw APIError.badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(name))")
            }
            try adoptNamespace(&object, current.namespace)
            if object.resourceVersion != current.resourceVersion && !object.resourceVersion.isEmpty {
                throw APIError.conflict(resource, name, APIError.optimisticLockMessage)
            }
            return try await storable(updated(object, from: hub(current), subresource: subresource))
        })
    }

    /// storage.guaranteedUpdate, then the deletion an update may complete;
    /// with dryRun, the same `update` of the current state without a write.
    func readModifyWrite(_ key: ObjectKey, ignoreNotFound: Bool = false, ttl: Int64? = nil,
                                 _ options: WriteOptions,
                                 _ update: (APIObject?) async throws -> APIObject) async throws -> APIObject {
        guard options.dryRun else {
            return try await finishUpdate(try await storage.guaranteedUpdate(key, ignoreNotFound: ignoreNotFound, ttl: ttl, update))
        }
        let current: APIObject?
        do {
            current = try await storage.get(key)
        } catch let error as APIError where error.reason == .notFound && ignoreNotFound {
            current = nil
        }
        return try await update(current)
    }

    public func apply(_ patch: JSONValue, type: PatchType, to document: JSONValue) throws -> JSONValue {
        switch type {
        case .merge: return MergePatch.apply(patch, to: document)
        case .strategic:
            return try StrategicMergePatch.apply(patch, to: document, schema: schema?.strategicMergeSchema ?? .opaque)
        case .json:
            do {
                return try JSONPatch.apply(patch, to: document)
            } catch let failure as JSONPatch.Failure {
                var error = APIError(code: 422, reason: .invalid,
                                     message: "the server rejected our request due to an error in our request")
                error.causes = [APIError.Cause(type: "", message: failure.description)]
                throw error
            }
        }
    }

    /// The new state of `current` after a client's replacement `object`.
    func updated(_ object: APIObject, from current: APIObject, subresource: Subresource?) throws -> APIObject {
        var new: APIObject
        switch subresource {
        case .status?:
            new = current
            new["status"] = object["status"]
        case .finalize?:
            new = current
            var spec = current["spec"]?.objectValue ?? [:]
            spec["finalizers"] = object["spec"]?["finalizers"]
            new["spec"] = .object(spec)
        case .scale?:
            // Scale writes become updates of the whole object (updateScale).
            throw APIError.internalError("a Scale cannot replace a \(definition.kind)")
        case nil:
            new = object
            try strategy.normalize(&new)
            if definition.subresources[.status] != nil { new["status"] = current["status"] }
            strategy.prepareForUpdate(&new, old: current)
        }
        // What the server owns stays as it was.
        new.resourceVersion = current.resourceVersion
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"] {
            if object.metadata[field] == nil || subresource != nil { new.setMetadata(field, current.metadata[field]) }
        }
        new.generation = current.generation
        if strategy.tracksGeneration, subresource == nil, strategy.changesDesiredState(new, old: current) {
            new.generation = current.generation + 1
        }
        let errors = metadataErrors(new) + updateMetadataErrors(new, old: current)
            + (subresource == nil ? strategy.validateUpdate(new, old: current)
                : subresource == .status ? strategy.validateStatus(new, old: current) : [])
        if !errors.isEmpty { throw APIError.invalid(definition.kind, group: definition.group, new.name, errors: errors) }
        return new
    }

    /// An update that leaves a deleted object without finalizers completes
    /// its deletion.
    private func finishUpdate(_ object: APIObject) async throws -> APIObject {
        guard !object.deletionTimestamp.isEmpty, strategy.pendingFinalizers(try await hub(object)).isEmpty else { return object }
        return try await storage.delete(ObjectKey(namespace: scoped(object.namespace), name: object.name),
                                        preconditions: Preconditions(resourceVersion: object.resourceVersion))
    }

    // MARK: Storage migration

    public enum MigrationOutcome: Sendable, Equatable {
        /// Written again at the storage version; `conflicts` concurrent writes
        /// made it re-read and convert again.
        case rewritten(conflicts: Int)
        /// Already at the storage version.
        case current
        /// Deleted meanwhile.
        case gone
    }

    /// Moves one stored object, as a scan read it, to the storage version:
    /// the no-op update kube-storage-version-migrator makes, so watchers see a
    /// MODIFIED event with a new resourceVersion (and an event's TTL starts
    /// again, as after any update). The write is guarded by the value's
    /// mod_revision; a value changed meanwhile is re-read and converted again,
    /// never overwritten with what was read before. A value that is `stale`
    /// (an older encryption key wrote it) is rewritten at any version, so
    /// that it is encrypted with the current key. `dryRun` only says what
    /// would happen.
    public func migrate(_ scanned: APIObject, stale: Bool = false, dryRun: Bool = false) async throws -> MigrationOutcome {
        if scanned.apiVersion == definition.storageVersion && !stale { return .current }
        if dryRun { return .rewritten(conflicts: 0) }
        let key = ObjectKey(namespace: scoped(scanned.namespace), name: scanned.name)
        var attempts = 0
        var current = false
        do {
            // A stale value is read again rather than taken as scanned: the
            // store rewrites what it reads as stale even when nothing changes.
            _ = try await storage.guaranteedUpdate(key, ttl: strategy.timeToLive(try await hub(scanned)),
                                                   cached: stale ? nil : scanned) { stored in
                attempts += 1
                guard let stored else { throw APIError.notFound(resource, key.name) }
                let atStorageVersion = stored.apiVersion == definition.storageVersion
                current = atStorageVersion && !stale
                return atStorageVersion ? stored : try await storable(hub(stored))
            }
        } catch let error as APIError where error.reason == .notFound {
            return .gone
        }
        return current ? .current : .rewritten(conflicts: attempts - 1)
    }

    // MARK: Delete

    public struct Deletion: Sendable {
        public var object: APIObject
        /// false while finalizers hold the object (it now has a deletionTimestamp).
        public var deleted: Bool
    }

    public func delete(namespace: String, name: String, preconditions: Preconditions? = nil,
                       _ options: WriteOptions = WriteOptions()) async throws -> Deletion {
        let key = ObjectKey(namespace: scoped(namespace), name: name)
        try await admission?.admitDelete(definition, namespace: namespace, name: name)
        let current = try await hub(await storage.get(key))
        do {
            try preconditions?.check(current, key: try storage.keys.key(key))
        } catch let error as StorageError {
            throw error.apiError(resource, name: name)
        }
        var marked = current
        strategy.beginDeletion(&marked)
        if !strategy.pendingFinalizers(marked).isEmpty {
            if !current.deletionTimestamp.isEmpty && marked == current { return Deletion(object: try await served(current), deleted: false) }
            if options.dryRun { return Deletion(object: try await served(marked), deleted: false) }
            let object = try await storage.guaranteedUpdate(key, preconditions: preconditions) { latest in
                var object = try await hub(latest!)
                if object.deletionTimestamp.isEmpty {
                    object.deletionTimestamp = Timestamp.now()
                    object.setMetadata("deletionGracePeriodSeconds", .int(0))
                }
                strategy.beginDeletion(&object)
                return try await storable(object)
            }
            return Deletion(object: try await served(object), deleted: false)
        }
        if options.dryRun { return Deletion(object: try await served(current), deleted: true) }
        let deleted = try await storage.delete(key, preconditions: preconditions) { [self] latest in
            if !strategy.pendingFinalizers(try await hub(latest)).isEmpty {
                throw APIError.conflict(resource, name, "finalizers were added while it was being deleted; try again")
            }
        }
        return Deletion(object: try await served(deleted), deleted: true)
    }


    /// DELETE on the collection: every matching object, as DELETE each would.
    public func deleteCollection(namespace: String?, _ query: ListQuery,
                                 _ options: WriteOptions = WriteOptions()) async throws -> ListResult {
        var query = query
        query.listOptions.limit = 0
        query.listOptions.continueToken = ""
        var result = try await list(namespace: namespace, query)
        var removed: [APIObject] = []
        for object in result.items {
            do {
                removed.append(try await delete(namespace: object.namespace, name: object.name, options).object)
            } catch let error as APIError where error.reason == .notFound {
                continue
            }
        }
        result.items = removed
        return result
    }

    // MARK: Metadata rules (ValidateObjectMeta)

    func metadataErrors(_ object: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        if object.name.isEmpty {
            errors.append(.required("metadata.name", "name or generateName is required"))
        } else if let problem = strategy.nameProblem(object.name) {
            errors.append(.invalid("metadata.name", object.name, problem))
        }
        if definition.namespaced {
            if object.namespace.isEmpty {
                errors.append(.required("metadata.namespace"))
            } else if let problem = Validation.dns1123LabelProblem(object.namespace) {
                errors.append(.invalid("metadata.namespace", object.namespace, problem))
            }
        } else if !object.namespace.isEmpty {
            errors.append(.forbidden("metadata.namespace", "not allowed on this type"))
        }
        errors += Validation.labels(object.labels, field: "metadata.labels")
        errors += Validation.annotations(object.annotations, field: "metadata.annotations")
        for (index, finalizer) in object.finalizers.enumerated() {
            if let problem = Validation.qualifiedNameProblem(finalizer) {
                errors.append(.invalid("metadata.finalizers[\(index)]", finalizer, problem))
            }
        }
        return errors
    }

    func updateMetadataErrors(_ object: APIObject, old: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        if object.uid != old.uid { errors.append(.invalid("metadata.uid", object.uid, "field is immutable")) }
        if object.creationTimestamp != old.creationTimestamp {
            errors.append(.invalid("metadata.creationTimestamp", object.creationTimestamp, "field is immutable"))
        }
        if !old.deletionTimestamp.isEmpty {
            let added = Set(object.finalizers).subtracting(old.finalizers)
            if !added.isEmpty {
                errors.append(.forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers \(added.sorted().map { "\"\($0)\"" })"))
            }
        }
        return errors
    }
}

/// Label and field selectors plus the list options of one list or watch.
public struct ListQuery: Sendable {
    public var labelSelector: LabelSelector
    public var fieldSelector: FieldSelector
    public var listOptions: ListOptions

    public init(labelSelector: LabelSelector = .everything, fieldSelector: FieldSelector = .everything,
                listOptions: ListOptions = ListOptions()) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.listOptions = listOptions
    }
}

public struct WriteOptions: Sendable {
    /// ?dryRun=All: everything but the write.
    public var dryRun: Bool
    public init(dryRun: Bool = false) { self.dryRun = dryRun }
}

public enum PatchType: Sendable {
    case json, merge, strategic
}

/// Something to check before an object is created (admission).
/// Checks a request must pass before it reaches storage, as kube-apiserver's
/// admission plugins do. Each check passes unless a plugin says otherwise.
public protocol Admission: Sendable {
    func admitCreate(_ definition: ResourceDefinition, namespace: String, name: String) async throws
    func admitDelete(_ definition: ResourceDefinition, namespace: String, name: String) async throws
}

extension Admission {
    public func admitCreate(_ definition: ResourceDefinition, namespace: String, name: String) async throws {}
    public func admitDelete(_ definition: ResourceDefinition, namespace: String, name: String) async throws {}
}

extension ResourceStrategy {
    /// What still holds a deleted object: its finalizers.
    public func pendingFinalizers(_ object: APIObject) -> [String] {
        object.finalizers + extraFinalizers(object)
    }
}

extension APIObject {
    /// The result of a patch must still be an object of the kind.
    static func fromPatch(_ json: JSONValue, kind: String) throws -> APIObject {
        guard case .object = json, json["metadata"]?.objectValue != nil else {
            throw APIError.badRequest("the patch left no object of kind \(kind)")
        }
        return APIObject(json)
    }
}
