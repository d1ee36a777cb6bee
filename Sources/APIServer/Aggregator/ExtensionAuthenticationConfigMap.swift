import APIMachinery
import Registry

/// kube-system/extension-apiserver-authentication, as kube-apiserver
/// publishes it: what an extension server built on k8s.io/apiserver reads to
/// trust requests this server proxies (the front-proxy CA, the names its
/// certificate may have, the headers that carry the user).
struct ExtensionAuthenticationConfigMap: Sendable {
    var requestHeaderCA: String
    var allowedNames: [String]
    /// --client-ca-file, when client certificates are accepted.
    var clientCA: String?

    static let namespace = "kube-system"
    static let name = "extension-apiserver-authentication"
    static let usernameHeaders = ["X-Remote-User"]
    static let groupHeaders = ["X-Remote-Group"]
    static let extraHeaderPrefixes = ["X-Remote-Extra-"]

    var data: JSONObject {
        func list(_ items: [String]) -> JSONValue { .string(JSONValue.array(items.map(JSONValue.string)).jsonString) }
        var data: JSONObject = [:]
        if let clientCA { data["client-ca-file"] = .string(clientCA) }
        data["requestheader-allowed-names"] = list(allowedNames)
        data["requestheader-client-ca-file"] = .string(requestHeaderCA)
        data["requestheader-extra-headers-prefix"] = list(Self.extraHeaderPrefixes)
        data["requestheader-group-headers"] = list(Self.groupHeaders)
        data["requestheader-username-headers"] = list(Self.usernameHeaders)
        return data
    }

    /// Creates the ConfigMap, or brings its data up to date.
    func publish(registry: Registry) async throws {
        guard let configMaps = registry.store(group: "", version: "v1", resource: "configmaps") else { return }
        let object = APIObject(["apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": ["name": .string(Self.name), "namespace": .string(Self.namespace)],
                                "data": .object(data)])
        do {
            var current = try await configMaps.get(namespace: Self.namespace, name: Self.name)
            guard current["data"] != .object(data) else { return }
            current["data"] = .object(data)
            _ = try await configMaps.update(current, namespace: Self.namespace, name: Self.name)
        } catch let error as APIError where error.reason == .notFound {
            _ = try await configMaps.create(object, namespace: Self.namespace)
        }
    }
}
