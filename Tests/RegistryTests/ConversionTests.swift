import APIMachinery
@testable import Registry
import Testing

/// Hub-and-spoke conversion of the built-in multi-version kinds: every pair
/// of versions round-trips without loss.
struct ConversionTests {
    /// The same Event at each version it is served at.
    static let coreEvent = APIObject([
        "kind": "Event", "apiVersion": "v1",
        "metadata": ["name": "e1", "namespace": "default", "annotations": ["team": "a"]],
        "involvedObject": ["kind": "Pod", "namespace": "default", "name": "web", "uid": "u-1"],
        "reason": "Started", "message": "Started container web",
        "source": ["component": "kubelet", "host": "node-1"],
        "firstTimestamp": "2026-11-21T10:00:00Z", "lastTimestamp": "2026-11-21T10:05:00Z", "count": 3, "type": "Normal",
        "eventTime": "2026-11-21T10:00:00.000000Z", "series": ["count": 3, "lastObservedTime": "2026-11-21T10:05:00.000000Z"],
        "action": "Start", "related": ["kind": "Node", "name": "node-1"],
        "reportingComponent": "kubelet", "reportingInstance": "node-1",
    ])

    @Test func eventsRenameEveryFieldBetweenCoreAndEventsAPI() throws {
        let conversion = EventConversion()
        let modern = try conversion.convert(Self.coreEvent, to: "events.k8s.io/v1")
        #expect(modern.apiVersion == "events.k8s.io/v1")
        #expect(modern["note"] == "Started container web")
        #expect(modern["regarding"]?["name"] == "web")
        #expect(modern["deprecatedSource"]?["host"] == "node-1")
        #expect(modern["deprecatedFirstTimestamp"] == "2026-11-21T10:00:00Z")
        #expect(modern["deprecatedLastTimestamp"] == "2026-11-21T10:05:00Z")
        #expect(modern["deprecatedCount"] == 3)
        #expect(modern["reportingController"] == "kubelet")
        for old in ["message", "involvedObject", "source", "firstTimestamp", "lastTimestamp", "count", "reportingComponent"] {
            #expect(modern[old] == nil, "\(old) is renamed")
        }
        #expect(modern.annotations == ["team": "a"])
    }

    @Test func everyPairOfEventVersionsRoundTrips() throws {
        let conversion = EventConversion()
        for from in conversion.versions {
            let start = try conversion.convert(Self.coreEvent, to: from)
            for to in conversion.versions {
                let there = try conversion.convert(start, to: to)
                #expect(there.apiVersion == to)
                let back = try conversion.convert(there, to: from)
                #expect(back.json.canonical == start.json.canonical, "\(from) → \(to) → \(from)")
            }
        }
    }

