import APIMachinery
import Foundation

/// --encryption-provider-config: an apiserver.config.k8s.io/v1
/// EncryptionConfiguration, as kube-apiserver reads it. Each rule names
/// resources ("secrets", "deployments.apps", "*.apps" for a group, "*." for
/// the core group, "*.*" for all) and the providers their values go through
/// (identity, aescbc, aesgcm, secretbox):
/// the first provider's first key writes, and every key of every provider
/// reads the values that carry its prefix, so keys can be rotated and
/// values moved to and from plain text. A resource no rule names is stored
/// as it is.
public struct EncryptionConfiguration: Sendable {
    struct Rule: Sendable {
        var resources: [String]
        var providers: [any EncryptionProvider]
    }

    let rules: [Rule]

    /// Reads the configuration file at `path` (YAML or JSON).
    public static func load(path: String) throws -> EncryptionConfiguration {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw EncryptionConfigurationError("error reading encryption provider configuration file \"\(path)\"")
        }
        do {
            return try EncryptionConfiguration(parsing: Array(bytes))
        } catch let error as EncryptionConfigurationError {
            throw EncryptionConfigurationError("error while parsing file \"\(path)\": \(error)")
        }
    }

    public init(parsing bytes: [UInt8]) throws {
        let document: JSONValue
        do {
            document = try YAMLConversion.decode(bytes)
        } catch {
            throw EncryptionConfigurationError("could not decode the configuration: \(error)")
        }
        guard document["apiVersion"]?.stringValue == "apiserver.config.k8s.io/v1",
              document["kind"]?.stringValue == "EncryptionConfiguration"
        else {
            throw EncryptionConfigurationError(
                "the configuration must be apiVersion apiserver.config.k8s.io/v1, kind EncryptionConfiguration")
        }
        var problems: [String] = []
        var rules: [Rule] = []
        let listed = document["resources"]?.arrayValue ?? []
        if listed.isEmpty { problems.append("resources: Required value: resources is a required field") }
        var seen: Set<String> = []
        for (index, entry) in listed.enumerated() {
            let path = "resources[\(index)]"
            let resources = entry["resources"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if resources.isEmpty { problems.append("\(path).resources: Required value: resource is required") }
            for (position, resource) in resources.enumerated() {
                if resource != resource.lowercased() {
                    problems.append("\(path).resources[\(position)]: Invalid value: \"\(resource)\": resource name should not contain any upper case characters")
                }
                if !seen.insert(resource).inserted {
                    problems.append("\(path).resources[\(position)]: Duplicate value: \"\(resource)\"")
                }
            }
            let providers = entry["providers"]?.arrayValue ?? []
            if providers.isEmpty { problems.append("\(path).providers: Required value: provider is required") }
            var made: [any EncryptionProvider] = []
            for (position, provider) in providers.enumerated() {
                made += Self.providers(provider, at: "\(path).providers[\(position)]", problems: &problems)
            }
            rules.append(Rule(resources: resources, providers: made))
        }
        guard problems.isEmpty else { throw EncryptionConfigurationError(problems.joined(separator: ", ")) }
        self.rules = rules
    }

    /// What one element of a rule's providers stands for: one provider per key.
    private static func providers(_ element: JSONValue, at path: String, problems: inout [String]) -> [any EncryptionProvider] {
        let kinds = element.objectValue.map { Array($0.keys) } ?? []
        guard kinds.count == 1, let kind = kinds.first else {
            problems.append(kinds.isEmpty
                ? "\(path): Invalid value: \"\": provider does not contain any of the expected providers: KMS, secretbox, aesgcm, aescbc, identity"
                : "\(path): Invalid value: \"\(kinds.joined(separator: ","))\": more than one provider specified in a single element, should split into different list elements")
            return []
        }
        switch kind {
        case "identity":
            return [IdentityProvider()]
        case "aescbc", "aesgcm":
            return keys(element[kind]?["keys"], at: "\(path).\(kind).keys", lengths: [16, 24, 32], problems: &problems).map {
                name, secret -> any EncryptionProvider in
                kind == "aescbc" ? AESCBCProvider(keyName: name, secret: secret) : AESGCMProvider(keyName: name, secret: secret)
            }
        case "secretbox":
            return keys(element[kind]?["keys"], at: "\(path).secretbox.keys", lengths: [32], problems: &problems).map {
                SecretBoxProvider(keyName: $0.name, secret: $0.secret)
            }
        case "kms":
            problems.append("\(path).kms: Unsupported value: Berth has no KMS plugin support: supported values: \"aescbc\", \"aesgcm\", \"secretbox\", \"identity\"")
            return []
        default:
            problems.append("\(path): Invalid value: \"\(kind)\": provider does not contain any of the expected providers: KMS, secretbox, aesgcm, aescbc, identity")
            return []
        }
    }

    /// A provider's keys, checked as kube-apiserver checks them.
    private static func keys(_ value: JSONValue?, at path: String, lengths: [Int],
                             problems: inout [String]) -> [(name: String, secret: [UInt8])] {
        let entries = value?.arrayValue ?? []
        if entries.isEmpty { problems.append("\(path): Required value: keys is a required field") }
        var names: Set<String> = []
        var keys: [(name: String, secret: [UInt8])] = []
        for (index, entry) in entries.enumerated() {
            let name = entry["name"]?.stringValue ?? ""
            let encoded = entry["secret"]?.stringValue ?? ""
            if name.isEmpty {
                problems.append("\(path)[\(index)].name: Required value: key name is required")
            } else if name.contains(":") {
                problems.append("\(path)[\(index)].name: Invalid value: \"\(name)\": key name must not contain \":\"")
            } else if !names.insert(name).inserted {
                problems.append("\(path)[\(index)].name: Duplicate value: \"\(name)\"")
            }
            guard !encoded.isEmpty else {
                problems.append("\(path)[\(index)].secret: Required value: secret is required")
                continue
            }
            guard let secret = Data(base64Encoded: encoded).map(Array.init) else {
                problems.append("\(path)[\(index)].secret: Invalid value: \"REDACTED\": secrets must be base64 encoded")
                continue
            }
            guard lengths.contains(secret.count) else {
                problems.append("\(path)[\(index)].secret: Invalid value: \"REDACTED\": secret is not of the expected length, got \(secret.count), expected one of [\(lengths.map(String.init).joined(separator: " "))]")
                continue
            }
            keys.append((name, secret))
        }
        return keys
    }

    /// The transformer for `resource`'s values: its own rule's, else its
    /// group's ("*.group"; "*." for the core group), else "*.*"'s, else
    /// values as they are.
    public func transformer(for resource: GroupResource) -> any ValueTransformer {
        rule(for: resource).map { EncryptingTransformer(providers: $0.providers) } ?? IdentityTransformer()
    }

    /// Whether new values of `resource` are written encrypted.
    public func encrypts(_ resource: GroupResource) -> Bool {
        guard let writer = rule(for: resource)?.providers.first else { return false }
        return !writer.prefix.isEmpty
    }

    private func rule(for resource: GroupResource) -> Rule? {
        let names = [resource.description, "*.\(resource.group)", "*.*"]
        return names.lazy.compactMap { name in rules.first { $0.resources.contains(name) } }.first
    }
}

public struct EncryptionConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// kube-apiserver's prefix transformer: writes with the first provider,
/// reads with the first whose prefix the value carries; a value read with
/// any other is stale (written with an older key or provider, to be
/// rewritten by `berth migrate`).
struct EncryptingTransformer: ValueTransformer {
    let providers: [any EncryptionProvider]

    func transformToStorage(_ data: [UInt8], key: [UInt8]) async throws -> [UInt8] {
        let writer = providers[0]
        return writer.prefix + (try writer.seal(data, key: key))
    }

    func transformFromStorage(_ data: [UInt8], key: [UInt8]) async throws -> (data: [UInt8], stale: Bool) {
        for (index, provider) in providers.enumerated() where data.starts(with: provider.prefix) {
            do {
                return (try provider.open(data[provider.prefix.count...], key: key), index != 0)
            } catch where provider.prefix.isEmpty {
                continue  // identity, before the provider the value names
            }
        }
        throw EncryptionError("no matching prefix found")
    }
}
