import APIMachinery
import Testing

@Suite struct APIErrorTests {
    @Test func notFoundStatusMatchesKubeAPIServer() throws {
        // What kube-apiserver 1.36 answers for a missing configmap (see shared/reference).
        let status = APIError.notFound(GroupResource(resource: "configmaps"), "nope").status
        #expect(status.jsonString ==
            #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"nope\" not found","reason":"NotFound","details":{"name":"nope","kind":"configmaps"},"code":404}"#)
    }

    @Test func groupedResourcesAreQualified() {
        let error = APIError.alreadyExists(GroupResource(group: "apps", resource: "deployments"), "web")
        #expect(error.code == 409 && error.reason == .alreadyExists)
        #expect(error.message == #"deployments.apps "web" already exists"#)
        #expect(error.status["details"]?["group"] == "apps")
    }

    @Test func conflictInvalidAndTimeout() {
        let conflict = APIError.conflict(GroupResource(resource: "configmaps"), "x", APIError.optimisticLockMessage)
        #expect(conflict.message == #"Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again"#)
        let invalid = APIError.invalid("ConfigMap", "x", [.init(type: "FieldValueRequired", message: "Required value", field: "metadata.name")])
        #expect(invalid.code == 422 && invalid.message == #"ConfigMap "x" is invalid: metadata.name: Required value"#)
        #expect(invalid.status["details"]?["causes"]?.arrayValue?.first?["field"] == "metadata.name")
        let timeout = APIError.timeout("slow", retryAfterSeconds: 1)
        #expect(timeout.status["details"]?["retryAfterSeconds"] == 1 && timeout.code == 504)
    }
}
