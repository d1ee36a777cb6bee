import Foundation

/// How a client reaches an API server, as a kubeconfig holds it for one
/// context: `berth serve` writes one so that kubectl can reach it at once,
/// and the operator tools read one to work through a running server's API.
public struct Kubeconfig: Sendable, Equatable {
    public var server: String
    /// PEM of the CA that signed the server's certificate; nil for the system's.
    public var certificateAuthority: String?
    public var insecureSkipTLSVerify = false
    public var token: String?
    /// PEM of a client certificate and its key, for certificate authentication.
    public var clientCertificate: String?
    public var clientKey: String?

    public init(server: String, certificateAuthority: String? = nil, token: String? = nil) {
        self.server = server
        self.certificateAuthority = certificateAuthority
        self.token = token
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// The kubeconfig file, as kubectl reads it: the current context (or
    /// `context`), its cluster and its user. Files it names (certificate-authority,
    /// client-certificate, client-key, tokenFile) are relative to the kubeconfig.
    public init(file: String, context: String? = nil) throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw Invalid(description: "cannot read \(file)") }
        let config: JSONValue
        do {
            config = try YAMLConversion.decode(text)
        } catch {
            throw Invalid(description: "\(file) is not YAML: \(error)")
        }
        func named(_ list: String, _ name: String?) throws -> JSONValue {
            guard let name, let entry = config[list]?.arrayValue?.first(where: { $0["name"]?.stringValue == name }) else {
                throw Invalid(description: "\(file) has no \(list.dropLast()) \"\(name ?? "")\"")
            }
            return entry
        }
        let contextName = context ?? config["current-context"]?.stringValue
        guard let contextName, !contextName.isEmpty else { throw Invalid(description: "\(file) has no current-context; name one") }
        let chosen = try named("contexts", contextName)["context"]
        let cluster = try named("clusters", chosen?["cluster"]?.stringValue)["cluster"]
        let user = try? named("users", chosen?["user"]?.stringValue)["user"]
        guard let server = cluster?["server"]?.stringValue else { throw Invalid(description: "\(file): the cluster has no server") }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        func content(_ section: JSONValue?, _ key: String) throws -> String? {
            if let data = section?["\(key)-data"]?.stringValue {
                guard let decoded = Data(base64Encoded: data) else { throw Invalid(description: "\(file): \(key)-data is not base64") }
                return String(decoding: decoded, as: UTF8.self)
            }
            guard let path = section?[key]?.stringValue else { return nil }
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw Invalid(description: "cannot read \(url.path), which \(file) names") }
            return text
        }
        self.server = server
        certificateAuthority = try content(cluster, "certificate-authority")
        insecureSkipTLSVerify = cluster?["insecure-skip-tls-verify"]?.boolValue ?? false
        token = try user?["token"]?.stringValue
            ?? content(user, "tokenFile").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        clientCertificate = try content(user, "client-certificate")
        clientKey = try content(user, "client-key")
    }

    /// The kubeconfig file for this connection, with one context named berth.
    public var rendered: String {
        var cluster = "    server: \(server)\n"
        if let certificateAuthority {
            cluster += "    certificate-authority-data: \(Data(certificateAuthority.utf8).base64EncodedString())\n"
        }
        let user = token.map { "    token: \($0)\n" } ?? "    {}\n"
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: berth
              cluster:
            \(cluster)users:
            - name: berth-admin
              user:
            \(user)contexts:
            - name: berth
              context:
                cluster: berth
                user: berth-admin
            current-context: berth

            """
    }
}
