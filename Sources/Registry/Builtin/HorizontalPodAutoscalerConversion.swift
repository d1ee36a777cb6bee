import APIMachinery

/// autoscaling/v2 ⇄ autoscaling/v1 HorizontalPodAutoscaler, as Kubernetes
/// converts them (pkg/apis/autoscaling/v1/conversion.go). v2 is the hub. v1
/// has only targetCPUUtilizationPercentage and currentCPUUtilizationPercentage;
/// what else v2 holds (other metrics, current metrics, behavior, conditions)
/// travels in upstream's round-trip annotations, metrics in v1's MetricSpec
/// and MetricStatus shapes. As upstream, the CPU utilization metric comes back
/// after the other metrics, so a round trip may reorder spec.metrics.
struct HorizontalPodAutoscalerConversion: KindConversion {
    let hub = "autoscaling/v2"
    let versions = ["autoscaling/v2", "autoscaling/v1"]

    static let metricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics"
    static let currentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics"
    static let behaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior"
    static let conditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions"
    static let roundTripAnnotations = [metricsAnnotation, currentMetricsAnnotation, behaviorAnnotation, conditionsAnnotation]
    /// v1's implicit target when it names none (autoscaling.DefaultCPUUtilization).
    static let defaultCPUUtilization: Int64 = 80

    // MARK: v2 → v1

    func fromHub(_ hub: APIObject, to apiVersion: String) throws -> APIObject {
        var object = APIObject(["kind": .string(hub.kind), "apiVersion": .string(apiVersion),
                                "metadata": .object(hub.metadata)])
        for key in Self.roundTripAnnotations { object.setAnnotation(key, nil) }
        let spec = hub["spec"]?.objectValue ?? [:]
        let status = hub["status"]?.objectValue ?? [:]
        let metrics = spec["metrics"]?.arrayValue ?? []

        var v1Spec = JSONObject()
        for key in ["scaleTargetRef", "minReplicas", "maxReplicas"] { v1Spec[key] = spec[key] }
        let cpu = metrics.firstIndex(where: Self.isCPUUtilization)
        if let cpu { v1Spec["targetCPUUtilizationPercentage"] = metrics[cpu]["resource"]?["target"]?["averageUtilization"] }
        object["spec"] = .object(v1Spec)

        var v1Status = JSONObject()
        for key in ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"] { v1Status[key] = status[key] }
        let current = status["currentMetrics"]?.arrayValue ?? []
        if let utilization = current.first(where: { Self.isCPU($0) })?["resource"]?["current"]?["averageUtilization"] {
            v1Status["currentCPUUtilizationPercentage"] = utilization
        }
        if !status.isEmpty || hub["status"] != nil { object["status"] = .object(v1Status) }

        let others = metrics.indices.filter { $0 != cpu }.map { Self.v1MetricSpec(metrics[$0]) }
        if !others.isEmpty { object.setAnnotation(Self.metricsAnnotation, JSONValue.array(others).serializedString) }
        if !current.isEmpty {
            object.setAnnotation(Self.currentMetricsAnnotation, JSONValue.array(current.map(Self.v1MetricStatus)).serializedString)
        }
        if let behavior = spec["behavior"], !behavior.isNull {
            object.setAnnotation(Self.behaviorAnnotation, behavior.serializedString)
        }
        if let conditions = status["conditions"]?.arrayValue, !conditions.isEmpty {
            object.setAnnotation(Self.conditionsAnnotation, JSONValue.array(conditions).serializedString)
        }
        return object
    }

    static func isCPU(_ metric: JSONValue) -> Bool {
        metric["type"]?.stringValue == "Resource" && metric["resource"]?["name"]?.stringValue == "cpu"
    }

    static func isCPUUtilization(_ metric: JSONValue) -> Bool {
        isCPU(metric) && metric["resource"]?["target"]?["averageUtilization"] != nil
    }

