import APIMachinery

/// The built-in APIs Berth serves: core/v1, coordination.k8s.io/v1 (and
/// v1alpha2 LeaseCandidates when enabled), events.k8s.io (v1, and v1beta1
/// when enabled), autoscaling (v2 and v1), apiextensions.k8s.io/v1,
/// apiregistration.k8s.io/v1 and discovery.k8s.io/v1,
/// with the names, scopes, subresources and storage versions kube-apiserver
/// gives them.
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
                               subresources: [.status: .status, .finalize: .finalize], strategy: NamespaceStrategy()),
            ResourceDefinition(resource: "configmaps", singular: "configmap", kind: "ConfigMap", shortNames: ["cm"],
                               strategy: ConfigMapStrategy()),
            ResourceDefinition(resource: "secrets", singular: "secret", kind: "Secret", strategy: SecretStrategy()),
            ResourceDefinition(resource: "events", singular: "event", kind: "Event", shortNames: ["ev"],
                               strategy: EventStrategy(ttl: settings.eventTTL), conversion: EventConversion()),
            ResourceDefinition(resource: "serviceaccounts", singular: "serviceaccount", kind: "ServiceAccount",
                               shortNames: ["sa"], strategy: ServiceAccountStrategy()),
            ResourceDefinition(resource: "services", singular: "service", kind: "Service", shortNames: ["svc"],
                               categories: ["all"], subresources: [.status: .status], strategy: ServiceStrategy()),
            ResourceDefinition(resource: "endpoints", singular: "endpoints", kind: "Endpoints", shortNames: ["ep"],
                               strategy: EndpointsStrategy()),
            ResourceDefinition(resource: "pods", singular: "pod", kind: "Pod", shortNames: ["po"], categories: ["all"],
                               subresources: [.status: .status], strategy: PodStrategy()),
            ResourceDefinition(group: "coordination.k8s.io", resource: "leases", singular: "lease", kind: "Lease",
                               strategy: LeaseStrategy()),
            // Alpha, so served only when --runtime-config enables it.
            ResourceDefinition(group: "coordination.k8s.io", version: "v1alpha2", resource: "leasecandidates",
                               singular: "leasecandidate", kind: "LeaseCandidate", strategy: LeaseCandidateStrategy()),
            // Alpha: `berth serve` migrates the resource each one names.
            ResourceDefinition(group: "storagemigration.k8s.io", version: "v1alpha1", resource: "storageversionmigrations",
                               singular: "storageversionmigration", kind: "StorageVersionMigration", namespaced: false,
                               subresources: [.status: .status], strategy: StorageVersionMigrationStrategy()),
            // Over core/v1's storage, stored as core/v1 Events, as upstream.
            ResourceDefinition(group: "events.k8s.io", resource: "events", singular: "event", kind: "Event", shortNames: ["ev"],
                               strategy: EventStrategy(ttl: settings.eventTTL, api: .events), storageVersion: "v1",
                               conversion: EventConversion()),
            ResourceDefinition(group: "events.k8s.io", version: "v1beta1", resource: "events", singular: "event", kind: "Event",
                               shortNames: ["ev"], strategy: EventStrategy(ttl: settings.eventTTL, api: .events),
                               storageVersion: "v1", conversion: EventConversion(), enabledByDefault: false,
                               deprecation: Deprecation(deprecatedIn: "1.22", removedIn: "1.25", replacement: "events.k8s.io/v1 Event")),
            ResourceDefinition(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers",
                               singular: "horizontalpodautoscaler", kind: "HorizontalPodAutoscaler", shortNames: ["hpa"],
                               categories: ["all"], subresources: [.status: .status], strategy: HorizontalPodAutoscalerStrategy(),
                               conversion: HorizontalPodAutoscalerConversion()),
            ResourceDefinition(group: "autoscaling", version: "v1", resource: "horizontalpodautoscalers",
                               singular: "horizontalpodautoscaler", kind: "HorizontalPodAutoscaler", shortNames: ["hpa"],
                               categories: ["all"], subresources: [.status: .status], strategy: HorizontalPodAutoscalerStrategy(),
                               storageVersion: "autoscaling/v2", conversion: HorizontalPodAutoscalerConversion()),
            // Stored where kube-apiserver's apiextensions server keeps them.
            ResourceDefinition(group: "apiextensions.k8s.io", resource: "customresourcedefinitions",
                               singular: "customresourcedefinition", kind: "CustomResourceDefinition", namespaced: false,
                               shortNames: ["crd", "crds"], categories: ["api-extensions"], subresources: [.status: .status],
                               strategy: CustomResourceDefinitionStrategy(),
                               storagePath: "apiextensions.k8s.io/customresourcedefinitions"),
            // Stored where kube-apiserver's aggregator keeps them.
            ResourceDefinition(group: "apiregistration.k8s.io", resource: "apiservices", singular: "apiservice",
                               kind: "APIService", namespaced: false, categories: ["api-extensions"],
                               subresources: [.status: .status], strategy: APIServiceStrategy(),
                               storagePath: "apiregistration.k8s.io/apiservices"),
            ResourceDefinition(group: "discovery.k8s.io", resource: "endpointslices", singular: "endpointslice",
                               kind: "EndpointSlice", strategy: EndpointSliceStrategy()),
        ]
    }

    /// Namespaces that exist from the start, as on every cluster.
    public static let initialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]
}
