import APIMachinery

/// What an extension server serves, in the shape of Berth's aggregated
/// discovery: its own APIGroupDiscoveryList entry when it serves one, else
/// one built from its APIResourceList as kube's discovery aggregator
/// converts it (subresources under their resource).
enum ExtensionDiscovery {
    /// The Accept of kube's aggregated fetch: the aggregated form first, the plain one otherwise.
    static let aggregatedAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"

    /// The APIVersionDiscovery of `group`/`version` in an APIGroupDiscoveryList.
    static func versionEntry(aggregated document: JSONValue, group: String, version: String) -> JSONValue? {
        guard document["kind"] == "APIGroupDiscoveryList" else { return nil }
        let item = document["items"]?.arrayValue?.first { ($0["metadata"]?["name"]?.stringValue ?? "") == group }
        return item?["versions"]?.arrayValue?.first { $0["version"]?.stringValue == version }
    }

    /// An APIResourceList as an APIVersionDiscovery.
    static func versionEntry(resourceList list: JSONValue, version: String) -> JSONValue {
        var resources: [JSONObject] = []
        var index: [String: Int] = [:]
        for resource in list["resources"]?.arrayValue ?? [] {
            let name = resource["name"]?.stringValue ?? ""
            let kind: JSONValue = ["group": resource["group"] ?? "", "version": resource["version"] ?? "", "kind": resource["kind"] ?? ""]
            let verbs = resource["verbs"] ?? []
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                guard let parent = index[parts[0]] else { continue }
                var subresources = resources[parent]["subresources"]?.arrayValue ?? []
                subresources.append(["subresource": .string(parts[1]), "responseKind": kind, "verbs": verbs])
                resources[parent]["subresources"] = .array(subresources)
                continue
            }
            var entry: JSONObject = ["resource": .string(name), "responseKind": kind,
                                     "scope": resource["namespaced"]?.boolValue == true ? "Namespaced" : "Cluster",
                                     "singularResource": resource["singularName"] ?? "", "verbs": verbs]
            if let shortNames = resource["shortNames"] { entry["shortNames"] = shortNames }
            if let categories = resource["categories"] { entry["categories"] = categories }
            index[name] = resources.count
            resources.append(entry)
        }
        return ["version": .string(version), "resources": .array(resources.map(JSONValue.object)), "freshness": "Current"]
    }
}
