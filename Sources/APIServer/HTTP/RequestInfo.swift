import HTTPTypes

/// What a request asks for, read off its path and method the way
/// k8s.io/apiserver's RequestInfoFactory reads it:
///   /api/v1/namespaces/NS/RESOURCE/NAME/SUBRESOURCE
///   /apis/GROUP/VERSION/RESOURCE/NAME/SUBRESOURCE
/// Anything else (/version, /healthz, discovery roots) is a non-resource path.
struct RequestInfo: Sendable, Equatable {
    enum Verb: String, Sendable {
        case get, list, watch, create, update, patch, delete, deletecollection
    }

    var group: String
    var version: String
    var resource: String
    var namespace: String?
    var name: String?
    var subresource: String?
    var verb: Verb

    /// Subresources that follow a namespace's name rather than start a resource.
    static let namespaceSubresources: Set<String> = ["status", "finalize"]

    /// nil for a path that names no resource (discovery, health, ...).
    /// Throws 404/405 for resource paths that cannot be served.
    static func parse(path: String, method: HTTPRequest.Method, watchParameter: Bool) throws -> RequestInfo? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let group: String
        let version: String
        if parts.first == "api" {
            guard parts.count >= 3 else { return nil }
            group = ""
            version = parts[1]
            parts.removeFirst(2)
        } else if parts.first == "apis" {
            guard parts.count >= 4 else { return nil }
            group = parts[1]
            version = parts[2]
            parts.removeFirst(3)
        } else {
            return nil
        }
        // The legacy /watch/ prefix: /api/v1/watch/namespaces/NS/configmaps.
        var watchPath = false
        if parts.first == "watch" {
            watchPath = true
            parts.removeFirst()
        }
        var namespace: String?
        if parts.first == "namespaces", parts.count >= 2 {
            if parts.count >= 3 && !namespaceSubresources.contains(parts[2]) {
                namespace = parts[1]
                parts.removeFirst(2)
            }
        }
        guard let resource = parts.first, parts.count <= 3 else { throw APIErrorFactory.notFound }
        let name = parts.count >= 2 ? parts[1] : nil
        let subresource = parts.count == 3 ? parts[2] : nil

        let verb: Verb
        switch method {
        case .get, .head:
            // ?watch=true watches collections only: on a named object it is a
            // get, as kube-apiserver reads it (clients watch one object with
            // fieldSelector=metadata.name). The legacy /watch/ path names one.
            if watchPath || (watchParameter && name == nil) { verb = .watch } else { verb = name == nil ? .list : .get }
        case .post:
            guard name == nil || subresource != nil else { throw APIErrorFactory.methodNotAllowed }
            verb = .create
        case .put: verb = .update
        case .patch: verb = .patch
        case .delete: verb = name == nil ? .deletecollection : .delete
        default: throw APIErrorFactory.methodNotAllowed
        }
        if name == nil && [.update, .patch].contains(verb) { throw APIErrorFactory.methodNotAllowed }
        return RequestInfo(group: group, version: version, resource: resource, namespace: namespace, name: name,
                           subresource: subresource, verb: verb)
    }
}
