import APIMachinery
import CompressNIO
import Hummingbird
import HummingbirdTesting
import Foundation
import Testing
import TestSupport

/// /openapi/v2 and /openapi/v3 as kubectl reads them: definitions for
/// explain and validation, and paths that tell it the server checks fields.
@Suite struct OpenAPITests {
    @Test func v2DescribesTheServedKindsAndTheirOperations() async throws {
        try await TestAPI.run { api in
            let reply = try await api.get("/openapi/v2", accept: "application/json")
            #expect(reply.status == .ok)
            let document = reply.json
            #expect(document["swagger"] == "2.0")
            let configMap = document["definitions"]?["io.k8s.api.core.v1.ConfigMap"]
            #expect(configMap?["x-kubernetes-group-version-kind"] == [["group": "", "kind": "ConfigMap", "version": "v1"]])
            #expect(configMap?["properties"]?["data"]?["additionalProperties"] == ["type": "string"])
            #expect(configMap?["properties"]?["metadata"]?["$ref"] == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
            let lease = document["definitions"]?["io.k8s.api.coordination.v1.LeaseSpec"]?["properties"]?["renewTime"]
            #expect(lease?["$ref"] == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime")
            // Every reference resolves inside the document.
            let definitions = Set(document["definitions"]?.objectValue?.keys.map { $0 } ?? [])
            let references = Set(reply.text.matches(of: /"#\/definitions\/([^"]+)"/).map { String($0.1) })
            #expect(references.subtracting(definitions).isEmpty)

            let item = document["paths"]?["/api/v1/namespaces/{namespace}/configmaps/{name}"]
            #expect(item?["patch"]?["operationId"] == "patchCoreV1NamespacedConfigMap")
            #expect(item?["patch"]?["x-kubernetes-action"] == "patch")
            #expect(document["paths"]?["/api/v1/namespaces/{name}/status"]?["put"]?["operationId"] == "replaceCoreV1NamespaceStatus")
            #expect(document["paths"]?["/apis/coordination.k8s.io/v1/leases"]?["get"]?["operationId"]
                    == "listCoordinationV1LeaseForAllNamespaces")
        }
    }

    @Test func v2IsGzippedWhenAsked() async throws {
        try await TestAPI.run { api in
            let plain = try await api.get("/openapi/v2", accept: "application/json")
            let gzipped = try await api.request(.get, "/openapi/v2", headers: [.accept: "application/json", .acceptEncoding: "gzip"])
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            #expect(gzipped.headers[.eTag] == plain.headers[.eTag])
            var buffer = ByteBuffer(bytes: gzipped.body)
            #expect(Array(try buffer.decompress(with: .gzip).readableBytesView) == plain.body)
        }
    }

    @Test func v3IndexPointsAtHashedGroupVersionDocuments() async throws {
        try await TestAPI.run { api in
            let index = try await api.get("/openapi/v3").json
            let url = try #require(index["paths"]?["api/v1"]?["serverRelativeURL"]?.stringValue)
            #expect(url.hasPrefix("/openapi/v3/api/v1?hash="))
            #expect(index["paths"]?["apis/coordination.k8s.io/v1"] != nil)

            let reply = try await api.get(url)
            #expect(reply.status == .ok)
            #expect(reply.headers[.cacheControl] == "public, immutable")
            let expires = try #require(reply.headers[.expires])
            #expect(expires.hasSuffix(" GMT") && expires.contains(String(Calendar(identifier: .gregorian).component(.year, from: Date()) + 1)),
                    "a year ahead: \(expires)")
            let unhashed = try await api.get("/openapi/v3/api/v1")
            #expect(unhashed.headers[.cacheControl] == "no-cache, private")
            #expect(unhashed.body == reply.body)
            // A stale hash sends the client to the current document.
            let stale = try await api.get("/openapi/v3/api/v1?hash=0123ABCD")
            #expect(stale.status == .movedPermanently)
            #expect(stale.headers[.location] == url)
            let document = reply.json
            #expect(document["openapi"] == "3.0.0")
            let patch = document["paths"]?["/api/v1/namespaces/{namespace}/configmaps/{name}"]?["patch"]
            #expect(patch?["x-kubernetes-group-version-kind"] == ["group": "", "version": "v1", "kind": "ConfigMap"])
            let parameters = patch?["parameters"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(parameters.contains("fieldValidation"), "kubectl looks for it to leave validation to the server")
            #expect(document["components"]?["schemas"]?["io.k8s.api.core.v1.Pod"] != nil)
            #expect(document["components"]?["schemas"]?["io.k8s.api.coordination.v1.Lease"] == nil)

            // Revalidation with the ETag answers 304.
            let etag = try #require(reply.headers[.eTag])
            let again = try await api.request(.get, url, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(try await api.get("/openapi/v3/apis/nothing/v1").status == .notFound)
        }
    }

    /// The document decoded by protoc against the project's .proto: every
    /// field known (protoc prints unknown ones by number), with the names and
    /// extensions the JSON has.
    static func decoded(_ body: [UInt8], _ version: String) throws -> String {
        let protoDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../proto/openapi/\(version)").standardizedFileURL.path
        let directory = TestEtcd.temporaryDirectory("protoc")
        let input = directory + "/document.pb", output = directory + "/document.txt"
        try Data(body).write(to: URL(fileURLWithPath: input))
        FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["protoc", "--decode=openapi.\(version).Document", "-I", protoDirectory, "openapi\(version).proto"]
        process.standardInput = FileHandle(forReadingAtPath: input)
        process.standardOutput = FileHandle(forWritingAtPath: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "protoc could not decode the document")
        let decoded = try String(contentsOfFile: output, encoding: .utf8)
        return decoded
    }

    @Test func v2AndV3AreServedInTheirProtobufFormsToo() async throws {
        try await TestAPI.run { api in
            let json = try await api.get("/openapi/v2")
            let reply = try await api.get("/openapi/v2", accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")
            #expect(reply.status == .ok)
            // Answered under the name without "@", which Go's mime parser (client-go) can read.
            #expect(reply.headers[.contentType] == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
            let etag = try #require(reply.headers[.eTag])
            #expect(etag != json.headers[.eTag], "each form has its own ETag")
            #expect(try await api.request(.get, "/openapi/v2", headers: [.accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
                                                                         .ifNoneMatch: etag]).status == .notModified)
            let text = try Self.decoded(reply.body, "v2")
            #expect(!text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).first?.isNumber == true },
                    "no field protoc does not know")
            #expect(text.contains("swagger: \"2.0\""))
            #expect(text.contains("name: \"io.k8s.api.core.v1.ConfigMap\""))
            #expect(text.contains("name: \"/api/v1/namespaces/{namespace}/configmaps/{name}\""))
            #expect(text.contains("name: \"x-kubernetes-group-version-kind\""))
            #expect(text.contains("api_key_security"))
            // What the JSON says, the protobuf says: one definition per definition.
            let definitions = json.json["definitions"]?.objectValue?.count ?? 0
            #expect(definitions > 100)
            #expect(text.components(separatedBy: "\n    name: \"io.k8s.").count - 1 == definitions)

            // */* is JSON; anything else neither form is 406.
            #expect(try await api.get("/openapi/v2", accept: "*/*").headers[.contentType] == "application/json")
            let refused = try await api.get("/openapi/v2", accept: "application/vnd.kubernetes.protobuf")
            #expect(refused.status == .notAcceptable)
            #expect(refused.reason == "NotAcceptable")

            let url = try #require(try await api.get("/openapi/v3").json["paths"]?["api/v1"]?["serverRelativeURL"]?.stringValue)
            let v3 = try await api.get(url, accept: "application/com.github.proto-openapi.spec.v3@v1.0+protobuf")
            #expect(v3.status == .ok)
            #expect(v3.headers[.cacheControl] == "public, immutable")
            let v3Text = try Self.decoded(v3.body, "v3")
            #expect(!v3Text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).first?.isNumber == true })
            #expect(v3Text.contains("openapi: \"3.0.0\""))
            #expect(v3Text.contains("name: \"io.k8s.api.core.v1.Pod\""))
        }
    }
}

