import APIMachinery
@testable import APIServer
import Foundation
import HTTPTypes
import Testing

/// Bodies a hostile (or broken) client sends, answered as kube-apiserver 1.36
/// answers them (Fixtures/hostile/), with nothing stored and the server
/// unharmed.
@Suite(.timeLimit(.minutes(2)))
struct HostileBodyTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    /// Resident memory of this process, in bytes.
    static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ")[1]) ?? 0) * 1024
    }

    @Test func yamlAliasBombsAreRefusedBeforeTheyAreBuilt() async throws {
        try await TestAPI.run { api in
            let nineLevels = try #require(referenceBytes("hostile/request-yaml-aliases.yaml"))
            // The same bomb, one level less: 43 million strings once built.
            let eightLevels = Array(String(decoding: nineLevels, as: UTF8.self)
                .replacingOccurrences(of: "  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n", with: "").utf8)
            let before = Self.residentBytes()
            for (method, uri) in [(HTTPRequest.Method.post, Self.configMaps), (.put, "\(Self.configMaps)/bomb")] {
                for body in [nineLevels, eightLevels] {
                    let reply = try await api.request(method, uri, body: body, headers: [.contentType: "application/yaml"])
                    #expect(reply.status == .badRequest)
                    #expect(reply.json == reference("hostile/status-400-yaml-aliases.json"))
                }
            }
            // Unbounded, the smaller one alone took 1.7 GB and the larger
            // more than 9 GB; refused, they take next to nothing (the bound
            // leaves room for the tests running beside this one).
            #expect(Self.residentBytes() - before < 500 << 20)
            #expect(try await api.get("\(Self.configMaps)/bomb").status == .notFound)
            // Anchors used as YAML means them are fine.
            let shared = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: anchors, labels: &l {a: b}, annotations: *l}\n"
            let created = try await api.request(.post, Self.configMaps, body: Array(shared.utf8),
                                                headers: [.contentType: "application/yaml"])
            #expect(created.status == .created)
            #expect(created.json["metadata"]?["annotations"] == ["a": "b"])
        }
    }

    @Test func valuesOfTheWrongTypeAreRefusedAsGoDecodingRefusesThem() async throws {
        try await TestAPI.run { api in
            func create(_ body: String) async throws -> TestAPI.Reply {
                try await api.request(.post, Self.configMaps, body: Array(body.utf8), headers: [.contentType: "application/json"])
            }
            // Byte for byte kube-apiserver's answers.
            #expect(try await create(#"{"metadata":{"name":"w","labels":{"a":5}}}"#).json
                == reference("hostile/status-400-label-number.json"))
            #expect(try await create(#"{"metadata":{"name":"w"},"data":{"k":["x"]}}"#).json
                == reference("hostile/status-400-data-list.json"))
            #expect(try await create(#"{"metadata":{"name":"w"},"binaryData":{"k":"abc!"}}"#).json
                == reference("hostile/status-400-binarydata.json"))
            // Go's own words for the rest.
            let cases: [(String, String)] = [
                (#"{"metadata":{"name":"w"},"immutable":"yes"}"#,
                 "json: cannot unmarshal string into Go struct field ConfigMap.immutable of type bool"),
                (#"{"metadata":{"name":"w","finalizers":"x"}}"#,
                 "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string"),
                (#"{"metadata":{"name":"w","ownerReferences":"x"}}"#,
                 "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.ownerReferences of type []v1.OwnerReference"),
                (#"{"metadata":{"name":"w","ownerReferences":[{"name":5}]}}"#,
                 "json: cannot unmarshal number into Go struct field OwnerReference.metadata.ownerReferences.name of type string"),
                (#"{"metadata":{"name":"w","annotations":"x"}}"#,
                 "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.annotations of type map[string]string"),
                (#"{"metadata":"w"}"#, "json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta"),
                (#"{"metadata":{"name":"w","creationTimestamp":"yesterday"}}"#,
                 #"parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006""#),
            ]
            for (body, problem) in cases {
                let reply = try await create(body)
                #expect(reply.status == .badRequest, "\(body)")
                #expect(reply.json["message"] == .string("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: \(problem)"))
            }
            #expect(try await api.get("\(Self.configMaps)/w").status == .notFound)

            // Deeper kinds: an int32 port, a quantity, an IntOrString.
            let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"], "spec": ["containers": [[
                "name": "c", "image": "i", "ports": [["containerPort": 99_999_999_999]],
            ]]]]
            let badPort = try await api.request(.post, "/api/v1/namespaces/default/pods", json: pod)
            #expect(badPort.json["message"] == "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number 99999999999 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32")
            var quantity = pod
            quantity["spec"] = ["containers": [["name": "c", "image": "i", "resources": ["limits": ["cpu": "lots"]]]]]
            let badQuantity = try await api.request(.post, "/api/v1/namespaces/default/pods", json: quantity)
            #expect(badQuantity.status == .badRequest)
            #expect(badQuantity.json["message"]?.stringValue?.hasSuffix("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'") == true)
        }
    }

    @Test func updatesAndPatchesAreCheckedToo() async throws {
        try await TestAPI.run { api in
            let created = try await api.request(.post, Self.configMaps, json: configMap("t"))
            var replacement = created.json
            replacement["data"] = ["k": 5]
            let update = try await api.request(.put, "\(Self.configMaps)/t", json: replacement)
            #expect(update.status == .badRequest)
            #expect(update.json["message"] == "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string")

            // A patch is checked once applied: kube's 422 on the field "patch".
            for (type, patch) in [("application/merge-patch+json", ["metadata": ["labels": ["a": 5]]] as JSONValue),
                                  ("application/strategic-merge-patch+json", ["metadata": ["labels": ["a": 5]]]),
                                  ("application/json-patch+json", [["op": "add", "path": "/metadata/labels", "value": ["a": 5]]])] {
                let reply = try await api.patch("\(Self.configMaps)/t", type, patch)
                #expect(reply.status == .unprocessableContent, "\(type)")
                #expect(reply.reason == "Invalid")
                let cause = reply.json["details"]?["causes"]?[0]
                #expect(cause?["field"] == "patch")
                #expect(cause?["message"]?.stringValue?.hasSuffix(": json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string") == true)
            }
            let stored = try await api.get("\(Self.configMaps)/t")
            #expect(stored.json["data"] == ["a": "b"] && stored.json["metadata"]?["labels"] == nil)
        }
    }

    @Test func jsonPatchesAreBoundedAndLinear() async throws {
        try await TestAPI.run(configure: { $0.maxRequestBytes = 3 << 20 }) { api in
            try await api.request(.post, Self.configMaps, json: configMap("jp", data: [:]))
            func operations(_ count: Int) -> JSONValue {
                .array((0..<count).map { .object(["op": "add", "path": .string("/data/k\($0)"), "value": "v"]) })
            }
            let tooMany = try await api.patch("\(Self.configMaps)/jp", "application/json-patch+json", operations(10_002))
            #expect(tooMany.status == .contentTooLarge)
            #expect(tooMany.json == reference("hostile/status-413-json-patch-ops.json"))
            // The most kube allows, applied in place: every key arrives.
            let most = try await api.patch("\(Self.configMaps)/jp", "application/json-patch+json", operations(10_000))
            #expect(most.status == .ok)
            #expect(most.json["data"]?.objectValue?.count == 10_000)
        }
    }

    @Test func strategicMergeDirectivesOfTheWrongTypeAreRefused() async throws {
        try await TestAPI.run { api in
            try await api.request(.post, Self.configMaps, json: configMap("smp"))
            let smp = "application/strategic-merge-patch+json"
            let retainKeys = try await api.patch("\(Self.configMaps)/smp", smp, ["data": ["$retainKeys": 5, "a": "c"]])
            #expect(retainKeys.json == reference("hostile/status-400-retainkeys.json"))
            let patchType = try await api.patch("\(Self.configMaps)/smp", smp, ["metadata": ["$patch": 12345]])
            #expect(patchType.status == .badRequest)
            #expect(patchType.json["message"] == "unknown patch type: %!s(int64=12345) in map: map[$patch:12345]")
            let order = try await api.patch("\(Self.configMaps)/smp", smp, ["metadata": ["$setElementOrder/finalizers": "garbage"]])
            #expect(order.status == .badRequest)
            #expect(order.json["message"] == "expected a []interface {}, but received a string")
            #expect(try await api.get("\(Self.configMaps)/smp").json["data"] == ["a": "b"])
        }
    }

    @Test func longWarningsAreCutAsKubeCutsThem() async throws {
        try await TestAPI.run { api in
            var object = configMap("warned")
            for letter in ["u", "v", "w"] { object[String(repeating: letter, count: 2000)] = "x" }
            let reply = try await api.request(.post, Self.configMaps, json: object)
            #expect(reply.status == .created)
            let expected = String(decoding: try #require(referenceBytes("hostile/warnings-truncated.headers")), as: UTF8.self)
                .split(whereSeparator: \.isNewline).filter { $0.hasPrefix("warning: ") }.map { String($0.dropFirst("warning: ".count)) }
            #expect(expected.count == 3)
            #expect(reply.headers[values: .init("Warning")!] == expected)
        }
    }

    @Test func smallMismatchesAnswerAsKube() async throws {
        try await TestAPI.run { api in
            try await api.request(.post, Self.configMaps, json: configMap("probe-cm"))
            // The path is decoded before it is read.
            let encoded = try await api.get("\(Self.configMaps)/probe%2Dcm")
            #expect(encoded.status == .ok && encoded.json["metadata"]?["name"] == "probe-cm")
            // watch=true names a collection only: on one object it is a get.
            let named = try await api.get("\(Self.configMaps)/probe-cm?watch=true")
            #expect(named.status == .ok && named.json["kind"] == "ConfigMap")
            // Query strings are form-encoded, as kubectl and client-go send them: "+" is a space.
            try await api.request(.post, Self.configMaps, json: configMap("gold", labels: ["tier": "gold"]))
            let selected = try await api.get("\(Self.configMaps)?labelSelector=tier+in+%28gold%2Csilver%29")
            #expect(selected.status == .ok)
            #expect(selected.json["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } == ["gold"])
            // A non-positive limit is no limit.
            let unlimited = try await api.get("\(Self.configMaps)?limit=-1")
            #expect(unlimited.status == .ok && unlimited.json["items"]?.arrayValue?.count == 2)
        }
    }
}

