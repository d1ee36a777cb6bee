import APIMachinery

/// discovery.k8s.io/v1 EndpointSlices: stored as given (nothing proxies but
/// the aggregator, which reads them). kube's defaults (ports TCP, unnamed)
/// and validation: addresses of the slice's type, never loopback, unspecified
/// or link-local; the generation counts every change but metadata.
struct EndpointSliceStrategy: ResourceStrategy {
    static let addressTypes = ["FQDN", "IPv4", "IPv6"]
    static let protocols = ["SCTP", "TCP", "UDP"]
    static let maximumEndpoints = 1000
    static let maximumAddresses = 100
    static let maximumPorts = 20000

    var tracksGeneration: Bool { true }

    func changesDesiredState(_ object: APIObject, old: APIObject) -> Bool {
        ["addressType", "endpoints", "ports"].contains { object[$0] != old[$0] }
    }

    func normalize(_ object: inout APIObject) throws {
        guard case .array(var ports)? = object["ports"] else { return }
        for index in ports.indices {
            guard case .object(let given) = ports[index] else { continue }
            // Go's field order, as kube writes the defaulted port back.
            var port: JSONObject = ["name": given["name"].flatMap { $0 == .null ? nil : $0 } ?? "",
                                    "protocol": given["protocol"].flatMap { $0 == .null ? nil : $0 } ?? "TCP"]
            for (key, value) in given where port[key] == nil { port[key] = value }
            ports[index] = .object(port)
        }
        object["ports"] = .array(ports)
    }

    func validate(_ object: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        let addressType = object["addressType"]?.stringValue ?? ""
        if addressType.isEmpty {
            errors.append(.required("addressType"))
        } else if !Self.addressTypes.contains(addressType) {
            errors.append(.notSupported("addressType", addressType, Self.addressTypes))
        }
        errors += endpointErrors(object["endpoints"]?.arrayValue ?? [], addressType: addressType)
        errors += portErrors(object["ports"]?.arrayValue ?? [])
        return errors
    }

    func validateUpdate(_ object: APIObject, old: APIObject) -> [FieldError] {
        var errors = validate(object)
        if let type = object["addressType"], type != old["addressType"] {
            errors.append(.invalidValue("addressType", type, "field is immutable"))
        }
        return errors
    }

    private func endpointErrors(_ endpoints: [JSONValue], addressType: String) -> [FieldError] {
        guard endpoints.count <= Self.maximumEndpoints else {
            return [.tooMany("endpoints", endpoints.count, Self.maximumEndpoints)]
        }
        var errors: [FieldError] = []
        for (index, endpoint) in endpoints.enumerated() {
            let path = "endpoints[\(index)].addresses"
            let addresses = endpoint["addresses"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if addresses.isEmpty {
                errors.append(.required(path, "must contain at least 1 address"))
            } else if addresses.count > Self.maximumAddresses {
                errors.append(.tooMany(path, addresses.count, Self.maximumAddresses))
            }
            for (number, address) in addresses.enumerated() {
                errors += addressErrors(address, type: addressType, field: "\(path)[\(number)]")
            }
            if let hostname = endpoint["hostname"]?.stringValue, let problem = Validation.dns1123LabelProblem(hostname) {
                errors.append(.invalid("endpoints[\(index)].hostname", hostname, problem))
            }
        }
        return errors
    }

    /// Addresses of an unknown type are not checked, as kube leaves them.
    private func addressErrors(_ address: String, type: String, field: String) -> [FieldError] {
        switch type {
        case "IPv4", "IPv6":
            guard let ip = IPAddress(address), ip.isIPv4 == (type == "IPv4") else {
                return [.invalid(field, address, "must be a valid \(type) address")]
            }
            return Validation.endpointIPProblems(address).map { .invalid(field, address, $0) }
        case "FQDN":
            return Validation.dns1123SubdomainProblem(address).map { [.invalid(field, address, $0)] } ?? []
        default:
            return []
        }
    }

    private func portErrors(_ ports: [JSONValue]) -> [FieldError] {
        guard ports.count <= Self.maximumPorts else { return [.tooMany("ports", ports.count, Self.maximumPorts)] }
        var errors: [FieldError] = []
        var names: Set<String> = []
        for (index, port) in ports.enumerated() {
            let path = "ports[\(index)]"
            let name = port["name"]?.stringValue ?? ""
            if !name.isEmpty, let problem = Validation.dns1123LabelProblem(name) {
                errors.append(.invalid("\(path).name", name, problem))
            }
            if !names.insert(name).inserted { errors.append(.duplicate("\(path).name", name)) }
            let proto = port["protocol"]?.stringValue ?? ""
            if proto.isEmpty {
                errors.append(.required("\(path).protocol"))
            } else if !Self.protocols.contains(proto) {
                errors.append(.notSupported("\(path).protocol", proto, Self.protocols))
            }
        }
        return errors
    }

    var columns: [TableColumn] {
        [.name, TableColumn("AddressType", "The IP protocol for this slice"),
         TableColumn("Ports", "The ports for this slice"),
         TableColumn("Endpoints", "First N endpoints for this slice"), .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        let ports = (object["ports"]?.arrayValue ?? []).map { $0["port"]?.intValue.map(String.init) ?? "<unset>" }
        let addresses = (object["endpoints"]?.arrayValue ?? []).flatMap { $0["addresses"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        return [.string(object.name), object["addressType"] ?? "", .string(Self.firstFew(ports)),
                .string(Self.firstFew(addresses)), object.age(now)]
    }

    /// kube's printer: the first three, then how many more.
    static func firstFew(_ items: [String]) -> String {
        if items.isEmpty { return "<unset>" }
        let shown = items.prefix(3).joined(separator: ",")
        return items.count > 3 ? shown + " + \(items.count - 3) more..." : shown
    }
}
