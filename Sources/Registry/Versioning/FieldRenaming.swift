import APIMachinery

extension APIObject {
    /// The object at `apiVersion` with top-level fields renamed (old name →
    /// new name) and laid out in `order`, the field order of the target
    /// version's Go type; fields `order` does not name follow in their own order.
    func reshaped(apiVersion: String, renaming: [String: String], order: [String]) -> APIObject {
        var renamed = JSONObject()
        for (key, value) in json.objectValue ?? [:] { renamed[renaming[key] ?? key] = value }
        var fields: JSONObject = ["kind": renamed["kind"] ?? .string(kind), "apiVersion": .string(apiVersion)]
        for key in ["metadata"] + order { if let value = renamed[key] { fields[key] = value } }
        for (key, value) in renamed where fields[key] == nil { fields[key] = value }
        return APIObject(.object(fields))
    }
}
