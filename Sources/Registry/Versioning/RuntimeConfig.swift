import APIMachinery

/// --runtime-config, with the semantics of the Kubernetes API overview: a
/// comma-separated list of key[=value], the value true when left out. Keys
/// are api/all, api/ga, api/beta, api/alpha, GROUP/VERSION and
/// GROUP/VERSION/RESOURCE (the core group is "api": api/v1, api/v1/pods).
/// As in kube-apiserver, the more specific key wins whatever the order
/// (api/all, then the stability keys, then versions, then resources), and of
/// two settings of the same key the later wins.
public struct RuntimeConfig: Sendable {
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The settings by key, the last one given for each.
    public private(set) var settings: [(key: String, enabled: Bool)] = []

    public init() {}

    public init(parsing text: String) throws {
        for item in text.split(separator: ",") {
            let item = String(item.filter { $0 != " " })
            if item.isEmpty { continue }
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            guard !key.isEmpty else { throw ParseError(description: "--runtime-config: \"\(item)\" has no key") }
            let value = parts.count > 1 ? String(parts[1]) : ""
            guard let enabled = Self.bool(value) else {
                throw ParseError(description: "--runtime-config: invalid value of \(key): \"\(value)\", it must be true or false")
            }
            settings.removeAll { $0.key == key }
            settings.append((key, enabled))
        }
    }

    /// Go's strconv.ParseBool, with "" meaning true as kube-apiserver reads it.
    static func bool(_ text: String) -> Bool? {
        switch text {
        case "", "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }

    static let stabilityKeys: [String: APIVersion.Stability] = ["api/ga": .ga, "api/beta": .beta, "api/alpha": .alpha]

    /// The definitions that are served. A key naming a group, version or
    /// resource that none of `definitions` has stops startup, so a typo
    /// cannot silently leave an API off.
    public func served(_ definitions: [ResourceDefinition]) throws -> [ResourceDefinition] {
        for (key, _) in settings where key != "api/all" && key != "api/legacy" && Self.stabilityKeys[key] == nil {
            try check(key, against: definitions)
        }
        return definitions.filter(isServed)
    }

    func check(_ key: String, against definitions: [ResourceDefinition]) throws {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            throw ParseError(description: "--runtime-config: \"\(key)\" is not api/all, api/ga, api/beta, api/alpha, GROUP/VERSION or GROUP/VERSION/RESOURCE")
        }
        let group = parts[0] == "api" ? "" : parts[0]
        guard definitions.contains(where: { $0.group == group }) else {
            throw ParseError(description: "--runtime-config: unknown API group \"\(parts[0])\" in \"\(key)\"")
        }
        guard definitions.contains(where: { $0.group == group && $0.version == parts[1] }) else {
            throw ParseError(description: "--runtime-config: unknown group version \"\(parts[0])/\(parts[1])\" in \"\(key)\"")
        }
        if parts.count == 3,
           !definitions.contains(where: { $0.group == group && $0.version == parts[1] && $0.resource == parts[2] }) {
            throw ParseError(description: "--runtime-config: unknown resource \"\(parts[2])\" in \"\(key)\"")
        }
    }

    func isServed(_ definition: ResourceDefinition) -> Bool {
        let groupVersion = (definition.group.isEmpty ? "api" : definition.group) + "/" + definition.version
        if let setting = setting(groupVersion + "/" + definition.resource) { return setting }
        if let setting = setting(groupVersion) { return setting }
        let stability = definition.apiVersion.stability
        if let setting = settings.last(where: { Self.stabilityKeys[$0.key] == stability })?.enabled { return setting }
        if let setting = setting("api/all") { return setting }
        return definition.enabledByDefault
    }

    func setting(_ key: String) -> Bool? { settings.last { $0.key == key }?.enabled }
}
