import APIMachinery

/// Everything the server needs to know to serve one resource at one version:
/// its names (for URLs and discovery), its scope, and the strategy that holds
/// what is particular to its kind. A new built-in kind is a definition plus a
/// strategy, never a new handler.
public struct ResourceDefinition: Sendable {
    public var group: String
    public var version: String
    /// The plural, lower-case name used in URLs ("configmaps").
    public var resource: String
    public var singular: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    /// Verbs on the resource itself, as discovery lists them.
    public var verbs: [String]
    public var hasStatus: Bool
    public var strategy: any ResourceStrategy

    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public init(group: String = "", version: String = "v1", resource: String, singular: String, kind: String,
                namespaced: Bool = true, shortNames: [String] = [], categories: [String] = [],
                verbs: [String] = ResourceDefinition.allVerbs, hasStatus: Bool = false,
                strategy: any ResourceStrategy) {
        self.group = group
        self.version = version
        self.resource = resource
        self.singular = singular
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.verbs = verbs
        self.hasStatus = hasStatus
        self.strategy = strategy
    }

    /// "v1" or "coordination.k8s.io/v1", as apiVersion spells it.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var groupResource: GroupResource { GroupResource(group: group, resource: resource) }
    public var listKind: String { kind + "List" }

    /// The etcd path segment under the prefix: kube-apiserver keeps built-in
    /// kinds under their resource name alone ("/registry/configmaps/...").
    public var storagePath: String { resource }
}
