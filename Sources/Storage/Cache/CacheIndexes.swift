import APIMachinery

/// The selectable fields a resource's watch cache indexes (kube's Indexers
/// and, for watches, its IndexerFuncs triggers): a list whose field
/// selector requires one of them exactly reads only the keys holding that
/// value, and a change goes only to the watchers its old or new value
/// concerns, so a kubelet's `spec.nodeName=<node>` costs the node's pods,
/// not every pod.
public struct CacheIndexes: Sendable {
    /// The fields indexed.
    public var fields: Set<String>
    /// Every indexed field's value on a stored object (a field absent
    /// from the answer has the value "", as a field selector reads it).
    public var values: @Sendable (APIObject) -> [String: String]

    public init(fields: Set<String>, values: @escaping @Sendable (APIObject) -> [String: String]) {
        self.fields = fields
        self.values = values
    }

    public static let none = CacheIndexes(fields: [], values: { _ in [:] })

    /// The value a state has for each indexed field.
    func indexedValues(_ attributes: SelectionAttributes?) -> [String: String] {
        guard let attributes, !fields.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: fields.map { ($0, attributes.fields[$0] ?? "") })
    }

    /// The first (in name order) of the exact requirements that an index
    /// answers, as kube's cacher picks the first index that matches.
    func pick(_ filter: SelectionPredicate?) -> IndexedValue? {
        let exactFields = filter?.exactFields ?? [:]
        return exactFields.keys.sorted().first(where: fields.contains).map { IndexedValue(field: $0, value: exactFields[$0]!) }
    }
}

/// One indexed field and the value a read or watch requires of it.
struct IndexedValue: Sendable, Hashable {
    var field: String
    var value: String
}
