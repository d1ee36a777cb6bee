import APIMachinery

/// core/v1 Events: they expire (--event-ttl, through an etcd lease), a PUT
/// may create them, and they are selectable by the object they describe.
struct EventStrategy: ResourceStrategy {
    let ttl: Int64

    var allowsCreateOnUpdate: Bool { true }
    func timeToLive(_ object: APIObject) -> Int64? { ttl }

    func validate(_ object: APIObject) -> [FieldError] {
        let involved = object["involvedObject"]?.objectValue ?? [:]
        if let namespace = involved["namespace"]?.stringValue, !namespace.isEmpty, namespace != object.namespace {
            return [.invalid("involvedObject.namespace", namespace, "does not match event.namespace")]
        }
        return []
    }

    static let fieldPaths: [(label: String, path: [String])] = [
        ("involvedObject.kind", ["involvedObject", "kind"]),
        ("involvedObject.namespace", ["involvedObject", "namespace"]),
        ("involvedObject.name", ["involvedObject", "name"]),
        ("involvedObject.uid", ["involvedObject", "uid"]),
        ("involvedObject.apiVersion", ["involvedObject", "apiVersion"]),
        ("involvedObject.resourceVersion", ["involvedObject", "resourceVersion"]),
        ("involvedObject.fieldPath", ["involvedObject", "fieldPath"]),
        ("reason", ["reason"]),
        ("reportingComponent", ["reportingComponent"]),
        ("source", ["source", "component"]),
        ("type", ["type"]),
    ]

    var selectableFieldNames: Set<String> { Set(Self.fieldPaths.map(\.0)) }

    func selectableFields(_ object: APIObject) -> [String: String] {
        object.strings(at: Self.fieldPaths)
    }

    var columns: [TableColumn] {
        [TableColumn("Last Seen", "Time when this Event was last seen"),
         TableColumn("Type", "Type of this event (Normal, Warning), new types could be added in the future."),
         TableColumn("Reason", "Reason is why the action was taken. It is human-readable. This field can have at most 128 characters."),
         TableColumn("Object", "The object that this event is about."),
         TableColumn("Subobject", priority: 1, "The subobject of the object that this event is about."),
         TableColumn("Source", priority: 1, "The component reporting this event. Should be a short machine understandable string."),
         TableColumn("Message", "A human-readable description of the status of this operation."),
         TableColumn("First Seen", priority: 1, "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
         TableColumn("Count", priority: 1, "The number of times this event has occurred."),
         TableColumn("Name", format: "name", priority: 1, TableColumn.name.description)]
    }

    func cells(_ object: APIObject, now: Int64) -> [JSONValue] {
        let involved = object["involvedObject"]
        let last = object["lastTimestamp"]?.stringValue ?? object["eventTime"]?.stringValue ?? object.creationTimestamp
        let first = object["firstTimestamp"]?.stringValue ?? object["eventTime"]?.stringValue ?? object.creationTimestamp
        let kind = (involved?["kind"]?.stringValue ?? "").lowercased()
        let source = object["source"]?["component"]?.stringValue ?? object["reportingComponent"]?.stringValue ?? ""
        return [.string(Age.since(last, now: now)), object["type"] ?? "", object["reason"] ?? "",
                .string("\(kind)/\(involved?["name"]?.stringValue ?? "")"), involved?["fieldPath"] ?? "",
                .string(source), object["message"] ?? "", .string(Age.since(first, now: now)),
                .int(object["count"]?.intValue ?? 1), .string(object.name)]
    }
}