extension HostileBodyTests {
    /// Inputs the fuzzer (scripts/fuzz) found that trapped, and so took the server down.
    @Test func numbersTheFuzzerFoundAreServed() async throws {
        try await TestAPI.run { api in
            // A base-60 integer that overflows (Yams' reading trapped): a string to go-yaml.
            let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base60}\ndata: {a: 55555:555555555555555555:555555}\n"
            let created = try await api.request(.post, Self.configMaps, body: Array(yaml.utf8),
                                                headers: [.contentType: "application/yaml"])
            #expect(created.status == .created && created.json["data"]?["a"] == "55555:555555555555555555:555555")
            // A whole number past Int64 (printing it trapped), here a quantity.
            let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "big"], "spec": ["containers": [[
                "name": "c", "image": "i", "resources": ["limits": ["cpu": 1e20]],
            ]]]]
            let big = try await api.request(.post, "/api/v1/namespaces/default/pods", json: pod)
            #expect(big.status == .created)
            #expect(big.text.contains(#""cpu":100000000000000000000"#))
        }
    }

    @Test func deeplyNestedBodiesAreRefusedWithoutExhaustingTheStack() async throws {
        try await TestAPI.run(configure: { $0.maxRequestBytes = 3 << 20 }) { api in
            let depth = 200_000
            for (type, body) in [("application/json", "{\"data\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"),
                                 ("application/yaml", "data: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)),
                                 ("application/yaml", "data:\n" + String(repeating: "- ", count: depth) + "x\n")] {
                let reply = try await api.request(.post, Self.configMaps, body: Array(body.utf8), headers: [.contentType: type])
                #expect(reply.status == .badRequest, "\(type)")
            }
        }
    }
}

@Suite struct PendingLinesTests {
    @Test func aClientTooFarBehindEndsTheStreamAfterWhatIsQueued() async {
        let lines = PendingLines(maximumBytes: 10)
        lines.push(Array(repeating: 1, count: 25))  // one line always fits, however large
        lines.push([2])  // over the bound: the stream ends instead
        lines.push([3])
        var received: [[UInt8]] = []
        for await line in lines.stream { received.append(line) }
        #expect(received == [Array(repeating: 1, count: 25)])
        await lines.ended()  // returns: nothing more will come
    }

    @Test func linesTheClientTookMakeRoomAgain() async {
        let lines = PendingLines(maximumBytes: 10)
        var iterator = lines.stream.makeAsyncIterator()
        for round in 0..<5 {
            lines.push(Array(repeating: UInt8(round), count: 8))
            let line = await iterator.next()
            #expect(line?.count == 8)
            lines.sent(8)
        }
        lines.finish()
        #expect(await iterator.next() == nil)
    }
}
