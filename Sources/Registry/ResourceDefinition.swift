import APIMachinery

/// Everything the server needs to know to serve one resource at one version:
/// its names (for URLs and discovery), its scope, and the strategy that holds
/// what is particular to its kind. A new built-in kind is a definition plus a
/// strategy, never a new handler.
public struct ResourceDefinition: Sendable {
    public var group: String
    public var version: String
    /// The plural, lower-case name used in URLs ("configmaps").
    public var resource: String
    public var singular: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    /// Verbs on the resource itself, as discovery lists them.
    public var verbs: [String]
    /// The resource's subresources, each with its verbs: what routing
    /// accepts, discovery and OpenAPI list, and the store honours.
    public var subresources: [Subresource: SubresourceDefinition]
    public var strategy: any ResourceStrategy
    /// The etcd path segment under the prefix. Definitions that share it share
    /// their objects (core/v1 and events.k8s.io/v1 events).
    public var storagePath: String
    /// The apiVersion objects are written at; values already stored at another
    /// version stay readable. Every definition over one storage has the same.
    public var storageVersion: String
    /// How the kind converts between its versions; nil when it has one version.
    public var conversion: (any VersionConverter)?
    /// Served unless --runtime-config says otherwise: stable and beta
    /// versions are, alpha ones are not (and some betas, as in Kubernetes).
    public var enabledByDefault: Bool
    public var deprecation: Deprecation?
    /// Served for a CustomResourceDefinition rather than built in; discovery
    /// describes such resources a little differently, as kube-apiserver's
    /// apiextensions server does.
    public var isCustomResource = false

    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public init(group: String = "", version: String = "v1", resource: String, singular: String, kind: String,
                namespaced: Bool = true, shortNames: [String] = [], categories: [String] = [],
                verbs: [String] = ResourceDefinition.allVerbs, subresources: [Subresource: SubresourceDefinition] = [:],
                strategy: any ResourceStrategy, storagePath: String? = nil, storageVersion: String? = nil,
                conversion: (any VersionConverter)? = nil, enabledByDefault: Bool? = nil, deprecation: Deprecation? = nil) {
        self.group = group
        self.version = version
        self.resource = resource
        self.singular = singular
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.verbs = verbs
        self.subresources = subresources
        self.strategy = strategy
        self.storagePath = storagePath ?? resource
        self.storageVersion = storageVersion ?? (group.isEmpty ? version : "\(group)/\(version)")
        self.conversion = conversion
        self.enabledByDefault = enabledByDefault ?? (APIVersion(version).stability != .alpha)
        self.deprecation = deprecation
    }

    /// "v1" or "coordination.k8s.io/v1", as apiVersion spells it.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var groupVersionKind: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }
    public var groupResource: GroupResource { GroupResource(group: group, resource: resource) }
    public var listKind: String { kind + "List" }
    public var apiVersion: APIVersion { APIVersion(version) }

    /// `object`, read from storage at whatever version it holds, at
    /// `apiVersion`: converted only when the two differ.
    public func converted(_ object: APIObject, to apiVersion: String) async throws -> APIObject {
        try await converted([object], to: apiVersion)[0]
    }

    /// Each object at `apiVersion`, those already there untouched.
    public func converted(_ objects: [APIObject], to apiVersion: String) async throws -> [APIObject] {
        guard let conversion, objects.contains(where: { $0.apiVersion != apiVersion }) else { return objects }
        return try await conversion.convert(objects, to: apiVersion)
    }

    /// The internal form strategies work on: the conversion's hub.
    public func hub(_ object: APIObject) async throws -> APIObject {
        guard let conversion else { return object }
        return try await converted(object, to: conversion.hub)
    }

    /// The hub form where it can be had without leaving the process (for
    /// table cells and field selectors); the object itself otherwise.
    public func localHub(_ object: APIObject) -> APIObject {
        guard let conversion, object.apiVersion != conversion.hub else { return object }
        return (try? conversion.convertLocally(object, to: conversion.hub)) ?? object
    }
}

/// A served version on its way out, and the Warning clients get for it.
public struct Deprecation: Sendable {
    /// Kubernetes releases, "1.22".
    public var deprecatedIn: String
    public var removedIn: String?
    /// What to use instead: "events.k8s.io/v1 Event".
    public var replacement: String?
    /// The whole warning, when given (a CRD version's deprecationWarning).
    public var message: String?

    public init(deprecatedIn: String, removedIn: String? = nil, replacement: String? = nil) {
        self.deprecatedIn = deprecatedIn
        self.removedIn = removedIn
        self.replacement = replacement
    }

    public init(message: String) {
        deprecatedIn = ""
        self.message = message
    }

    /// kube-apiserver's wording: "events.k8s.io/v1beta1 Event is deprecated
    /// in v1.22+, unavailable in v1.25+; use events.k8s.io/v1 Event".
    public func warning(_ definition: ResourceDefinition) -> String {
        if let message { return message }
        var text = "\(definition.groupVersion) \(definition.kind) is deprecated in v\(deprecatedIn)+"
        if let removedIn { text += ", unavailable in v\(removedIn)+" }
        if let replacement { text += "; use \(replacement)" }
        return text
    }
}

/// A subresource of a resource (pods/status, namespaces/finalize, widgets/scale).
public enum Subresource: String, Sendable, CaseIterable {
    case status
    case finalize
    case scale
}

/// What a subresource answers to.
public struct SubresourceDefinition: Sendable, Hashable {
    /// Its verbs, as discovery lists them; any other is 405.
    public var verbs: [String]
    /// The kind it reads and writes when not the resource's own (a Scale).
    public var kind: GroupVersionKind?
    /// Where a scale subresource finds replicas and selector in the object.
    public var scale: ScalePaths?

    public init(verbs: [String], kind: GroupVersionKind? = nil, scale: ScalePaths? = nil) {
        self.verbs = verbs
        self.kind = kind
        self.scale = scale
    }

    /// The status of an object, read and written apart from its spec.
    public static let status = SubresourceDefinition(verbs: ["get", "patch", "update"])
    /// A namespace's spec.finalizers, which only this may change.
    public static let finalize = SubresourceDefinition(verbs: ["update"])
    /// autoscaling/v1 Scale over the fields `paths` name (`kubectl scale`).
    public static func scale(_ paths: ScalePaths) -> SubresourceDefinition {
        SubresourceDefinition(verbs: ["get", "patch", "update"],
                              kind: GroupVersionKind(group: "autoscaling", version: "v1", kind: "Scale"), scale: paths)
    }
}

/// A CRD's scale subresource: simple JSON paths (".spec.replicas") to the
/// desired and observed replicas and to the label selector.
public struct ScalePaths: Sendable, Hashable {
    public var specReplicas: String
    public var statusReplicas: String
    public var labelSelector: String?

    public init(specReplicas: String, statusReplicas: String, labelSelector: String? = nil) {
        self.specReplicas = specReplicas
        self.statusReplicas = statusReplicas
        self.labelSelector = labelSelector
    }
}
