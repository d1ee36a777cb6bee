import APIMachinery

/// What ConfigMaps and Secrets share: keyed data of at most 1 MiB whose keys
/// are config keys, and `immutable: true` freezing it.
enum KeyedData {
    static let maximumBytes = 1024 * 1024

    static func keyErrors(_ object: APIObject, fields: [String]) -> [FieldError] {
        var errors: [FieldError] = []
        var seen: Set<String> = []
        var total = 0
        for field in fields {
            for (key, value) in object[field]?.objectValue ?? [:] {
                if let problem = Validation.configKeyProblem(key) { errors.append(.invalid("\(field)[\(key)]", key, problem)) }
                if !seen.insert(key).inserted {
                    errors.append(.invalid("\(field)[\(key)]", key, "duplicate of key present in \(fields[0])"))
                }
                total += value.stringValue?.utf8.count ?? 0
            }
        }
        if total > maximumBytes { errors.append(.tooLong("", maximumBytes)) }
        return errors
    }

    static func immutabilityErrors(_ object: APIObject, old: APIObject, fields: [String]) -> [FieldError] {
        guard old["immutable"]?.boolValue == true else { return [] }
        var errors: [FieldError] = []
        if object["immutable"]?.boolValue != true {
            errors.append(.forbidden("immutable", "field is immutable when `immutable` is set"))
        }
        for field in fields where object[field] != old[field] {
            errors.append(.forbidden(field, "field is immutable when `immutable` is set"))
        }
        return errors
    }

    static func count(_ object: APIObject, fields: [String]) -> JSONValue {
        .int(Int64(fields.reduce(0) { $0 + (object[$1]?.objectValue?.count ?? 0) }))
    }
}

struct ConfigMapStrategy: ResourceStrategy {
    static let dataFields = ["data", "binaryData"]

    func validate(_ object: APIObject) -> [FieldError] {
        KeyedData.keyErrors(object, fields: Self.dataFields)
    }

    func validateUpdate(_ object: APIObject, old: APIObject) -> [FieldError] {
        validate(object) + KeyedData.immutabilityErrors(object, old: old, fields: Self.dataFields)
    }

    var columns: [TableColumn] {
        [.name, TableColumn("Data", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."), .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        [.string(object.name), KeyedData.count(object, fields: Self.dataFields), object.age(now)]
    }
}