    /// A v2 MetricSpec in autoscaling/v1's shape.
    static func v1MetricSpec(_ metric: JSONValue) -> JSONValue {
        var out: JSONObject = ["type": metric["type"] ?? ""]
        if let source = metric["object"] {
            out["object"] = compact([
                "target": source["describedObject"], "metricName": source["metric"]?["name"],
                "targetValue": source["target"]?["value"], "selector": source["metric"]?["selector"],
                "averageValue": source["target"]?["averageValue"],
            ])
        }
        if let source = metric["pods"] {
            out["pods"] = compact(["metricName": source["metric"]?["name"], "targetAverageValue": source["target"]?["averageValue"],
                                   "selector": source["metric"]?["selector"]])
        }
        if let source = metric["resource"] {
            out["resource"] = compact(["name": source["name"], "targetAverageUtilization": source["target"]?["averageUtilization"],
                                       "targetAverageValue": source["target"]?["averageValue"]])
        }
        if let source = metric["containerResource"] {
            out["containerResource"] = compact([
                "name": source["name"], "targetAverageUtilization": source["target"]?["averageUtilization"],
                "targetAverageValue": source["target"]?["averageValue"], "container": source["container"],
            ])
        }
        if let source = metric["external"] {
            out["external"] = compact([
                "metricName": source["metric"]?["name"], "metricSelector": source["metric"]?["selector"],
                "targetValue": source["target"]?["value"], "targetAverageValue": source["target"]?["averageValue"],
            ])
        }
        return .object(out)
    }

    /// A v2 MetricStatus in autoscaling/v1's shape.
    static func v1MetricStatus(_ metric: JSONValue) -> JSONValue {
        var out: JSONObject = ["type": metric["type"] ?? ""]
        if let source = metric["object"] {
            out["object"] = compact([
                "target": source["describedObject"], "metricName": source["metric"]?["name"],
                "currentValue": source["current"]?["value"], "selector": source["metric"]?["selector"],
                "averageValue": source["current"]?["averageValue"],
            ])
        }
        if let source = metric["pods"] {
            out["pods"] = compact(["metricName": source["metric"]?["name"], "currentAverageValue": source["current"]?["averageValue"],
                                   "selector": source["metric"]?["selector"]])
        }
        if let source = metric["resource"] {
            out["resource"] = compact(["name": source["name"], "currentAverageUtilization": source["current"]?["averageUtilization"],
                                       "currentAverageValue": source["current"]?["averageValue"]])
        }
        if let source = metric["containerResource"] {
            out["containerResource"] = compact([
                "name": source["name"], "currentAverageUtilization": source["current"]?["averageUtilization"],
                "currentAverageValue": source["current"]?["averageValue"], "container": source["container"],
            ])
        }
        if let source = metric["external"] {
            out["external"] = compact([
                "metricName": source["metric"]?["name"], "metricSelector": source["metric"]?["selector"],
                "currentValue": source["current"]?["value"], "currentAverageValue": source["current"]?["averageValue"],
            ])
        }
        return .object(out)
    }

    // MARK: v1 → v2

    func toHub(_ object: APIObject) throws -> APIObject {
        var hub = APIObject(["kind": .string(object.kind), "apiVersion": .string(self.hub),
                             "metadata": .object(object.metadata)])
        for key in Self.roundTripAnnotations { hub.setAnnotation(key, nil) }
        let spec = object["spec"]?.objectValue ?? [:]
        let status = object["status"]?.objectValue

        var v2Spec = JSONObject()
        for key in ["scaleTargetRef", "minReplicas", "maxReplicas"] { v2Spec[key] = spec[key] }
        var metrics = Self.annotatedList(object, Self.metricsAnnotation).map(Self.v2MetricSpec)
        let cpu = spec["targetCPUUtilizationPercentage"].flatMap { $0.isNull ? nil : $0 }
        if let cpu { metrics.append(Self.cpuMetric(utilization: cpu)) }
        if metrics.isEmpty { metrics = [Self.cpuMetric(utilization: .int(Self.defaultCPUUtilization))] }
        v2Spec["metrics"] = .array(metrics)
        if let behavior = object.annotation(Self.behaviorAnnotation).flatMap(Self.parse), behavior.objectValue?.isEmpty == false {
            v2Spec["behavior"] = behavior
        }
        hub["spec"] = .object(v2Spec)

        if let status {
            var v2Status = JSONObject()
            for key in ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"] { v2Status[key] = status[key] }
            if object.annotation(Self.currentMetricsAnnotation) != nil {
                // The annotation has more than currentCPUUtilizationPercentage, as upstream reasons.
                v2Status["currentMetrics"] = .array(Self.annotatedList(object, Self.currentMetricsAnnotation).map(Self.v2MetricStatus))
            } else if let utilization = status["currentCPUUtilizationPercentage"], !utilization.isNull {
                v2Status["currentMetrics"] = [["type": "Resource",
                                               "resource": ["name": "cpu", "current": ["averageUtilization": utilization]]]]
            }
            let conditions = Self.annotatedList(object, Self.conditionsAnnotation)
            if !conditions.isEmpty { v2Status["conditions"] = .array(conditions) }
            hub["status"] = .object(v2Status)
        }
        return hub
    }

