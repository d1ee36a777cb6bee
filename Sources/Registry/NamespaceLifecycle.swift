import APIMachinery

/// kube-apiserver's NamespaceLifecycle admission plugin, for what is created
/// in a namespace: nothing in a namespace that does not exist or is being
/// deleted. A namespace the cache knows as active needs no etcd read; any
/// other answer is checked in etcd.
struct NamespaceLifecycle: Admission {
    let namespaces: ResourceStore
    let cache: NamespaceCache

    func admitCreate(_ definition: ResourceDefinition, namespace: String, name: String) async throws {
        if cache.isActive(namespace) { return }
        let object = try await namespaces.get(namespace: "", name: namespace)
        if !NamespaceCache.isActive(object) {
            let why = "unable to create new content in namespace \(namespace) because it is being terminated"
            throw APIError.forbidden(definition.groupResource, name, why,
                                     cause: APIError.Cause(type: "NamespaceTerminating", message: why, field: "metadata.namespace"))
        }
    }
}

/// The same plugin's half for namespaces themselves: `default`, `kube-system`
/// and `kube-public` may not be deleted, and once a delete is asked for, the
/// cache stops vouching for the namespace for 30 s, so a create that follows
/// is checked in etcd rather than admitted on the watch's older news.
struct NamespaceDeletion: Admission {
    let cache: NamespaceCache
    static let immortal: Set<String> = ["default", "kube-system", "kube-public"]

    func admitDelete(_ definition: ResourceDefinition, namespace: String, name: String) async throws {
        if Self.immortal.contains(name) {
            throw APIError.forbidden(definition.groupResource, name, "this namespace may not be deleted")
        }
        cache.forget(name)
    }
}
