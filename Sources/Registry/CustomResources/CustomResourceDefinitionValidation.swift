import APIMachinery
import Foundation

/// kube's ValidateCustomResourceDefinition: names, versions, schemas that
/// are structural, printer columns, scale paths and conversion, with its
/// field paths and messages. Where every version has the same schema (or
/// subresources, or columns), kube reports them at the top-level field it
/// folds them into (spec.validation.openAPIV3Schema), and so does this.
enum CustomResourceDefinitionValidation {
    static func validate(_ crd: APIObject) -> [FieldError] {
        let spec = CustomResourceDefinitionSpec(crd)
        var errors: [FieldError] = []
        if !crd.name.isEmpty, crd.name != "\(spec.names.plural).\(spec.group)" {
            errors.append(.invalid("metadata.name", crd.name, "must be spec.names.plural+\".\"+spec.group"))
        }
        errors += group(spec.group)
        if spec.scope.isEmpty {
            errors.append(.required("spec.scope"))
        } else if !["Cluster", "Namespaced"].contains(spec.scope) {
            errors.append(.notSupported("spec.scope", spec.scope, ["Cluster", "Namespaced"]))
        }
        errors += versions(spec, crd)
        errors += names(spec.names, field: "spec.names", requireAll: true)
        errors += conversion(crd["spec"]?["conversion"])
        // kube checks the last version marked storage, however many are.
        if let storage = spec.versions.last(where: \.storage)?.name {
            let stored = (crd["status"]?["storedVersions"]?.arrayValue ?? []).compactMap(\.stringValue)
            if !stored.contains(storage) {
                errors.append(.invalidValue("status.storedVersions", .array(stored.map(JSONValue.string)),
                                            "must have the storage version \(storage)"))
            }
        }
        return errors
    }

    static func validateUpdate(_ crd: APIObject, old: APIObject) -> [FieldError] {
        var errors = validate(crd)
        let new = CustomResourceDefinitionSpec(crd), previous = CustomResourceDefinitionSpec(old)
        if new.group != previous.group { errors.append(.invalid("spec.group", new.group, "field is immutable")) }
        if new.names.plural != previous.names.plural {
            errors.append(.invalid("spec.names.plural", new.names.plural, "field is immutable"))
        }
        if CustomResourceDefinitionStatus(old).isEstablished {
            if new.scope != previous.scope { errors.append(.invalid("spec.scope", new.scope, "field is immutable")) }
            if new.names.kind != previous.names.kind {
                errors.append(.invalid("spec.names.kind", new.names.kind, "field is immutable"))
            }
        }
        return errors
    }

    static func group(_ group: String) -> [FieldError] {
        if group.isEmpty { return [.required("spec.group")] }
        if let problem = Validation.dns1123SubdomainProblem(group) { return [.invalid("spec.group", group, problem)] }
        if !group.contains(".") { return [.invalid("spec.group", group, "should be a domain with at least one dot")] }
        return []
    }

    static func names(_ names: CustomResourceDefinitionSpec.Names, field: String, requireAll: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        for (name, value) in [("plural", names.plural), ("singular", names.singular)] {
            if value.isEmpty {
                if requireAll { errors.append(.required("\(field).\(name)")) }
            } else if let problem = Validation.dns1035LabelProblem(value) {
                errors.append(.invalid("\(field).\(name)", value, problem))
            }
        }
        for (index, shortName) in names.shortNames.enumerated() {
            if let problem = Validation.dns1035LabelProblem(shortName) {
                errors.append(.invalid("\(field).shortNames[\(index)]", shortName, problem))
            }
        }
        for (name, value) in [("kind", names.kind), ("listKind", names.listKind)] {
            if value.isEmpty {
                if requireAll { errors.append(.required("\(field).\(name)")) }
            } else if let problem = Validation.dns1035LabelProblem(value.lowercased()) {
                errors.append(.invalid("\(field).\(name)", value, "may have mixed case, but should otherwise match: " + problem))
            }
        }
        if !names.kind.isEmpty, names.kind == names.listKind {
            errors.append(.invalid("\(field).listKind", names.listKind, "kind and listKind may not be the same"))
        }
        for (index, category) in names.categories.enumerated() {
            if let problem = Validation.dns1035LabelProblem(category) {
                errors.append(.invalid("\(field).categories[\(index)]", category, problem))
            }
        }
        return errors
    }

