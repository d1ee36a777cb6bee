import APIMachinery

struct ServiceAccountStrategy: ResourceStrategy {
    var columns: [TableColumn] {
        [.name, TableColumn("Secrets", type: "integer", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        [.string(object.name), .int(Int64(object["secrets"]?.arrayValue?.count ?? 0)), object.age(now)]
    }
}
