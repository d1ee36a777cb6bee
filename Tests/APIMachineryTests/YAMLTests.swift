import APIMachinery
import Testing

@Suite struct YAMLTests {
    @Test func scalarsResolveAsSigsYAMLReadsThem() throws {
        let value = try YAMLConversion.decode("""
            a: ~
            b: true
            c: 12
            d: 1.5
            e: "12"
            f: 'true'
            g: plain text
            h: [1, x]
            i: {j: null}
            """)
        #expect(value == ["a": nil, "b": true, "c": 12, "d": 1.5, "e": "12", "f": "true", "g": "plain text",
                          "h": [1, "x"], "i": ["j": nil]])
    }

    @Test func numbersAreGoYAMLsAndNeverTrap() throws {
        let value = try YAMLConversion.decode("""
            a: 0x1F
            b: 017
            c: -0b101
            d: 1_000
            e: 9223372036854775807
            f: 99999999999999999999
            g: 1e3
            h: 55555:555555555555555:5555555555
            i: .5
            """)
        #expect(value == ["a": 31, "b": 15, "c": -5, "d": 1000, "e": 9_223_372_036_854_775_807, "f": 1e20, "g": 1000.0,
                          "h": "55555:555555555555555:5555555555", "i": 0.5])
    }

    @Test func aliasesRepeatTheirNodeAndOnlyTheFirstDocumentCounts() throws {
        let value = try YAMLConversion.decode("""
            base: &b {x: 1, y: [a, b]}
            copy: *b
            name: &n key
            *n : aliased key
            ---
            second: document
            """)
        #expect(value == ["base": ["x": 1, "y": ["a", "b"]], "copy": ["x": 1, "y": ["a", "b"]], "name": "key",
                          "key": "aliased key"])
        #expect(try YAMLConversion.decode("") == nil)
    }

    @Test func anAliasBombIsRefusedBeforeItIsBuiltEvenAsAMappingKey() throws {
        let levels = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + (1...8).map { level in
            let name = String(UnicodeScalar(UInt8(97 + level)))
            let previous = String(UnicodeScalar(UInt8(96 + level)))
            return "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]"
        }.joined(separator: "\n")
        // The same bomb used as the key of a one-pair mapping (what a fuzzer
        // found: composing Yams nodes hashed it for minutes).
        for text in [levels, levels + "\nj: [*i: x]"] {
            #expect { try YAMLConversion.decode(text, expectedKind: "ConfigMap") } throws: { error in
                (error as? APIError)?.message.contains("yaml: document contains excessive aliasing") == true
            }
        }
    }

    @Test func syntaxErrorsNameTheirLine() {
        #expect { try YAMLConversion.decode("a: b\nc: [d\n") } throws: { error in
            (error as? APIError)?.message.hasPrefix("error converting YAML to JSON: yaml: line ") == true
        }
        #expect { try YAMLConversion.decode("a: *missing") } throws: { error in
            (error as? APIError)?.code == 400
        }
    }
}
