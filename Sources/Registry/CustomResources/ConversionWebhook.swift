import APIMachinery
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// A CRD's conversion webhook (strategy Webhook): objects go to it in one
/// ConversionReview (v1 or v1beta1, the first of the CRD's
/// conversionReviewVersions this server speaks) over HTTPS, to
/// clientConfig.url or to a Service resolved through its Endpoints, the
/// certificate checked against caBundle. Whatever goes wrong (the webhook
/// down, too slow, answering garbage or changing what it may not) is kube's
/// 500 naming the webhook, and nothing is written.
struct ConversionWebhook: VersionConverter {
    let hub: String
    let kind: String
    let url: String?
    let service: (namespace: String, name: String, path: String, port: Int)?
    /// PEM certificates to trust; the system's roots when nil.
    let caBundle: [UInt8]?
    /// "v1" or "v1beta1"; nil when the CRD names neither (validation
    /// refuses that, but a CRD stored by another server may have it).
    let reviewVersion: String?
    let resolver: (any ServiceResolver)?

    /// kube-apiserver's conversion webhook timeout.
    static let timeout: TimeAmount = .seconds(30)

    init(_ conversion: JSONValue?, hub: String, kind: String, resolver: (any ServiceResolver)?) {
        let webhook = conversion?["webhook"], client = webhook?["clientConfig"] ?? [:]
        let versions = (webhook?["conversionReviewVersions"]?.arrayValue ?? []).compactMap(\.stringValue)
        self.hub = hub
        self.kind = kind
        reviewVersion = versions.first { $0 == "v1" || $0 == "v1beta1" }
        self.resolver = resolver
        url = client["url"]?.stringValue
        if let service = client["service"] {
            self.service = (service["namespace"]?.stringValue ?? "", service["name"]?.stringValue ?? "",
                            service["path"]?.stringValue ?? "", Int(service["port"]?.intValue ?? 443))
        } else {
            service = nil
        }
        caBundle = client["caBundle"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map(Array.init)
    }

    func convertLocally(_ object: APIObject, to apiVersion: String) throws -> APIObject? { nil }

    func convert(_ objects: [APIObject], to apiVersion: String) async throws -> [APIObject] {
        let pending = objects.indices.filter { objects[$0].apiVersion != apiVersion }
        guard let first = pending.first else { return objects }
        let source = objects[first].apiVersion
        do {
            let converted = try await review(pending.map { objects[$0] }, to: apiVersion)
            var result = objects
            for (index, object) in zip(pending, converted) { result[index] = object }
            return result
        } catch let failure as Failure {
            throw APIError(code: 500, reason: .unknown,
                           message: "conversion webhook for \(source), Kind=\(kind) failed: \(failure.description)")
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private func review(_ objects: [APIObject], to apiVersion: String) async throws -> [APIObject] {
        guard let reviewVersion else { throw Failure(description: "no conversionReviewVersions this server speaks (v1, v1beta1)") }
        let uid = UUID().uuidString.lowercased()
        let body: JSONValue = ["kind": "ConversionReview", "apiVersion": .string("apiextensions.k8s.io/\(reviewVersion)"),
                               "request": ["uid": .string(uid), "desiredAPIVersion": .string(apiVersion),
                                           "objects": .array(objects.map(\.json))]]
        let (address, serverName) = try await endpoint()
        var request = HTTPClientRequest(url: address)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, */*")
        request.body = .bytes(ByteBuffer(bytes: body.serialized()))
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caBundle {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(caBundle))
        }
        // Reached at a Service's endpoint address, the certificate is for
        // <service>.<namespace>.svc, which that address does not name.
        if serverName != nil { tls.certificateVerification = .noHostnameVerification }
        request.tlsConfiguration = tls
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: Self.timeout)
            bytes = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw Failure(description: "Post \"\(address)\": \(error)")
        }
        guard response.status == .ok else {
            throw Failure(description: "conversion webhook answered HTTP \(response.status.code)")
        }
        guard let review = try? JSONValue.parse(Array(buffer: bytes)), let answer = review["response"] else {
            throw Failure(description: "the webhook's answer is not a ConversionReview")
        }
        guard answer["uid"]?.stringValue == uid else {
            throw Failure(description: "expected response uid \(FieldError.quote(uid)), got \(FieldError.quote(answer["uid"]?.stringValue ?? ""))")
        }
        guard answer["result"]?["status"]?.stringValue == "Success" else {
            throw Failure(description: answer["result"]?["message"]?.stringValue ?? "the webhook did not report success")
        }
        let converted = answer["convertedObjects"]?.arrayValue ?? []
        guard converted.count == objects.count else {
            throw Failure(description: "expected \(objects.count) converted objects, got \(converted.count)")
        }
        return try zip(objects, converted).enumerated().map { index, pair in
            let (original, json) = pair
            var object = APIObject(json)
            guard object.apiVersion == apiVersion else {
                throw Failure(description: "invalid converted object at index \(index): invalid apiVersion \(FieldError.quote(object.apiVersion)), expected \(FieldError.quote(apiVersion))")
            }
            guard object.kind == original.kind else {
                throw Failure(description: "invalid converted object at index \(index): invalid kind \(FieldError.quote(object.kind)), expected \(FieldError.quote(original.kind))")
            }
            // A webhook may change labels and annotations, nothing else of the metadata.
            var metadata = original.metadata
            for field in ["labels", "annotations"] { metadata[field] = object.metadata[field] }
            object["metadata"] = .object(metadata)
            return object
        }
    }

    /// The URL to post to, and the name the certificate must have when the
    /// address is a Service's endpoint.
    private func endpoint() async throws -> (String, String?) {
        if let url { return (url + (url.contains("?") ? "&" : "?") + "timeout=30s", nil) }
        guard let service, let resolver else { throw Failure(description: "no URL and no service to call") }
        let endpoint: ServiceEndpoint
        do {
            endpoint = try await resolver.resolve(namespace: service.namespace, name: service.name, port: service.port)
        } catch let failure as ServiceResolutionFailure {
            throw Failure(description: failure.description)
        }
        let path = service.path.isEmpty ? "/" : service.path
        return ("https://\(endpoint.authority)\(path)?timeout=30s", "\(service.name).\(service.namespace).svc")
    }
}
