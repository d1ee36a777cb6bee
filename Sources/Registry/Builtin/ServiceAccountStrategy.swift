import APIMachinery

struct ServiceAccountStrategy: ResourceStrategy {
    var patchSchema: PatchSchema {
        .kind(["secrets": .list(mergeKey: "name"), "imagePullSecrets": .list(mergeKey: "name")])
    }

    var columns: [TableColumn] {
        [.name, TableColumn("Secrets", type: "integer", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        [.string(object.name), .int(Int64(object["secrets"]?.arrayValue?.count ?? 0)), object.age(now)]
    }
}

/// Endpoints: stored as given (nothing proxies); a PUT may create them, as
/// the endpoints controller relies on.
struct EndpointsStrategy: ResourceStrategy {
    var allowsCreateOnUpdate: Bool { true }

    var columns: [TableColumn] {
        [.name, TableColumn("Endpoints", "Endpoints of the service"), .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        var addresses: [String] = []
        for subset in object["subsets"]?.arrayValue ?? [] {
            let ports = subset["ports"]?.arrayValue?.compactMap { $0["port"]?.intValue } ?? []
            for address in subset["addresses"]?.arrayValue ?? [] {
                let ip = address["ip"]?.stringValue ?? ""
                if ports.isEmpty { addresses.append(ip) } else { addresses += ports.map { "\(ip):\($0)" } }
            }
        }
        let shown = addresses.count > 3 ? addresses.prefix(3).joined(separator: ",") + " + \(addresses.count - 3) more..."
            : addresses.isEmpty ? "<none>" : addresses.joined(separator: ",")
        return [.string(object.name), .string(shown), object.age(now)]
    }
}

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
