import APIMachinery

extension SchemaCatalog {
    /// Removes the fields of `value` that `type` does not have, as decoding
    /// into kube-apiserver's Go structs would, and returns their paths as its
    /// strict decoding errors name them: "spec.foo", "spec.containers[0].bar".
    /// Keys starting with "$" are patch directives and stay.
    public func pruneUnknownFields(_ value: inout JSONValue, of type: TypeSchema) -> [String] {
        var unknown: [String] = []
        prune(&value, .reference(type.shortName), path: "", into: &unknown)
        return unknown
    }

    private func prune(_ value: inout JSONValue, _ schema: ValueSchema, path: String, into unknown: inout [String]) {
        switch (schema, value) {
        case (.reference(let name), .object(var object)):
            guard let type = resolve(name) else { return }
            for key in object.keys where !key.hasPrefix("$") {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                guard let field = type.field(key) else {
                    unknown.append(childPath)
                    object[key] = nil
                    continue
                }
                prune(&object[key]!, field.type, path: childPath, into: &unknown)
            }
            value = .object(object)
        case (.array(let element), .array(var items)):
            for index in items.indices { prune(&items[index], element, path: "\(path)[\(index)]", into: &unknown) }
            value = .array(items)
        case (.map(let element), .object(var object)):
            for key in object.keys where !key.hasPrefix("$") {
                prune(&object[key]!, element, path: "\(path).\(key)", into: &unknown)
            }
            value = .object(object)
        default:
            return
        }
    }
}
