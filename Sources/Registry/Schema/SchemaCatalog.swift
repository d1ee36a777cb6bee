/// Every type schema the server knows, by name and by the kinds they serve.
public struct SchemaCatalog: Sendable {
    public private(set) var types: [String: TypeSchema] = [:]
    /// "ConfigMap" → "core.v1.ConfigMap": references use the last component.
    private var byShortName: [String: String] = [:]
    private var byKind: [GroupVersionKind: String] = [:]

    public init(_ schemas: [TypeSchema] = []) {
        for schema in schemas { add(schema) }
    }

    public mutating func add(_ schema: TypeSchema) {
        types[schema.name] = schema
        byShortName[schema.shortName] = schema.name
        for kind in schema.kinds { byKind[kind] = schema.name }
    }

    /// The type a reference names.
    public func resolve(_ shortName: String) -> TypeSchema? {
        byShortName[shortName].flatMap { types[$0] }
    }

    /// The type OpenAPI calls `name` ("io.k8s.api.core.v1.ConfigMap").
    public func type(openAPIName name: String) -> TypeSchema? {
        for prefix in ["io.k8s.api.", "io.k8s.apimachinery.pkg.apis."] where name.hasPrefix(prefix) {
            return types[String(name.dropFirst(prefix.count))]
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
