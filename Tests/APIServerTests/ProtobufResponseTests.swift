import APIMachinery
import Foundation
import Hummingbird
import Registry
import Testing

/// Answers in Kubernetes' protobuf encoding, as client-go's typed clients
/// ask for them (`Accept: application/vnd.kubernetes.protobuf,
/// application/json`): objects, lists and errors in the k8s\0 envelope,
/// watch events as length-prefixed WatchEvents, the bytes kube-apiserver
/// writes for the same object; custom resources answer JSON, as kube's do.
@Suite struct ProtobufResponseTests {
    static let protobuf = "application/vnd.kubernetes.protobuf"
    static let clientGo = "application/vnd.kubernetes.protobuf, application/json"
    static let uri = "/api/v1/namespaces/default/configmaps"
    let decoder = ProtobufObjectDecoder(catalog: BuiltinResources.schemas)
    let encoder = ProtobufObjectEncoder.builtin

    @Test func kubeApiserversJSONEncodesToItsOwnProtobufBytes() throws {
        let json = try #require(reference("configmap-x.json"))
        let expected = try #require(referenceBytes("configmap-x.pb"))
        let encoded = try #require(encoder.encode(json))
        #expect(encoded == expected, "\(Self.hex(encoded)) != \(Self.hex(expected))")
    }

    @Test func plainFieldsAreWrittenWhenZeroAndPointersOnlyWhenSet() throws {
        // A ConfigMap with nothing set: ObjectMeta's plain strings, its
        // generation and creationTimestamp are written (empty), its
        // deletionTimestamp and deletionGracePeriodSeconds (pointers) and
        // immutable (a pointer) are not.
        let empty = try #require(encoder.encode(["apiVersion": "v1", "kind": "ConfigMap"]))
        let metadata: [UInt8] = [0x0A, 0x00, 0x12, 0x00, 0x1A, 0x00, 0x22, 0x00, 0x2A, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00]
        let configMap: [UInt8] = [0x0A, UInt8(metadata.count)] + metadata
        #expect(empty == ProtobufObjectEncoder.envelope(apiVersion: "v1", kind: "ConfigMap", message: configMap))
        // immutable: false is kept, since a pointer's zero is a value.
        let immutable = try #require(encoder.encode(["apiVersion": "v1", "kind": "ConfigMap", "immutable": false]))
        #expect(immutable == ProtobufObjectEncoder.envelope(apiVersion: "v1", kind: "ConfigMap", message: configMap + [0x20, 0x00]))
    }

    @Test func aContainersUnsetPointersStayAbsentSoClientsDecodeNil() {
        // k8s.io/api's Container: probes, lifecycle, securityContext and
        // restartPolicy are pointers (absent), resources is a plain struct
        // (an empty message), the plain strings and bools are written zero.
        // An unmarked pointer would reach client-go as a set, empty value.
        let container = encoder.message(["name": "c", "image": "i"], type: "core.v1.Container")
        let expected: [UInt8] = [
            0x0A, 0x01, 0x63, 0x12, 0x01, 0x69,  // name, image
            0x2A, 0x00,  // workingDir
            0x42, 0x00,  // resources
            0x6A, 0x00, 0x72, 0x00,  // terminationMessagePath, imagePullPolicy
            0x80, 0x01, 0x00, 0x88, 0x01, 0x00, 0x90, 0x01, 0x00,  // stdin, stdinOnce, tty
            0xA2, 0x01, 0x00,  // terminationMessagePolicy
        ]
        #expect(container == expected, "\(Self.hex(container))")
        // emptyDir: {} is a set pointer: an EmptyDirVolumeSource with its
        // plain medium, inside the Volume's inline VolumeSource, and nothing
        // of the other sources.
        let volume = encoder.message(["name": "v", "emptyDir": [:]], type: "core.v1.Volume")
        #expect(volume == [0x0A, 0x01, 0x76, 0x12, 0x04, 0x12, 0x02, 0x0A, 0x00], "\(Self.hex(volume))")
    }

    @Test func noTypeHoldsItselfByValue() {
        // Go cannot build such a struct; in the catalog it would be a pointer
        // field without its `?`, which the encoder would fill forever.
        let catalog = BuiltinResources.schemas
        func plainReferences(_ name: String) -> [String] {
            guard let schema = catalog.resolve(name) else { return [] }
            return schema.fields.compactMap { field in
                guard field.number != nil, !field.keepsZero, case .reference(let target) = field.type else { return nil }
                return target
            }
        }
        for name in catalog.types.keys.sorted() {
            var seen: Set<String> = [], next = [name]
            while let current = next.popLast() {
                for target in plainReferences(current) where !seen.contains(target) {
                    seen.insert(target)
                    next.append(target)
                }
            }
            #expect(!seen.contains(name), "\(name) holds itself through plain (non-pointer) fields")
        }
    }

