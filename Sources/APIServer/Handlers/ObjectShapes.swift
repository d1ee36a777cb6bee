import APIMachinery
import Registry
import Storage

/// The shapes an object or list takes on the way out: itself (with kind and
/// apiVersion), a List, a meta.k8s.io Table, or PartialObjectMetadata.
struct ObjectShapes {
    let definition: ResourceDefinition
    /// How a served object's wire-ordered JSON begins (`WireOrder`).
    let opening: [UInt8]

    init(definition: ResourceDefinition) {
        self.definition = definition
        opening = WireOrder.objectOpening(kind: definition.kind, apiVersion: definition.groupVersion)
    }

    /// A stored object as served: kind and apiVersion of the served version.
    func object(_ object: APIObject) -> JSONValue {
        var object = object
        object.apiVersion = definition.groupVersion
        object.kind = definition.kind
        return WireOrder.object(object.json)
    }

    func list(_ result: ListResult) -> JSONValue {
        ["kind": .string(definition.listKind), "apiVersion": .string(definition.groupVersion),
         "metadata": listMetadata(result), "items": .array(result.items.map(item))]
    }

    /// A list item: no kind or apiVersion of its own, as upstream.
    func item(_ object: APIObject) -> JSONValue {
        guard case .object(var fields) = WireOrder.object(object.json) else { return object.json }
        fields.removeValue(forKey: "kind")
        fields.removeValue(forKey: "apiVersion")
        return .object(fields)
    }

    func listMetadata(_ result: ListResult) -> JSONValue {
        var metadata: JSONObject = ["resourceVersion": .string(result.resourceVersion)]
        if !result.continueToken.isEmpty { metadata["continue"] = .string(result.continueToken) }
        if let remaining = result.remainingItemCount, remaining > 0 { metadata["remainingItemCount"] = .int(remaining) }
        return .object(metadata)
    }

    func partialMetadata(_ object: APIObject) -> JSONValue {
        ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": .object(WireOrder.metadata(object.metadata))]
    }

    func partialMetadataList(_ result: ListResult) -> JSONValue {
        ["kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": listMetadata(result),
         "items": .array(result.items.map(partialMetadata))]
    }

    /// includeObject: None, Metadata (the default) or Object.
    enum IncludeObject: String { case none = "None", metadata = "Metadata", object = "Object" }

    func table(_ objects: [APIObject], listMetadata: JSONValue, includeObject: IncludeObject,
               withHeaders: Bool = true) -> JSONValue {
        let now = Timestamp.nowSeconds()
        let strategy = definition.strategy
        var table: JSONObject = ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": listMetadata]
        if withHeaders {
            table["columnDefinitions"] = .array(strategy.columns.map { column in
                ["name": .string(column.name), "type": .string(column.type), "format": .string(column.format),
                 "description": .string(column.description), "priority": .int(Int64(column.priority))]
            })
        }
        table["rows"] = .array(objects.map { object in
            // Columns read the hub form, as kube's printers read the internal type.
            var row: JSONObject = ["cells": .array(strategy.cells(definition.localHub(object), now: now))]
            switch includeObject {
            case .none: break
            case .metadata: row["object"] = partialMetadata(object)
            case .object: row["object"] = self.object(object)
            }
            return .object(row)
        })
        return .object(table)
    }

    /// A single object (get) or a list in the negotiated shape.
    func render(_ object: APIObject, _ format: ResponseFormat, includeObject: IncludeObject) -> JSONValue {
        switch format.shape {
        case .object, .partialMetadataList: return self.object(object)
        case .partialMetadata: return partialMetadata(object)
        case .table:
            return table([object], listMetadata: ["resourceVersion": .string(object.resourceVersion)],
                         includeObject: includeObject)
        }
    }

    func render(_ result: ListResult, _ format: ResponseFormat, includeObject: IncludeObject) -> JSONValue {
        switch format.shape {
        case .object, .partialMetadata: return list(result)
        case .partialMetadataList: return partialMetadataList(result)
        case .table: return table(result.items, listMetadata: listMetadata(result), includeObject: includeObject)
        }
    }
}
