/// Every type schema the server knows, by name and by the kinds they serve.
public struct SchemaCatalog: Sendable {
    public private(set) var types: [String: TypeSchema] = [:]
    /// "ConfigMap" → "core.v1.ConfigMap": references use the last component.
    private var byShortName: [String: String] = [:]
    private var byKind: [GroupVersionKind: String] = [:]

    public init(_ schemas: [TypeSchema] = []) {
        for schema in schemas { register(schema) }
        for name in types.keys { types[name] = qualified(types[name]!) }
    }

    public mutating func add(_ schema: TypeSchema) {
        register(schema)
        types[schema.name] = qualified(schema)
    }

    private mutating func register(_ schema: TypeSchema) {
        types[schema.name] = schema
        // The first type of a short name keeps it (core.v1.Event before
        // events.v1.Event); the others are reached from their own package.
        if byShortName[schema.shortName] == nil { byShortName[schema.shortName] = schema.name }
        for kind in schema.kinds { byKind[kind] = schema.name }
    }

    /// `schema` with each reference replaced by the full name of the type it
    /// means: the type of that short name in the same package
    /// (events.v1.Event's EventSeries is events.v1.EventSeries), else the one
    /// known by the short name (ObjectMeta).
    private func qualified(_ schema: TypeSchema) -> TypeSchema {
        let package = schema.name.split(separator: ".").dropLast().joined(separator: ".")
        func qualify(_ value: ValueSchema) -> ValueSchema {
            switch value {
            case .array(let element): return .array(qualify(element))
            case .map(let element): return .map(qualify(element))
            case .reference(let name):
                if types[package + "." + name] != nil { return .reference(package + "." + name) }
                return .reference(byShortName[name] ?? name)
            default: return value
            }
        }
        var schema = schema
        for index in schema.fields.indices { schema.fields[index].type = qualify(schema.fields[index].type) }
        return schema
    }

    /// The type a reference names: a full name ("core.v1.ObjectReference"),
    /// as references are once in the catalog, or a short one ("ObjectMeta").
    public func resolve(_ name: String) -> TypeSchema? {
        types[name] ?? byShortName[name].flatMap { types[$0] }
    }

    /// The type OpenAPI calls `name` ("io.k8s.api.core.v1.ConfigMap").
    public func type(openAPIName name: String) -> TypeSchema? {
        for prefix in ["io.k8s.api."] + TypeSchema.openAPIPrefixes.map(\.1) where name.hasPrefix(prefix) {
            if let type = types[String(name.dropFirst(prefix.count))] { return type }
        }
        return nil
    }

    public func type(for kind: GroupVersionKind) -> TypeSchema? {
        byKind[kind].flatMap { types[$0] }
    }

    /// References that name no type: a test keeps this empty.
    public var unresolvedReferences: [String] {
        func references(_ value: ValueSchema) -> [String] {
            switch value {
            case .array(let element), .map(let element): return references(element)
            case .reference(let name): return [name]
            default: return []
            }
        }
        let names = types.values.flatMap { $0.fields.flatMap { references($0.type) } }
        return Set(names).filter { resolve($0) == nil }.sorted()
    }
}