    @Test(arguments: [true, false])
    func getsAndListsAnswerProtobufThatReadsAsTheirJSON(watchCache: Bool) async throws {
        try await TestAPI.run(configure: { $0.watchCache = watchCache }) { api in
            try await api.request(.post, Self.uri, json: configMap("one", data: ["a": "b"], labels: ["app": "x"]))
            try await api.request(.post, Self.uri, json: configMap("two"))
            for path in ["\(Self.uri)/one", Self.uri, "\(Self.uri)?resourceVersion=0", "/api/v1/namespaces/default"] {
                var json = try await api.get(path).json
                for accept in [Self.protobuf, Self.clientGo] {
                    let reply = try await api.get(path, accept: accept)
                    #expect(reply.status == .ok)
                    #expect(reply.headers[.contentType] == Self.protobuf)
                    #expect(reply.body.starts(with: ProtobufObjectEncoder.magic))
                    // The same object as the JSON answer, in the bytes its JSON encodes to.
                    let decoded = try decoder.decode(reply.body)
                    if json["items"] != nil {
                        // A list is read at etcd's revision, which other tests' writes move.
                        json["metadata"]?["resourceVersion"] = decoded["metadata"]?["resourceVersion"]
                    }
                    #expect(decoded.sortedKeys == json.sortedKeys, "\(path)")
                    #expect(reply.body == encoder.encode(json), "\(path)")
                }
            }
        }
    }

