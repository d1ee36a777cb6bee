import Foundation

/// How to reach an etcd cluster. Field names follow kube-apiserver's flags
/// (--etcd-servers, --etcd-cafile, --etcd-certfile, --etcd-keyfile).
public struct EtcdConfiguration: Sendable {
    /// Members, tried in order: "http://127.0.0.1:2379", "https://etcd-0:2379"
    /// or plain "host:port".
    public var endpoints: [String]
    /// A CA file switches the connection to TLS.
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    /// etcd user and password, when etcd has auth enabled.
    public var username: String?
    public var password: String?
    /// The deadline of every unary call that does not pass its own.
    public var requestTimeout: Duration = .seconds(10)
    /// Largest response accepted (0: as large as gRPC allows, 2 GiB), so that
    /// one range can return hundreds of MiB.
    public var maxReceiveBytes: Int32 = 0

    public init(endpoints: [String]) {
        self.endpoints = endpoints
    }

    /// The gRPC target of each endpoint ("host:port").
    func targets() throws -> [String] {
        try endpoints.map { endpoint in
            var target = endpoint.trimmingCharacters(in: .whitespaces)
            for scheme in ["http://", "https://"] where target.hasPrefix(scheme) {
                if scheme == "https://" && caFile == nil {
                    throw EtcdError(code: .invalidArgument,
                                    message: "endpoint \(endpoint) uses https: give a CA file (--etcd-cafile)")
                }
                target.removeFirst(scheme.count)
            }
            if target.hasSuffix("/") { target.removeLast() }
            guard !target.isEmpty, !target.contains("/") else {
                throw EtcdError(code: .invalidArgument, message: "endpoint \"\(endpoint)\" is not host:port or a URL")
            }
            return target
        }
    }

    func readPEM(_ path: String?, _ what: String) throws -> String? {
        guard let path else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EtcdError(code: .invalidArgument, message: "cannot read the etcd \(what) \(path): \(error.localizedDescription)")
        }
    }
}

extension Duration {
    /// Whole milliseconds, at least 1.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
