import APIMachinery
import Crypto
import Foundation
import Hummingbird
import Registry

/// /openapi/v2 and /openapi/v3 of one snapshot of the served resources and
/// the remote APIServices, rendered on first request after it is published.
/// Extension servers' documents are merged in as kube-aggregator merges
/// them: their v2 paths and definitions join ours, and each of their v3
/// group-version documents is listed in the index and served from here. kubectl reads v3 for
/// `explain` and to learn that the server validates fields itself
/// (fieldValidation).
final class OpenAPIDocuments: Sendable {
    struct Document: Sendable {
        var body: [UInt8]
        var hash: String
    }

    let v2: Document
    /// By group-version path: "api/v1", "apis/coordination.k8s.io/v1".
    let v3: [String: Document]
    let v3Index: [UInt8]
    /// When the documents were made.
    let lastModified = OpenAPIDocuments.httpDate(Date())
    let protobufForms = OpenAPIProtobufCache()

    /// The protobuf media types kube-openapi accepts, for v2 and v3; it answers
    /// with the first of each, whichever was asked for, because Go's mime
    /// parser (client-go's) refuses the "@" of the older name.
    static let v2Protobuf = ["application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
                             "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"]
    static let v3Protobuf = ["application/com.github.proto-openapi.spec.v3.v1.0+protobuf",
                             "application/com.github.proto-openapi.spec.v3@v1.0+protobuf"]