    static func versions(_ spec: CustomResourceDefinitionSpec, _ crd: APIObject) -> [FieldError] {
        var errors: [FieldError] = []
        let versions = spec.versions
        func hoisted(_ values: [JSONValue?]) -> Bool { !values.isEmpty && values.allSatisfy { $0 == values[0] } }
        let sameSchema = hoisted(versions.map(\.schemaJSON))
        let sameSubresources = hoisted(versions.map(\.subresourcesJSON))
        let sameColumns = hoisted(versions.map(\.columnsJSON))
        for (index, version) in versions.enumerated() {
            let field = "spec.versions[\(index)]"
            if let problem = Validation.dns1035LabelProblem(version.name) {
                errors.append(.invalid("\(field).name", version.name, problem))
            }
            if let warning = version.deprecationWarning {
                if !version.deprecated {
                    errors.append(.invalid("\(field).deprecationWarning", warning, "can only be set for deprecated versions"))
                } else if warning.isEmpty {
                    errors.append(.invalid("\(field).deprecationWarning", warning, "must not be an empty string"))
                } else if warning.count > 256 {
                    errors.append(.invalid("\(field).deprecationWarning", warning, "must be <= 256 characters long"))
                }
            }
            let schemaField = sameSchema ? "spec.validation.openAPIV3Schema" : "\(field).schema.openAPIV3Schema"
            if let schema = version.schemaJSON {
                if !sameSchema || index == 0 {
                    errors += StructuralSchemaCheck.problems(schema, at: schemaField, hasStatus: version.hasStatus)
                }
            } else {
                errors.append(.required("\(field).schema.openAPIV3Schema"))
            }
            if !sameSubresources || index == 0, let scale = version.scale {
                errors += scalePaths(scale, field: (sameSubresources ? "spec.subresources" : "\(field).subresources") + ".scale")
            }
            if let schema = version.schemaJSON {
                errors += selectableFields(version.selectableFields, schema: StructuralSchema(schema),
                                           field: sameSchema ? "spec.selectableFields" : "\(field).selectableFields")
            }
            if !sameColumns || index == 0 {
                let columnsField = sameColumns ? "spec.additionalPrinterColumns" : "\(field).additionalPrinterColumns"
                for (columnIndex, column) in version.columns.enumerated() {
                    errors += self.column(column, field: "\(columnsField)[\(columnIndex)]")
                }
            }
        }
        if Set(versions.map(\.name)).count != versions.count {
            errors.append(.invalidValue("spec.versions", crd["spec"]?["versions"] ?? .null, "must contain unique version names"))
        }
        if versions.filter(\.storage).count != 1 {
            errors.append(.invalidValue("spec.versions", crd["spec"]?["versions"] ?? .null,
                                        "must have exactly one version marked as storage version"))
        }
        return errors
    }

    /// kube's limit on selectable fields per version.
    static let maximumSelectableFields = 8

    static func selectableFields(_ paths: [String], schema: StructuralSchema, field: String) -> [FieldError] {
        var errors: [FieldError] = []
        if paths.count > maximumSelectableFields {
            errors.append(.tooMany(field, paths.count, maximumSelectableFields))
        }
        var seen: Set<String> = []
        for (index, path) in paths.enumerated() {
            let entry = "\(field)[\(index)].jsonPath"
            guard let parsed = SimpleJSONPath(path), path.hasPrefix("."),
                  parsed.steps.allSatisfy({ if case .field = $0 { return true } else { return false } }) else {
                errors.append(.invalid(entry, path, "is an invalid path"))
                continue
            }
            if case .field("metadata")? = parsed.steps.first {
                errors.append(.invalid(entry, path, "must not point to fields in metadata"))
                continue
            }
            var node: StructuralSchema? = schema
            for case .field(let name) in parsed.steps { node = node?.property(name) }
            if !["string", "boolean", "integer"].contains(node?.type ?? "") {
                errors.append(.invalid(entry, path, "must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed."))
            }
            if !seen.insert(path).inserted {
                errors.append(FieldError(type: "FieldValueDuplicate", field: entry, detail: "Duplicate value: \(FieldError.quote(path))"))
            }
        }
        return errors
    }

    static let columnTypes = ["boolean", "date", "integer", "number", "string"]
    static let columnFormats = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"]

