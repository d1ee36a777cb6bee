import APIMachinery

/// Identifies one object of a resource: its namespace ("" when cluster-scoped)
/// and name.
public struct ObjectKey: Sendable, Hashable, CustomStringConvertible {
    public var namespace: String
    public var name: String
    public init(namespace: String = "", name: String) {
        self.namespace = namespace
        self.name = name
    }
    public var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

/// The etcd key layout of one resource, as kube-apiserver lays it out:
/// `<prefix>/<resourcePath>/<namespace>/<name>` for namespaced resources and
/// `<prefix>/<resourcePath>/<name>` for cluster-scoped ones. resourcePath is the
/// plural for built-in resources ("configmaps") and "<group>/<plural>" for
/// custom resources.
public struct ResourceKeys: Sendable, Hashable {
    public var prefix: String
    public var resourcePath: String
    public var namespaced: Bool

    public init(prefix: String = "/registry", resourcePath: String, namespaced: Bool) {
        var prefix = prefix
        while prefix.hasSuffix("/") { prefix.removeLast() }
        if !prefix.hasPrefix("/") { prefix = "/" + prefix }
        self.prefix = prefix
        self.resourcePath = resourcePath
        self.namespaced = namespaced
    }

    /// Every key of the resource, ending in "/".
    public var resourcePrefix: String { "\(prefix)/\(resourcePath)/" }

    /// The key prefix of a list: one namespace, or every object when nil.
    public func listPrefix(namespace: String?) throws -> String {
        guard let namespace, namespaced else { return resourcePrefix }
        try Self.validateSegment(namespace, what: "Namespace")
        return resourcePrefix + namespace + "/"
    }

    /// The key of one object. Bad names are 400 BadRequest, as in the
    /// registry's key functions.
    public func key(_ object: ObjectKey) throws -> String {
        if namespaced {
            guard !object.namespace.isEmpty else { throw APIError.badRequest("Namespace parameter required.") }
            try Self.validateSegment(object.namespace, what: "Namespace")
        }
        guard !object.name.isEmpty else { throw APIError.badRequest("Name parameter required.") }
        try Self.validateSegment(object.name, what: "Name")
        return namespaced ? "\(resourcePrefix)\(object.namespace)/\(object.name)" : resourcePrefix + object.name
    }

    /// Path segment rules (apimachinery's IsValidPathSegmentName): a name must
    /// be usable as one segment of a URL and of an etcd key.
    static func validateSegment(_ value: String, what: String) throws {
        var problems: [String] = []
        if value == "." || value == ".." { problems.append("may not be '\(value)'") }
        // Byte scans: String.contains(String) goes through Foundation and showed in profiles.
        if value.utf8.contains(UInt8(ascii: "/")) { problems.append("may not contain '/'") }
        if value.utf8.contains(UInt8(ascii: "%")) { problems.append("may not contain '%'") }
        if !problems.isEmpty {
            throw APIError.badRequest("\(what) parameter invalid: \"\(value)\": \(problems.joined(separator: ";"))")
        }
    }
}
