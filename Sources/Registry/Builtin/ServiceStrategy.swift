import APIMachinery

/// Services: stored objects only (nothing allocates IPs or proxies), with the
/// defaults and checks kube-apiserver applies to their spec.
struct ServiceStrategy: ResourceStrategy {
    static let types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]

    func nameProblem(_ name: String) -> String? { Validation.dns1035LabelProblem(name) }

    func prepareForCreate(_ object: inout APIObject) {
        var spec = object["spec"]?.objectValue ?? [:]
        if spec["type"] == nil { spec["type"] = "ClusterIP" }
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        if let ports = spec["ports"]?.arrayValue {
            spec["ports"] = .array(ports.map { port in
                guard case .object(var port) = port else { return port }
                if port["protocol"] == nil { port["protocol"] = "TCP" }
                if port["targetPort"] == nil, let number = port["port"] { port["targetPort"] = number }
                return .object(port)
            })
        }
        object["spec"] = .object(spec)
        object["status"] = ["loadBalancer": [:]]
    }

    func validate(_ object: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = object["spec"]?.objectValue ?? [:]
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        if !Self.types.contains(type) { errors.append(.notSupported("spec.type", type, Self.types)) }
        let ports = spec["ports"]?.arrayValue ?? []
        let headless = spec["clusterIP"]?.stringValue == "None"
        if ports.isEmpty && type != "ExternalName" && !headless { errors.append(.required("spec.ports")) }
        var names: Set<String> = []
        for (index, port) in ports.enumerated() {
            let field = "spec.ports[\(index)]"
            let name = port["name"]?.stringValue ?? ""
            if ports.count > 1 && name.isEmpty { errors.append(.required("\(field).name")) }
            if !name.isEmpty {
                if let problem = Validation.dns1123LabelProblem(name) { errors.append(.invalid("\(field).name", name, problem)) }
                if !names.insert(name).inserted { errors.append(.duplicate("\(field).name", name)) }
            }
            let number = port["port"]?.intValue ?? 0
            if !(1...65535).contains(number) {
                errors.append(.invalidValue("\(field).port", port["port"] ?? 0, "must be between 1 and 65535, inclusive"))
            }
        }
        if type == "ExternalName", (spec["externalName"]?.stringValue ?? "").isEmpty {
            errors.append(.required("spec.externalName"))
        }
        return errors
    }

    var columns: [TableColumn] {
        [.name,
         TableColumn("Type", "type determines how the Service is exposed. Defaults to ClusterIP."),
         TableColumn("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
         TableColumn("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
         TableColumn("Port(s)", "The port that will be exposed by this service."),
         .age,
         TableColumn("Selector", priority: 1, "Route service traffic to pods with label keys and values matching this selector.")]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        let spec = object["spec"]
        let ports = spec?["ports"]?.arrayValue?.map { port -> String in
            let number = port["port"]?.intValue ?? 0
            let nodePort = port["nodePort"]?.intValue.map { ":\($0)" } ?? ""
            return "\(number)\(nodePort)/\(port["protocol"]?.stringValue ?? "TCP")"
        } ?? []
        let external = spec?["externalIPs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let selector = (spec?["selector"]?.objectValue ?? [:]).map { "\($0.key)=\($0.value.stringValue ?? "")" }.sorted()
        return [.string(object.name), spec?["type"] ?? "", .string(spec?["clusterIP"]?.stringValue ?? "<none>"),
                .string(external.isEmpty ? "<none>" : external.joined(separator: ",")),
                .string(ports.isEmpty ? "<none>" : ports.joined(separator: ",")), object.age(now),
                .string(selector.isEmpty ? "<none>" : selector.joined(separator: ","))]
    }
}
