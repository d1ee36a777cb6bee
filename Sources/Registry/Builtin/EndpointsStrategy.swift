import APIMachinery

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
