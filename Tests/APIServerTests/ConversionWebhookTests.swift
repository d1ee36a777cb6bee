import APIMachinery
@testable import APIServer
import Foundation
import Hummingbird
import Logging
import NIOSSL
import Synchronization
import Testing
import TestSupport

/// CRD conversion through a real HTTPS webhook the test runs: objects stored
/// at v1 (spec.colour) are served at v2 (spec.color) and back, a list goes
/// in one ConversionReview, and a webhook that answers garbage or is down is
/// kube's 500 naming it, with nothing written.
@Suite(.timeLimit(.minutes(2)))
struct ConversionWebhookTests {
    static let crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
    static let v1 = "/apis/acc.example.com/v1/namespaces/default/gadgets"
    static let v2 = "/apis/acc.example.com/v2/namespaces/default/gadgets"

    /// What the webhook does and what it received.
    final class Webhook: Sendable {
        enum Mode { case convert, garbage }
        let mode = Mutex(Mode.convert)
        let reviews = Mutex<[JSONValue]>([])

        func answer(_ review: JSONValue) -> [UInt8] {
            reviews.withLock { $0.append(review) }
            guard mode.withLock({ $0 }) == .convert else { return Array("this is not a ConversionReview".utf8) }
            let request = review["request"] ?? .null
            let desired = request["desiredAPIVersion"]?.stringValue ?? ""
            let converted = (request["objects"]?.arrayValue ?? []).map { object -> JSONValue in
                var object = object
                let colour = object["spec"]?["colour"] ?? object["spec"]?["color"] ?? .null
                object["spec"] = desired.hasSuffix("/v2") ? ["color": colour] : ["colour": colour]
                object["apiVersion"] = .string(desired)
                return object
            }
            let response: JSONValue = ["apiVersion": review["apiVersion"] ?? "", "kind": "ConversionReview",
                                       "response": ["uid": request["uid"] ?? "", "convertedObjects": .array(converted),
                                                    "result": ["status": "Success"]]]
            return response.serialized()
        }
    }

