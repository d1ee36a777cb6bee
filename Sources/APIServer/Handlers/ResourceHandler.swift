import APIMachinery
import Hummingbird
import Registry
import Storage

/// Serves every verb on every resource through the registry: decodes the
/// request, calls the resource's store, and encodes the answer in the
/// negotiated format. One handler for all kinds; kinds differ only in their
/// definitions and strategies.
struct ResourceHandler: Sendable {
    let registry: Registry
    let maxRequestBytes: Int
    let watches: WatchHandler
    var protobuf: ProtobufObjectDecoder { ProtobufObjectDecoder(catalog: registry.schemas) }

    /// `store` is the one the request's group, version and resource name.
    func handle(_ info: RequestInfo, _ store: ResourceStore, _ request: Request, _ query: QueryParameters) async throws -> Response {
        let protobuf = ProtobufObjectEncoder.builtin.encodes(store.definition.groupVersionKind)
        do {
            return try await handle(info, store, request, query, protobuf: protobuf)
        } catch let error as APIError where !protobuf {
            // A custom resource's errors are JSON whatever the client asks, as kube's.
            return StatusErrors.response(error, request, protobuf: false)
        }
    }

    private func handle(_ info: RequestInfo, _ store: ResourceStore, _ request: Request, _ query: QueryParameters,
                        protobuf: Bool) async throws -> Response {
        let definition = store.definition
        let subresource = try self.subresource(info, definition)
        // A namespaced resource needs a namespace except to list or watch
        // across all; a cluster-scoped one never has one.
        if definition.namespaced {
            if info.namespace == nil && ![.list, .watch].contains(info.verb) {
                throw info.name == nil && info.verb != .deletecollection ? APIErrorFactory.methodNotAllowed : APIErrorFactory.notFound
            }
        } else if info.namespace != nil {
            throw APIErrorFactory.notFound
        }
        let namespace = info.namespace ?? ""
        let shapes = ObjectShapes(definition: definition)
        let pretty = query.pretty(userAgent: request.headers[.userAgent])
        if info.verb == .deletecollection && !definition.verbs.contains("deletecollection") {
            throw APIErrorFactory.methodNotAllowed
        }
        let options = try WriteOptions(dryRun: query.dryRun())
        let format = try ResponseFormat.negotiate(accept: request.headers[.accept], pretty: pretty,
                                                  list: [.list, .watch, .deletecollection].contains(info.verb),
                                                  watch: info.verb == .watch, protobuf: protobuf)
        // Every answer at a deprecated version says so first, as kube-apiserver's do.
        var warnings = definition.deprecation.map { [$0.warning(definition)] } ?? []
        let response = try await respond(info, request, query, store: store, namespace: namespace, subresource: subresource,
                                         options: options, format: format, shapes: shapes, warnings: &warnings)
        return response.warning(warnings)
    }

