import APIMachinery

/// Converts objects of one kind between its versions: in process (a
/// `KindConversion`), or by asking a CRD's conversion webhook.
public protocol VersionConverter: Sendable {
    /// The apiVersion strategies see objects at.
    var hub: String { get }
    /// `objects`, each at the version its apiVersion names, at `apiVersion`,
    /// in one go (a webhook gets one ConversionReview for a whole list).
    func convert(_ objects: [APIObject], to apiVersion: String) async throws -> [APIObject]
    /// The conversion without leaving the process; nil when it needs to.
    func convertLocally(_ object: APIObject, to apiVersion: String) throws -> APIObject?
}

/// How one kind converts between the versions it is served at: hub and spoke,
/// as in Kubernetes, where every version converts to and from one internal
/// form. The hub here is the JSON of one of the versions (the one that can
/// hold everything the others can); conversions must round-trip without
/// loss, keeping what a version cannot hold the way Kubernetes does (in
/// annotations).
public protocol KindConversion: VersionConverter {
    /// The apiVersion of the hub form ("v1", "autoscaling/v2").
    var hub: String { get }
    /// Every apiVersion the kind converts between, the hub included.
    var versions: [String] { get }
    /// `object` (at the version its apiVersion names) in the hub form.
    func toHub(_ object: APIObject) throws -> APIObject
    /// `hub` at `apiVersion`.
    func fromHub(_ hub: APIObject, to apiVersion: String) throws -> APIObject
}

extension KindConversion {
    public func convert(_ objects: [APIObject], to apiVersion: String) async throws -> [APIObject] {
        try objects.map { try convert($0, to: apiVersion) }
    }

    public func convertLocally(_ object: APIObject, to apiVersion: String) throws -> APIObject? {
        try convert(object, to: apiVersion)
    }

    /// `object` at `apiVersion`; untouched when it is already there, which is
    /// the common case of a value read at its storage version.
    public func convert(_ object: APIObject, to apiVersion: String) throws -> APIObject {
        if object.apiVersion == apiVersion { return object }
        guard versions.contains(object.apiVersion) else {
            throw APIError.internalError("no conversion for \(object.kind) from \(object.apiVersion)")
        }
        guard versions.contains(apiVersion) else {
            throw APIError.internalError("no conversion for \(object.kind) to \(apiVersion)")
        }
        let hubObject = object.apiVersion == hub ? object : try toHub(object)
        return apiVersion == hub ? hubObject : try fromHub(hubObject, to: apiVersion)
    }
}

extension APIObject {
    /// An annotation's value, without touching the others' order.
    func annotation(_ key: String) -> String? {
        metadata["annotations"]?[key]?.stringValue
    }

    /// Sets or (with nil) removes one annotation, keeping the others' order;
    /// drops the annotations map when it ends up empty.
    mutating func setAnnotation(_ key: String, _ value: String?) {
        var annotations = metadata["annotations"]?.objectValue ?? [:]
        annotations[key] = value.map(JSONValue.string)
        setMetadata("annotations", annotations.isEmpty ? nil : .object(annotations))
    }
}
