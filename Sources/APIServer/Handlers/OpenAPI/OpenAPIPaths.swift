import APIMachinery
import Registry

/// The operations kube-apiserver publishes for a resource, named and
/// parameterised as it names them, so that clients generated from either
/// document call the same things.
struct OpenAPIOperation {
    struct Parameter {
        var name: String
        var location = "query"
        var type = "string"
        var description: String
        var required = false
    }

    var path: String
    var method: String
    var operationID: String
    var action: String
    var description: String
    var parameters: [Parameter]
    /// OpenAPI names of the request body and of the answer.
    var body: String?
    var bodyMediaTypes: [String] = ["application/json", "application/yaml"]
    var responses: [(code: String, schema: String)]
    var kind: GroupVersionKind
    var tag: String

    static let objectMediaTypes = ["application/json", "application/yaml"]
    static let patchMediaTypes = ["application/json-patch+json", "application/merge-patch+json",
                                  "application/strategic-merge-patch+json"]

    /// Every operation on `definition`, whose kind has the schema `kindName` and list `listName`.
    static func operations(for definition: ResourceDefinition, kindName: String, listName: String,
                           catalog: SchemaCatalog) -> [OpenAPIOperation] {
        let groupVersion = camelGroup(definition.group) + definition.version.prefix(1).uppercased() + definition.version.dropFirst()
        let tag = (definition.group.isEmpty ? "core" : tagGroup(definition.group)) + "_" + definition.version
        let kind = GroupVersionKind(group: definition.group, version: definition.version, kind: definition.kind)
        let root = definition.group.isEmpty ? "/api/\(definition.version)" : "/apis/\(definition.group)/\(definition.version)"
        let scope = definition.namespaced ? "Namespaced" : ""
        let collection = definition.namespaced ? "\(root)/namespaces/{namespace}/\(definition.resource)" : "\(root)/\(definition.resource)"
        let item = collection + "/{name}"
        let pathParameters = [Parameter(name: "name", location: "path", description: "name of the \(definition.kind)", required: true)]
        let namespaceParameter = definition.namespaced
            ? [Parameter(name: "namespace", location: "path", description: "object name and auth scope, such as for teams and projects", required: true)]
            : []
        let status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status"
        func operation(_ path: String, _ method: String, _ verb: String, _ suffix: String, _ action: String,
                       _ description: String, _ parameters: [Parameter], body: String? = nil,
                       bodyTypes: [String] = objectMediaTypes, responses: [(String, String)]) -> OpenAPIOperation {
            OpenAPIOperation(path: path, method: method, operationID: verb + groupVersion + suffix, action: action,
                             description: description, parameters: parameters + [pretty], body: body,
                             bodyMediaTypes: bodyTypes, responses: responses.map { ($0.0, $0.1) }, kind: kind, tag: tag)
        }
        let named = scope + definition.kind
        var operations = [
            operation(collection, "get", "list", named, "list", "list or watch objects of kind \(definition.kind)",
                      namespaceParameter + listParameters, responses: [("200", listName)]),
            operation(collection, "post", "create", named, "post", "create a \(definition.kind)",
                      namespaceParameter + writeParameters, body: kindName,
                      responses: [("200", kindName), ("201", kindName), ("202", kindName)]),
            operation(item, "get", "read", named, "get", "read the specified \(definition.kind)",
                      pathParameters + namespaceParameter, responses: [("200", kindName)]),
            operation(item, "put", "replace", named, "put", "replace the specified \(definition.kind)",
                      pathParameters + namespaceParameter + writeParameters, body: kindName,
                      responses: [("200", kindName), ("201", kindName)]),
            operation(item, "patch", "patch", named, "patch", "partially update the specified \(definition.kind)",
                      pathParameters + namespaceParameter + writeParameters, body: "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
                      bodyTypes: patchMediaTypes, responses: [("200", kindName), ("201", kindName)]),
            operation(item, "delete", "delete", named, "delete", "delete a \(definition.kind)",
                      pathParameters + namespaceParameter + deleteParameters,
                      body: "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
                      responses: [("200", definition.strategy.returnsDeletedObject ? kindName : status), ("202", status)]),
        ]
        if definition.verbs.contains("deletecollection") {
            operations.append(operation(collection, "delete", "delete", "Collection" + named, "deletecollection",
                                        "delete collection of \(definition.kind)",
                                        namespaceParameter + listParameters + deleteParameters,
                                        body: "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", responses: [("200", status)]))
        }
        if definition.namespaced {
            operations.append(operation("\(root)/\(definition.resource)", "get", "list", "\(definition.kind)ForAllNamespaces",
                                        "list", "list or watch objects of kind \(definition.kind)", listParameters,
                                        responses: [("200", listName)]))
        }
        // status and scale: read, replace and patch of the object or of the kind they answer with.
        for (subresource, word) in [(Subresource.status, "Status"), (.scale, "Scale")] {
            guard let served = definition.subresources[subresource] else { continue }
            guard let answer = served.kind.map({ catalog.type(for: $0)?.openAPIName }) ?? kindName else { continue }
            let path = item + "/" + subresource.rawValue
            let what = subresource.rawValue
            operations += [
                operation(path, "get", "read", named + word, "get", "read \(what) of the specified \(definition.kind)",
                          pathParameters + namespaceParameter, responses: [("200", answer)]),
                operation(path, "put", "replace", named + word, "put", "replace \(what) of the specified \(definition.kind)",
                          pathParameters + namespaceParameter + writeParameters, body: answer,
                          responses: [("200", answer), ("201", answer)]),
                operation(path, "patch", "patch", named + word, "patch", "partially update \(what) of the specified \(definition.kind)",
                          pathParameters + namespaceParameter + writeParameters, body: "io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
                          bodyTypes: patchMediaTypes, responses: [("200", answer), ("201", answer)]),
            ]
        }
        return operations
    }

