import APIMachinery

/// `--storage-version RESOURCE.GROUP=VERSION` (repeatable): the version new
/// writes of a resource are stored at, instead of the built-in default. This
/// is how an upgrade that changes storage versions is simulated, and what
/// gives `berth migrate` work to do. Values stored earlier at another version
/// stay readable.
public struct StorageVersionOverrides: Sendable {
    public struct Override: Sendable, Equatable {
        public var resource: String
        public var group: String
        public var version: String
    }

    public private(set) var overrides: [Override] = []

    public init() {}

    /// Each flag as "configmaps=v1", "horizontalpodautoscalers.autoscaling=v1"
    /// or "events.events.k8s.io=v1": the resource, then its group (none for
    /// the core group).
    public init(parsing flags: [String]) throws {
        for flag in flags {
            let parts = flag.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw RuntimeConfig.ParseError(description: "--storage-version: \"\(flag)\" is not RESOURCE.GROUP=VERSION")
            }
            let name = parts[0]
            let dot = name.firstIndex(of: ".")
            overrides.append(Override(resource: String(name[..<(dot ?? name.endIndex)]),
                                      group: dot.map { String(name[name.index(after: $0)...]) } ?? "",
                                      version: parts[1]))
        }
    }

    /// `definitions` with the storage versions set; every definition over the
    /// same storage gets the same one.
    public func apply(to definitions: [ResourceDefinition]) throws -> [ResourceDefinition] {
        var definitions = definitions
        for override in overrides {
            let name = override.group.isEmpty ? override.resource : "\(override.resource).\(override.group)"
            guard let definition = definitions.first(where: { $0.resource == override.resource && $0.group == override.group })
            else {
                throw RuntimeConfig.ParseError(description: "--storage-version: unknown resource \"\(name)\"")
            }
            let apiVersion = override.group.isEmpty ? override.version : "\(override.group)/\(override.version)"
            let versions = (definition.conversion as? any KindConversion)?.versions ?? [definition.groupVersion]
            guard versions.contains(apiVersion) else {
                throw RuntimeConfig.ParseError(description: "--storage-version: \(name) cannot be stored at \"\(override.version)\"; it can be stored at \(versions.joined(separator: ", "))")
            }
            for index in definitions.indices where definitions[index].storagePath == definition.storagePath {
                definitions[index].storageVersion = apiVersion
            }
        }
        return definitions
    }
}
