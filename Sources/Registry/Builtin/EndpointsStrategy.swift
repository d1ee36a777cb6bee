import APIMachinery

/// Endpoints: stored as given (the aggregator reads them where a Service
/// has no EndpointSlice); a PUT may create them, as the endpoints controller
/// relies on. Addresses are checked as kube checks them: never loopback,
/// unspecified or link-local.
struct EndpointsStrategy: ResourceStrategy {
    var allowsCreateOnUpdate: Bool { true }

    func validate(_ object: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, subset) in (object["subsets"]?.arrayValue ?? []).enumerated() {
            let ready = subset["addresses"]?.arrayValue ?? []
            let notReady = subset["notReadyAddresses"]?.arrayValue ?? []
            if ready.isEmpty && notReady.isEmpty {
                errors.append(.required("subsets[\(index)]", "must specify `addresses` or `notReadyAddresses`"))
            }
            for (list, addresses) in [("addresses", ready), ("notReadyAddresses", notReady)] {
                for (number, address) in addresses.enumerated() {
                    let ip = address["ip"]?.stringValue ?? ""
                    let field = "subsets[\(index)].\(list)[\(number)].ip"
                    errors += Validation.endpointIPProblems(ip).map { .invalid(field, ip, $0) }
                }
            }
        }
        return errors
    }

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