    /// "" → "Core", "coordination.k8s.io" → "Coordination", as operation ids spell groups.
    static func camelGroup(_ group: String) -> String {
        if group.isEmpty { return "Core" }
        return groupWords(group).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// "coordination.k8s.io" → "coordination", as tags spell groups.
    static func tagGroup(_ group: String) -> String {
        groupWords(group).joined(separator: "_")
    }

    /// A group's name without the ".k8s.io" every built-in group ends in, by word.
    private static func groupWords(_ group: String) -> [Substring] {
        (group.hasSuffix(".k8s.io") ? group.dropLast(7) : Substring(group)).split(separator: ".")
    }

    static let pretty = Parameter(name: "pretty", description: "If 'true', the output is indented. The default is 'false' unless the client is a browser or curl or wget.")

    static let listParameters = [
        Parameter(name: "allowWatchBookmarks", type: "boolean", description: "With watch, ask for BOOKMARK events that carry only a resourceVersion."),
        Parameter(name: "continue", description: "The token from the previous page of a paginated list."),
        Parameter(name: "fieldSelector", description: "Only objects whose fields match, e.g. metadata.name=x."),
        Parameter(name: "labelSelector", description: "Only objects whose labels match, e.g. app=web,tier!=db."),
        Parameter(name: "limit", type: "integer", description: "The most objects to return; the list's continue token fetches the rest."),
        Parameter(name: "resourceVersion", description: "The resource version to list or watch from; see resourceVersionMatch."),
        Parameter(name: "resourceVersionMatch", description: "How resourceVersion applies to a list: Exact or NotOlderThan."),
        Parameter(name: "sendInitialEvents", type: "boolean", description: "With watch, start with ADDED events for the current objects."),
        Parameter(name: "timeoutSeconds", type: "integer", description: "End a list or watch after this many seconds."),
        Parameter(name: "watch", type: "boolean", description: "Stream changes instead of answering a list."),
    ]

    static let writeParameters = [
        Parameter(name: "dryRun", description: "All: run every stage but do not persist the change."),
        Parameter(name: "fieldManager", description: "The name of the actor making the change."),
        Parameter(name: "fieldValidation", description: "What to do with unknown fields in the object: Ignore drops them, Warn (the default) drops them with a warning, Strict rejects the request."),
    ]

    static let deleteParameters = [
        Parameter(name: "dryRun", description: "All: run every stage but do not persist the change."),
        Parameter(name: "gracePeriodSeconds", type: "integer", description: "Seconds before the object is deleted; 0 means at once."),
        Parameter(name: "propagationPolicy", description: "How dependents are garbage collected: Orphan, Background or Foreground."),
    ]
}
