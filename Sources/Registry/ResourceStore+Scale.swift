import APIMachinery
import Storage

/// The scale subresource: an autoscaling/v1 Scale read from, and written
/// to, the fields its ScalePaths name (a CRD's specReplicasPath and the
/// others), as kube's apiextensions server serves it for `kubectl scale`
/// and autoscalers.
extension ResourceStore {
    public func scale(namespace: String, name: String) async throws -> APIObject {
        let object = try await get(namespace: namespace, name: name)
        return try Self.scale(of: object, try scalePaths())
    }

    /// PUT or PATCH of the Scale: `change` turns the current Scale into the
    /// new one, whose spec.replicas is written to the object, which is then
    /// stored as any update is (validated, its generation moved on).
    public func updateScale(namespace: String, name: String, _ options: WriteOptions = WriteOptions(),
                            _ change: @escaping (APIObject) throws -> APIObject) async throws -> APIObject {
        let paths = try scalePaths()
        let key = ObjectKey(namespace: scoped(namespace), name: name)
        let stored = try await readModifyWrite(key, options) { current in
            guard let current else { throw APIError.notFound(resource, name) }
            let served = try await self.served(current)
            let scale = try change(try Self.scale(of: served, paths))
            if !scale.resourceVersion.isEmpty, scale.resourceVersion != current.resourceVersion {
                throw APIError.conflict(resource, name, APIError.optimisticLockMessage)
            }
            let replicas = scale["spec"]?["replicas"]?.intValue ?? 0
            var object = served
            SimpleJSONPath(paths.specReplicas)?.set(.int(replicas), in: &object.json)
            return try await storable(updated(try await hub(object), from: hub(current), subresource: nil))
        }
        return try Self.scale(of: try await served(stored), paths)
    }

    private func scalePaths() throws -> ScalePaths {
        guard let paths = definition.subresources[.scale]?.scale else {
            throw APIError.internalError("\(definition.resource) has no scale subresource")
        }
        return paths
    }

    /// The Scale of `object`: its metadata's identity, the replicas at the
    /// spec and status paths, and the selector when the object has one.
    static func scale(of object: APIObject, _ paths: ScalePaths) throws -> APIObject {
        func value(_ path: String) -> JSONValue? { SimpleJSONPath(path)?.value(in: object.json) }
        guard let specReplicas = value(paths.specReplicas), specReplicas != .null else {
            throw APIError.internalError("the spec replicas field \(FieldError.quote(paths.specReplicas)) does not exist")
        }
        var metadata: JSONObject = ["name": .string(object.name)]
        if !object.namespace.isEmpty { metadata["namespace"] = .string(object.namespace) }
        metadata["uid"] = .string(object.uid)
        metadata["resourceVersion"] = .string(object.resourceVersion)
        metadata["creationTimestamp"] = .string(object.creationTimestamp)
        var spec = JSONObject()
        if let replicas = specReplicas.intValue, replicas != 0 { spec["replicas"] = .int(replicas) }
        var status: JSONObject = ["replicas": .int(value(paths.statusReplicas)?.intValue ?? 0)]
        if let path = paths.labelSelector, let selector = value(path)?.stringValue, !selector.isEmpty {
            status["selector"] = .string(selector)
        }
        return APIObject(["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
                          "spec": .object(spec), "status": .object(status)])
    }
}