    /// An autoscaling/v2 HPA with what v1 cannot hold: a memory metric, a
    /// behavior, current metrics and conditions.
    static let hpa = APIObject([
        "kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2",
        "metadata": ["name": "web", "namespace": "default", "annotations": ["team": "a"]],
        "spec": [
            "scaleTargetRef": ["kind": "Deployment", "name": "web", "apiVersion": "apps/v1"],
            "minReplicas": 2, "maxReplicas": 10,
            "metrics": [
                ["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "500Mi"]]],
                ["type": "Pods", "pods": ["metric": ["name": "qps"], "target": ["type": "AverageValue", "averageValue": "10"]]],
                ["type": "Object", "object": ["describedObject": ["kind": "Service", "name": "web", "apiVersion": "v1"],
                                              "metric": ["name": "hits"], "target": ["type": "Value", "value": "100"]]],
                ["type": "External", "external": ["metric": ["name": "queue", "selector": ["matchLabels": ["q": "jobs"]]],
                                                  "target": ["type": "AverageValue", "averageValue": "30"]]],
                ["type": "ContainerResource", "containerResource": ["name": "cpu", "container": "app",
                                                                    "target": ["type": "Utilization", "averageUtilization": 60]]],
                ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 70]]],
            ],
            "behavior": ["scaleDown": ["stabilizationWindowSeconds": 120, "selectPolicy": "Min",
                                       "policies": [["type": "Pods", "value": 1, "periodSeconds": 60]]]],
        ],
        "status": [
            "observedGeneration": 3, "currentReplicas": 4, "desiredReplicas": 5,
            "currentMetrics": [
                ["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 65, "averageValue": "130m"]]],
                ["type": "Pods", "pods": ["metric": ["name": "qps"], "current": ["averageValue": "12"]]],
            ],
            "conditions": [["type": "AbleToScale", "status": "True", "lastTransitionTime": "2026-11-21T10:00:00Z",
                            "reason": "ReadyForNewScale", "message": "recommended size matches current size"]],
        ],
    ])

    @Test func hpaV1KeepsWhatItCannotHoldInUpstreamsAnnotations() throws {
        let v1 = try HorizontalPodAutoscalerConversion().convert(Self.hpa, to: "autoscaling/v1")
        #expect(v1["spec"]?["targetCPUUtilizationPercentage"] == 70)
        #expect(v1["spec"]?["metrics"] == nil)
        #expect(v1["status"]?["currentCPUUtilizationPercentage"] == 65)
        let annotations = v1.annotations
        #expect(annotations["team"] == "a")
        let metrics = try JSONValue.parse(Array(annotations["autoscaling.alpha.kubernetes.io/metrics"]!.utf8))
        #expect(metrics.arrayValue?.count == 5, "every metric but the CPU utilization one")
        #expect(metrics[0]?["resource"] == ["name": "memory", "targetAverageValue": "500Mi"])
        #expect(metrics[1]?["pods"] == ["metricName": "qps", "targetAverageValue": "10"])
        #expect(metrics[2]?["object"]?["targetValue"] == "100")
        #expect(annotations["autoscaling.alpha.kubernetes.io/behavior"] != nil)
        #expect(annotations["autoscaling.alpha.kubernetes.io/current-metrics"] != nil)
        #expect(annotations["autoscaling.alpha.kubernetes.io/conditions"] != nil)
    }

    @Test func hpaRoundTripsBetweenV2AndV1() throws {
        let conversion = HorizontalPodAutoscalerConversion()
        let v1 = try conversion.convert(Self.hpa, to: "autoscaling/v1")
        let back = try conversion.convert(v1, to: "autoscaling/v2")
        #expect(back.annotations == ["team": "a"], "the round-trip annotations are gone again")
        #expect(back.json.canonical == Self.hpa.json.canonical)
        // And from v1: a v1 object, to v2 and back, is the same v1 object.
        let again = try conversion.convert(back, to: "autoscaling/v1")
        #expect(again.json.canonical == v1.json.canonical)
    }

    @Test func hpaRoundTripMovesTheCPUMetricLastAsUpstreamDoes() throws {
        var cpuFirst = Self.hpa
        let metrics = Self.hpa["spec"]!["metrics"]!.arrayValue!
        cpuFirst["spec"]?["metrics"] = .array([metrics.last!] + metrics.dropLast())
        let conversion = HorizontalPodAutoscalerConversion()
        let back = try conversion.convert(conversion.convert(cpuFirst, to: "autoscaling/v1"), to: "autoscaling/v2")
        #expect(back["spec"]?["metrics"]?.arrayValue?.map(\.canonical) == metrics.map(\.canonical))
    }

    @Test func aV1HPAWithoutATargetGetsUpstreamsImplicitCPUTarget() throws {
        let v1 = APIObject(["kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v1", "metadata": ["name": "x"],
                            "spec": ["scaleTargetRef": ["kind": "Deployment", "name": "x"], "maxReplicas": 3]])
        let v2 = try HorizontalPodAutoscalerConversion().convert(v1, to: "autoscaling/v2")
        #expect(v2["spec"]?["metrics"] == [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]]]])
    }

    @Test func anUnknownVersionIsAnInternalErrorNotACrash() {
        var stranger = Self.coreEvent
        stranger.apiVersion = "events.k8s.io/v9"
        #expect(throws: APIError.self) { try EventConversion().convert(stranger, to: "v1") }
    }
}

