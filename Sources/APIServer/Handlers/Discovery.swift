import APIMachinery
import Crypto
import Foundation
import Registry

/// The discovery documents: /api, /apis, /apis/GROUP and the resource list of
/// each group/version, plus the aggregated form (apidiscovery.k8s.io) that
/// kubectl asks for first. Built from one snapshot of the served resources;
/// the aggregated documents carry an ETag so clients can revalidate cheaply.
/// Group-versions of extension servers (remote APIServices) are listed
/// beside the local ones, all in kube-aggregator's order.
struct Discovery: Sendable {
    let served: ServedResources
    /// Remote APIServices by "group/version"; they take over a local group-version of the same name.
    var remote: [String: ExtensionRoute] = [:]

    /// The served versions of the core group.
    var coreVersionNames: [String] { served.groupVersions.filter { $0.group.isEmpty }.map(\.version) }

    /// /api: `serverAddress` is where clients reach the port asked, for serverAddressByClientCIDRs.
    func coreVersions(serverAddress: String) -> JSONValue {
        ["kind": "APIVersions", "versions": .array(coreVersionNames.map { .string($0) }),
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    /// Named groups, each with its versions (the first is preferred), in
    /// kube-aggregator's order: apiregistration.k8s.io first, then groups by
    /// their highest groupPriorityMinimum (ties by APIService name), versions
    /// by versionPriority, then kube's version order.
    var groups: [(name: String, versions: [String])] {
        struct Entry { var group, version: String; var groupPriority, versionPriority: Int64 }
        var entries: [String: Entry] = [:]
        for (group, version) in served.groupVersions where !group.isEmpty {
            guard let definition = served.stores(group: group, version: version).first?.definition else { continue }
            let priority = LocalAPIServicePriorities.priority(of: definition)
            entries["\(group)/\(version)"] = Entry(group: group, version: version, groupPriority: priority.group,
                                                   versionPriority: priority.version)
        }
        for route in remote.values where !route.group.isEmpty {
            entries["\(route.group)/\(route.version)"] = Entry(group: route.group, version: route.version,
                                                               groupPriority: route.spec.groupPriorityMinimum,
                                                               versionPriority: route.spec.versionPriority)
        }
        let byName = entries.values.sorted {
            if $0.groupPriority != $1.groupPriority { return $0.groupPriority > $1.groupPriority }
            return "\($0.version).\($0.group)" < "\($1.version).\($1.group)"
        }
        var order = entries.values.contains { $0.group == "apiregistration.k8s.io" } ? ["apiregistration.k8s.io"] : []
        for entry in byName where !order.contains(entry.group) { order.append(entry.group) }
        return order.map { group in
            let versions = entries.values.filter { $0.group == group }.sorted {
                if $0.versionPriority != $1.versionPriority { return $0.versionPriority > $1.versionPriority }
                return APIVersion($0.version) < APIVersion($1.version)
            }
            return (group, versions.map(\.version))
        }
    }

    static func groupVersion(_ group: String, _ version: String) -> JSONValue {
        ["groupVersion": .string("\(group)/\(version)"), "version": .string(version)]
    }

    func group(_ name: String, _ versions: [String]) -> JSONObject {
        ["name": .string(name), "versions": .array(versions.map { Self.groupVersion(name, $0) }),
         "preferredVersion": Self.groupVersion(name, versions[0])]
    }

    var groupList: JSONValue {
        ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups.map { .object(group($0.name, $0.versions)) })]
    }

    func group(named name: String) -> JSONValue? {
        guard let entry = groups.first(where: { $0.name == name }) else { return nil }
        var object: JSONObject = ["kind": "APIGroup", "apiVersion": "v1"]
        object.merge(group(entry.name, entry.versions)) { _, new in new }
        return .object(object)
    }

    /// /api/v1 or /apis/GROUP/VERSION; nil when not served.
    func resourceList(group: String, version: String) -> JSONValue? {
        let stores = served.stores(group: group, version: version)
        guard !stores.isEmpty else { return nil }
        var resources: [JSONValue] = []
        for store in stores {
            let definition = store.definition
            var resource: JSONObject = [
                "name": .string(definition.resource), "singularName": .string(definition.singular),
                "namespaced": .bool(definition.namespaced), "kind": .string(definition.kind),
                "verbs": .array(definition.verbs.map { .string($0) }),
            ]
            if !definition.shortNames.isEmpty { resource["shortNames"] = .array(definition.shortNames.map { .string($0) }) }
            if !definition.categories.isEmpty { resource["categories"] = .array(definition.categories.map { .string($0) }) }
            resource["storageVersionHash"] = .string(Self.storageVersionHash(definition))
            resources.append(.object(resource))
            for (name, subresource) in Self.subresources(definition) {
                var entry: JSONObject = ["name": .string("\(definition.resource)/\(name)"), "singularName": "",
                                         "namespaced": .bool(definition.namespaced)]
                if let kind = subresource.kind {
                    entry["group"] = .string(kind.group)
                    entry["version"] = .string(kind.version)
                }
                entry["kind"] = .string(subresource.kind?.kind ?? definition.kind)
                entry["verbs"] = .array(subresource.verbs.map { .string($0) })
                resources.append(.object(entry))
            }
        }
        var list: JSONObject = ["kind": "APIResourceList"]
        if !group.isEmpty { list["apiVersion"] = "v1" }
        list["groupVersion"] = .string(group.isEmpty ? version : "\(group)/\(version)")
        list["resources"] = .array(resources)
        return .object(list)
    }

