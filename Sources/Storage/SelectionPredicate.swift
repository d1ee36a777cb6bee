import APIMachinery

/// What a list or watch keeps (kube's SelectionPredicate): the objects
/// whose labels and fields its selectors match. The watch cache matches the
/// labels and fields it keeps beside each object, without parsing it.
public struct SelectionPredicate: Sendable {
    public var labels: LabelSelector
    public var fields: FieldSelector
    /// An object's value of each field a selector may name (kube's GetAttrs).
    public var fieldValues: @Sendable (APIObject) -> [String: String]

    public init(labels: LabelSelector = .everything, fields: FieldSelector = .everything,
                fieldValues: @escaping @Sendable (APIObject) -> [String: String]) {
        self.labels = labels
        self.fields = fields
        self.fieldValues = fieldValues
    }

    public func matches(_ object: APIObject) -> Bool {
        matches(labels: object.labels, fields: fieldValues(object))
    }

    public func matches(labels: [String: String], fields: [String: String]) -> Bool {
        self.labels.matches(labels) && self.fields.matches(fields)
    }

    /// The field values the field selector requires exactly (`field=value`):
    /// a watch cache's index may answer from them; the predicate still decides.
    var exactFields: [String: String] { fields.exactValues }
}

extension Optional where Wrapped == SelectionPredicate {
    /// Whether `object` is kept: with no predicate, every object is.
    func keeps(_ object: APIObject) -> Bool {
        self?.matches(object) ?? true
    }
}
