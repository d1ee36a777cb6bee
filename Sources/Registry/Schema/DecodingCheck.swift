import APIMachinery

extension SchemaCatalog {
    /// Removes the fields of `value` that `type` does not have, as decoding
    /// into kube-apiserver's Go structs would, and returns their paths as its
    /// strict decoding errors name them: "spec.foo", "spec.containers[0].bar".
    /// Keys starting with "$" are patch directives and stay.
    public func pruneUnknownFields(_ value: inout JSONValue, of type: TypeSchema) -> [String] {
        var unknown: [String] = []
        var path: [PathPart] = []
        prune(&value, .reference(type.name), path: &path, into: &unknown)
        return unknown
    }

    /// Where the walk is; rendered only for an unknown field, as building a
    /// path string for every field visited showed in profiles of creates.
    private enum PathPart {
        case key(String)
        case index(Int)
    }

    private func prune(_ value: inout JSONValue, _ schema: ValueSchema, path: inout [PathPart], into unknown: inout [String]) {
        switch (schema, value) {
        case (.reference(let name), .object(var object)):
            guard let type = resolve(name) else { return }
            value = .null  // `object` is now the only reference, so the edits below do not copy it
            var index = 0
            while index < object.count {
                let key = object.keys[index]
                guard !key.hasPrefix("$") else {
                    index += 1
                    continue
                }
                path.append(.key(key))
                if let field = type.field(key) {
                    prune(&object.values[index], field.type, path: &path, into: &unknown)
                    index += 1
                } else {
                    unknown.append(Self.render(path))
                    object.remove(at: index)
                }
                path.removeLast()
            }
            value = .object(object)
        case (.array(let element), .array(var items)):
            value = .null
            for index in items.indices {
                path.append(.index(index))
                prune(&items[index], element, path: &path, into: &unknown)
                path.removeLast()
            }
            value = .array(items)
        case (.map(let element), .object(var object)):
            value = .null
            for index in object.values.indices where !object.keys[index].hasPrefix("$") {
                path.append(.key(object.keys[index]))
                prune(&object.values[index], element, path: &path, into: &unknown)
                path.removeLast()
            }
            value = .object(object)
        default:
            return
        }
    }

    private static func render(_ path: [PathPart]) -> String {
        var text = ""
        for part in path {
            switch part {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
