import APIMachinery
@testable import Registry
import Testing

struct StrategyTests {
    @Test func ageReadsAsKubectlShowsIt() {
        #expect(Age.human(seconds: 5) == "5s")
        #expect(Age.human(seconds: 119) == "119s")
        #expect(Age.human(seconds: 150) == "2m30s")
        #expect(Age.human(seconds: 3 * 3600 + 120) == "3h2m")
        #expect(Age.human(seconds: 50 * 3600) == "2d2h")
        #expect(Age.human(seconds: 400 * 86400) == "400d")
    }

    @Test func secretStringDataIsFoldedIntoBase64Data() throws {
        var secret = APIObject(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"],
                                "data": ["kept": "eA=="], "stringData": ["user": "admin"]])
        try SecretStrategy().normalize(&secret)
        #expect(secret["data"] == ["kept": "eA==", "user": "YWRtaW4="])
        #expect(secret["stringData"] == nil)
        #expect(secret["type"] == "Opaque")
        var broken = APIObject(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "b"], "data": ["k": "not base64!"]])
        #expect(throws: APIError.self) { try SecretStrategy().normalize(&broken) }
    }

    @Test func podsGetUpstreamDefaultsAndOnlyImageChangesAfterwards() {
        var pod = APIObject(["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                             "spec": ["containers": [["name": "a", "image": "nginx:1.27"], ["name": "b", "image": "redis"]]]])
        PodStrategy().prepareForCreate(&pod)
        #expect(pod["spec"]?["restartPolicy"] == "Always")
        #expect(pod["spec"]?["containers"]?[0]?["imagePullPolicy"] == "IfNotPresent")
        #expect(pod["spec"]?["containers"]?[1]?["imagePullPolicy"] == "Always")
        #expect(pod["status"]?["phase"] == "Pending")

        var newImage = pod
        newImage["spec"]?["containers"] = [["name": "a", "image": "nginx:1.28", "imagePullPolicy": "IfNotPresent",
                                            "terminationMessagePath": "/dev/termination-log",
                                            "terminationMessagePolicy": "File", "resources": [:]],
                                           pod["spec"]?["containers"]?[1] ?? nil]
        #expect(PodStrategy().validateUpdate(newImage, old: pod).isEmpty)
        var newPolicy = pod
        newPolicy["spec"]?["restartPolicy"] = "Never"
        #expect(PodStrategy().validateUpdate(newPolicy, old: pod).map(\.type) == ["FieldValueForbidden"])
    }

    @Test func servicesNeedPortsAndKnownTypes() {
        let service = APIObject(["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                                 "spec": ["type": "Weird", "ports": [["port": 80], ["port": 70000]]]])
        let fields = ServiceStrategy().validate(service).map(\.field)
        #expect(fields == ["spec.type", "spec.ports[0].name", "spec.ports[1].name", "spec.ports[1].port"])
        #expect(ServiceStrategy().nameProblem("1web") != nil)
    }

    @Test func namespacesTerminateThroughTheirFinalizer() {
        var namespace = APIObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        let strategy = NamespaceStrategy()
        strategy.prepareForCreate(&namespace)
        #expect(strategy.pendingFinalizers(namespace) == ["kubernetes"])
        strategy.beginDeletion(&namespace)
        #expect(namespace["status"]?["phase"] == "Terminating")
        #expect(namespace.labels["kubernetes.io/metadata.name"] == "team")
    }
}