    init(served: ServedResources, remote: [ExtensionRoute] = [], catalog: SchemaCatalog, kubernetesVersion: String) {
        var operations: [String: [OpenAPIOperation]] = [:]
        var custom: [CustomResourceOpenAPI] = []
        for store in served.stores {
            let definition = store.definition
            let kind = GroupVersionKind(group: definition.group, version: definition.version, kind: definition.kind)
            let list = GroupVersionKind(group: definition.group, version: definition.version, kind: definition.listKind)
            let kindName: String, listName: String
            if let schema = store.schema as? CustomResourceSchema {
                let openAPI = CustomResourceOpenAPI(definition: definition, schema: schema.openAPIV3Schema)
                custom.append(openAPI)
                (kindName, listName) = (openAPI.kindName, openAPI.listName)
            } else if let kindType = catalog.type(for: kind), let listType = catalog.type(for: list) {
                (kindName, listName) = (kindType.openAPIName, listType.openAPIName)
            } else {
                continue
            }
            let key = definition.group.isEmpty ? "api/\(definition.version)" : "apis/\(definition.group)/\(definition.version)"
            operations[key, default: []] += OpenAPIOperation.operations(for: definition, kindName: kindName, listName: listName,
                                                                        catalog: catalog)
        }
        let info: JSONValue = ["title": "Kubernetes", "version": .string(kubernetesVersion)]
        func schemas(_ version: OpenAPISchemas.Version) -> OpenAPISchemas {
            var schemas = OpenAPISchemas(catalog: catalog, version: version)
            for openAPI in custom {
                for (name, schema) in openAPI.definitions(schemas) { schemas.custom[name] = schema }
            }
            return schemas
        }

        let v2Schemas = schemas(.v2)
        let allOperations = operations.keys.sorted().flatMap { operations[$0]! }
        var v2Paths = Self.paths(allOperations, Self.v2Operation)
        var v2Definitions = v2Schemas.definitions(v2Schemas.closure(Self.roots(allOperations)))
        // What an extension says of its own paths and types; ours win a name both use.
        for route in remote.sorted(by: { $0.name < $1.name }) {
            for (path, item) in route.openAPIV2?["paths"]?.objectValue ?? [:] where v2Paths[path] == nil { v2Paths[path] = item }
            for (name, schema) in route.openAPIV2?["definitions"]?.objectValue ?? [:] where v2Definitions[name] == nil {
                v2Definitions[name] = schema
            }
        }
        let v2Body: JSONValue = [
            "swagger": "2.0",
            "info": info,
            "paths": .object(v2Paths),
            "definitions": .object(v2Definitions),
            "securityDefinitions": ["BearerToken": ["description": "Bearer token authentication", "type": "apiKey",
                                                    "name": "authorization", "in": "header"]],
            "security": [["BearerToken": []]],
        ]
        v2 = Document(v2Body.serialized())

        let v3Schemas = schemas(.v3)
        var v3: [String: Document] = [:]
        for (key, groupOperations) in operations {
            let body: JSONValue = [
                "openapi": "3.0.0",
                "info": info,
                "paths": .object(Self.paths(groupOperations, Self.v3Operation)),
                "components": [
                    "schemas": .object(v3Schemas.definitions(v3Schemas.closure(Self.roots(groupOperations)))),
                    "securitySchemes": ["BearerToken": ["type": "apiKey", "description": "Bearer token authentication",
                                                        "name": "authorization", "in": "header"]],
                ],
            ]
            v3[key] = Document(body.serialized())
        }
        for route in remote {
            guard let document = route.openAPIV3?["document"], let url = route.openAPIV3?["serverRelativeURL"]?.stringValue else { continue }
            // The extension's own hash stays in its URL, as kube's index keeps it.
            let hash = url.split(separator: "hash=").last.map(String.init) ?? ""
            var served = Document(document.serialized())
            if url.contains("hash="), !hash.isEmpty { served.hash = hash }
            v3["apis/\(route.group)/\(route.version)"] = served
        }
        self.v3 = v3
        var index: JSONObject = [:]
        for key in v3.keys.sorted() {
            index[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(v3[key]!.hash)")]
        }
        v3Index = JSONValue.object(["paths": .object(index)]).serialized()
    }

    /// `path` is /openapi/v2, /openapi/v3 or under it.
    func respond(path: String, request: Request, query: QueryParameters) throws -> Response {
        guard request.method == .get || request.method == .head else { throw APIErrorFactory.methodNotAllowed }
        if path == "/openapi/v2" { return try response(v2, request, query, path: path, v3: false) }
        if path == "/openapi/v3" {
            return Self.json(v3Index, headers: [.cacheControl: "no-cache, private", .lastModified: lastModified])
        }
        guard let document = v3[String(path.dropFirst("/openapi/v3/".count))] else { throw APIErrorFactory.notFound }
        return try response(document, request, query, path: path, v3: true)
    }

    /// As kube-openapi's handlers answer: an ETag to revalidate with; at a
    /// URL with the current hash, cacheable for a year; at a stale hash, a
    /// redirect to the current one.
    private func response(_ document: Document, _ request: Request, _ query: QueryParameters,
                          path: String, v3: Bool) throws -> Response {
        let protobufTypes = v3 ? Self.v3Protobuf : Self.v2Protobuf
        let protobufType = try Self.protobufType(request.headers[.accept], accepted: protobufTypes).map { _ in protobufTypes[0] }
        var headers = HTTPFields()
        if let hash = query["hash"] {
            guard hash == document.hash else {
                headers[.location] = "\(path)?hash=\(document.hash)"
                return Response(status: .movedPermanently, headers: headers)
            }
            headers[.cacheControl] = "public, immutable"
            headers[.expires] = Self.httpDate(Date().addingTimeInterval(365 * 24 * 3600))
        } else {
            headers[.cacheControl] = "no-cache, private"
        }
        // The protobuf form has an ETag of its own, as kube-openapi's.
        let served = protobufType == nil ? document : protobufForms.document(path) {
            let json = (try? JSONValue.parse(document.body)) ?? .null
            return OpenAPIProtobuf(messages: v3 ? .openAPIv3 : .openAPIv2).encode(json, as: "Document")
        }
        headers[.eTag] = "\"\(served.hash)\""
        headers[.vary] = "Accept"
        headers[.lastModified] = lastModified
        if request.headers[.ifNoneMatch] == headers[.eTag] { return Response(status: .notModified, headers: headers) }
        guard let protobufType else { return Self.json(document.body, headers: headers) }
        headers[.contentType] = protobufType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: served.body)))
    }

    /// nil for JSON (also what */* gets), else the protobuf media type asked
    /// for; 406 when the client accepts neither.
    static func protobufType(_ accept: String?, accepted: [String]) throws -> String? {
        let accepts = MediaType.list(accept)
        if accepts.isEmpty { return nil }
        for media in accepts {
            if media.isJSON { return nil }
            if accepted.contains(media.type) { return media.type }
        }
        throw APIErrorFactory.notAcceptable
    }

    /// RFC 1123, as HTTP dates are written ("Sat, 21 Nov 2026 16:40:59 GMT").
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    private static func json(_ body: [UInt8], headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static func roots(_ operations: [OpenAPIOperation]) -> [String] {
        operations.flatMap { ($0.body.map { [$0] } ?? []) + $0.responses.map(\.schema) }
    }

    private static func paths(_ operations: [OpenAPIOperation], _ render: (OpenAPIOperation) -> JSONValue) -> JSONObject {
        var paths: JSONObject = [:]
        for operation in operations.sorted(by: { $0.path < $1.path }) {
            var item = paths[operation.path]?.objectValue ?? [:]
            item[operation.method] = render(operation)
            paths[operation.path] = .object(item)
        }
        return paths
    }

    private static func common(_ operation: OpenAPIOperation) -> JSONObject {
        ["tags": [.string(operation.tag)], "description": .string(operation.description),
         "operationId": .string(operation.operationID)]
    }

    private static func extensions(_ operation: OpenAPIOperation) -> JSONObject {
        ["x-kubernetes-action": .string(operation.action),
         "x-kubernetes-group-version-kind": ["group": .string(operation.kind.group), "version": .string(operation.kind.version),
                                             "kind": .string(operation.kind.kind)]]
    }

    static func v2Operation(_ operation: OpenAPIOperation) -> JSONValue {
        var object = common(operation)
        object["consumes"] = .array(operation.bodyMediaTypes.map(JSONValue.string))
        object["produces"] = .array(OpenAPIOperation.objectMediaTypes.map(JSONValue.string))
        object["schemes"] = ["https"]
        var parameters: [JSONValue] = operation.parameters.map { parameter in
            var value: JSONObject = ["name": .string(parameter.name), "in": .string(parameter.location),
                                     "description": .string(parameter.description), "type": .string(parameter.type),
                                     "uniqueItems": true]
            if parameter.required { value["required"] = true }
            return .object(value)
        }
        if let body = operation.body {
            parameters.insert(["name": "body", "in": "body", "required": .bool(operation.method != "delete"),
                               "schema": ["$ref": .string("#/definitions/" + body)]], at: 0)
        }
        object["parameters"] = .array(parameters)
        var responses: JSONObject = [:]
        for (code, schema) in operation.responses {
            responses[code] = ["description": .string(description(code)), "schema": ["$ref": .string("#/definitions/" + schema)]]
        }
        responses["401"] = ["description": "Unauthorized"]
        object["responses"] = .object(responses)
        object.merge(extensions(operation)) { first, _ in first }
        return .object(object)
    }

    static func v3Operation(_ operation: OpenAPIOperation) -> JSONValue {
        var object = common(operation)
        object["parameters"] = .array(operation.parameters.map { parameter in
            var value: JSONObject = ["name": .string(parameter.name), "in": .string(parameter.location),
                                     "description": .string(parameter.description)]
            if parameter.required { value["required"] = true }
            value["schema"] = ["type": .string(parameter.type), "uniqueItems": true]
            return .object(value)
        })
        if let body = operation.body {
            var content: JSONObject = [:]
            for media in operation.bodyMediaTypes { content[media] = ["schema": ["$ref": .string("#/components/schemas/" + body)]] }
            object["requestBody"] = ["content": .object(content), "required": .bool(operation.method != "delete")]
        }
        var responses: JSONObject = [:]
        for (code, schema) in operation.responses {
            var content: JSONObject = [:]
            for media in OpenAPIOperation.objectMediaTypes { content[media] = ["schema": ["$ref": .string("#/components/schemas/" + schema)]] }
            responses[code] = ["description": .string(description(code)), "content": .object(content)]
        }
        responses["401"] = ["description": "Unauthorized"]
        object["responses"] = .object(responses)
        object.merge(extensions(operation)) { first, _ in first }
        return .object(object)
    }

    private static func description(_ code: String) -> String {
        ["200": "OK", "201": "Created", "202": "Accepted"][code] ?? code
    }
}

extension OpenAPIDocuments.Document {
    /// kube-apiserver's hash: SHA-512 of the body, upper-case hex.
    init(_ body: [UInt8]) {
        self.body = body
        self.hash = SHA512.hash(data: body).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
