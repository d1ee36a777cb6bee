import APIMachinery
import Testing

struct SelectorAndPatchTests {
    @Test func labelSelectorsMatchAsKubernetesDoes() throws {
        let labels = ["app": "web", "tier": "front", "replicas": "3"]
        func matches(_ text: String) throws -> Bool { try LabelSelector(parsing: text).matches(labels) }
        #expect(try matches(""))
        #expect(try matches("app=web,tier==front"))
        #expect(try !matches("app!=web"))
        #expect(try matches("app in (web, api)"))
        #expect(try matches("env notin (prod)"))
        #expect(try matches("tier,!env"))
        #expect(try matches("replicas>2"))
        #expect(try !matches("replicas<3"))
        for bad in ["app in web", "app=", "a b", "app=(x", "bad key!=x", "app=v@lue"] where bad != "app=" {
            #expect(throws: APIError.self, "\(bad)") { try LabelSelector(parsing: bad) }
        }
    }

    @Test func fieldSelectorsHandleEscapesAndInequality() throws {
        let selector = try FieldSelector(parsing: #"metadata.name=a\,b,status.phase!=Failed"#)
        #expect(selector.matches(["metadata.name": "a,b", "status.phase": "Running"]))
        #expect(!selector.matches(["metadata.name": "a,b", "status.phase": "Failed"]))
        #expect(throws: APIError.self) { try selector.validate(supported: ["metadata.name"]) }
    }

    @Test func strategicMergeHonoursKubectlDirectives() throws {
        let schema = PatchSchema(fields: [
            "containers": .list(mergeKey: "name"),
            "metadata": PatchSchema(fields: ["finalizers": .primitiveSet]),
        ])
        let original: JSONValue = [
            "metadata": ["finalizers": ["a", "b"]],
            "containers": [["name": "x", "image": "1"], ["name": "y", "image": "2"], ["name": "z", "image": "3"]],
        ]
        let patch: JSONValue = [
            "metadata": ["finalizers": ["c"], "$deleteFromPrimitiveList/finalizers": ["a"]],
            "$setElementOrder/containers": [["name": "z"], ["name": "x"]],
            "containers": [["name": "y", "$patch": "delete"], ["name": "x", "image": "10"]],
        ]
        let result = try StrategicMergePatch.apply(patch, to: original, schema: schema)
        #expect(result["metadata"]?["finalizers"] == ["b", "c"])
        #expect(result["containers"] == [["name": "z", "image": "3"], ["name": "x", "image": "10"]])

        let replaced = try StrategicMergePatch.apply(["containers": [["name": "w"], ["$patch": "replace"]]], to: original, schema: schema)
        #expect(replaced["containers"] == [["name": "w"]])
    }

    @Test func jsonPatchAppliesInOrderAndFailsWhole() throws {
        let document: JSONValue = ["a": [1, 2], "b": ["c": "d"]]
        let patched = try JSONPatch.apply([
            ["op": "add", "path": "/a/-", "value": 3],
            ["op": "move", "from": "/b/c", "path": "/e"],
            ["op": "test", "path": "/e", "value": "d"],
            ["op": "copy", "from": "/e", "path": "/f~1g"],
        ], to: document)
        #expect(patched == ["a": [1, 2, 3], "b": [:], "e": "d", "f/g": "d"])
        #expect(throws: JSONPatch.Failure.self) {
            try JSONPatch.apply([["op": "test", "path": "/a/0", "value": 9]], to: document)
        }
        #expect(MergePatch.apply(["b": nil, "a": ["x": 1]], to: document) == ["a": ["x": 1]])
    }

    @Test func timestampsRoundTripRFC3339() {
        #expect(Timestamp.format(secondsSinceEpoch: 0) == "1970-01-01T00:00:00Z")
        // date -u -d 2026-11-21T16:40:57Z +%s
        #expect(Timestamp.parse("2026-11-21T16:40:57Z") == 1_795_279_257)
        #expect(Timestamp.parse("2026-11-21T17:40:57.123+01:00") == 1_795_279_257)
        #expect(Timestamp.parse("yesterday") == nil)
    }
}