    /// Built-in subresources by name, a custom resource's status before
    /// scale, each as kube-apiserver lists them.
    static func subresources(_ definition: ResourceDefinition) -> [(String, SubresourceDefinition)] {
        let entries = definition.subresources.map { ($0.key.rawValue, $0.value) }
        return definition.isCustomResource ? entries.sorted { $0.0 > $1.0 } : entries.sorted { $0.0 < $1.0 }
    }

    /// What a resource (or subresource) answers with: kube leaves group and
    /// version empty for built-in kinds and fills them for custom ones.
    static func responseKind(_ kind: GroupVersionKind?, _ definition: ResourceDefinition) -> JSONValue {
        if let kind { return ["group": .string(kind.group), "version": .string(kind.version), "kind": .string(kind.kind)] }
        let qualified = definition.isCustomResource
        return ["group": .string(qualified ? definition.group : ""), "version": .string(qualified ? definition.version : ""),
                "kind": .string(definition.kind)]
    }

    /// base64 of the first 8 bytes of sha256("group/version/kind") of the
    /// storage version, as kube-apiserver computes it: the same for every
    /// version served over one storage, and changed by --storage-version.
    static func storageVersionHash(_ definition: ResourceDefinition) -> String {
        let parts = definition.storageVersion.split(separator: "/", maxSplits: 1)
        let groupVersion = parts.count == 2 ? "\(parts[0])/\(parts[1])" : "/\(definition.storageVersion)"
        let digest = SHA256.hash(data: Array("\(groupVersion)/\(definition.kind)".utf8))
        return Data(digest.prefix(8)).base64EncodedString()
    }

    // MARK: Aggregated discovery (apidiscovery.k8s.io/v2 and v2beta1)

    /// /api (core: true) or /apis (the named groups) as an APIGroupDiscoveryList.
    func aggregated(core: Bool, apiVersion: String) -> JSONValue {
        let entries: [(String, [String])] = core ? (coreVersionNames.isEmpty ? [] : [("", coreVersionNames)])
            : groups.map { ($0.name, $0.versions) }
        let items: [JSONValue] = entries.compactMap { name, versions in
            var metadata = JSONObject()
            if !name.isEmpty { metadata["name"] = .string(name) }
            let documents: [JSONValue] = versions.compactMap { version in
                guard let route = remote["\(name)/\(version)"] else {
                    return ["version": .string(version), "resources": .array(aggregatedResources(group: name, version: version)),
                            "freshness": "Current"]
                }
                // An extension never reached is left out; one gone away keeps what it said last, marked Stale.
                guard case .object(var document)? = route.discovery else { return nil }
                document["freshness"] = route.available ? "Current" : "Stale"
                return .object(document)
            }
            return documents.isEmpty ? nil : ["metadata": .object(metadata), "versions": .array(documents)]
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": .string(apiVersion), "metadata": [:], "items": .array(items)]
    }

    func aggregatedResources(group: String, version: String) -> [JSONValue] {
        served.stores(group: group, version: version).map { store in
            let definition = store.definition
            let responseKind = Self.responseKind(nil, definition)
            var resource: JSONObject = [
                "resource": .string(definition.resource), "responseKind": responseKind,
                "scope": definition.namespaced ? "Namespaced" : "Cluster",
                "singularResource": .string(definition.singular), "verbs": .array(definition.verbs.map { .string($0) }),
            ]
            if !definition.shortNames.isEmpty { resource["shortNames"] = .array(definition.shortNames.map { .string($0) }) }
            if !definition.categories.isEmpty { resource["categories"] = .array(definition.categories.map { .string($0) }) }
            let subresources = Self.subresources(definition)
            if !subresources.isEmpty {
                resource["subresources"] = .array(subresources.map { name, subresource in
                    ["subresource": .string(name), "responseKind": Self.responseKind(subresource.kind, definition),
                     "verbs": .array(subresource.verbs.map { .string($0) })]
                })
            }
            return .object(resource)
        }
    }

    /// A strong ETag over the document's bytes.
    static func etag(_ body: [UInt8]) -> String {
        "\"" + SHA512.hash(data: body).map { byte in
            let hex = Array("0123456789ABCDEF")
            return String([hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }.joined() + "\""
    }
}
