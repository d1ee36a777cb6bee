import APIMachinery

/// What is particular to one kind: defaulting, validation, what status and
/// generation mean for it, its selectable fields, how strategic merge patch
/// treats its lists, and its columns for `kubectl get`. Everything else
/// (metadata, concurrency, storage) the generic ResourceStore does once.
/// Each requirement has a default in the extension below.
public protocol ResourceStrategy: Sendable {
    /// Turns what a client may send into the stored form, on every write
    /// (a Secret's stringData into data); a 400 for what cannot be read.
    func normalize(_ object: inout APIObject) throws
    /// Sets what the server owns on a new object (defaults, status).
    func prepareForCreate(_ object: inout APIObject)
    /// Carries over from `old` what a client may not change through this update.
    func prepareForUpdate(_ object: inout APIObject, old: APIObject)
    /// The kind's own rules (metadata rules are checked by the store).
    func validate(_ object: APIObject) -> [FieldError]
    func validateUpdate(_ object: APIObject, old: APIObject) -> [FieldError]
    /// Rules a write through the status subresource must pass (most kinds: none).
    func validateStatus(_ object: APIObject, old: APIObject) -> [FieldError]
    /// nil when `name` is a valid metadata.name for this kind.
    func nameProblem(_ name: String) -> String?
    /// Whether metadata.generation counts changes of the desired state.
    var tracksGeneration: Bool { get }
    /// Whether an update changes the desired state (most kinds: `spec`).
    func changesDesiredState(_ object: APIObject, old: APIObject) -> Bool
    /// Whether PUT on a missing object creates it.
    var allowsCreateOnUpdate: Bool { get }
    /// Whether DELETE answers with the deleted object rather than a Status.
    var returnsDeletedObject: Bool { get }
    /// Seconds until a new object expires (events), nil for never.
    func timeToLive(_ object: APIObject) -> Int64?
    /// Field selector labels beyond metadata.name and metadata.namespace, with
    /// their values for one object.
    func selectableFields(_ object: APIObject) -> [String: String]
    var selectableFieldNames: Set<String> { get }
    /// The selectable fields the watch cache indexes: those clients select
    /// on one value at a time, among many objects (a kubelet's node).
    var cacheIndexedFields: Set<String> { get }
    /// Columns of `kubectl get` (Name first for most kinds), and their cells for one object.
    var columns: [TableColumn] { get }
    func cells(_ object: APIObject, now: Int64) -> [JSONValue]
    /// Whether objects read from storage get defaults they were stored
    /// without (a CRD whose schema gained a default), and those defaults.
    var defaultsOnRead: Bool { get }
    func applyReadDefaults(_ object: inout APIObject)
    /// Warnings for the client about an object it wrote (kube's
    /// WarningsOnCreate and WarningsOnUpdate).
    func warnings(_ object: APIObject) -> [String]
    /// Marks an object whose deletion has begun (a namespace turns Terminating).
    func beginDeletion(_ object: inout APIObject)
    /// Finalizers outside metadata.finalizers that hold a deleted object (a
    /// namespace's spec.finalizers).
    func extraFinalizers(_ object: APIObject) -> [String]
}

/// One column of a meta.k8s.io/v1 Table.
public struct TableColumn: Sendable {
    public var name: String
    public var type: String
    public var format: String
    public var description: String
    /// 0: shown by default; 1: only with `-o wide`.
    public var priority: Int

    public init(_ name: String, type: String = "string", format: String = "", priority: Int = 0, _ description: String) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }

    public static let name = TableColumn("Name", format: "name", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names")

    public static let age = TableColumn("Age", "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")
}

extension ResourceStrategy {
    public func normalize(_ object: inout APIObject) throws {}
    public func prepareForCreate(_ object: inout APIObject) {}
    public func prepareForUpdate(_ object: inout APIObject, old: APIObject) {}
    public func validate(_ object: APIObject) -> [FieldError] { [] }
    public func validateUpdate(_ object: APIObject, old: APIObject) -> [FieldError] { validate(object) }
    public func validateStatus(_ object: APIObject, old: APIObject) -> [FieldError] { [] }
    public func changesDesiredState(_ object: APIObject, old: APIObject) -> Bool { object["spec"] != old["spec"] }
    public func nameProblem(_ name: String) -> String? { Validation.dns1123SubdomainProblem(name) }
    public var tracksGeneration: Bool { false }
    public var allowsCreateOnUpdate: Bool { false }
    public var returnsDeletedObject: Bool { false }
    public func timeToLive(_ object: APIObject) -> Int64? { nil }
    public func selectableFields(_ object: APIObject) -> [String: String] { [:] }
    public var selectableFieldNames: Set<String> { [] }
    public var cacheIndexedFields: Set<String> { [] }
    public var columns: [TableColumn] { [.name, .age] }
    public func cells(_ object: APIObject, now: Int64) -> [JSONValue] { [.string(object.name), object.age(now)] }
    public var defaultsOnRead: Bool { false }
    public func applyReadDefaults(_ object: inout APIObject) {}
    public func warnings(_ object: APIObject) -> [String] { [] }
    public func beginDeletion(_ object: inout APIObject) {}
    public func extraFinalizers(_ object: APIObject) -> [String] { [] }
}

extension APIObject {
    /// The string at a path of fields ("" when absent), for field selectors.
    public func string(at path: [String]) -> String {
        path.reduce(json as JSONValue?) { $0?[$1] }?.stringValue ?? ""
    }

    /// Field selector values: each label's string at its path.
    public func strings(at paths: [(label: String, path: [String])]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: paths.map { ($0.label, string(at: $0.path)) })
    }

    /// The Age cell: how long ago the object was created.
    public func age(_ now: Int64) -> JSONValue { .string(Age.since(creationTimestamp, now: now)) }
}

/// kubectl's age column: "5s", "3m", "2d4h", as the server's table printer
/// (k8s.io/apimachinery/pkg/util/duration.HumanDuration) writes it.
public enum Age {
    public static func since(_ timestamp: String, now: Int64) -> String {
        guard let then = Timestamp.parse(timestamp) else { return "<unknown>" }
        return human(seconds: now - then)
    }

    public static func human(seconds: Int64) -> String {
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let rest = seconds % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 {
            let rest = minutes % 60
            return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let rest = hours % 24
            return rest == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(rest)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = hours / 24 % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