    static func column(_ column: CustomResourceDefinitionSpec.Column, field: String) -> [FieldError] {
        var errors: [FieldError] = []
        if column.name.isEmpty { errors.append(.required("\(field).name")) }
        if column.type.isEmpty {
            errors.append(.required("\(field).type", "must be one of \(columnTypes.joined(separator: ","))"))
        } else if !columnTypes.contains(column.type) {
            errors.append(.invalid("\(field).type", column.type, "must be one of \(columnTypes.joined(separator: ","))"))
        }
        if !column.format.isEmpty, !columnFormats.contains(column.format) {
            errors.append(.invalid("\(field).format", column.format, "must be one of \(columnFormats.joined(separator: ","))"))
        }
        if column.jsonPath.isEmpty {
            errors.append(.required("\(field).JSONPath"))
        } else if !column.jsonPath.hasPrefix(".") || SimpleJSONPath(column.jsonPath) == nil {
            errors.append(.invalid("\(field).JSONPath", column.jsonPath, "must be a simple json path starting with ."))
        }
        return errors
    }

    static func scalePaths(_ scale: ScalePaths, field: String) -> [FieldError] {
        var errors: [FieldError] = []
        func check(_ path: String, _ name: String, under prefixes: [String], _ where: String) {
            if path.isEmpty {
                errors.append(.required("\(field).\(name)"))
            } else if !path.hasPrefix(".") || SimpleJSONPath(path) == nil {
                errors.append(.invalid("\(field).\(name)", path, "must be a simple json path starting with ."))
            } else if !prefixes.contains(where: { path.hasPrefix($0) }) {
                errors.append(.invalid("\(field).\(name)", path, "should be a json path under \(`where`)"))
            }
        }
        check(scale.specReplicas, "specReplicasPath", under: [".spec."], ".spec")
        check(scale.statusReplicas, "statusReplicasPath", under: [".status."], ".status")
        if let selector = scale.labelSelector, !selector.isEmpty {
            check(selector, "labelSelectorPath", under: [".spec.", ".status."], "either .spec or .status")
        }
        return errors
    }

    static func conversion(_ json: JSONValue?) -> [FieldError] {
        guard let json else { return [] }
        let strategy = json["strategy"]?.stringValue ?? ""
        var errors: [FieldError] = []
        switch strategy {
        case "":
            errors.append(.required("spec.conversion.strategy"))
        case "None":
            if json["webhook"] != nil {
                errors.append(.forbidden("spec.conversion.webhookClientConfig", "should not be set when strategy is not set to Webhook"))
            }
        case "Webhook":
            guard let webhook = json["webhook"], let client = webhook["clientConfig"] else {
                errors.append(.required("spec.conversion.webhookClientConfig", "required when strategy is set to Webhook"))
                return errors
            }
            let field = "spec.conversion.webhookClientConfig"
            switch (client["url"]?.stringValue, client["service"]) {
            case (let url?, nil):
                if let components = URLComponents(string: url) {
                    if components.scheme != "https" {
                        errors.append(.invalid("\(field).url", components.scheme ?? "", "'https' is the only allowed URL scheme; desired format: https://host[/path]"))
                    } else if (components.host ?? "").isEmpty {
                        errors.append(.invalid("\(field).url", "", "host must be provided; desired format: https://host[/path]"))
                    } else if components.user != nil {
                        errors.append(.invalid("\(field).url", components.user ?? "", "user information is not permitted in the URL"))
                    } else if components.fragment != nil {
                        errors.append(.invalid("\(field).url", components.fragment ?? "", "fragments are not permitted in the URL"))
                    } else if components.query != nil {
                        errors.append(.invalid("\(field).url", components.query ?? "", "query parameters are not permitted in the URL"))
                    }
                } else {
                    errors.append(.required("\(field).url", "url must be a valid URL; desired format: https://host[/path]"))
                }
            case (nil, let service?):
                if (service["name"]?.stringValue ?? "").isEmpty { errors.append(.required("\(field).service.name", "service name is required")) }
                if (service["namespace"]?.stringValue ?? "").isEmpty {
                    errors.append(.required("\(field).service.namespace", "service namespace is required"))
                }
                if let path = service["path"]?.stringValue, !path.isEmpty, !path.hasPrefix("/") {
                    errors.append(.invalid("\(field).service.path", path, "must start with a '/'"))
                }
            default:
                errors.append(.required(field, "exactly one of url or service is required"))
            }
            let reviewVersions = (webhook["conversionReviewVersions"]?.arrayValue ?? []).compactMap(\.stringValue)
            if reviewVersions.isEmpty {
                errors.append(.required("spec.conversion.conversionReviewVersions"))
            } else if !reviewVersions.contains(where: { ["v1", "v1beta1"].contains($0) }) {
                errors.append(.invalidValue("spec.conversion.conversionReviewVersions", .array(reviewVersions.map(JSONValue.string)),
                                            "must include at least one of v1, v1beta1"))
            }
        default:
            errors.append(.notSupported("spec.conversion.strategy", strategy, ["None", "Webhook"]))
        }
        return errors
    }
}
