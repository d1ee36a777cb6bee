import Registry

/// The discovery priorities kube-apiserver gives its own group-versions'
/// APIServices (apiVersionPriorities and DefaultGenericAPIServicePriorities):
/// group priority first, higher first; then version priority within the group.
enum LocalAPIServicePriorities {
    static let table: [String: (group: Int64, version: Int64)] = [
        "/v1": (18000, 1),
        "apiregistration.k8s.io/v1": (18000, 15),
        "apps/v1": (17800, 15),
        "events.k8s.io/v1": (17750, 15),
        "events.k8s.io/v1beta1": (17750, 5),
        "authentication.k8s.io/v1": (17700, 15),
        "authorization.k8s.io/v1": (17600, 15),
        "autoscaling/v2": (17500, 30),
        "autoscaling/v1": (17500, 15),
        "batch/v1": (17400, 15),
        "certificates.k8s.io/v1": (17300, 15),
        "networking.k8s.io/v1": (17200, 15),
        "policy/v1": (17100, 15),
        "rbac.authorization.k8s.io/v1": (17000, 15),
        "storage.k8s.io/v1": (16800, 15),
        "admissionregistration.k8s.io/v1": (16700, 15),
        "apiextensions.k8s.io/v1": (16700, 15),
        "scheduling.k8s.io/v1": (16600, 15),
        "coordination.k8s.io/v1": (16500, 15),
        "coordination.k8s.io/v1alpha2": (16500, 1),
        "node.k8s.io/v1": (16300, 15),
        "discovery.k8s.io/v1": (16200, 15),
        "flowcontrol.apiserver.k8s.io/v1": (16100, 21),
        "storagemigration.k8s.io/v1alpha1": (10, 9),
    ]

    /// A custom resource group-version: low, as kube's CRD registration gives them.
    static let customResource: (group: Int64, version: Int64) = (1000, 100)

    /// The priority of the local APIService that serves `definition`'s group-version.
    static func priority(of definition: ResourceDefinition) -> (group: Int64, version: Int64) {
        if definition.isCustomResource { return customResource }
        return table["\(definition.group)/\(definition.version)"] ?? (1000, 15)
    }
}
