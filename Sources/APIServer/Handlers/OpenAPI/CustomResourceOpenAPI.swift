import APIMachinery
import Registry

/// The OpenAPI definitions kube-apiserver publishes for a custom resource:
/// its kind, named by its reversed group ("com.example.acc.v1.Widget"), is
/// the CRD's schema with apiVersion, kind and metadata added; its list holds
/// items of it.
struct CustomResourceOpenAPI {
    let definition: ResourceDefinition
    let schema: JSONValue

    static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    static let listMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
    static let apiVersionDescription = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
    static let kindDescription = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"

    private var prefix: String {
        (definition.group.split(separator: ".").reversed().joined(separator: ".")) + "." + definition.version + "."
    }

    var kindName: String { prefix + definition.kind }
    var listName: String { prefix + definition.listKind }

    func definitions(_ schemas: OpenAPISchemas) -> [(String, JSONValue)] {
        var kind = schemas.version == .v2 ? Self.v2(schema).objectValue ?? [:] : schema.objectValue ?? [:]
        var properties = kind["properties"]?.objectValue ?? [:]
        properties["apiVersion"] = ["description": .string(Self.apiVersionDescription), "type": "string"]
        properties["kind"] = ["description": .string(Self.kindDescription), "type": "string"]
        properties["metadata"] = reference(schemas, Self.objectMeta,
                                           "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")
        properties.sort { $0.key < $1.key }
        kind["type"] = "object"
        kind["properties"] = .object(properties)
        kind["x-kubernetes-group-version-kind"] = [gvk(definition.kind)]
        let list: JSONValue = [
            "description": .string("\(definition.listKind) is a list of \(definition.kind)"),
            "type": "object", "required": ["items"],
            "properties": [
                "apiVersion": ["description": .string(Self.apiVersionDescription), "type": "string"],
                "items": ["description": .string("List of \(definition.resource). More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"),
                          "type": "array", "items": ["$ref": .string(schemas.reference(kindName))]],
                "kind": ["description": .string(Self.kindDescription), "type": "string"],
                "metadata": reference(schemas, Self.listMeta,
                                      "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"),
            ],
            "x-kubernetes-group-version-kind": [gvk(definition.listKind)],
        ]
        return [(kindName, .object(kind)), (listName, list)]
    }

    private func gvk(_ kind: String) -> JSONValue {
        ["group": .string(definition.group), "kind": .string(kind), "version": .string(definition.version)]
    }

    /// v3 cannot give a reference siblings, so it wraps it in allOf.
    private func reference(_ schemas: OpenAPISchemas, _ name: String, _ description: String) -> JSONValue {
        let reference = JSONValue.string(schemas.reference(name))
        return schemas.version == .v2 ? ["description": .string(description), "$ref": reference]
            : ["description": .string(description), "allOf": [["$ref": reference]]]
    }

    /// What kube's v2 form leaves out of a structural schema: defaults, and
    /// the type of a field that keeps unknown fields.
    static func v2(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(var object):
            object["default"] = nil
            if object["x-kubernetes-preserve-unknown-fields"] == .bool(true) { object["type"] = nil }
            for key in object.keys { object[key] = v2(object[key]!) }
            return .object(object)
        case .array(let elements):
            return .array(elements.map(v2))
        default:
            return schema
        }
    }
}
