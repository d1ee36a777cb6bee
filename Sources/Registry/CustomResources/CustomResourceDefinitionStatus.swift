import APIMachinery

/// A CRD's status: the names accepted for it, its conditions (NamesAccepted,
/// Established, Terminating) and the versions objects were stored at.
public struct CustomResourceDefinitionStatus: Sendable, Equatable {
    public struct Condition: Sendable, Equatable {
        public var type: String
        public var status: String
        public var lastTransitionTime: String
        public var reason: String
        public var message: String

        var json: JSONValue {
            ["type": .string(type), "status": .string(status), "lastTransitionTime": .string(lastTransitionTime),
             "reason": .string(reason), "message": .string(message)]
        }
    }

    public var conditions: [Condition]
    public var acceptedNames: JSONValue
    public var storedVersions: [String]

    public init(_ crd: APIObject) {
        let status = crd["status"]
        conditions = (status?["conditions"]?.arrayValue ?? []).map { condition in
            Condition(type: condition["type"]?.stringValue ?? "", status: condition["status"]?.stringValue ?? "",
                      lastTransitionTime: condition["lastTransitionTime"]?.stringValue ?? "",
                      reason: condition["reason"]?.stringValue ?? "", message: condition["message"]?.stringValue ?? "")
        }
        acceptedNames = status?["acceptedNames"] ?? ["plural": "", "kind": ""]
        storedVersions = (status?["storedVersions"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    public func condition(_ type: String) -> Condition? { conditions.first { $0.type == type } }
    public func isTrue(_ type: String) -> Bool { condition(type)?.status == "True" }
    public var isEstablished: Bool { isTrue("Established") }

    /// Sets a condition; its lastTransitionTime moves only when its status does.
    public mutating func set(_ type: String, _ status: String, reason: String, message: String) {
        let now = Timestamp.now()
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            let old = conditions[index]
            conditions[index] = Condition(type: type, status: status,
                                          lastTransitionTime: old.status == status ? old.lastTransitionTime : now,
                                          reason: reason, message: message)
        } else {
            conditions.append(Condition(type: type, status: status, lastTransitionTime: now, reason: reason, message: message))
        }
    }

    public var json: JSONValue {
        ["conditions": conditions.isEmpty ? .null : .array(conditions.map(\.json)), "acceptedNames": acceptedNames,
         "storedVersions": .array(storedVersions.map(JSONValue.string))]
    }
}
