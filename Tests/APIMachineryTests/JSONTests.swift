import APIMachinery
import Testing

@Suite struct JSONTests {
    @Test func roundTripKeepsKeyOrderAndIntegers() throws {
        let text = #"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","generation":9007199254740993},"data":{"z":"1","a":"2"},"list":[1,2.5,true,false,null,-0.001,1e+30]}"#
        let value = try JSONValue.parse(text)
        #expect(value["metadata"]?["generation"]?.intValue == 9_007_199_254_740_993)
        #expect(value["data"]?.objectValue?.keys.elementsEqual(["z", "a"]) == true)
        #expect(try JSONValue.parse(value.serialized()) == value)
        #expect(value.jsonString.hasPrefix(#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","generation":9007199254740993}"#))
    }

    @Test func largeWholeNumbersPrintAsGoPrintsThem() throws {
        // Between Int64's end and 1e21 Go writes every digit; beyond, an exponent.
        let value = try JSONValue.parse("[1e19, -1.5e20, 123456789012345678901, 1e21, 9.2e18]")
        #expect(value.jsonString == "[10000000000000000000,-150000000000000000000,123456789012345680000,1e+21,9200000000000000000]")
    }

    @Test func stringsEscapeAndUnescape() throws {
        let value = try JSONValue.parse(#"["a\"b\\c\/d\n\t\u00e9\ud83d\ude00<&>", "plain é"]"#)
        #expect(value.arrayValue?.first?.stringValue == "a\"b\\c/d\n\té😀<&>")
        #expect(value.arrayValue?.last?.stringValue == "plain é")
        // Go's encoder escapes <, > and & and control characters; Berth does too.
        #expect(JSONValue.string("<a&b>\u{1}").jsonString == #""\u003ca\u0026b\u003e\u0001""#)
        #expect(try JSONValue.parse(JSONValue.string("x\"\\\n\u{7f}😀").serialized()) == .string("x\"\\\n\u{7f}😀"))
        // A lone surrogate becomes U+FFFD, as Go decodes it.
        #expect(try JSONValue.parse(#""\ud800""#) == .string("\u{FFFD}"))
    }

    @Test func badInputIsAClearErrorWithItsOffset() {
        let cases: [(String, String)] = [
            ("", "unexpected end"),
            ("{", "expected a string key"),
            (#"{"a" 1}"#, "expected ':'"),
            (#"{"a":1,}"#, "expected a string key"),
            ("[1 2]", "expected ',' or ']'"),
            ("tru", "invalid literal"),
            ("01", "unexpected data after"),
            ("1.", "digit expected after '.'"),
            (#""\x""#, "invalid escape"),
            ("\"a\nb\"", "control character"),
            ("1e999", "out of range"),
            (#"{"a":1} x"#, "unexpected data after"),
        ]
        for (input, expected) in cases {
            do {
                _ = try JSONValue.parse(input)
                Issue.record("\(input) parsed")
            } catch let error as JSONParseError {
                #expect(error.message.contains(expected), "\(input): \(error)")
            } catch {
                Issue.record("\(input): unexpected \(error)")
            }
        }
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xff, 0x22]) }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONValue.parse(fine)) != nil)
    }

    @Test func editingAnObjectInPlace() {
        var value: JSONValue = ["metadata": ["name": "a"]]
        value["metadata"]?["namespace"] = "ns"
        value["spec"] = ["replicas": 3]
        #expect(value.jsonString == #"{"metadata":{"name":"a","namespace":"ns"},"spec":{"replicas":3}}"#)
        var object = APIObject(value)
        object.resourceVersion = "12"
        #expect(object.resourceVersion == "12" && object.namespace == "ns")
        object.resourceVersion = ""
        #expect(object.metadata["resourceVersion"] == nil)
    }

    /// The watch cache keeps objects as their wire-ordered JSON: such an
    /// object reads as the tree it encodes, without parsing for its
    /// version and kind, and an edit drops the bytes it no longer matches.
    @Test func anObjectKnownByItsEncodedJSONReadsAndEditsAsItsTree() {
        let tree = WireOrder.object(["apiVersion": "v1", "kind": "ConfigMap", "data": ["k": "v"],
                                     "metadata": ["resourceVersion": "7", "name": "a"]])
        #expect(tree.jsonString == #"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"7"},"data":{"k":"v"}}"#)
        let bytes = tree.serialized()
        var object = APIObject(encodedJSON: bytes, apiVersion: "v1", kind: "ConfigMap", encodings: SharedEncodings())
        #expect(object.encodedJSON == bytes && object.apiVersion == "v1" && object.kind == "ConfigMap")
        #expect(object.json == tree && object.name == "a" && object.resourceVersion == "7")
        #expect(object == APIObject(tree))
        let copy = object
        object.json["data"]?["k"] = "changed"
        #expect(object.encodedJSON == nil && object.encodings == nil)
        #expect(object.json["data"]?["k"] == "changed" && copy.json["data"]?["k"] == "v" && copy.encodedJSON == bytes)
        var renamed = copy
        renamed.kind = "Other"
        #expect(renamed.kind == "Other" && renamed.encodedJSON == nil)
    }

    @Test func doublesPrintLikeGo() {
        #expect(JSONValue.double(2).jsonString == "2")
        #expect(JSONValue.double(2.5).jsonString == "2.5")
    }
}
