import APIMachinery

/// What kube's apiextensions server does to a custom resource before it
/// validates it: fields the schema does not know are dropped (and named, for
/// the Warning headers or fieldValidation=Strict), nulls the schema does not
/// allow are dropped, and defaults are filled in.
extension StructuralSchema {
    /// ObjectMeta's JSON fields: anything else under metadata is unknown.
    static let objectMetaFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ]

    /// Removes unknown fields from a whole object (apiVersion, kind and
    /// metadata are always known) and returns their paths: metadata's first,
    /// then the others sorted, as kube reports them.
    public func prune(object json: inout JSONValue) -> [String] {
        guard case .object(var object) = json else { return [] }
        var metadataPaths: [String] = []
        var paths: [String] = []
        pruneResource(&object, at: "", metadataPaths: &metadataPaths, paths: &paths)
        json = .object(object)
        return metadataPaths + paths.sorted()
    }

    /// The paths pruning would drop from `value` (a default, checked when
    /// its CRD is written).
    func unknownFields(in value: JSONValue) -> [String] {
        var copy = value, paths: [String] = [], metadataPaths: [String] = []
        prune(&copy, at: "", paths: &paths, metadataPaths: &metadataPaths)
        return metadataPaths + paths
    }

    /// The fields of a resource (the root, or an x-kubernetes-embedded-resource).
    private func pruneResource(_ object: inout JSONObject, at path: String, metadataPaths: inout [String], paths: inout [String]) {
        if case .object(var metadata)? = object["metadata"] {
            for key in metadata.keys where !Self.objectMetaFields.contains(key) {
                metadata[key] = nil
                metadataPaths.append(Self.child(Self.child(path, "metadata"), key))
            }
            object["metadata"] = .object(metadata)
        }
        for key in object.keys where !["apiVersion", "kind", "metadata"].contains(key) {
            pruneField(&object, key, at: path, paths: &paths, metadataPaths: &metadataPaths)
        }
    }

    private func pruneField(_ object: inout JSONObject, _ key: String, at path: String, paths: inout [String],
                            metadataPaths: inout [String]) {
        let child = Self.child(path, key)
        guard let schema = property(key) ?? additionalProperties else {
            if !preservesUnknownFields && !allowsAnyProperty {
                object[key] = nil
                paths.append(child)
            }
            return
        }
        var value = object[key]!
        schema.prune(&value, at: child, paths: &paths, metadataPaths: &metadataPaths)
        object[key] = value
    }

    private func prune(_ value: inout JSONValue, at path: String, paths: inout [String], metadataPaths: inout [String]) {
        switch value {
        case .object(var object):
            if isEmbeddedResource {
                pruneResource(&object, at: path, metadataPaths: &metadataPaths, paths: &paths)
            } else {
                for key in object.keys { pruneField(&object, key, at: path, paths: &paths, metadataPaths: &metadataPaths) }
            }
            value = .object(object)
        case .array(var elements):
            guard let items else { return }
            for index in elements.indices { items.prune(&elements[index], at: "\(path)[\(index)]", paths: &paths, metadataPaths: &metadataPaths) }
            value = .array(elements)
        default:
            break
        }
    }

    // MARK: Defaulting

    /// Whether defaulting would change `value`, found without copying it.
    func lacksDefaults(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object):
            for (name, schema) in properties where schema.defaultValue != nil || object[name] == .null {
                if object[name] == nil || (object[name] == .null && !schema.nullable) { return true }
            }
            return object.contains { key, child in (property(key) ?? additionalProperties)?.lacksDefaults(child) ?? false }
        case .array(let elements):
            guard let items else { return false }
            return elements.contains { ($0 == .null && !items.nullable && items.defaultValue != nil) || items.lacksDefaults($0) }
        default:
            return false
        }
    }

    /// Fills in defaults, as kube does on every decode and every read from
    /// etcd: a property that is absent, or null where null is not allowed,
    /// takes its default; a null without a default is dropped.
    public func applyDefaults(_ value: inout JSONValue) {
        // Objects read back were defaulted when written: look before
        // copying anything.
        guard lacksDefaults(value) else { return }
        switch value {
        case .object(var object):
            for (name, schema) in properties {
                if object[name] == nil || (object[name] == .null && !schema.nullable) {
                    if let defaultValue = schema.defaultValue {
                        object[name] = defaultValue
                    } else if object[name] == .null {
                        object[name] = nil
                    }
                }
            }
            for key in object.keys {
                guard let schema = property(key) ?? additionalProperties else { continue }
                var child = object[key]!
                schema.applyDefaults(&child)
                object[key] = child
            }
            value = .object(object)
        case .array(var elements):
            guard let items else { return }
            for index in elements.indices {
                if elements[index] == .null && !items.nullable, let defaultValue = items.defaultValue {
                    elements[index] = defaultValue
                }
                items.applyDefaults(&elements[index])
            }
            value = .array(elements)
        default:
            break
        }
    }
}
