import APIMachinery

/// What decoding a custom resource accepts, as kube's apiextensions server
/// decodes it: fields the version's schema does not know are pruned (and
/// named); values are checked later, by validation (422), not by decoding.
public struct CustomResourceSchema: ObjectSchema {
    let schema: StructuralSchema
    public let kind: GroupVersionKind
    /// The version's openAPIV3Schema as the CRD gives it, for OpenAPI.
    public let openAPIV3Schema: JSONValue

    public func checkBody(_ json: inout JSONValue) throws -> [String] { schema.prune(object: &json) }

    public func pruneUnknownFields(_ json: inout JSONValue) -> [String] { schema.prune(object: &json) }

    public func checkPatched(_ json: inout JSONValue) throws { _ = schema.prune(object: &json) }

    public var strategicMergeSchema: PatchSchema? { nil }
}
