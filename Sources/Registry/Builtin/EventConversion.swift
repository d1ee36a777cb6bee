import APIMachinery

/// core/v1 Event ⇄ events.k8s.io/v1 and v1beta1 Event, over one storage as in
/// Kubernetes. core/v1 is the hub: it has every field the newer API has,
/// under the older names (message is note, involvedObject is regarding, ...),
/// so each conversion is a renaming and loses nothing.
struct EventConversion: KindConversion {
    let hub = "v1"
    let versions = ["v1", "events.k8s.io/v1", "events.k8s.io/v1beta1"]

    /// core/v1 name → events.k8s.io name, for the fields whose names differ.
    static let renames: [String: String] = [
        "involvedObject": "regarding",
        "message": "note",
        "source": "deprecatedSource",
        "firstTimestamp": "deprecatedFirstTimestamp",
        "lastTimestamp": "deprecatedLastTimestamp",
        "count": "deprecatedCount",
        "reportingComponent": "reportingController",
    ]
    static let backwards = Dictionary(uniqueKeysWithValues: renames.map { ($1, $0) })

    /// The Go structs' field orders.
    static let coreOrder = [
        "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type",
        "eventTime", "series", "action", "related", "reportingComponent", "reportingInstance",
    ]
    static let eventsOrder = [
        "eventTime", "series", "reportingController", "reportingInstance", "action", "reason", "regarding", "related",
        "note", "type", "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "deprecatedCount",
    ]

    func toHub(_ object: APIObject) throws -> APIObject {
        object.reshaped(apiVersion: hub, renaming: Self.backwards, order: Self.coreOrder)
    }

    func fromHub(_ hub: APIObject, to apiVersion: String) throws -> APIObject {
        hub.reshaped(apiVersion: apiVersion, renaming: Self.renames, order: Self.eventsOrder)
    }
}
