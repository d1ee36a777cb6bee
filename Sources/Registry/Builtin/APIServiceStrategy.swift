import Foundation
import APIMachinery

/// apiregistration.k8s.io/v1 APIServices: which server serves a
/// group-version. kube-aggregator's defaults (service port 443), validation
/// (the name is version.group; priorities in range; a local one has no TLS
/// settings) and columns; the status is the aggregator's and starts empty.
struct APIServiceStrategy: ResourceStrategy {
    func normalize(_ object: inout APIObject) throws {
        guard case .object(var spec)? = object["spec"], case .object(var service)? = spec["service"] else { return }
        if service["port"] == nil || service["port"] == .null { service["port"] = 443 }
        spec["service"] = .object(service)
        object["spec"] = .object(spec)
    }

    func prepareForCreate(_ object: inout APIObject) {
        object["status"] = [:]
    }

    /// A path segment, as the name ends up in URLs; whether it is
    /// version.group is checked with the spec in `validate`.
    func nameProblem(_ name: String) -> String? {
        if name == "." || name == ".." { return "may not be '\(name)'" }
        for character in ["/", "%"] where name.contains(character) { return "may not contain '\(character)'" }
        return nil
    }

    func validate(_ object: APIObject) -> [FieldError] {
        let spec = APIServiceSpec(object)
        var errors: [FieldError] = []
        let requiredName = spec.version + "." + spec.group
        if nameProblem(object.name) == nil, !object.name.isEmpty, object.name != requiredName {
            errors.append(.invalid("metadata.name", object.name, "must be `spec.version+\".\"+spec.group`: \(FieldError.quote(requiredName))"))
        }
        if spec.group.isEmpty, spec.version != "v1" {
            errors.append(.required("spec.group", "only v1 may have an empty group and it better be legacy kube"))
        }
        if !spec.group.isEmpty, let problem = Validation.dns1123SubdomainProblem(spec.group) {
            errors.append(.invalid("spec.group", spec.group, problem))
        }
        if let problem = Validation.dns1035LabelProblem(spec.version) {
            errors.append(.invalid("spec.version", spec.version, problem))
        }
        if spec.groupPriorityMinimum <= 0 || spec.groupPriorityMinimum > 20000 {
            errors.append(.invalidValue("spec.groupPriorityMinimum", .int(spec.groupPriorityMinimum), "must be positive and less than 20000"))
        }
        if spec.versionPriority <= 0 || spec.versionPriority > 1000 {
            errors.append(.invalidValue("spec.versionPriority", .int(spec.versionPriority), "must be positive and less than 1000"))
        }
        guard let service = spec.service else {
            if !spec.caBundle.isEmpty {
                errors.append(.invalid("spec.caBundle", "\(spec.caBundle.count) bytes", "local APIServices may not have a caBundle"))
            }
            if spec.insecureSkipTLSVerify {
                errors.append(.invalidValue("spec.insecureSkipTLSVerify", true, "local APIServices may not have insecureSkipTLSVerify"))
            }
            return errors
        }
        if service.namespace.isEmpty { errors.append(.required("spec.service.namespace")) }
        if service.name.isEmpty { errors.append(.required("spec.service.name")) }
        if !(1...65535).contains(service.port) {
            errors.append(.invalidValue("spec.service.port", .int(service.port),
                                        "port is not valid: must be between 1 and 65535, inclusive"))
        }
        if spec.insecureSkipTLSVerify, !spec.caBundle.isEmpty {
            errors.append(.invalidValue("spec.insecureSkipTLSVerify", true, "may not be true if caBundle is present"))
        }
        return errors
    }

    func validateStatus(_ object: APIObject, old: APIObject) -> [FieldError] {
        let supported = ["True", "False", "Unknown"]
        return (object["status"]?["conditions"]?.arrayValue ?? []).enumerated().compactMap { index, condition in
            let status = condition["status"]?.stringValue ?? ""
            return supported.contains(status) ? nil : .notSupported("status.conditions[\(index)].status", status, supported)
        }
    }

    var columns: [TableColumn] {
        [.name, TableColumn("Service", "The reference to the service that hosts this API endpoint."),
         TableColumn("Available", "Whether this service is available."), .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        let service = APIServiceSpec(object).service.map { "\($0.namespace)/\($0.name)" } ?? "Local"
        var available = "Unknown"
        if let condition = object["status"]?["conditions"]?.arrayValue?.first(where: { $0["type"] == "Available" }) {
            let status = condition["status"]?.stringValue ?? ""
            available = status == "False" ? "False (\(condition["reason"]?.stringValue ?? ""))" : status
        }
        return [.string(object.name), .string(service), .string(available), object.age(now)]
    }
}

/// An APIService's spec, read from its JSON.
public struct APIServiceSpec: Sendable, Equatable {
    public struct Service: Sendable, Equatable {
        public var namespace: String
        public var name: String
        public var port: Int64
    }

    public var group: String
    public var version: String
    public var service: Service?
    public var caBundle: [UInt8]
    public var insecureSkipTLSVerify: Bool
    public var groupPriorityMinimum: Int64
    public var versionPriority: Int64

    public init(_ object: APIObject) {
        let spec = object["spec"]
        group = spec?["group"]?.stringValue ?? ""
        version = spec?["version"]?.stringValue ?? ""
        if let service = spec?["service"], service.objectValue != nil {
            self.service = Service(namespace: service["namespace"]?.stringValue ?? "", name: service["name"]?.stringValue ?? "",
                                   port: service["port"]?.intValue ?? 443)
        }
        caBundle = spec?["caBundle"]?.stringValue.flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }.map(Array.init) ?? []
        insecureSkipTLSVerify = spec?["insecureSkipTLSVerify"]?.boolValue ?? false
        groupPriorityMinimum = spec?["groupPriorityMinimum"]?.intValue ?? 0
        versionPriority = spec?["versionPriority"]?.intValue ?? 0
    }
}
