import APIMachinery

/// What decoding a custom resource accepts, as kube's apiextensions server
/// decodes it: fields the version's schema does not know are pruned (and
/// named); values are checked later, by validation (422), not by decoding.
struct CustomResourceSchema: ObjectSchema {
    let schema: StructuralSchema
    let kind: GroupVersionKind

    func checkBody(_ json: inout JSONValue) throws -> [String] { schema.prune(object: &json) }

    func pruneUnknownFields(_ json: inout JSONValue) -> [String] { schema.prune(object: &json) }

    func checkPatched(_ json: inout JSONValue) throws { _ = schema.prune(object: &json) }

    func cannotBeHandled(_ problem: String) -> APIError {
        APIError.badRequest("\(kind.kind) in version \"\(kind.version)\" cannot be handled as a \(kind.kind): \(problem)")
    }

    var strategicMergeSchema: PatchSchema? { nil }
}
