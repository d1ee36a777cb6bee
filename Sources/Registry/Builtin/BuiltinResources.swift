import APIMachinery

/// The built-in APIs Berth serves: core/v1 and coordination.k8s.io/v1, with
/// the names, scopes and subresources kube-apiserver gives them.
public enum BuiltinResources {
    public struct Settings: Sendable {
        /// --event-ttl in seconds.
        public var eventTTL: Int64 = 3600
        public init(eventTTL: Int64 = 3600) { self.eventTTL = eventTTL }
    }

    public static func definitions(_ settings: Settings = Settings()) -> [ResourceDefinition] {
        [
            ResourceDefinition(resource: "namespaces", singular: "namespace", kind: "Namespace", namespaced: false,
                               shortNames: ["ns"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
                               hasStatus: true, strategy: NamespaceStrategy()),
            ResourceDefinition(resource: "configmaps", singular: "configmap", kind: "ConfigMap", shortNames: ["cm"],
                               strategy: ConfigMapStrategy()),
            ResourceDefinition(resource: "secrets", singular: "secret", kind: "Secret", strategy: SecretStrategy()),
            ResourceDefinition(resource: "events", singular: "event", kind: "Event", shortNames: ["ev"],
                               strategy: EventStrategy(ttl: settings.eventTTL)),
            ResourceDefinition(resource: "serviceaccounts", singular: "serviceaccount", kind: "ServiceAccount",
                               shortNames: ["sa"], strategy: ServiceAccountStrategy()),
            ResourceDefinition(resource: "services", singular: "service", kind: "Service", shortNames: ["svc"],
                               categories: ["all"], hasStatus: true, strategy: ServiceStrategy()),
            ResourceDefinition(resource: "endpoints", singular: "endpoints", kind: "Endpoints", shortNames: ["ep"],
                               strategy: EndpointsStrategy()),
            ResourceDefinition(resource: "pods", singular: "pod", kind: "Pod", shortNames: ["po"], categories: ["all"],
                               hasStatus: true, strategy: PodStrategy()),
            ResourceDefinition(group: "coordination.k8s.io", resource: "leases", singular: "lease", kind: "Lease",
                               strategy: LeaseStrategy()),
        ]
    }

    /// Namespaces that exist from the start, as on every cluster.
    public static let initialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]
}
