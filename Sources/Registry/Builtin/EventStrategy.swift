import APIMachinery

/// Events: they expire (--event-ttl, through an etcd lease), a PUT may
/// create them, and they are selectable by the object they describe. One
/// storage serves core/v1 and events.k8s.io; the strategy sees the hub form
/// (core/v1's field names) for both, and `api` says which API the client
/// speaks, for the stricter rules and the field selector names of the new one.
struct EventStrategy: ResourceStrategy {
    enum API { case core, events }

    let ttl: Int64
    var api: API = .core

    var allowsCreateOnUpdate: Bool { true }
    func timeToLive(_ object: APIObject) -> Int64? { ttl }

    func validate(_ object: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        let involved = object["involvedObject"]?.objectValue ?? [:]
        if let namespace = involved["namespace"]?.stringValue, !namespace.isEmpty, namespace != object.namespace {
            let field = api == .core ? "involvedObject.namespace" : "regarding.namespace"
            errors.append(.invalid(field, namespace, "does not match event.namespace"))
        }
        if api == .events { errors += newAPIErrors(object) }
        return errors
    }

    /// events.k8s.io requires what core/v1 left optional, and refuses the
    /// fields it keeps only for old clients (ValidateEventCreate upstream).
    func newAPIErrors(_ object: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        func present(_ field: String) -> Bool { !(object[field]?.stringValue ?? "").isEmpty }
        if !present("eventTime") { errors.append(.required("eventTime")) }
        let type = object["type"]?.stringValue ?? ""
        if type != "Normal" && type != "Warning" { errors.append(.invalid("type", "", "has invalid value: \(type)")) }
        for (core, events) in [("firstTimestamp", "deprecatedFirstTimestamp"), ("lastTimestamp", "deprecatedLastTimestamp")]
        where present(core) {
            errors.append(.invalid(events, "", "needs to be unset"))
        }
        if (object["count"]?.intValue ?? 0) != 0 { errors.append(.invalid("deprecatedCount", "", "needs to be unset")) }
        if let source = object["source"]?.objectValue, !(source["component"]?.stringValue ?? "").isEmpty
            || !(source["host"]?.stringValue ?? "").isEmpty {
            errors.append(.invalid("deprecatedSource", "", "needs to be unset"))
        }
        for (core, events) in [("reportingComponent", "reportingController"), ("reportingInstance", "reportingInstance"),
                               ("action", "action"), ("reason", "reason")] where !present(core) {
            errors.append(.required(events))
        }
        return errors
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

    /// events.k8s.io's field selector names (its field label conversion upstream).
    static let newAPIFieldPaths: [(label: String, path: [String])] = [
        ("regarding.kind", ["involvedObject", "kind"]),
        ("regarding.namespace", ["involvedObject", "namespace"]),
        ("regarding.name", ["involvedObject", "name"]),
        ("regarding.uid", ["involvedObject", "uid"]),
        ("regarding.apiVersion", ["involvedObject", "apiVersion"]),
        ("regarding.resourceVersion", ["involvedObject", "resourceVersion"]),
        ("regarding.fieldPath", ["involvedObject", "fieldPath"]),
        ("reason", ["reason"]),
        ("reportingController", ["reportingComponent"]),
        ("type", ["type"]),
    ]

    var fieldPaths: [(label: String, path: [String])] { api == .core ? Self.fieldPaths : Self.newAPIFieldPaths }

    var selectableFieldNames: Set<String> { Set(fieldPaths.map(\.0)) }
    /// `kubectl describe` finds an object's events by its name.
    var cacheIndexedFields: Set<String> { [api == .core ? "involvedObject.name" : "regarding.name"] }

    func selectableFields(_ object: APIObject) -> [String: String] {
        object.strings(at: fieldPaths)
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
