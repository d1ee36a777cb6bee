import APIMachinery
import Storage

/// Follows the CRDs in etcd (a list, then a watch) and does what kube's
/// apiextensions controllers do between them: accepts each CRD's names
/// unless another CRD of its group holds them (NamesAccepted), marks it
/// Established, serves its custom resources by publishing a new registry
/// snapshot, and when a CRD is deleted refuses new objects, deletes the
/// existing ones and then releases its finalizer. Every server over the
/// same etcd runs one, so a CRD made through one is served by all.
public actor CustomResourceDefinitionController {
    let registry: Registry
    let crds: ResourceStore
    /// The CRDs as last seen, by name.
    private var seen: [String: APIObject] = [:]
    /// The stores serving each CRD, and what they were made from.
    private var served: [String: (generation: Int64, terminating: Bool, stores: [ResourceStore])] = [:]
    /// CRDs whose custom resources are being deleted here, each by its task
    /// (cancelled when `run` ends).
    private var cleaning: [String: Task<Void, Never>] = [:]

    /// nil when apiextensions.k8s.io/v1 is not served (--runtime-config).
    public init?(registry: Registry) {
        guard let crds = registry.builtin.first(where: {
            $0.definition.group == "apiextensions.k8s.io" && $0.definition.resource == "customresourcedefinitions"
        }) else { return nil }
        self.registry = registry
        self.crds = crds
    }

    /// Runs until cancelled; after an error (etcd away, a compacted watch)
    /// lists again.
    public func run(retryInterval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            do {
                let list = try await crds.list(namespace: nil, ListQuery())
                seen = Dictionary(list.items.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
                await reconcile()
                var query = ListQuery()
                query.listOptions.resourceVersion = list.resourceVersion
                for await event in try await crds.watch(namespace: nil, query, bookmarks: false) {
                    switch event.type {
                    case .added, .modified: seen[event.object.name] = event.object
                    case .deleted: seen[event.object.name] = nil
                    case .bookmark: continue
                    case .error: break
                    }
                    if event.type == .error { break }
                    await reconcile()
                }
            } catch {
                // etcd unavailable: start over after the interval.
            }
            try? await Task.sleep(for: retryInterval)
        }
        for task in cleaning.values { task.cancel() }
    }

    /// Brings statuses, the served set and cleanups in line with `seen`.
    private func reconcile() async {
        let ordered = seen.values.sorted { ($0.creationTimestamp, $0.name) < ($1.creationTimestamp, $1.name) }
        var statuses = Dictionary(ordered.map { ($0.name, CustomResourceDefinitionStatus($0)) }, uniquingKeysWith: { $1 })
        let byGroup = Dictionary(grouping: ordered) { $0.string(at: ["spec", "group"]) }
        var changed: [APIObject] = []
        // Only CRDs not yet settled are looked at, so one new CRD among
        // hundreds costs one pass over its group, not over every pair.
        for crd in ordered where !Self.isSettled(crd, statuses[crd.name]!) {
            var status = statuses[crd.name]!
            // Names accepted by the others of the group: as just decided for
            // those before this one, as stored for the rest.
            let others = byGroup[crd.string(at: ["spec", "group"]), default: []].filter { $0.name != crd.name }
                .map { statuses[$0.name]! }
            acceptNames(crd, &status, others: others)
            if status != statuses[crd.name] {
                statuses[crd.name] = status
                changed.append(crd)
            }
        }
        // Served first, then the status written: a client waiting for the
        // kind need not wait for that write.
        publish(ordered, statuses)
        for crd in changed { await writeStatus(crd, statuses[crd.name]!) }
        for crd in ordered where !crd.deletionTimestamp.isEmpty && cleaning[crd.name] == nil {
            let stores = served[crd.name]?.stores ?? []
            cleaning[crd.name] = Task { await self.clean(crd.name, stores: stores) }
        }
    }

    /// Names accepted as asked, Established, not being deleted: nothing to do.
    static func isSettled(_ crd: APIObject, _ status: CustomResourceDefinitionStatus) -> Bool {
        crd.deletionTimestamp.isEmpty && status.isTrue("NamesAccepted") && status.isEstablished
            && CustomResourceDefinitionSpec.Names(status.acceptedNames) == CustomResourceDefinitionSpec.Names(crd["spec"]?["names"])
    }

    /// kube's naming controller: each requested name is accepted unless
    /// another CRD of the group has it among its accepted names; then
    /// Established follows NamesAccepted.
    private func acceptNames(_ crd: APIObject, _ status: inout CustomResourceDefinitionStatus,
                             others: [CustomResourceDefinitionStatus]) {
        let spec = CustomResourceDefinitionSpec(crd)
        var resources: Set<String> = [], kinds: Set<String> = []
        for other in others {
            let names = CustomResourceDefinitionSpec.Names(other.acceptedNames)
            resources.formUnion([names.plural, names.singular] + names.shortNames)
            kinds.formUnion([names.kind, names.listKind])
        }
        resources.remove(""); kinds.remove("")
        var accepted = CustomResourceDefinitionSpec.Names(status.acceptedNames)
        let requested = spec.names
        var conflict: (reason: String, message: String)?
        func take(_ name: String, in used: Set<String>, reason: String, _ assign: (inout CustomResourceDefinitionSpec.Names) -> Void) {
            if used.contains(name) {
                conflict = (reason, "\(FieldError.quote(name)) is already in use")
            } else {
                assign(&accepted)
            }
        }
        take(requested.plural, in: resources, reason: "PluralConflict") { $0.plural = requested.plural }
        take(requested.singular, in: resources, reason: "SingularConflict") { $0.singular = requested.singular }
        let takenShortNames = requested.shortNames.filter { resources.contains($0) }
        if takenShortNames.isEmpty {
            accepted.shortNames = requested.shortNames
        } else {
            let messages = takenShortNames.map { "\(FieldError.quote($0)) is already in use" }
            conflict = ("ShortNamesConflict", messages.count == 1 ? messages[0] : "[" + messages.joined(separator: ", ") + "]")
        }
        take(requested.kind, in: kinds, reason: "KindConflict") { $0.kind = requested.kind }
        take(requested.listKind, in: kinds, reason: "ListKindConflict") { $0.listKind = requested.listKind }
        accepted.categories = requested.categories
        status.acceptedNames = accepted.json
        if let conflict {
            status.set("NamesAccepted", "False", reason: conflict.reason, message: conflict.message)
            if !status.isEstablished {
                status.set("Established", "False", reason: "NotAccepted", message: "not all names are accepted")
            }
        } else {
            status.set("NamesAccepted", "True", reason: "NoConflicts", message: "no conflicts found")
            if !status.isEstablished {
                status.set("Established", "True", reason: "InitialNamesAccepted", message: "the initial names have been accepted")
            }
        }
        if !crd.deletionTimestamp.isEmpty, status.condition("Terminating")?.reason == "InstanceDeletionPending" {
            status.set("Terminating", "True", reason: "InstanceDeletionInProgress", message: "CustomResource deletion is in progress")
        }
    }

    /// Written with the CRD's resourceVersion: a conflict means a newer
    /// CRD is on its way through the watch, and that one is reconciled.
    private func writeStatus(_ crd: APIObject, _ status: CustomResourceDefinitionStatus) async {
        var updated = crd
        updated["status"] = status.json
        _ = try? await crds.update(updated, namespace: "", name: crd.name, subresource: .status)
    }

    /// Serves every Established CRD, reusing the stores of those whose spec
    /// has not changed.
    private func publish(_ ordered: [APIObject], _ statuses: [String: CustomResourceDefinitionStatus]) {
        var next: [String: (generation: Int64, terminating: Bool, stores: [ResourceStore])] = [:]
        var madeStores = false
        for crd in ordered where statuses[crd.name]?.isEstablished == true {
            let terminating = !crd.deletionTimestamp.isEmpty
            if let current = served[crd.name], current.generation == crd.generation, current.terminating == terminating {
                next[crd.name] = current
                continue
            }
            let admission: (any Admission)? = terminating ? TerminatingDefinition()
                : CustomResourceDefinitionSpec(crd).namespaced ? registry.namespaceAdmission : nil
            let stores = CustomResourceDefinitions.definitions(for: crd, resolver: ServiceEndpointResolver(registry: registry)).map { definition, schema in
                registry.makeStore(definition, schema: schema, admission: admission)
            }
            next[crd.name] = (crd.generation, terminating, stores)
            madeStores = true
        }
        // Unchanged CRDs kept their stores: the set changed if stores were
        // made or a CRD left it.
        let changed = madeStores || Set(next.keys) != Set(served.keys)
        served = next
        if changed {
            registry.serve(custom: ordered.flatMap { next[$0.name]?.stores ?? [] })
        }
    }

    /// Deletes every custom resource of a deleted CRD (waiting for their own
    /// finalizers), then removes the CRD's finalizer, which ends its deletion.
    private func clean(_ name: String, stores: [ResourceStore]) async {
        defer { cleaning[name] = nil }
        let store = stores.first
        while !Task.isCancelled {
            do {
                if let store {
                    _ = try await store.deleteCollection(namespace: nil, ListQuery())
                    if !(try await store.list(namespace: nil, ListQuery(listOptions: ListOptions(limit: 1))).items.isEmpty) {
                        try await Task.sleep(for: .seconds(1))
                        continue
                    }
                }
                let crd = try await crds.get(namespace: "", name: name)
                var status = CustomResourceDefinitionStatus(crd)
                status.set("Terminating", "False", reason: store == nil ? "NeverEstablished" : "InstanceDeletionCompleted",
                           message: store == nil ? "resource was never established" : "removed all instances")
                var released = crd
                released["status"] = status.json
                _ = try? await crds.update(released, namespace: "", name: name, subresource: .status)
                var latest = try await crds.get(namespace: "", name: name)
                latest.finalizers.removeAll { $0 == CustomResourceDefinitionStrategy.cleanupFinalizer }
                _ = try await crds.update(latest, namespace: "", name: name)
                return
            } catch let error as APIError where error.reason == .notFound {
                return
            } catch {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// Refuses new custom resources of a CRD being deleted, as kube does.
struct TerminatingDefinition: Admission {
    func admitCreate(_ definition: ResourceDefinition, namespace: String, name: String) async throws {
        var error = APIError(code: 405, reason: .methodNotAllowed,
                             message: "create not allowed while custom resource definition is terminating")
        error.group = definition.group
        error.kind = definition.resource
        throw error
    }
}

extension CustomResourceDefinitionSpec.Names {
    var json: JSONValue {
        var object: JSONObject = ["plural": .string(plural)]
        if !singular.isEmpty { object["singular"] = .string(singular) }
        if !shortNames.isEmpty { object["shortNames"] = .array(shortNames.map(JSONValue.string)) }
        object["kind"] = .string(kind)
        if !listKind.isEmpty { object["listKind"] = .string(listKind) }
        if !categories.isEmpty { object["categories"] = .array(categories.map(JSONValue.string)) }
        return .object(object)
    }
}
