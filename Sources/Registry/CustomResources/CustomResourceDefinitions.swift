import APIMachinery
import EtcdClient

/// The resource definitions one CRD serves: one per served version, over one
/// storage at /registry/GROUP/PLURAL (kube's layout), at its storage version.
public enum CustomResourceDefinitions {
    /// The resource the CRDs themselves are, as operator tools name it.
    public static let resourceName = "customresourcedefinitions.apiextensions.k8s.io"

    /// The store of the CRDs themselves under `prefix`, for the operator
    /// tools, which work on etcd without a running server.
    public static func crdStore(client: EtcdClient, prefix: String) -> ResourceStore {
        let definition = BuiltinResources.definitions().first { $0.groupResource.description == resourceName }!
        return ResourceStore(definition: definition, client: client, prefix: prefix)
    }

    /// The definitions of every CRD stored under `prefix`.
    public static func stored(client: EtcdClient, prefix: String) async throws -> [ResourceDefinition] {
        try await crdStore(client: client, prefix: prefix).list(namespace: nil, ListQuery()).items
            .flatMap { definitions(for: $0).map(\.0) }
    }

    /// The verbs of every custom resource, in the order kube lists them.
    static let verbs = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]

    /// Nothing when the CRD cannot be served (no storage version or schema).
    /// `resolver` finds a conversion webhook named by Service.
    public static func definitions(for crd: APIObject,
                                   resolver: (any ServiceResolver)? = nil) -> [(ResourceDefinition, schema: any ObjectSchema)] {
        let spec = CustomResourceDefinitionSpec(crd)
        guard let storage = spec.storageVersion, let storageSchemaJSON = storage.schemaJSON else { return [] }
        let storageSchema = StructuralSchema(storageSchemaJSON)
        let allVersions = spec.versions.map { "\(spec.group)/\($0.name)" }
        let hub = "\(spec.group)/\(storage.name)"
        var conversion: (any VersionConverter)?
        if allVersions.count > 1 {
            conversion = spec.conversionStrategy == "Webhook"
                ? ConversionWebhook(spec.conversionJSON, hub: hub, kind: spec.names.kind, resolver: resolver)
                : CustomResourceConversion(hub: hub, versions: allVersions)
        }
        return spec.versions.filter(\.served).map { version in
            var subresources: [Subresource: SubresourceDefinition] = [:]
            if version.hasStatus { subresources[.status] = .status }
            if let scale = version.scale { subresources[.scale] = .scale(scale) }
            let strategy = CustomResourceStrategy(
                schema: storageSchema, hasStatus: version.hasStatus, scale: version.scale, printerColumns: version.columns,
                selectable: version.selectableFields.compactMap { path in
                    SimpleJSONPath(path).map { (label: String(path.dropFirst()), path: $0) }
                })
            var definition = ResourceDefinition(
                group: spec.group, version: version.name, resource: spec.names.plural, singular: spec.names.singular,
                kind: spec.names.kind, namespaced: spec.namespaced, shortNames: spec.names.shortNames,
                categories: spec.names.categories, verbs: verbs, subresources: subresources, strategy: strategy,
                storagePath: "\(spec.group)/\(spec.names.plural)", storageVersion: "\(spec.group)/\(storage.name)",
                conversion: conversion, enabledByDefault: true,
                deprecation: version.deprecated
                    ? Deprecation(message: version.deprecationWarning ?? "\(spec.group)/\(version.name) \(spec.names.kind) is deprecated")
                    : nil)
            definition.isCustomResource = true
            let schemaJSON = version.schemaJSON ?? storageSchemaJSON
            let schema = CustomResourceSchema(schema: StructuralSchema(schemaJSON), kind: definition.groupVersionKind,
                                              openAPIV3Schema: schemaJSON)
            return (definition, schema)
        }
    }
}
