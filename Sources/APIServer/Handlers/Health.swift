import EtcdClient
import Hummingbird
import Synchronization

/// What /readyz needs to know beyond etcd answering.
public final class Readiness: Sendable {
    private let bootstrapped = Atomic<Bool>(false)
    public init() {}
    public func markBootstrapped() { bootstrapped.store(true, ordering: .releasing) }
    public var isBootstrapped: Bool { bootstrapped.load(ordering: .acquiring) }
}

/// /healthz, /livez and /readyz with kube-apiserver's checks and text:
/// "ok", or one line per check and "<endpoint> check failed" with a 500.
/// ?verbose lists every check; /readyz/etcd runs one.
struct Health: Sendable {
    let client: EtcdClient
    let readiness: Readiness

    struct Check: Sendable {
        var name: String
        var run: @Sendable () async -> Bool
    }

    func checks(_ endpoint: String) -> [Check] {
        var checks = [
            Check(name: "ping") { true },
            Check(name: "etcd") { [client] in (try? await client.status(timeout: .seconds(2))) != nil },
        ]
        if endpoint != "livez" {
            checks.append(Check(name: "poststarthook/bootstrap-namespaces") { [readiness] in readiness.isBootstrapped })
        }
        return checks
    }

    /// nil when `path` is not a health endpoint.
    func respond(path: String, verbose: Bool) async -> Response? {
        guard path.hasPrefix("/healthz") || path.hasPrefix("/livez") || path.hasPrefix("/readyz") else { return nil }
        let parts = path.split(separator: "/").map(String.init)
        guard let endpoint = parts.first, ["healthz", "livez", "readyz"].contains(endpoint) else { return nil }
        var checks = checks(endpoint)
        if parts.count > 1 {
            let name = parts.dropFirst().joined(separator: "/")
            checks = checks.filter { $0.name == name }
            if checks.isEmpty { return text("404 page not found\n", status: .notFound) }
            return await checks[0].run() ? text("ok") : text("internal server error: \(name) check failed\n", status: .internalServerError)
        }
        var lines: [String] = []
        var healthy = true
        for check in checks {
            let passed = await check.run()
            healthy = healthy && passed
            lines.append(passed ? "[+]\(check.name) ok" : "[-]\(check.name) failed: reason withheld")
        }
        if healthy && !verbose { return text("ok") }
        lines.append(healthy ? "\(endpoint) check passed" : "\(endpoint) check failed")
        return text(lines.joined(separator: "\n") + "\n", status: healthy ? .ok : .internalServerError)
    }

    func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
