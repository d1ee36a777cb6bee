import APIMachinery

/// Namespaces: DNS labels, always carrying the `kubernetes` finalizer so that
/// deletion passes through Terminating while the namespace is emptied.
struct NamespaceStrategy: ResourceStrategy {
    static let finalizer = "kubernetes"
    static let nameLabel = "kubernetes.io/metadata.name"

    func nameProblem(_ name: String) -> String? { Validation.dns1123LabelProblem(name) }

    func prepareForCreate(_ object: inout APIObject) {
        object["spec"] = ["finalizers": [.string(Self.finalizer)]]
        object["status"] = ["phase": "Active"]
        labelName(&object)
    }

    func prepareForUpdate(_ object: inout APIObject, old: APIObject) {
        // spec.finalizers change only through the finalize subresource.
        object["spec"] = old["spec"]
        labelName(&object)
    }

    private func labelName(_ object: inout APIObject) {
        var labels = object.labels
        labels[Self.nameLabel] = object.name
        object.labels = labels
    }

    func beginDeletion(_ object: inout APIObject) {
        var status = object["status"]?.objectValue ?? [:]
        status["phase"] = "Terminating"
        object["status"] = .object(status)
    }

    func extraFinalizers(_ object: APIObject) -> [String] {
        object["spec"]?["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    var selectableFieldNames: Set<String> { ["status.phase"] }
    func selectableFields(_ object: APIObject) -> [String: String] {
        ["status.phase": object["status"]?["phase"]?.stringValue ?? ""]
    }

    var columns: [TableColumn] {
        [.name, TableColumn("Status", "The status of the namespace"), .age]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        [.string(object.name), object["status"]?["phase"] ?? "", object.age(now)]
    }
}
