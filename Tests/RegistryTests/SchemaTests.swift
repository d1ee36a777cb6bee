import APIMachinery
import Registry
import Testing

@Suite struct SchemaTests {
    let catalog = BuiltinResources.schemas

    @Test func builtinSchemasAreWholeAndCoverEveryServedKind() {
        #expect(catalog.unresolvedReferences.isEmpty)
        for definition in BuiltinResources.definitions() {
            for kind in [definition.kind, definition.listKind] {
                let key = GroupVersionKind(group: definition.group, version: definition.version, kind: kind)
                #expect(catalog.type(for: key) != nil, "no schema for \(definition.groupVersion) \(kind)")
            }
        }
        // Within a type, no two fields share a protobuf number.
        for type in catalog.types.values {
            let numbers = type.fields.compactMap(\.number)
            #expect(Set(numbers).count == numbers.count, "\(type.name) repeats a field number")
        }
    }

    @Test func theTextReportsItsMistakesByLine() {
        #expect(throws: SchemaText.SyntaxError.self) { try SchemaText.parse("core.v1.X\n  name 1 strnig\n") }
        #expect(throws: SchemaText.SyntaxError.self) { try SchemaText.parse("  name 1 string\n") }
        #expect(throws: SchemaText.SyntaxError.self) { try SchemaText.parse("core.v1.X\n  name one string\n") }
        let parsed = try? SchemaText.parse("core.v1.X gvk=/v1/X -- An X.\n  items 2 [Y]? list=map:a,b -- Ys.\n")
        let field = parsed?.first?.fields.first
        #expect(field?.type == .array(.reference("Y")))
        #expect(field?.keepsZero == true)
        #expect(field?.listMapKeys == ["a", "b"])
        #expect(field?.description == "Ys.")
        #expect(parsed?.first?.kinds == [GroupVersionKind(group: "", version: "v1", kind: "X")])
    }

    @Test func unknownFieldsArePrunedWithTheirPaths() throws {
        let pod = try #require(catalog.type(for: GroupVersionKind(group: "", version: "v1", kind: "Pod")))
        var value: JSONValue = [
            "metadata": ["name": "p", "labels": ["any": "key"]],
            "spec": ["containers": [["name": "a", "imagee": "x", "env": [["name": "E", "valu": "1"]]]],
                     "$patch": "replace"],
        ]
        let unknown = catalog.pruneUnknownFields(&value, of: pod)
        #expect(unknown == ["spec.containers[0].imagee", "spec.containers[0].env[0].valu"])
        #expect(value["spec"]?["containers"]?[0] == ["name": "a", "env": [["name": "E"]]])
        #expect(value["spec"]?["$patch"] == "replace", "patch directives are not fields")
    }
}