    static func cpuMetric(utilization: JSONValue) -> JSONValue {
        ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": utilization]]]
    }

    /// The list a round-trip annotation holds; one that does not parse is
    /// ignored, as upstream ignores it.
    static func annotatedList(_ object: APIObject, _ key: String) -> [JSONValue] {
        object.annotation(key).flatMap(parse)?.arrayValue ?? []
    }

    static func parse(_ text: String) -> JSONValue? { try? JSONValue.parse(Array(text.utf8)) }

    /// A v1-shaped MetricSpec (from the annotation) in v2's shape.
    static func v2MetricSpec(_ metric: JSONValue) -> JSONValue {
        var out: JSONObject = ["type": metric["type"] ?? ""]
        if let source = metric["object"] {
            out["object"] = compact([
                "describedObject": source["target"],
                "target": compact(["type": .string(source["averageValue"] == nil ? "Value" : "AverageValue"),
                                   "value": source["targetValue"], "averageValue": source["averageValue"]]),
                "metric": compact(["name": source["metricName"], "selector": source["selector"]]),
            ])
        }
        if let source = metric["pods"] {
            out["pods"] = compact([
                "metric": compact(["name": source["metricName"], "selector": source["selector"]]),
                "target": compact(["type": .string("AverageValue"), "averageValue": source["targetAverageValue"]]),
            ])
        }
        if let source = metric["resource"] {
            out["resource"] = compact(["name": source["name"], "target": target(utilization: source["targetAverageUtilization"],
                                                                              averageValue: source["targetAverageValue"])])
        }
        if let source = metric["containerResource"] {
            out["containerResource"] = compact([
                "name": source["name"],
                "target": target(utilization: source["targetAverageUtilization"], averageValue: source["targetAverageValue"]),
                "container": source["container"],
            ])
        }
        if let source = metric["external"] {
            out["external"] = compact([
                "metric": compact(["name": source["metricName"], "selector": source["metricSelector"]]),
                "target": compact(["type": .string(source["targetValue"] == nil ? "AverageValue" : "Value"),
                                   "value": source["targetValue"], "averageValue": source["targetAverageValue"]]),
            ])
        }
        return .object(out)
    }

    static func target(utilization: JSONValue?, averageValue: JSONValue?) -> JSONValue {
        compact(["type": .string(utilization == nil ? "AverageValue" : "Utilization"), "averageUtilization": utilization,
                 "averageValue": averageValue])
    }

    /// A v1-shaped MetricStatus (from the annotation) in v2's shape.
    static func v2MetricStatus(_ metric: JSONValue) -> JSONValue {
        var out: JSONObject = ["type": metric["type"] ?? ""]
        if let source = metric["object"] {
            out["object"] = compact([
                "metric": compact(["name": source["metricName"], "selector": source["selector"]]),
                "current": compact(["value": source["currentValue"], "averageValue": source["averageValue"]]),
                "describedObject": source["target"],
            ])
        }
        if let source = metric["pods"] {
            out["pods"] = compact([
                "metric": compact(["name": source["metricName"], "selector": source["selector"]]),
                "current": compact(["averageValue": source["currentAverageValue"]]),
            ])
        }
        if let source = metric["resource"] {
            out["resource"] = compact([
                "name": source["name"],
                "current": compact(["averageValue": source["currentAverageValue"],
                                    "averageUtilization": source["currentAverageUtilization"]]),
            ])
        }
        if let source = metric["containerResource"] {
            out["containerResource"] = compact([
                "name": source["name"],
                "current": compact(["averageValue": source["currentAverageValue"],
                                    "averageUtilization": source["currentAverageUtilization"]]),
                "container": source["container"],
            ])
        }
        if let source = metric["external"] {
            out["external"] = compact([
                "metric": compact(["name": source["metricName"], "selector": source["metricSelector"]]),
                "current": compact(["value": source["currentValue"], "averageValue": source["currentAverageValue"]]),
            ])
        }
        return .object(out)
    }

    /// An object of the pairs whose value is present, in the given order.
    static func compact(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        var object = JSONObject()
        for (key, value) in pairs { if let value, !value.isNull { object[key] = value } }
        return .object(object)
    }
}

extension JSONValue {
    /// Compact JSON text, as an annotation holds it.
    fileprivate var serializedString: String { String(decoding: serialized(), as: UTF8.self) }
}