    func respond(_ info: RequestInfo, _ request: Request, _ query: QueryParameters, store: ResourceStore, namespace: String,
                 subresource: Subresource?, options: WriteOptions, format: ResponseFormat,
                 shapes: ObjectShapes, warnings: inout [String]) async throws -> Response {
        let definition = store.definition
        if subresource == .scale {
            return try await respondScale(info, request, store: store, namespace: namespace, options: options, format: format)
        }
        switch info.verb {
        case .get:
            let object = try await store.get(namespace: namespace, name: info.name!, resourceVersion: query["resourceVersion"] ?? "")
            if let body = shapes.sharedBody(object, format) { return .encoded(body, format) }
            return .encoded(shapes.render(object, format, includeObject: query.includeObject), format)

        case .list:
            let result = try await store.list(namespace: info.namespace, try query.listQuery())
            if let body = shapes.sharedBody(result, format) { return .encoded(body, format) }
            return .encoded(shapes.render(result, format, includeObject: query.includeObject), format)

        case .watch:
            var listQuery = try query.listQuery()
            if let name = info.name {
                listQuery.fieldSelector = try FieldSelector(parsing: "metadata.name=\(name)")
            }
            return try await watches.watch(request, store, namespace: info.namespace, query: listQuery, parameters: query,
                                           format: format, shapes: shapes)

        case .create:
            var object = try await decodeObject(request, definition)
            warnings += try checkFields(&object.json, store, try query.fieldValidation(options: "CreateOptions"))
            let created = try await store.create(object, namespace: namespace, options)
            warnings += definition.strategy.warnings(created)
            return .encoded(shapes.render(created, format, includeObject: query.includeObject), format, status: .created)

        case .update:
            var object = try await decodeObject(request, definition)
            warnings += try checkFields(&object.json, store, try query.fieldValidation(options: "UpdateOptions"))
            let (updated, created) = try await store.update(object, namespace: namespace, name: info.name!,
                                                            subresource: subresource, options)
            if subresource == nil { warnings += definition.strategy.warnings(updated) }
            return .encoded(shapes.render(updated, format, includeObject: query.includeObject), format,
                           status: created ? .created : .ok)

        case .patch:
            // A kind whose schema has no strategic merge rules (a custom resource) refuses such patches.
            let strategic = store.schema.map { $0.strategicMergeSchema != nil } ?? true
            let (type, body) = try await decodePatch(request, strategic: strategic)
            var patch = body
            // A merge patch has the object's shape; a JSON patch's values are
            // not checked against the schema.
            let validation = try query.fieldValidation(options: "PatchOptions")
            if type != .json { warnings += try checkFields(&patch, store, validation, isPatch: true) }
            let patched = try await store.patch(patch, type: type, namespace: namespace, name: info.name!,
                                                subresource: subresource, options)
            if subresource == nil { warnings += definition.strategy.warnings(patched) }
            return .encoded(shapes.render(patched, format, includeObject: query.includeObject), format)

        case .delete:
            let deleteOptions = try await deleteOptions(request, query)
            let deletion = try await store.delete(namespace: namespace, name: info.name!,
                                                  preconditions: deleteOptions.preconditions,
                                                  WriteOptions(dryRun: options.dryRun || deleteOptions.dryRun))
            if deletion.deleted && !definition.strategy.returnsDeletedObject {
                return .encoded(Self.successStatus(deletion.object, definition), format)
            }
            return .encoded(shapes.render(deletion.object, format, includeObject: query.includeObject), format)

        case .deletecollection:
            let deleteOptions = try await deleteOptions(request, query)
            let result = try await store.deleteCollection(namespace: info.namespace, try query.listQuery(),
                                                          WriteOptions(dryRun: options.dryRun || deleteOptions.dryRun))
            return .encoded(shapes.render(result, format, includeObject: query.includeObject), format)
        }
    }

    /// The subresources each kind has; anything else is 404, and a
    /// subresource answers only the verbs it has (405).
    func subresource(_ info: RequestInfo, _ definition: ResourceDefinition) throws -> Subresource? {
        guard let name = info.subresource else { return nil }
        guard let subresource = Subresource(rawValue: name), let served = definition.subresources[subresource] else {
            throw APIErrorFactory.notFound
        }
        guard served.verbs.contains(info.verb.rawValue) else { throw APIErrorFactory.methodNotAllowed }
        return subresource
    }

    /// The success Status kube-apiserver answers a DELETE with.
    static func successStatus(_ object: APIObject, _ definition: ResourceDefinition) -> JSONValue {
        var details: JSONObject = ["name": .string(object.name)]
        if !definition.group.isEmpty { details["group"] = .string(definition.group) }
        details["kind"] = .string(definition.resource)
        details["uid"] = .string(object.uid)
        return ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": .object(details)]
    }

    /// Checks a written object as kube-apiserver's decoding into the kind's Go
    /// type does: a value of the wrong type is 400 (a patch's own values are
    /// checked once applied, in the store), unknown fields are dropped, and
    /// named in Warning headers (Warn, the default) or refused (Strict).
    func checkFields(_ json: inout JSONValue, _ store: ResourceStore, _ validation: QueryParameters.FieldValidation,
                     isPatch: Bool = false) throws -> [String] {
        guard let schema = store.schema else { return [] }
        let unknown = isPatch ? schema.pruneUnknownFields(&json) : try schema.checkBody(&json)
        guard !unknown.isEmpty && validation != .ignore else { return [] }
        let problems = unknown.map { "unknown field \"\($0)\"" }
        if validation == .strict {
            throw schema.cannotBeHandled("strict decoding error: " + problems.joined(separator: ", "))
        }
        return problems
    }

    // MARK: Bodies

    func body(_ request: Request) async throws -> [UInt8] {
        try await RequestBodyReader.collect(request, limit: maxRequestBytes)
    }

