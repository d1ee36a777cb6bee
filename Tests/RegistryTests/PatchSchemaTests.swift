import APIMachinery
import Registry
import Testing

/// Strategic merge patches follow each kind's schema: every list field the
/// schema tags patchStrategy=merge merges (by its merge key, or as a set of
/// scalars), every other list is replaced, for every built-in kind.
@Suite struct PatchSchemaTests {
    let catalog = BuiltinResources.schemas

    /// List fields reachable through objects (not through lists), with their paths.
    func listFields(_ type: TypeSchema, path: [String] = [], depth: Int = 0) -> [(path: [String], field: FieldSchema)] {
        guard depth < 4 else { return [] }
        var found: [(path: [String], field: FieldSchema)] = []
        for field in type.fields where !field.isInline {
            switch field.type {
            case .array: found.append((path + [field.name], field))
            case .reference(let name):
                if let child = catalog.resolve(name) { found += listFields(child, path: path + [field.name], depth: depth + 1) }
            default: continue
            }
        }
        return found
    }

    func nested(_ path: [String], _ value: JSONValue) -> JSONValue {
        path.reversed().reduce(value) { inner, key in .object([key: inner]) }
    }

    func value(at path: [String], in document: JSONValue) -> JSONValue? {
        path.reduce(document as JSONValue?) { $0?[$1] }
    }

    @Test func everyKindsListsMergeAsItsSchemaSays() throws {
        var checked = 0
        for definition in BuiltinResources.definitions() {
            let schema = try #require(KindSchema(catalog: catalog, kind: definition.groupVersionKind))
            for (path, field) in listFields(schema.type) {
                let merges = field.patchStrategy?.split(separator: ",").contains("merge") ?? false
                let original: JSONValue, patch: JSONValue, expected: JSONValue
                switch field.type {
                case .array(.reference) where merges:
                    let key = try #require(field.patchMergeKey)
                    original = [.object([key: "a", "kept": "yes"])]
                    patch = [.object([key: "b"])]
                    expected = [.object([key: "a", "kept": "yes"]), .object([key: "b"])]
                case .array where merges:
                    (original, patch, expected) = (["a"], ["b"], ["a", "b"])
                default:
                    (original, patch, expected) = ([["name": "a"]], [["name": "b"]], [["name": "b"]])
                }
                let result = try StrategicMergePatch.apply(nested(path, patch), to: nested(path, original),
                                                           schema: schema.patchSchema)
                #expect(value(at: path, in: result) == expected,
                        "\(definition.groupVersion) \(definition.kind) \(path.joined(separator: "."))")
                checked += 1
            }
        }
        #expect(checked > 50, "the walk found the lists")
    }

    @Test func upstreamsTagsNotTheOldHandWrittenOnes() throws {
        let pod = try #require(KindSchema(catalog: catalog, kind: GroupVersionKind(group: "", version: "v1", kind: "Pod")))
        // readinessGates are atomic upstream: a patch replaces them.
        let gates = try StrategicMergePatch.apply(["spec": ["readinessGates": [["conditionType": "b"]]]],
                                                  to: ["spec": ["readinessGates": [["conditionType": "a"]]]],
                                                  schema: pod.patchSchema)
        #expect(gates["spec"]?["readinessGates"] == [["conditionType": "b"]])
        // Containers merge by name, and their env by name within.
        let merged = try StrategicMergePatch.apply(
            ["spec": ["containers": [["name": "c", "env": [["name": "B", "value": "2"]]]]]],
            to: ["spec": ["containers": [["name": "c", "image": "i", "env": [["name": "A", "value": "1"]]]]]],
            schema: pod.patchSchema)
        #expect(merged["spec"]?["containers"] == [["name": "c", "image": "i", "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]]]])
    }
}