    struct WebhookResponder: HTTPResponder {
        let webhook: Webhook
        func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
            let body = try await request.body.collect(upTo: 1 << 20)
            let review = (try? JSONValue.parse(Array(buffer: body))) ?? .null
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: webhook.answer(review))))
        }
    }

    static func gadgetCRD(url: String, caBundle: String) -> JSONValue {
        gadgetCRD(clientConfig: ["url": .string(url), "caBundle": .string(caBundle)], reviewVersions: ["v1"])
    }

    static func gadgetCRD(clientConfig: JSONValue, reviewVersions: JSONValue) -> JSONValue {
        func version(_ name: String, field: String, storage: Bool) -> JSONValue {
            ["name": .string(name), "served": true, "storage": .bool(storage),
             "schema": ["openAPIV3Schema": ["type": "object", "properties": [
                 "spec": ["type": "object", "properties": [.init(stringLiteral: field): ["type": "string"]]]]]]]
        }
        return ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": "gadgets.acc.example.com"],
                "spec": ["group": "acc.example.com", "scope": "Namespaced",
                         "names": ["plural": "gadgets", "singular": "gadget", "kind": "Gadget"],
                         "versions": [version("v1", field: "colour", storage: true), version("v2", field: "color", storage: false)],
                         "conversion": ["strategy": "Webhook",
                                        "webhook": ["conversionReviewVersions": reviewVersions, "clientConfig": clientConfig]]]]
    }

    /// Runs `body` with the webhook serving HTTPS on a loopback port, and
    /// the caBundle that trusts it; the webhook stops when `body` cancels
    /// the task it is given, or returns.
    static func withWebhook(_ body: (_ webhook: Webhook, _ port: Int, _ caBundle: String, _ server: Task<Void, any Error>) async throws -> Void) async throws {
        let directory = TestEtcd.temporaryDirectory("conversion-webhook")
        let certificate = try ServingCertificate.loadOrGenerate(in: directory)
        let caBundle = Data(try String(contentsOfFile: certificate.caFile, encoding: .utf8).utf8).base64EncodedString()
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificate.keyFile, format: .pem)))
        tls.applicationProtocols = ["http/1.1"]
        let webhook = Webhook()
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let server = Application(responder: WebhookResponder(webhook: webhook),
                                 server: .connections(tls: try NIOSSLContext(configuration: tls), limits: ConnectionLimits()),
                                 // Every address: a Service's endpoint may not be loopback.
                                 configuration: .init(address: .hostname("0.0.0.0", port: 0)),
                                 onServerRunning: { listening.yield($0.localAddress?.port ?? 0) },
                                 logger: Logger(label: "webhook"))
        let running = Task { try await server.runService() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        defer { running.cancel() }
        try await body(webhook, port, caBundle, running)
    }

    @Test func aWebhookConvertsBetweenVersionsAndItsFailuresAre500s() async throws {
        try await Self.withWebhook { webhook, port, caBundle, running in
        let url = "https://127.0.0.1:\(port)/convert"

        try await TestAPI.run(crds: true) { api in
            #expect(try await api.request(.post, Self.crds, json: Self.gadgetCRD(url: url, caBundle: caBundle)).status == .created)
            #expect(try await api.waitUntilServed(Self.v2).status == .ok)
            for name in ["g1", "g2", "g3"] {
                let created = try await api.request(.post, Self.v1, json: ["apiVersion": "acc.example.com/v1", "kind": "Gadget",
                                                                          "metadata": ["name": .string(name)], "spec": ["colour": "blue"]])
                #expect(created.status == .created)
            }
            let one = try await api.get("\(Self.v2)/g1").json
            #expect(one["apiVersion"] == "acc.example.com/v2")
            #expect(one["spec"] == ["color": "blue"])
            #expect(one["metadata"]?["name"] == "g1")

            // A list is one ConversionReview, as kube sends it.
            let before = webhook.reviews.withLock { $0.count }
            let list = try await api.get(Self.v2).json
            #expect(list["items"]?.arrayValue?.map { $0["spec"]?["color"] } == ["blue", "blue", "blue"])
            let reviews = webhook.reviews.withLock { Array($0[before...]) }
            #expect(reviews.count == 1)
            #expect(reviews.first?["request"]?["objects"]?.arrayValue?.count == 3)
            #expect(reviews.first?["apiVersion"] == "apiextensions.k8s.io/v1")
            #expect(reviews.first?["request"]?["desiredAPIVersion"] == "acc.example.com/v2")

            // Written at v2, stored at v1 (the storage version) through the webhook.
            let written = try await api.request(.post, Self.v2, json: ["apiVersion": "acc.example.com/v2", "kind": "Gadget",
                                                                      "metadata": ["name": "g4"], "spec": ["color": "red"]])
            #expect(written.status == .created)
            #expect(written.json["spec"] == ["color": "red"])
            #expect(try await api.get("\(Self.v1)/g4").json["spec"] == ["colour": "red"])

            // Garbage from the webhook: a 500 naming it, and nothing written.
            webhook.mode.withLock { $0 = .garbage }
            let bad = try await api.get("\(Self.v2)/g1")
            #expect(bad.status.code == 500)
            #expect(bad.json["message"] == "conversion webhook for acc.example.com/v1, Kind=Gadget failed: the webhook's answer is not a ConversionReview")
            #expect(bad.json["reason"] == nil)
            let refused = try await api.request(.post, Self.v2, json: ["apiVersion": "acc.example.com/v2", "kind": "Gadget",
                                                                      "metadata": ["name": "g5"], "spec": ["color": "red"]])
            #expect(refused.status.code == 500)
            #expect(try await api.get("\(Self.v1)/g5").status == .notFound)

            // The webhook down: kube's message names what was posted to.
            running.cancel()
            _ = await running.result
            let down = try await api.get("\(Self.v2)/g1")
            #expect(down.status.code == 500)
            let message = down.json["message"]?.stringValue ?? ""
            #expect(message.hasPrefix("conversion webhook for acc.example.com/v1, Kind=Gadget failed: Post \"\(url)?timeout=30s\""), "\(message)")
            // What needs no conversion is still served.
            #expect(try await api.get("\(Self.v1)/g1").status == .ok)
        }
        }
    }

    /// A webhook named by a Service: the Service's port to its targetPort,
    /// then its Endpoints' address; and a ConversionReview v1beta1 when
    /// that is what the CRD asks for.
    @Test func aWebhookBehindAServiceGetsV1beta1Reviews() async throws {
        try await Self.withWebhook { webhook, port, caBundle, _ in
            try await TestAPI.run(crds: true) { api in
                let service: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "converter"],
                                          "spec": ["ports": [["port": 443, "targetPort": .int(Int64(port))]]]]
                #expect(try await api.request(.post, "/api/v1/namespaces/default/services", json: service).status == .created)
                let endpoints: JSONValue = ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "converter"],
                                            "subsets": [["addresses": [["ip": .string(try HostAddress.ipv4())]],
                                                          "ports": [["port": .int(Int64(port))]]]]]
                #expect(try await api.request(.post, "/api/v1/namespaces/default/endpoints", json: endpoints).status == .created)
                let crd = Self.gadgetCRD(clientConfig: ["service": ["namespace": "default", "name": "converter", "path": "/convert"],
                                                        "caBundle": .string(caBundle)],
                                         reviewVersions: ["v1beta1", "v1"])
                #expect(try await api.request(.post, Self.crds, json: crd).status == .created)
                #expect(try await api.waitUntilServed(Self.v2).status == .ok)
                try await api.request(.post, Self.v1, json: ["apiVersion": "acc.example.com/v1", "kind": "Gadget",
                                                            "metadata": ["name": "g1"], "spec": ["colour": "green"]])
                #expect(try await api.get("\(Self.v2)/g1").json["spec"] == ["color": "green"])
                #expect(webhook.reviews.withLock { $0.last?["apiVersion"] } == "apiextensions.k8s.io/v1beta1")
            }
        }
    }
}
