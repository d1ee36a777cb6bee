import APIMachinery
import Foundation
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// Bodies in Kubernetes' protobuf encoding, as client-go's typed clients
/// (and kubectl create configmap/secret/namespace, kubectl run) send them.
@Suite struct ProtobufTests {
    let decoder = ProtobufObjectDecoder(catalog: BuiltinResources.schemas)

    @Test func kubeApiserversOwnEncodingReadsAsItsJSON() throws {
        // The same ConfigMap as kube-apiserver serves it in protobuf and in
        // JSON: with managedFields (FieldsV1 JSON inside bytes) and timestamps.
        let protobuf = try #require(referenceBytes("configmap-x.pb"))
        let json = try #require(reference("configmap-x.json"))
        #expect(try decoder.decode(protobuf).sortedKeys == json.sortedKeys)
    }

    @Test func aMapEntryWithoutItsValueHoldsTheZeroValue() throws {
        // Go's protobuf encoder leaves out a zero map value; no built-in kind
        // has a numeric map yet, so a made-up one.
        let catalog = SchemaCatalog(try SchemaText.parse("core.v1.Counts gvk=/v1/Counts -- Counts.\n  counts 2 {int32} -- Numbers.\n"))
        let body = Protobuf.message([(2, .message([(1, .text("none"))])), (2, .message([(1, .text("two")), (2, .varint(2))]))])
        let decoded = try ProtobufObjectDecoder(catalog: catalog).decode(Protobuf.envelope(apiVersion: "v1", kind: "Counts", body))
        #expect(decoded["counts"] == ["none": 0, "two": 2])
    }

    @Test func createFromProtobufAsKubectlRunSends() async throws {
        try await TestAPI.run { api in
            let container = Protobuf.message([
                (1, .text("web")), (2, .text("nginx")),
                (6, .message([(3, .varint(80)), (4, .text("TCP"))])),  // ports
                (8, .bytes([])),                                        // resources: {}
                (16, .varint(0)),                                         // stdin: false (dropped)
            ])
            let pod = Protobuf.message([
                (1, .message([(1, .text("web")), (11, .message([(1, .text("run")), (2, .text("web"))]))])),
                (2, .message([(2, .bytes(container)), (3, .text("Always")), (4, .varint(30))])),
                (3, .bytes([])),
            ])
            let reply = try await api.request(.post, "/api/v1/namespaces/default/pods",
                                              body: Protobuf.envelope(apiVersion: "v1", kind: "Pod", pod),
                                              headers: [.contentType: "application/vnd.kubernetes.protobuf"])
            #expect(reply.status == .created, "\(reply.text)")
            let stored = try await api.get("/api/v1/namespaces/default/pods/web").json
            #expect(stored["metadata"]?["labels"] == ["run": "web"])
            let first = stored["spec"]?["containers"]?[0]
            #expect(first?["image"] == "nginx")
            #expect(first?["ports"] == [["containerPort": 80, "protocol": "TCP"]])
            #expect(first?["resources"] == [:])
            #expect(first?["stdin"] == nil, "a zero non-pointer field is left out, as Go's JSON does")
            #expect(stored["spec"]?["restartPolicy"] == "Always")
        }
    }

    @Test func secretDataArrivesAsBytes() async throws {
        try await TestAPI.run { api in
            let secret = Protobuf.message([
                (1, .message([(1, .text("s"))])),
                (2, .message([(1, .text("password")), (2, .bytes([0x00, 0xFF, 0x41]))])),  // data map entry
                (3, .text("Opaque")),
            ])
            let reply = try await api.request(.post, "/api/v1/namespaces/default/secrets",
                                              body: Protobuf.envelope(apiVersion: "v1", kind: "Secret", secret),
                                              headers: [.contentType: "application/vnd.kubernetes.protobuf"])
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.json["data"]?["password"] == "AP9B")
        }
    }

    @Test func badProtobufIsABadRequestAndWritesNothing() async throws {
        try await TestAPI.run { api in
            let headers: HTTPFields = [.contentType: "application/vnd.kubernetes.protobuf"]
            let cases: [(String, [UInt8])] = [
                ("no magic", Array("{}".utf8)),
                ("truncated", ProtobufObjectDecoder.magic + [0x0A, 0x50]),
                ("unknown kind", Protobuf.envelope(apiVersion: "v1", kind: "Gadget", [])),
                ("unknown field", Protobuf.envelope(apiVersion: "v1", kind: "ConfigMap",
                                                    Protobuf.message([(1, .message([(1, .text("c"))])), (99, .varint(1))]))),
            ]
            for (label, body) in cases {
                let reply = try await api.request(.post, "/api/v1/namespaces/default/configmaps", body: body, headers: headers)
                #expect(reply.status == .badRequest, "\(label): \(reply.text)")
                #expect(reply.reason == "BadRequest", "\(label)")
            }
            let list = try await api.get("/api/v1/namespaces/default/configmaps").json
            #expect(list["items"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func deleteOptionsInProtobufCarryPreconditions() async throws {
        try await TestAPI.run { api in
            try await api.request(.post, "/api/v1/namespaces/default/configmaps", json: configMap("c"))
            let options = Protobuf.message([(2, .message([(1, .text("not-the-uid"))]))])
            let reply = try await api.request(.delete, "/api/v1/namespaces/default/configmaps/c",
                                              body: Protobuf.envelope(apiVersion: "v1", kind: "DeleteOptions", options),
                                              headers: [.contentType: "application/vnd.kubernetes.protobuf"])
            #expect(reply.status == .conflict, "\(reply.text)")
        }
    }
}

/// Just enough of a protobuf writer to build request bodies by hand.
enum Protobuf {
    enum Value {
        case varint(UInt64)
        case text(String)
        case bytes([UInt8])
        case message([(Int, Value)])
    }

    static func message(_ fields: [(Int, Value)]) -> [UInt8] {
        var out: [UInt8] = []
        for (number, value) in fields {
            switch value {
            case .varint(let raw):
                out += varint(UInt64(number << 3)) + varint(raw)
            case .text(let text):
                out += lengthDelimited(number, Array(text.utf8))
            case .bytes(let bytes):
                out += lengthDelimited(number, bytes)
            case .message(let inner):
                out += lengthDelimited(number, message(inner))
            }
        }
        return out
    }

    static func envelope(apiVersion: String, kind: String, _ raw: [UInt8]) -> [UInt8] {
        ProtobufObjectDecoder.magic + message([(1, .message([(1, .text(apiVersion)), (2, .text(kind))])), (2, .bytes(raw))])
    }

    private static func lengthDelimited(_ number: Int, _ bytes: [UInt8]) -> [UInt8] {
        varint(UInt64(number << 3 | 2)) + varint(UInt64(bytes.count)) + bytes
    }

    private static func varint(_ value: UInt64) -> [UInt8] {
        var value = value, out: [UInt8] = []
        repeat {
            out.append(UInt8(value & 0x7F) | (value > 0x7F ? 0x80 : 0))
            value >>= 7
        } while value > 0
        return out
    }
}

extension JSONValue {
    /// The same value with every object's keys sorted, to compare documents
    /// whose key order differs.
    var sortedKeys: JSONValue {
        switch self {
        case .object(let object):
            return .object(JSONObject(uniqueKeysWithValues: object.sorted { $0.key < $1.key }.map { ($0.key, $0.value.sortedKeys) }))
        case .array(let items): return .array(items.map(\.sortedKeys))
        default: return self
        }
    }
}
