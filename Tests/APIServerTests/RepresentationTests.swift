import APIMachinery
@testable import APIServer
import CompressNIO
import Hummingbird
import Testing

@Suite(.timeLimit(.minutes(2)))
struct RepresentationTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    @Test func tableAndPartialMetadataAsKubectlAsks() async throws {
        try await TestAPI.run { api in
            try await api.request(.post, Self.configMaps, json: configMap("t", data: ["a": "1", "b": "2"]))
            let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
            let table = try await api.get(Self.configMaps, accept: accept)
            #expect(table.headers[.contentType] == "application/json;as=Table;v=v1;g=meta.k8s.io")
            #expect(table.json["kind"] == "Table")
            let expectedColumns = reference("configmap-list-table.json")?["columnDefinitions"]
            #expect(table.json["columnDefinitions"] == expectedColumns)
            let row = table.json["rows"]?[0]
            #expect(row?["cells"]?[0] == "t")
            #expect(row?["cells"]?[1] == 2)
            #expect(row?["object"]?["kind"] == "PartialObjectMetadata")

            let partial = try await api.get("\(Self.configMaps)/t", accept: "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io")
            #expect(partial.json["kind"] == "PartialObjectMetadata")
            #expect(partial.json["data"] == nil)
            let partialList = try await api.get(Self.configMaps, accept: "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io")
            #expect(partialList.json["kind"] == "PartialObjectMetadataList")
        }
    }

    @Test func yamlInAndOut() async throws {
        try await TestAPI.run { api in
            let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  port: \"8080\"\n  enabled: \"true\"\n"
            let created = try await api.request(.post, Self.configMaps, body: Array(yaml.utf8), headers: [.contentType: "application/yaml"])
            #expect(created.status == .created)
            #expect(created.json["data"] == ["port": "8080", "enabled": "true"])
            let out = try await api.get("\(Self.configMaps)/from-yaml", accept: "application/yaml")
            #expect(out.headers[.contentType] == "application/yaml")
            // Keys sorted, strings that look like numbers or booleans quoted.
            #expect(out.text.hasPrefix("apiVersion: v1\ndata:\n  enabled: \"true\"\n  port: \"8080\"\nkind: ConfigMap\n"))
        }
    }

    @Test func prettyJSONForCurlAndOnRequest() async throws {
        try await TestAPI.run { api in
            let compact = try await api.get("/api")
            #expect(!compact.text.contains("\n  "))
            let pretty = try await api.get("/api?pretty=true")
            #expect(pretty.text.hasPrefix("{\n  \"kind\": \"APIVersions\""))
            let curl = try await api.request(.get, "/api/v1/namespaces/default/configmaps/none", headers: [.userAgent: "curl/8.5.0"])
            #expect(curl.text.hasPrefix("{\n  \"kind\": \"Status\""))
        }
    }
}

@Suite(.timeLimit(.minutes(2)))
struct CompressionTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    /// Large responses are gzipped when the client asks, as kube-apiserver
    /// does above 128 KiB; small ones, and clients that do not ask, get plain bytes.
    @Test func largeResponsesAreGzippedWhenAsked() async throws {
        try await TestAPI.run { api in
            let value = String(repeating: "x", count: 8 * 1024)
            for index in 0..<20 {
                try await api.request(.post, Self.configMaps, json: configMap("big-\(index)", data: ["v": .string(value)]))
            }
            let plain = try await api.get(Self.configMaps)
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.body.count > ResponseCompression.thresholdBytes)

            let gzipped = try await api.request(.get, Self.configMaps, headers: [.acceptEncoding: "gzip, deflate"])
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            #expect(gzipped.body.count < plain.body.count / 10)
            var buffer = ByteBuffer(bytes: gzipped.body)
            let inflated = try buffer.decompress(with: .gzip)
            // The same list (its resourceVersion may have moved between the two reads).
            #expect(try JSONValue.parse(Array(inflated.readableBytesView))["items"] == plain.json["items"])
            #expect(try JSONValue.parse(Array(inflated.readableBytesView))["items"]?.arrayValue?.count == 20)

            let refused = try await api.request(.get, Self.configMaps, headers: [.acceptEncoding: "gzip;q=0"])
            #expect(refused.headers[.contentEncoding] == nil)
            let small = try await api.request(.get, "\(Self.configMaps)/big-0", headers: [.acceptEncoding: "gzip"])
            #expect(small.headers[.contentEncoding] == nil)
            #expect(small.json["metadata"]?["name"] == "big-0")
        }
    }
}
