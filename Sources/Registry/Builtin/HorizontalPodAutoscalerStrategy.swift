import APIMachinery

/// autoscaling HorizontalPodAutoscalers, in their hub form (autoscaling/v2).
/// Stored objects only: nothing scales anything. Defaults and validation
/// follow Kubernetes': minReplicas 1, CPU at 80% when no metric is named,
/// the default scaling rules filled into a behavior that is given, and a
/// status only the status subresource writes.
struct HorizontalPodAutoscalerStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }

    func normalize(_ object: inout APIObject) throws {
        var spec = object["spec"]?.objectValue ?? [:]
        if spec["minReplicas"] == nil || spec["minReplicas"]?.isNull == true { spec["minReplicas"] = .int(1) }
        if (spec["metrics"]?.arrayValue ?? []).isEmpty {
            spec["metrics"] = [HorizontalPodAutoscalerConversion.cpuMetric(
                utilization: .int(HorizontalPodAutoscalerConversion.defaultCPUUtilization))]
        }
        if case .object(var behavior)? = spec["behavior"] {
            behavior["scaleUp"] = Self.filled(behavior["scaleUp"], Self.defaultScaleUp)
            behavior["scaleDown"] = Self.filled(behavior["scaleDown"], Self.defaultScaleDown)
            spec["behavior"] = .object(behavior)
        }
        object["spec"] = .object(spec)
    }

    /// k8s.io/kubernetes/pkg/apis/autoscaling/v2 GenerateHPAScaleUpRules and
    /// GenerateHPAScaleDownRules: what a behavior leaves out.
    static let defaultScaleUp: JSONObject = [
        "stabilizationWindowSeconds": 0, "selectPolicy": "Max",
        "policies": [["type": "Pods", "value": 4, "periodSeconds": 15], ["type": "Percent", "value": 100, "periodSeconds": 15]],
    ]
    static let defaultScaleDown: JSONObject = [
        "stabilizationWindowSeconds": 300, "selectPolicy": "Max",
        "policies": [["type": "Percent", "value": 100, "periodSeconds": 15]],
    ]

    static func filled(_ rules: JSONValue?, _ defaults: JSONObject) -> JSONValue {
        var rules = rules?.objectValue ?? [:]
        for (key, value) in defaults where rules[key] == nil || rules[key]?.isNull == true { rules[key] = value }
        return .object(rules)
    }

    func prepareForCreate(_ object: inout APIObject) {
        object["status"] = ["desiredReplicas": 0]
    }

    func validate(_ object: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = object["spec"]
        let reference = spec?["scaleTargetRef"]
        for field in ["kind", "name"] where (reference?[field]?.stringValue ?? "").isEmpty {
            errors.append(.required("spec.scaleTargetRef.\(field)"))
        }
        let minimum = spec?["minReplicas"]?.intValue ?? 1
        if minimum < 1 {
            errors.append(.invalidValue("spec.minReplicas", .int(minimum), "must be greater than or equal to 1"))
        }
        let maximum = spec?["maxReplicas"]?.intValue ?? 0
        if maximum < minimum {
            errors.append(.invalidValue("spec.maxReplicas", .int(maximum), "must be greater than or equal to `minReplicas`"))
        }
        for (index, metric) in (spec?["metrics"]?.arrayValue ?? []).enumerated() {
            errors += Self.metricErrors(metric, path: "spec.metrics[\(index)]")
        }
        return errors
    }

    static let sources = ["Object": "object", "Pods": "pods", "Resource": "resource",
                          "ContainerResource": "containerResource", "External": "external"]

    static func metricErrors(_ metric: JSONValue, path: String) -> [FieldError] {
        let type = metric["type"]?.stringValue ?? ""
        guard let source = sources[type] else {
            return [type.isEmpty ? .required("\(path).type", "must specify a metric source type")
                : .notSupported("\(path).type", type, sources.keys.sorted())]
        }
        var errors: [FieldError] = []
        for (other, field) in sources where other != type && metric[field] != nil && metric[field]?.isNull == false {
            errors.append(.forbidden("\(path).\(field)", "must populate the given metric source only"))
        }
        guard let value = metric[source], !value.isNull else {
            return errors + [.required("\(path).\(source)", "must populate information for the given metric source")]
        }
        if let utilization = value["target"]?["averageUtilization"]?.intValue, utilization <= 0 {
            errors.append(.invalidValue("\(path).\(source).target.averageUtilization", .int(utilization), "must be greater than 0"))
        }
        return errors
    }

    var columns: [TableColumn] {
        [.name,
         TableColumn("Reference", "reference to the target of the autoscaler"),
         TableColumn("Targets", "the current and target values of the metrics the autoscaler follows"),
         TableColumn("MinPods", "Minimum pod replicas"),
         TableColumn("MaxPods", type: "integer", "Maximum pod replicas"),
         TableColumn("Replicas", type: "integer", "Current pod replicas"),
         .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        let spec = object["spec"]
        let reference = spec?["scaleTargetRef"]
        let minimum = spec?["minReplicas"]?.intValue.map(String.init) ?? "<unset>"
        return [.string(object.name),
                .string("\(reference?["kind"]?.stringValue ?? "")/\(reference?["name"]?.stringValue ?? "")"),
                .string(Self.targets(spec?["metrics"]?.arrayValue ?? [], current: object["status"]?["currentMetrics"]?.arrayValue ?? [])),
                .string(minimum), .int(spec?["maxReplicas"]?.intValue ?? 0),
                .int(object["status"]?["currentReplicas"]?.intValue ?? 0), object.age(now)]
    }

    /// kubectl's TARGETS column: "cpu: 40%/80%", "<unknown>" where nothing
    /// was measured, at most two metrics and a count of the rest.
    static func targets(_ metrics: [JSONValue], current: [JSONValue]) -> String {
        if metrics.isEmpty { return "<none>" }
        let shown = metrics.prefix(2).enumerated().map { index, metric -> String in
            let type = metric["type"]?.stringValue ?? ""
            let source = metric[sources[type] ?? ""]
            let measured = index < current.count ? current[index][sources[type] ?? ""]?["current"] : nil
            let target = source?["target"]
            let name = source?["name"]?.stringValue ?? source?["metric"]?["name"]?.stringValue ?? type.lowercased()
            if let utilization = target?["averageUtilization"]?.intValue {
                let now = measured?["averageUtilization"]?.intValue.map { "\($0)%" } ?? "<unknown>"
                return "\(name): \(now)/\(utilization)%"
            }
            let wanted = target?["averageValue"]?.stringValue ?? target?["value"]?.stringValue ?? "<unset>"
            let now = (measured?["averageValue"] ?? measured?["value"])?.stringValue ?? "<unknown>"
            return "\(name): \(now)/\(wanted)" + (target?["averageValue"] != nil && type != "Resource" ? " (avg)" : "")
        }
        let more = metrics.count > 2 ? " + \(metrics.count - 2) more..." : ""
        return shown.joined(separator: ", ") + more
    }
}
