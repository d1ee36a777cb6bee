import APIMachinery
import Registry

/// Type schemas as OpenAPI schema objects. v2 and v3 differ only in where
/// references point and in how a reference carries a description.
struct OpenAPISchemas {
    enum Version { case v2, v3 }

    let catalog: SchemaCatalog
    let version: Version
    /// Definitions not in the catalog (custom resources'), by OpenAPI name.
    var custom: [String: JSONValue] = [:]

    /// The definitions kube-apiserver publishes for the built-in scalars.
    static let scalarDefinitions: [(String, JSONValue)] = [
        ("io.k8s.apimachinery.pkg.apis.meta.v1.Time",
         ["description": "Time is a timestamp in RFC 3339 form, to the second.", "type": "string", "format": "date-time"]),
        ("io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
         ["description": "MicroTime is a timestamp in RFC 3339 form, to the microsecond.", "type": "string", "format": "date-time"]),
        ("io.k8s.apimachinery.pkg.api.resource.Quantity",
         ["description": "Quantity is a fixed-point number with an optional SI or binary suffix: 100m, 1.5, 2Gi.", "type": "string"]),
        ("io.k8s.apimachinery.pkg.util.intstr.IntOrString",
         ["description": "IntOrString holds either an integer or a string.", "type": "string", "format": "int-or-string"]),
        ("io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
         ["description": "A patch body; its shape depends on the Content-Type (JSON, merge or strategic merge patch).", "type": "object"]),
        ("io.k8s.apimachinery.pkg.runtime.RawExtension",
         ["description": "RawExtension holds an embedded object of any kind.", "type": "object"]),
    ]

    func reference(_ openAPIName: String) -> String {
        (version == .v2 ? "#/definitions/" : "#/components/schemas/") + openAPIName
    }

    /// Every definition, by OpenAPI name, in the order of `names`.
    func definitions(_ names: [String]) -> JSONObject {
        var result: JSONObject = [:]
        let scalars = Dictionary(uniqueKeysWithValues: Self.scalarDefinitions)
        for name in names {
            if let scalar = scalars[name] { result[name] = scalar; continue }
            if let custom = custom[name] { result[name] = custom; continue }
            guard let type = catalog.type(openAPIName: name) else { continue }
            result[name] = definition(type)
        }
        return result
    }

    func definition(_ type: TypeSchema) -> JSONValue {
        var object: JSONObject = [:]
        if !type.description.isEmpty { object["description"] = .string(type.description) }
        object["type"] = "object"
        let required = type.fields.filter(\.isRequired).map { JSONValue.string($0.name) }
        if !required.isEmpty { object["required"] = .array(required) }
        var properties: JSONObject = [:]
        for field in type.fields where !field.isInline { properties[field.name] = property(field) }
        object["properties"] = .object(properties)
        if !type.kinds.isEmpty {
            object["x-kubernetes-group-version-kind"] = .array(type.kinds.map {
                ["group": .string($0.group), "kind": .string($0.kind), "version": .string($0.version)]
            })
        }
        if type.isAtomic { object["x-kubernetes-map-type"] = "atomic" }
        return .object(object)
    }

    func property(_ field: FieldSchema) -> JSONValue {
        var object = value(field.type).objectValue ?? [:]
        if !field.description.isEmpty {
            if let reference = object["$ref"], version == .v3 {
                // A v3 reference cannot have siblings; allOf keeps the description.
                object = ["allOf": [["$ref": reference]]]
            }
            object["description"] = .string(field.description)
        }
        if !field.allowedValues.isEmpty { object["enum"] = .array(field.allowedValues.map(JSONValue.string)) }
        if let key = field.patchMergeKey { object["x-kubernetes-patch-merge-key"] = .string(key) }
        if let strategy = field.patchStrategy { object["x-kubernetes-patch-strategy"] = .string(strategy) }
        if let listType = field.listType { object["x-kubernetes-list-type"] = .string(listType) }
        if !field.listMapKeys.isEmpty { object["x-kubernetes-list-map-keys"] = .array(field.listMapKeys.map(JSONValue.string)) }
        if let mapType = field.mapType { object["x-kubernetes-map-type"] = .string(mapType) }
        return .object(object)
    }

    func value(_ type: ValueSchema) -> JSONValue {
        switch type {
        case .string: return ["type": "string"]
        case .bytes: return ["type": "string", "format": "byte"]
        case .int32: return ["type": "integer", "format": "int32"]
        case .int64: return ["type": "integer", "format": "int64"]
        case .double: return ["type": "number", "format": "double"]
        case .boolean: return ["type": "boolean"]
        case .time, .microTime, .quantity, .intOrString, .reference:
            return ["$ref": .string(reference(definitionName(type)!))]
        case .freeForm, .schemaUnion: return ["type": "object"]
        case .array(let element): return ["type": "array", "items": value(element)]
        case .map(let element): return ["type": "object", "additionalProperties": value(element)]
        }
    }

    /// The definition a value of `type` refers to, if it refers to one.
    func definitionName(_ type: ValueSchema) -> String? {
        switch type {
        case .time: return "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
        case .microTime: return "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"
        case .quantity: return "io.k8s.apimachinery.pkg.api.resource.Quantity"
        case .intOrString: return "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
        case .reference(let name): return catalog.resolve(name)?.openAPIName ?? name
        case .array(let element), .map(let element): return definitionName(element)
        default: return nil
        }
    }

    /// `roots` and every definition they reach, each once.
    func closure(_ roots: [String]) -> [String] {
        var seen: [String] = []
        var visited: Set<String> = []
        func visit(_ name: String) {
            guard visited.insert(name).inserted else { return }
            seen.append(name)
            if custom[name] != nil {
                // A custom kind refers to the metadata types only.
                [CustomResourceOpenAPI.objectMeta, CustomResourceOpenAPI.listMeta].forEach(visit)
                return
            }
            guard let type = catalog.type(openAPIName: name) else { return }
            for field in type.fields where !field.isInline {
                if let name = definitionName(field.type) { visit(name) }
            }
        }
        roots.forEach(visit)
        return seen.sorted()
    }
}
