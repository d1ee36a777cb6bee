import APIMachinery

extension SchemaCatalog {
    /// How strategic merge patch treats `type`, read off its fields' Go
    /// struct tags as the schema records them (patchStrategy, patchMergeKey),
    /// as upstream's strategicpatch reads them: a list whose strategy
    /// includes "merge" is merged by its merge key (or, of scalars, as a
    /// set); any other list is replaced whole; objects and maps merge
    /// field by field.
    public func patchSchema(for type: TypeSchema) -> PatchSchema {
        var building: Set<String> = []
        return patchSchema(type, building: &building)
    }

    private func patchSchema(_ type: TypeSchema, building: inout Set<String>) -> PatchSchema {
        // A type that contains itself (a recursive schema) merges plainly below the first level.
        guard building.insert(type.name).inserted else { return .opaque }
        defer { building.remove(type.name) }
        var fields: [String: PatchSchema] = [:]
        for field in type.fields where !field.isInline {
            let merges = field.patchStrategy?.split(separator: ",").contains("merge") ?? false
            switch field.type {
            case .array(.reference(let name)) where merges:
                guard let key = field.patchMergeKey, let element = resolve(name) else { continue }
                fields[field.name] = .list(mergeKey: key, patchSchema(element, building: &building))
            case .array where merges:
                fields[field.name] = .primitiveSet
            case .reference(let name):
                if let child = resolve(name) { fields[field.name] = patchSchema(child, building: &building) }
            case .map(.reference(let name)):
                if let child = resolve(name) { fields[field.name] = PatchSchema(elements: patchSchema(child, building: &building)) }
            default:
                continue
            }
        }
        return PatchSchema(fields: fields)
    }
}
