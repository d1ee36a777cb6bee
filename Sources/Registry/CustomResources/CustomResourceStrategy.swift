import APIMachinery

/// The strategy of one CRD's custom resources, configured from the CRD: the
/// storage version's schema for defaults and validation, the status
/// subresource's rules, printer columns and selectable fields.
struct CustomResourceStrategy: ResourceStrategy {
    let schema: StructuralSchema
    let hasStatus: Bool
    let scale: ScalePaths?
    let printerColumns: [CustomResourceDefinitionSpec.Column]
    /// Field selector labels ("spec.color") and their paths.
    let selectable: [(label: String, path: SimpleJSONPath)]

    var tracksGeneration: Bool { true }

    func normalize(_ object: inout APIObject) throws {
        schema.applyDefaults(&object.json)
    }

    /// kube defaults what it reads from etcd too, so a default added to the
    /// schema shows on objects stored before it (until written again, not
    /// in etcd).
    var defaultsOnRead: Bool { schema.hasDefaults }

    func applyReadDefaults(_ object: inout APIObject) {
        schema.applyDefaults(&object.json)
    }

    func prepareForCreate(_ object: inout APIObject) {
        if hasStatus { object["status"] = nil }
    }

    func validate(_ object: APIObject) -> [FieldError] {
        schema.validate(object.json, at: "") + scaleErrors(object)
    }

    func validateStatus(_ object: APIObject, old: APIObject) -> [FieldError] { validate(object) }

    /// kube's checks of the scale paths' values, reported at the path itself.
    private func scaleErrors(_ object: APIObject) -> [FieldError] {
        guard let scale else { return [] }
        var errors: [FieldError] = []
        for text in [scale.specReplicas, scale.statusReplicas] {
            guard let path = SimpleJSONPath(text), let value = path.value(in: object.json), value != .null else { continue }
            guard let replicas = value.intValue else {
                errors.append(.invalidValue(text, .int(0), "\(text) accessor error: \(value.stringValue ?? value.jsonString) is of the type \(Self.goType(value)), expected int64"))
                continue
            }
            if replicas < 0 { errors.append(.invalidValue(text, .int(replicas), "should be a non-negative integer")) }
            if replicas > Int64(Int32.max) { errors.append(.invalidValue(text, .int(replicas), "should be less than or equal to 2147483647")) }
        }
        return errors
    }

    static func goType(_ value: JSONValue) -> String {
        switch value {
        case .string: return "string"
        case .bool: return "bool"
        case .double: return "float64"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        default: return "int64"
        }
    }

    var selectableFieldNames: Set<String> { Set(selectable.map(\.label)) }
    /// The CRD's author declared them for selecting on.
    var cacheIndexedFields: Set<String> { selectableFieldNames }

    func selectableFields(_ object: APIObject) -> [String: String] {
        var fields: [String: String] = [:]
        for (label, path) in selectable {
            switch path.value(in: object.json) {
            case .string(let text)?: fields[label] = text
            case .bool(let flag)?: fields[label] = flag ? "true" : "false"
            case .int(let number)?: fields[label] = String(number)
            default: fields[label] = ""
            }
        }
        return fields
    }

    /// The CRD's printer columns after Name; Name and Age when it has none.
    var columns: [TableColumn] {
        guard !printerColumns.isEmpty else { return [.name, .age] }
        return [.name] + printerColumns.map { column in
            TableColumn(column.name, type: column.type, format: column.format, priority: column.priority,
                        column.description.isEmpty ? "Custom resource definition column (in JSONPath format): \(column.jsonPath)"
                            : column.description)
        }
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        guard !printerColumns.isEmpty else { return [.string(object.name), object.age(now)] }
        return [.string(object.name)] + printerColumns.map { column in
            guard let value = SimpleJSONPath(column.jsonPath)?.value(in: object.json) else { return .null }
            // A date column shows as an age, as kube's printer does.
            if column.type == "date", let text = value.stringValue { return .string(Age.since(text, now: now)) }
            return value
        }
    }
}

/// A CRD with conversion strategy None: versions differ only in apiVersion.
struct CustomResourceConversion: KindConversion {
    let hub: String
    let versions: [String]

    func toHub(_ object: APIObject) throws -> APIObject {
        var object = object
        object.apiVersion = hub
        return object
    }

    func fromHub(_ hub: APIObject, to apiVersion: String) throws -> APIObject {
        var object = hub
        object.apiVersion = apiVersion
        return object
    }
}
