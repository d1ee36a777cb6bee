import APIMachinery

/// What decoding a body of one served kind accepts: which fields are
/// unknown (dropped, warned about or refused), which values are of the wrong
/// type, and how strategic merge patches merge it.
public protocol ObjectSchema: Sendable {
    /// Checks a created or replacing object: unknown fields are removed and
    /// returned; a value that cannot be decoded is a 400.
    func checkBody(_ json: inout JSONValue) throws -> [String]
    /// Removes a patch's unknown fields and returns their paths; its values
    /// are checked once it is applied (`checkPatched`).
    func pruneUnknownFields(_ json: inout JSONValue) -> [String]
    /// Checks a patch's result before it is stored.
    func checkPatched(_ json: inout JSONValue) throws
    /// The kind served, which kube's decoding errors name.
    var kind: GroupVersionKind { get }
    /// How strategic merge patches merge the kind; nil where kube refuses
    /// them (custom resources: 415).
    var strategicMergeSchema: PatchSchema? { get }
}

/// One served kind's Go type with the catalog its references resolve in:
/// what kube-apiserver's decoding of a body of that kind accepts.
public struct KindSchema: ObjectSchema {
    public let catalog: SchemaCatalog
    public let type: TypeSchema
    /// How strategic merge patches merge this kind, from its fields' patch tags.
    public let patchSchema: PatchSchema
    public let kind: GroupVersionKind

    public var strategicMergeSchema: PatchSchema? { patchSchema }

    public init?(catalog: SchemaCatalog, kind: GroupVersionKind) {
        guard let type = catalog.type(for: kind) else { return nil }
        self.catalog = catalog
        self.type = type
        self.kind = kind
        patchSchema = catalog.patchSchema(for: type)
    }

    /// A value of the wrong type is kube's 400, "ConfigMap in version "v1"
    /// cannot be handled as a ConfigMap: json: cannot unmarshal ...".
    public func checkBody(_ json: inout JSONValue) throws -> [String] {
        let check = catalog.check(&json, as: type)
        if let typeError = check.typeError { throw cannotBeHandled(typeError) }
        return check.unknownFields
    }

    public func pruneUnknownFields(_ json: inout JSONValue) -> [String] {
        catalog.pruneUnknownFields(&json, of: type)
    }

    /// Checks a patch's result, as kube-apiserver decodes it into the Go type
    /// after applying the patch: unknown fields are dropped, and a value of
    /// the wrong type is its 422 on the field "patch", which shows the
    /// patched object.
    public func checkPatched(_ json: inout JSONValue) throws {
        guard let typeError = catalog.check(&json, as: type).typeError else { return }
        throw APIError.invalid("", "", errors: [.invalid("patch", String(decoding: json.serialized(), as: UTF8.self), typeError)])
    }
}

extension ObjectSchema {
    /// kube's 400 "X in version "v" cannot be handled as a X: ...".
    public func cannotBeHandled(_ problem: String) -> APIError {
        APIError.badRequest("\(kind.kind) in version \"\(kind.version)\" cannot be handled as a \(kind.kind): \(problem)")
    }
}
