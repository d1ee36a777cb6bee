import APIMachinery

/// coordination.k8s.io/v1 Leases: leader election records.
struct LeaseStrategy: ResourceStrategy {
    func validate(_ object: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        for field in ["leaseDurationSeconds", "leaseTransitions"] {
            if let value = object["spec"]?[field]?.intValue, value < (field == "leaseTransitions" ? 0 : 1) {
                errors.append(.invalidValue("spec.\(field)", .int(value),
                                            field == "leaseTransitions" ? "must be greater than or equal to 0" : "must be greater than 0"))
            }
        }
        return errors
    }

    var columns: [TableColumn] {
        [.name, TableColumn("Holder", "The holder of the lease"), .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        [.string(object.name), object["spec"]?["holderIdentity"] ?? "", object.age(now)]
    }
}

/// coordination.k8s.io/v1alpha2 LeaseCandidates: what coordinated leader
/// election needs of each candidate (ValidateLeaseCandidate upstream).
struct LeaseCandidateStrategy: ResourceStrategy {
    static let strategies = ["OldestEmulationVersion"]

    func validate(_ object: APIObject) -> [FieldError] {
        let spec = object["spec"]
        var errors: [FieldError] = []
        for field in ["leaseName", "binaryVersion", "strategy"] where (spec?[field]?.stringValue ?? "").isEmpty {
            errors.append(.required("spec.\(field)"))
        }
        if spec?["strategy"]?.stringValue == "OldestEmulationVersion", (spec?["emulationVersion"]?.stringValue ?? "").isEmpty {
            errors.append(.required("spec.emulationVersion", "must be specified when strategy is \"OldestEmulationVersion\""))
        }
        return errors
    }

    func validateUpdate(_ object: APIObject, old: APIObject) -> [FieldError] {
        var errors = validate(object)
        if let leaseName = object["spec"]?["leaseName"], leaseName != old["spec"]?["leaseName"] {
            errors.append(.invalidValue("spec.leaseName", leaseName, "field is immutable"))
        }
        return errors
    }
}
