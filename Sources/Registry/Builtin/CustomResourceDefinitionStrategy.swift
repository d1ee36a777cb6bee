import APIMachinery

/// apiextensions.k8s.io/v1 CustomResourceDefinitions: kube's defaults and
/// validation, a fresh status on create (the CRD controller fills in names
/// and conditions), the storage version added to status.storedVersions
/// whenever it changes, and a finalizer on delete that holds the CRD until
/// its custom resources are gone.
struct CustomResourceDefinitionStrategy: ResourceStrategy {
    static let cleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    var tracksGeneration: Bool { true }

    /// kube's v1 defaults: singular from kind, listKind from kind, conversion None.
    func normalize(_ object: inout APIObject) throws {
        guard case .object(var spec)? = object["spec"] else { return }
        if case .object(var names)? = spec["names"] {
            let kind = names["kind"]?.stringValue ?? ""
            if (names["singular"]?.stringValue ?? "").isEmpty, !kind.isEmpty { names["singular"] = .string(kind.lowercased()) }
            if (names["listKind"]?.stringValue ?? "").isEmpty, !kind.isEmpty { names["listKind"] = .string(kind + "List") }
            spec["names"] = .object(names)
        }
        if spec["conversion"] == nil { spec["conversion"] = ["strategy": "None"] }
        object["spec"] = .object(spec)
    }

    func prepareForCreate(_ object: inout APIObject) {
        let storage = CustomResourceDefinitionSpec(object).storageVersion.map { [$0.name] } ?? []
        object["status"] = ["conditions": .null, "acceptedNames": ["plural": "", "kind": ""],
                            "storedVersions": .array(storage.map(JSONValue.string))]
    }

    func prepareForUpdate(_ object: inout APIObject, old: APIObject) {
        // The status came over from `old`; a new storage version joins the stored ones.
        guard let storage = CustomResourceDefinitionSpec(object).storageVersion?.name else { return }
        var status = CustomResourceDefinitionStatus(object)
        if !status.storedVersions.contains(storage) {
            status.storedVersions.append(storage)
            object["status"] = status.json
        }
    }

    func validate(_ object: APIObject) -> [FieldError] { CustomResourceDefinitionValidation.validate(object) }

    func validateUpdate(_ object: APIObject, old: APIObject) -> [FieldError] {
        CustomResourceDefinitionValidation.validateUpdate(object, old: old)
    }

    /// CEL rules are kept but not yet enforced: the client is told so.
    func warnings(_ object: APIObject) -> [String] {
        CustomResourceDefinitionSpec(object).versions.enumerated().compactMap { index, version in
            guard let schema = version.schemaJSON, StructuralSchema(schema).hasCELRules else { return nil }
            return "spec.versions[\(index)].schema.openAPIV3Schema: x-kubernetes-validations rules are stored but not enforced by this server yet"
        }
    }

    func beginDeletion(_ object: inout APIObject) {
        if !object.finalizers.contains(Self.cleanupFinalizer) { object.finalizers.append(Self.cleanupFinalizer) }
        var status = CustomResourceDefinitionStatus(object)
        guard status.condition("Terminating") == nil else { return }
        status.set("Terminating", "True", reason: "InstanceDeletionPending",
                   message: "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon")
        object["status"] = status.json
    }

    var columns: [TableColumn] {
        [.name, TableColumn("Created At", type: "date", "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        [.string(object.name), .string(object.creationTimestamp)]
    }
}