/// ?fieldValidation: unknown fields are dropped as kube-apiserver's decoding
/// drops them; Strict refuses the request, Warn (the default) says so.
@Suite struct FieldValidationTests {
    static let withUnknownFields: JSONValue = [
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": ["name": "c", "labelz": ["a": "b"]],
        "datum": ["k": "v"], "data": ["k": "v"],
    ]

    @Test func strictRefusesUnknownFieldsAndWritesNothing() async throws {
        try await TestAPI.run { api in
            let reply = try await api.request(.post, "/api/v1/namespaces/default/configmaps?fieldValidation=Strict",
                                              json: Self.withUnknownFields)
            #expect(reply.status == .badRequest)
            #expect(reply.json["message"] == """
                ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: \
                unknown field "metadata.labelz", unknown field "datum"
                """)
            #expect(try await api.get("/api/v1/namespaces/default/configmaps/c").status == .notFound)
        }
    }

    @Test func warnIsTheDefaultAndDropsTheFields() async throws {
        try await TestAPI.run { api in
            let reply = try await api.request(.post, "/api/v1/namespaces/default/configmaps", json: Self.withUnknownFields)
            #expect(reply.status == .created)
            #expect(reply.headers[values: .init("Warning")!] == [
                #"299 - "unknown field \"metadata.labelz\"""#, #"299 - "unknown field \"datum\"""#,
            ])
            let stored = try await api.get("/api/v1/namespaces/default/configmaps/c").json
            #expect(stored["datum"] == nil)
            #expect(stored["metadata"]?["labelz"] == nil)
            #expect(stored["data"] == ["k": "v"])
        }
    }

    @Test func ignoreSaysNothingAndPatchesAreCheckedToo() async throws {
        try await TestAPI.run { api in
            let created = try await api.request(.post, "/api/v1/namespaces/default/configmaps?fieldValidation=Ignore",
                                                json: Self.withUnknownFields)
            #expect(created.status == .created)
            #expect(created.headers[values: .init("Warning")!].isEmpty)
            let strict = try await api.request(.patch, "/api/v1/namespaces/default/configmaps/c?fieldValidation=Strict",
                                               json: ["spec": ["replicas": 1]],
                                               headers: [.contentType: "application/merge-patch+json"])
            #expect(strict.status == .badRequest)
            #expect(strict.json["message"]?.stringValue?.hasSuffix(#"unknown field "spec""#) == true)
            let invalid = try await api.request(.post, "/api/v1/namespaces/default/configmaps?fieldValidation=Loud",
                                                json: configMap("d"))
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.json["message"] == #"CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn""#)
        }
    }
}
