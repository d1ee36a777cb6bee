import APIMachinery

/// The parts of an apiextensions.k8s.io/v1 CustomResourceDefinition that
/// serving its kind needs, read from its JSON.
public struct CustomResourceDefinitionSpec: Sendable {
    public struct Names: Sendable, Equatable {
        public var plural: String
        public var singular: String
        public var kind: String
        public var listKind: String
        public var shortNames: [String]
        public var categories: [String]

        init(_ json: JSONValue?) {
            plural = json?["plural"]?.stringValue ?? ""
            singular = json?["singular"]?.stringValue ?? ""
            kind = json?["kind"]?.stringValue ?? ""
            listKind = json?["listKind"]?.stringValue ?? ""
            shortNames = (json?["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue)
            categories = (json?["categories"]?.arrayValue ?? []).compactMap(\.stringValue)
        }
    }

    public struct Column: Sendable {
        public var name: String
        public var type: String
        public var format: String
        public var description: String
        public var priority: Int
        public var jsonPath: String
    }

    public struct Version: Sendable {
        public var name: String
        public var served: Bool
        public var storage: Bool
        public var deprecated: Bool
        public var deprecationWarning: String?
        /// The openAPIV3Schema as written.
        public var schemaJSON: JSONValue?
        public var subresourcesJSON: JSONValue?
        public var columnsJSON: JSONValue?
        public var hasStatus: Bool { subresourcesJSON?["status"] != nil }
        public var scale: ScalePaths? {
            guard let scale = subresourcesJSON?["scale"]?.objectValue else { return nil }
            return ScalePaths(specReplicas: scale["specReplicasPath"]?.stringValue ?? "",
                              statusReplicas: scale["statusReplicasPath"]?.stringValue ?? "",
                              labelSelector: scale["labelSelectorPath"]?.stringValue)
        }
        public var columns: [Column] {
            (columnsJSON?.arrayValue ?? []).map { column in
                Column(name: column["name"]?.stringValue ?? "", type: column["type"]?.stringValue ?? "",
                       format: column["format"]?.stringValue ?? "", description: column["description"]?.stringValue ?? "",
                       priority: Int(column["priority"]?.intValue ?? 0), jsonPath: column["jsonPath"]?.stringValue ?? "")
            }
        }
        public var selectableFields: [String]
    }

    public var group: String
    public var names: Names
    /// "Namespaced" or "Cluster".
    public var scope: String
    public var versions: [Version]
    /// "None" or "Webhook".
    public var conversionStrategy: String
    public var conversionJSON: JSONValue?

    public init(_ crd: APIObject) {
        let spec = crd["spec"]
        group = spec?["group"]?.stringValue ?? ""
        names = Names(spec?["names"])
        scope = spec?["scope"]?.stringValue ?? ""
        versions = (spec?["versions"]?.arrayValue ?? []).map { version in
            Version(name: version["name"]?.stringValue ?? "", served: version["served"]?.boolValue ?? false,
                    storage: version["storage"]?.boolValue ?? false, deprecated: version["deprecated"]?.boolValue ?? false,
                    deprecationWarning: version["deprecationWarning"]?.stringValue,
                    schemaJSON: version["schema"]?["openAPIV3Schema"], subresourcesJSON: version["subresources"],
                    columnsJSON: version["additionalPrinterColumns"],
                    selectableFields: (version["selectableFields"]?.arrayValue ?? []).compactMap { $0["jsonPath"]?.stringValue })
        }
        conversionJSON = spec?["conversion"]
        conversionStrategy = conversionJSON?["strategy"]?.stringValue ?? "None"
    }

    public var namespaced: Bool { scope == "Namespaced" }
    public var storageVersion: Version? { versions.first(where: \.storage) }
}
