import APIMachinery
import Foundation

/// Secrets: base64 `data` (write-only `stringData` is folded into it), a
/// `type` whose well-known values require their keys, and `immutable`.
struct SecretStrategy: ResourceStrategy {
    /// Keys each well-known type requires (k8s.io/kubernetes/pkg/apis/core/validation).
    static let requiredKeys: [String: [String]] = [
        "kubernetes.io/dockercfg": [".dockercfg"],
        "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
        "kubernetes.io/ssh-auth": ["ssh-privatekey"],
        "kubernetes.io/tls": ["tls.crt", "tls.key"],
    ]

    func normalize(_ object: inout APIObject) throws {
        var data = object["data"]?.objectValue ?? [:]
        for (key, value) in data {
            guard let text = value.stringValue, Data(base64Encoded: text) != nil else {
                throw APIError.badRequest("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data[\"\(key)\"]")
            }
        }
        if let stringData = object["stringData"]?.objectValue {
            for (key, value) in stringData {
                data[key] = .string(Data((value.stringValue ?? "").utf8).base64EncodedString())
            }
            object["stringData"] = nil
            object["data"] = .object(data)
        }
        if (object["type"]?.stringValue ?? "").isEmpty { object["type"] = "Opaque" }
    }

    func validate(_ object: APIObject) -> [FieldError] {
        var errors = KeyedData.keyErrors(object, fields: ["data"])
        let type = object["type"]?.stringValue ?? ""
        let data = object["data"]?.objectValue ?? [:]
        for key in Self.requiredKeys[type] ?? [] where data[key] == nil {
            errors.append(.required("data[\(key)]"))
        }
        switch type {
        case "kubernetes.io/service-account-token":
            if object.annotations["kubernetes.io/service-account.name"] == nil {
                errors.append(.required("metadata.annotations[kubernetes.io/service-account.name]"))
            }
        case "kubernetes.io/basic-auth":
            if data["username"] == nil && data["password"] == nil {
                errors.append(.required("data[username]", "either username or password must be present"))
            }
        default: break
        }
        return errors
    }

    func validateUpdate(_ object: APIObject, old: APIObject) -> [FieldError] {
        var errors = validate(object) + KeyedData.immutabilityErrors(object, old: old, fields: ["data"])
        if object["type"] != old["type"] {
            errors.append(.invalidValue("type", object["type"] ?? "", "field is immutable"))
        }
        return errors
    }

    var selectableFieldNames: Set<String> { ["type"] }
    func selectableFields(_ object: APIObject) -> [String: String] {
        ["type": object["type"]?.stringValue ?? ""]
    }

    var columns: [TableColumn] {
        [.name, TableColumn("Type", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
         TableColumn("Data", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
         .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        [.string(object.name), object["type"] ?? "", KeyedData.count(object, fields: ["data"]), object.age(now)]
    }
}