    /// The body as an object of the resource's kind at its version: kind and
    /// apiVersion default to the URL's, and must agree with it when given.
    func decodeObject(_ request: Request, _ definition: ResourceDefinition) async throws -> APIObject {
        let json = try ObjectCoding.decodeBody(try await body(request), contentType: request.headers[.contentType],
                                               expectedKind: definition.kind, protobuf: protobuf)
        guard case .object = json else {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(definition.kind)): the body is not an object")
        }
        var object = APIObject(json)
        if object.apiVersion.isEmpty {
            object.apiVersion = definition.groupVersion
        } else if object.apiVersion != definition.groupVersion {
            throw APIError.badRequest("the API version in the data (\(object.apiVersion)) does not match the expected API version (\(definition.groupVersion))")
        }
        if object.kind.isEmpty {
            object.kind = definition.kind
        } else if object.kind != definition.kind, definition.isCustomResource {
            // kube's apiextensions server validates the kind, naming the one sent.
            throw APIError.invalid(object.kind, group: definition.group, object.name,
                                   errors: [.invalid("kind", object.kind, "must be \(definition.kind)")])
        } else if object.kind != definition.kind {
            throw APIError.badRequest("the kind in the data (\(object.kind)) does not match the expected kind (\(definition.kind))")
        }
        return object
    }

    static let patchTypes: [(String, PatchType)] = [
        ("application/json-patch+json", .json),
        ("application/merge-patch+json", .merge),
        ("application/strategic-merge-patch+json", .strategic),
    ]

    /// What kube's 415 lists for a kind without strategic merge patch (apply
    /// comes in a later issue).
    static let nonStrategicPatchTypes = ["application/json-patch+json", "application/merge-patch+json",
                                         "application/apply-patch+yaml"]

    func decodePatch(_ request: Request, strategic: Bool = true) async throws -> (PatchType, JSONValue) {
        let media = request.headers[.contentType].flatMap { MediaType(parsing: Substring($0)) }
        guard let type = Self.patchTypes.first(where: { $0.0 == media?.type })?.1, strategic || type != .strategic else {
            throw APIErrorFactory.unsupportedMediaType(media?.type ?? "",
                                                       accepted: strategic ? Self.patchTypes.map(\.0) : Self.nonStrategicPatchTypes)
        }
        let bytes = try await body(request)
        do {
            return (type, try JSONValue.parse(bytes))
        } catch let error as JSONParseError {
            throw APIError.badRequest("error decoding patch: \(error)")
        }
    }

}

extension ResourceHandler {
    /// DeleteOptions from the body, in JSON, YAML or protobuf, and the query.
    func deleteOptions(_ request: Request, _ query: QueryParameters) async throws -> DeleteOptions {
        let bytes = try await body(request)
        let json = bytes.isEmpty ? nil : try ObjectCoding.decodeBody(bytes, contentType: request.headers[.contentType],
                                                                       expectedKind: "DeleteOptions", protobuf: protobuf)
        return try DeleteOptions(json, query: query)
    }
}

/// metav1.DeleteOptions from the body (and ?dryRun): preconditions and dryRun.
struct DeleteOptions {
    var preconditions: Preconditions?
    var dryRun = false

    init(_ body: JSONValue?, query: QueryParameters) throws {
        dryRun = try query.dryRun()
        guard let json = body else { return }
        if let preconditions = json["preconditions"]?.objectValue {
            self.preconditions = Preconditions(uid: preconditions["uid"]?.stringValue,
                                               resourceVersion: preconditions["resourceVersion"]?.stringValue)
        }
        if let dryRun = json["dryRun"]?.arrayValue {
            let requested = try QueryParameters.dryRun(dryRun.compactMap(\.stringValue))
            self.dryRun = self.dryRun || requested
        }
    }
}

extension ResourceHandler {
    /// GET, PUT and PATCH of an autoscaling/v1 Scale (a custom resource's
    /// scale subresource).
    func respondScale(_ info: RequestInfo, _ request: Request, store: ResourceStore, namespace: String,
                      options: WriteOptions, format: ResponseFormat) async throws -> Response {
        let name = info.name!
        switch info.verb {
        case .get:
            return .encoded(try await store.scale(namespace: namespace, name: name).json, format)
        case .update:
            let json = try ObjectCoding.decodeBody(try await body(request), contentType: request.headers[.contentType],
                                                   expectedKind: "Scale", protobuf: protobuf)
            let scale = APIObject(json)
            if !scale.kind.isEmpty && scale.kind != "Scale" {
                throw APIError.badRequest("the kind in the data (\(scale.kind)) does not match the expected kind (Scale)")
            }
            return .encoded(try await store.updateScale(namespace: namespace, name: name, options) { _ in scale }.json, format)
        case .patch:
            let (type, patch) = try await decodePatch(request)
            let scaled = try await store.updateScale(namespace: namespace, name: name, options) { current in
                APIObject(try store.apply(patch, type: type == .strategic ? .merge : type, to: current.json))
            }
            return .encoded(scaled.json, format)
        default:
            throw APIErrorFactory.methodNotAllowed
        }
    }
}
