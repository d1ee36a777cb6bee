import APIMachinery

/// Pods: stored objects only (nothing schedules or runs them). They get the
/// defaults kube-apiserver fills in, start Pending, and after creation only
/// the fields Kubernetes lets change may change.
struct PodStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }
    var returnsDeletedObject: Bool { true }

    func prepareForCreate(_ object: inout APIObject) {
        var spec = object["spec"]?.objectValue ?? [:]
        let defaults: [(String, JSONValue)] = [
            ("restartPolicy", "Always"), ("terminationGracePeriodSeconds", 30), ("dnsPolicy", "ClusterFirst"),
            ("securityContext", [:]), ("schedulerName", "default-scheduler"), ("enableServiceLinks", true),
            ("preemptionPolicy", "PreemptLowerPriority"), ("priority", 0),
        ]
        for (key, value) in defaults where spec[key] == nil { spec[key] = value }
        for field in ["containers", "initContainers"] {
            guard let containers = spec[field]?.arrayValue else { continue }
            spec[field] = .array(containers.map(Self.defaulted))
        }
        object["spec"] = .object(spec)
        object["status"] = ["phase": "Pending", "qosClass": "BestEffort"]
    }

    static func defaulted(_ container: JSONValue) -> JSONValue {
        guard case .object(var container) = container else { return container }
        if container["imagePullPolicy"] == nil {
            let image = container["image"]?.stringValue ?? ""
            let tag = image.split(separator: "/").last.flatMap { $0.split(separator: ":").dropFirst().first }
            let latest = !image.contains("@") && (tag == nil || tag == "latest")
            container["imagePullPolicy"] = latest ? "Always" : "IfNotPresent"
        }
        if container["terminationMessagePath"] == nil { container["terminationMessagePath"] = "/dev/termination-log" }
        if container["terminationMessagePolicy"] == nil { container["terminationMessagePolicy"] = "File" }
        if container["resources"] == nil { container["resources"] = [:] }
        return .object(container)
    }

    func validate(_ object: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        let containers = object["spec"]?["containers"]?.arrayValue ?? []
        if containers.isEmpty { errors.append(.required("spec.containers")) }
        var names: Set<String> = []
        for field in ["containers", "initContainers"] {
            for (index, container) in (object["spec"]?[field]?.arrayValue ?? []).enumerated() {
                let path = "spec.\(field)[\(index)]"
                let name = container["name"]?.stringValue ?? ""
                if name.isEmpty {
                    errors.append(.required("\(path).name"))
                } else if let problem = Validation.dns1123LabelProblem(name) {
                    errors.append(.invalid("\(path).name", name, problem))
                } else if !names.insert(name).inserted {
                    errors.append(.duplicate("\(path).name", name))
                }
                if (container["image"]?.stringValue ?? "").isEmpty { errors.append(.required("\(path).image")) }
            }
        }
        return errors
    }

    func validateUpdate(_ object: APIObject, old: APIObject) -> [FieldError] {
        var errors = validate(object)
        if Self.mutableStripped(object["spec"]) != Self.mutableStripped(old["spec"]) {
            errors.append(.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"))
        }
        return errors
    }

    /// The spec without what an update may change.
    static func mutableStripped(_ spec: JSONValue?) -> JSONValue? {
        guard case .object(var spec)? = spec else { return spec }
        spec["activeDeadlineSeconds"] = nil
        spec["tolerations"] = nil
        for field in ["containers", "initContainers"] {
            guard let containers = spec[field]?.arrayValue else { continue }
            spec[field] = .array(containers.map { container in
                var container = container
                container["image"] = nil
                return container
            })
        }
        return .object(spec)
    }

    static let fieldPaths: [(label: String, path: [String])] = [
        ("spec.nodeName", ["spec", "nodeName"]), ("spec.restartPolicy", ["spec", "restartPolicy"]),
        ("spec.schedulerName", ["spec", "schedulerName"]), ("spec.serviceAccountName", ["spec", "serviceAccountName"]),
        ("status.phase", ["status", "phase"]), ("status.podIP", ["status", "podIP"]),
        ("status.nominatedNodeName", ["status", "nominatedNodeName"]),
    ]

    var selectableFieldNames: Set<String> { Set(Self.fieldPaths.map(\.0)).union(["spec.hostNetwork"]) }
    /// As kube's pod registry: every kubelet watches its node's pods.
    var cacheIndexedFields: Set<String> { ["spec.nodeName"] }

    func selectableFields(_ object: APIObject) -> [String: String] {
        var fields = object.strings(at: Self.fieldPaths)
        fields["spec.hostNetwork"] = object["spec"]?["hostNetwork"]?.boolValue == true ? "true" : "false"
        return fields
    }

    var columns: [TableColumn] {
        [.name,
         TableColumn("Ready", "The aggregate readiness state of this pod for accepting traffic."),
         TableColumn("Status", "The aggregate status of the containers in this pod."),
         TableColumn("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
         .age,
         TableColumn("IP", priority: 1, "The IP address assigned to the pod"),
         TableColumn("Node", priority: 1, "The name of the node where the Pod is running"),
         TableColumn("Nominated Node", priority: 1, "The name of the node where the Pod is nominated to run on"),
         TableColumn("Readiness Gates", priority: 1, "The readiness gates of the Pod")]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        let containers = object["spec"]?["containers"]?.arrayValue?.count ?? 0
        let statuses = object["status"]?["containerStatuses"]?.arrayValue ?? []
        let ready = statuses.filter { $0["ready"]?.boolValue == true }.count
        let restarts = statuses.reduce(Int64(0)) { $0 + ($1["restartCount"]?.intValue ?? 0) }
        var phase = object["status"]?["phase"]?.stringValue ?? ""
        if !object.deletionTimestamp.isEmpty { phase = "Terminating" }
        func orNone(_ value: JSONValue?) -> JSONValue { .string(value?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "<none>") }
        return [.string(object.name), .string("\(ready)/\(containers)"), .string(phase), .int(restarts), object.age(now),
                orNone(object["status"]?["podIP"]), orNone(object["spec"]?["nodeName"]),
                orNone(object["status"]?["nominatedNodeName"]), "<none>"]
    }
}
