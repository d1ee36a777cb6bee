import APIMachinery

/// storagemigration.k8s.io/v1alpha1 StorageVersionMigrations: a request to
/// rewrite one resource at its storage version. The server's migration loop
/// writes the status; the resource asked for cannot change afterwards.
struct StorageVersionMigrationStrategy: ResourceStrategy {
    func prepareForCreate(_ object: inout APIObject) {
        object["status"] = nil
    }

    func validate(_ object: APIObject) -> [FieldError] {
        let resource = object["spec"]?["resource"]
        var errors: [FieldError] = []
        for field in ["resource", "version"] where (resource?[field]?.stringValue ?? "").isEmpty {
            errors.append(.required("spec.resource.\(field)"))
        }
        return errors
    }

    func validateUpdate(_ object: APIObject, old: APIObject) -> [FieldError] {
        var errors = validate(object)
        if object["spec"]?["resource"] != old["spec"]?["resource"] {
            errors.append(.invalidValue("spec.resource", object["spec"]?["resource"] ?? .null, "field is immutable"))
        }
        return errors
    }

    var columns: [TableColumn] {
        [.name, TableColumn("Resource", "The resource whose stored objects are rewritten."),
         TableColumn("Status", "The latest condition that holds."), .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        let resource = object["spec"]?["resource"]
        let group = resource?["group"]?.stringValue ?? ""
        let name = (resource?["resource"]?.stringValue ?? "") + (group.isEmpty ? "" : ".\(group)")
        let holding = object["status"]?["conditions"]?.arrayValue?.last { $0["status"]?.stringValue == "True" }
        return [.string(object.name), .string(name), holding?["type"] ?? "Pending", object.age(now)]
    }
}