    @Test func errorsAreProtobufStatusesForAProtobufClient() async throws {
        try await TestAPI.run { api in
            let missing = try await api.get("\(Self.uri)/absent", accept: Self.clientGo)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == Self.protobuf)
            let status = try decoder.decode(missing.body)
            let json = try await api.get("\(Self.uri)/absent").json
            #expect(status.sortedKeys == json.sortedKeys)
            #expect(status["reason"] == "NotFound")
            #expect(status["code"] == 404)
            #expect(status["message"] == "configmaps \"absent\" not found")
        }
    }

    @Test func customResourcesAnswerJSONOr406() async throws {
        try await TestAPI.run(crds: true) { api in
            try await CustomResourceTests.establishWidgets(api)
            try await api.request(.post, CustomResourceTests.widgets, json: CustomResourceTests.widget("w1"))
            let fallback = try await api.get("\(CustomResourceTests.widgets)/w1", accept: Self.clientGo)
            #expect(fallback.status == .ok)
            #expect(fallback.headers[.contentType] == "application/json")
            #expect(fallback.json["metadata"]?["name"] == "w1")
            let refused = try await api.get("\(CustomResourceTests.widgets)/w1", accept: Self.protobuf)
            #expect(refused.status == .notAcceptable)
            #expect(refused.headers[.contentType] == "application/json")
            #expect(refused.json["reason"] == "NotAcceptable")
        }
    }

    @Test func schemaUnionsAreMessagesOfBothAlternativesAsGoMarshalsThem() throws {
        let props = "apiextensions.v1.JSONSchemaProps"
        let string: JSONValue = ["type": "string"]
        let stringMessage = encoder.message(["type": "string"], type: props)
        func field(_ number: UInt8, _ bytes: [UInt8]) -> [UInt8] { [number << 3 | 2, UInt8(bytes.count)] + bytes }
        // additionalProperties (30) and items (24), each way JSON has them;
        // OrBool's allows is always written, and true beside a schema.
        let cases: [(JSONValue, [UInt8])] = [
            (["additionalProperties": false], [0xF2, 0x01, 0x02, 0x08, 0x00]),
            (["additionalProperties": true], [0xF2, 0x01, 0x02, 0x08, 0x01]),
            (["additionalProperties": string], [0xF2, 0x01, UInt8(4 + stringMessage.count), 0x08, 0x01] + field(2, stringMessage)),
            (["items": string], [0xC2, 0x01, UInt8(2 + stringMessage.count)] + field(1, stringMessage)),
            (["items": [string, string]], [0xC2, 0x01, UInt8(4 + 2 * stringMessage.count)] + field(2, stringMessage) + field(2, stringMessage)),
            (["dependencies": ["a": ["b", "c"]]], [0x82, 0x02, 0x0B] + field(1, Array("a".utf8)) + [0x12, 0x06] + field(2, Array("b".utf8)) + field(2, Array("c".utf8))),
        ]
        let bare = encoder.message([:], type: props)
        for (json, union) in cases {
            let message = encoder.message(json.objectValue!, type: props)
            // The union's bytes sit among the plain fields, which are the same for every case.
            #expect(message.count == bare.count + union.count, "\(json)")
            #expect(message.indices.contains { message[$0...].starts(with: union) }, "\(json)")
            // And they read back as the same JSON.
            let crd: JSONValue = ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                                  "spec": ["versions": [["name": "v1", "schema": ["openAPIV3Schema": json]]]]]
            let decoded = try decoder.decode(try #require(encoder.encode(crd)))
            let schema = decoded["spec"]?["versions"]?.arrayValue?.first?["schema"]?["openAPIV3Schema"]
            for key in json.objectValue!.keys { #expect(schema?[key] == json[key], "\(key)") }
        }
    }

    @Test func customResourceDefinitionsAnswerProtobufThatReadsAsTheirJSON() async throws {
        try await TestAPI.run(crds: true) { api in
            var crd = CustomResourceTests.widgetCRD
            var versions = crd["spec"]?["versions"]?.arrayValue ?? []
            versions[0]["schema"]?["openAPIV3Schema"]?["properties"]?["labels"] =
                ["type": "object", "additionalProperties": ["type": "string"]]
            versions[0]["schema"]?["openAPIV3Schema"]?["properties"]?["tags"] =
                ["type": "array", "items": ["type": "string", "enum": ["a", "b"]], "default": ["a"]]
            // An empty struct behind a pointer is still there after protobuf.
            versions[0]["subresources"] = ["status": [:]]
            crd["spec"]?["versions"] = .array(versions)
            #expect(try await api.request(.post, CustomResourceTests.crds, json: crd).status == .created)
            let name = crd["metadata"]?["name"]?.stringValue ?? ""
            for path in ["\(CustomResourceTests.crds)/\(name)", CustomResourceTests.crds] {
                var json = try await api.get(path).json
                let reply = try await api.get(path, accept: Self.clientGo)
                #expect(reply.headers[.contentType] == Self.protobuf)
                let decoded = try decoder.decode(reply.body)
                if json["items"] != nil { json["metadata"]?["resourceVersion"] = decoded["metadata"]?["resourceVersion"] }
                // Status moves on as the CRD is established: compare the rest.
                func stable(_ value: JSONValue) -> JSONValue {
                    var value = value
                    value["status"] = nil
                    value["metadata"]?["resourceVersion"] = nil
                    value["metadata"]?["managedFields"] = nil
                    value["metadata"]?["generation"] = nil
                    if let items = value["items"]?.arrayValue { value["items"] = .array(items.map(stable)) }
                    return value.sortedKeys
                }
                // A schema's numbers are float64s in Go: 10 in JSON, a double in protobuf.
                #expect(stable(decoded).serialized() == stable(json).serialized(), "\(path)")
            }
        }
    }

    @Test(arguments: [true, false])
    func watchEventsAreLengthPrefixedWatchEventsAroundEnvelopedObjects(watchCache: Bool) async throws {
        try await TestAPI.run(configure: { $0.watchCache = watchCache }) { api in
            let created = try await api.request(.post, Self.uri, json: configMap("before")).json
            let version = created["metadata"]?["resourceVersion"]?.stringValue ?? ""
            let added = try await api.request(.post, Self.uri, json: configMap("after")).json
            try await api.request(.delete, "\(Self.uri)/after")
            // A watch from before both writes replays them (no race with
            // the writes, however slow the machine).
            let answer = try await api.get("\(Self.uri)?watch=true&timeoutSeconds=1&resourceVersion=\(version)", accept: Self.clientGo)
            #expect(answer.headers[.contentType] == "application/vnd.kubernetes.protobuf;stream=watch")
            let events = try Self.frames(answer.body).map { try watchEvent($0) }
            #expect(events.map(\.type) == ["ADDED", "DELETED"])
            #expect(events.first?.object["metadata"]?["name"] == "after")
            #expect(events.first?.object.sortedKeys == added.sortedKeys)
            #expect(events.first?.object["kind"] == "ConfigMap")
        }
    }

    /// client-go's metadata client (metadata informers: the garbage
    /// collector, the namespace controller, most operators' caches).
    static func metadataClient(_ kind: String) -> String {
        "application/vnd.kubernetes.protobuf;as=\(kind);g=meta.k8s.io;v=v1,application/json;as=\(kind);g=meta.k8s.io;v=v1,application/json"
    }

    @Test func metadataAloneIsKubesObjectMetaBytesInAPartialObjectMetadata() throws {
        // kube's own bytes for configmap-x: the envelope's raw message is
        // the ConfigMap, whose field 1 is its ObjectMeta.
        let kube = try #require(referenceBytes("configmap-x.pb"))
        func field(_ number: Int, of message: ArraySlice<UInt8>) throws -> ArraySlice<UInt8> {
            var reader = ProtobufReader(message)
            while let (found, value) = try reader.next() {
                if found == number, case .bytes(let bytes) = value { return bytes }
            }
            return []
        }
        let objectMeta = try field(1, of: field(2, of: kube.dropFirst(ProtobufObjectEncoder.magic.count)))
        #expect(objectMeta.count > 100)
        let json = try #require(reference("configmap-x.json"))
        let partial: JSONValue = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": json["metadata"] ?? .null]
        let expected = ProtobufObjectEncoder.envelope(apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata",
                                                      fields: [(1, Array(objectMeta))])
        #expect(encoder.encode(partial) == expected)
    }

    @Test(arguments: [true, false])
    func metadataClientsGetPartialObjectMetadataInProtobufForEveryKind(watchCache: Bool) async throws {
        try await TestAPI.run(crds: true, configure: { $0.watchCache = watchCache }) { api in
            try await CustomResourceTests.establishWidgets(api)
            try await api.request(.post, CustomResourceTests.widgets, json: CustomResourceTests.widget("w1"))
            let before = try await api.request(.post, Self.uri, json: configMap("meta", data: ["a": "b"], labels: ["app": "x"])).json
            for collection in [Self.uri, CustomResourceTests.widgets] {
                let name = collection == Self.uri ? "meta" : "w1"
                for (path, kind) in [("\(collection)/\(name)", "PartialObjectMetadata"), (collection, "PartialObjectMetadataList")] {
                    var json = try await api.get(path, accept: "application/json;as=\(kind);g=meta.k8s.io;v=v1").json
                    // Protobuf has no TypeMeta for a list's items (JSON names their kind).
                    json["items"] = json["items"]?.arrayValue.map { .array($0.map { ["metadata": $0["metadata"] ?? .null] }) }
                    let reply = try await api.get(path, accept: Self.metadataClient(kind))
                    #expect(reply.status == .ok)
                    #expect(reply.headers[.contentType] == Self.protobuf, "\(path)")
                    var decoded = try decoder.decode(reply.body)
                    #expect(decoded["kind"] == .string(kind))
                    if kind.hasSuffix("List") { decoded["metadata"]?["resourceVersion"] = json["metadata"]?["resourceVersion"] }
                    #expect(decoded.sortedKeys == json.sortedKeys, "\(path)")
                }
            }
            // A metadata informer's watch: objects, and the bookmark that
            // ends the initial events, are PartialObjectMetadata.
            let version = before["metadata"]?["resourceVersion"]?.stringValue ?? ""
            try await api.request(.delete, "\(Self.uri)/meta")
            let replayed = try await api.get("\(Self.uri)?watch=true&timeoutSeconds=1&resourceVersion=\(version)",
                                             accept: Self.metadataClient("PartialObjectMetadata"))
            let events = try Self.frames(replayed.body).map { try watchEvent($0) }
            #expect(events.map(\.type) == ["DELETED"])
            #expect(events.first?.object["kind"] == "PartialObjectMetadata")
            #expect(events.first?.object["metadata"]?["labels"] == ["app": "x"])
            #expect(events.first?.object["data"] == nil)
            if watchCache {
                let listed = try await api.get(
                    "\(CustomResourceTests.widgets)?watch=true&timeoutSeconds=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
                    accept: Self.metadataClient("PartialObjectMetadata"))
                let initial = try Self.frames(listed.body).map { try watchEvent($0) }
                #expect(initial.map(\.type) == ["ADDED", "BOOKMARK"])
                #expect(initial.map { $0.object["kind"] } == ["PartialObjectMetadata", "PartialObjectMetadata"])
                #expect(initial.last?.object["metadata"]?["annotations"]?["k8s.io/initial-events-end"] == "true")
            }
        }
    }

    /// The frames of a protobuf watch stream: four big-endian bytes of
    /// length, then that many bytes; fails on a torn frame.
    static func frames(_ body: [UInt8]) throws -> [ArraySlice<UInt8>] {
        var frames: [ArraySlice<UInt8>] = []
        var index = 0
        while index < body.count {
            try #require(index + 4 <= body.count, "a torn length")
            let length = body[index..<index + 4].reduce(0) { $0 << 8 | Int($1) }
            try #require(index + 4 + length <= body.count, "a torn frame")
            frames.append(body[index + 4..<index + 4 + length])
            index += 4 + length
        }
        return frames
    }

    /// A WatchEvent message: its type, and its object decoded from the envelope.
    func watchEvent(_ frame: ArraySlice<UInt8>) throws -> (type: String, object: JSONValue) {
        var reader = ProtobufReader(frame)
        var type = "", object: JSONValue = .null
        while let (number, value) = try reader.next() {
            guard case .bytes(let bytes) = value else { continue }
            if number == 1 { type = String(decoding: bytes, as: UTF8.self) }
            if number == 2 {
                var raw = ProtobufReader(bytes)
                while let (part, inner) = try raw.next() {
                    if part == 1, case .bytes(let enveloped) = inner { object = try decoder.decode(Array(enveloped)) }
                }
            }
        }
        return (type, object)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
