import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real etcd server run as a child process on free loopback ports, with its
/// own data directory: what tests start, and what `berth serve` runs when no
/// --etcd-servers are given.
public final class EmbeddedEtcd: @unchecked Sendable {
    // @unchecked: `process` is only touched by start/stop/kill, which callers
    // do not run concurrently with each other.
    public let name: String
    public let dataDirectory: String
    public private(set) var clientPort: Int
    public private(set) var peerPort: Int
    /// Ports picked here (not given by the caller) may be picked again when
    /// another process grabbed one between picking and binding.
    private let portsArePicked: Bool
    /// Extra etcd flags, e.g. ["--max-request-bytes", "1572864"].
    public let extraArguments: [String]
    /// Where etcd's own output goes.
    public let logFile: String
    /// The ports a data directory's member was made with ("CLIENT PEER"):
    /// etcd keeps its peer URL in its data, so a restart must listen there again.
    var portsFile: String { dataDirectory + ".ports" }
    /// Serve clients over TLS and require client certificates.
    public let tls: TLSFiles?

    /// PEM files for an etcd that speaks TLS to its clients.
    public struct TLSFiles: Sendable {
        public var caFile: String
        public var serverCertFile: String
        public var serverKeyFile: String
        /// The certificate Berth (and the readiness check) present.
        public var clientCertFile: String
        public var clientKeyFile: String
        public init(caFile: String, serverCertFile: String, serverKeyFile: String, clientCertFile: String, clientKeyFile: String) {
            self.caFile = caFile
            self.serverCertFile = serverCertFile
            self.serverKeyFile = serverKeyFile
            self.clientCertFile = clientCertFile
            self.clientKeyFile = clientKeyFile
        }
    }
    private var process: Process?

    public var clientURL: String { "\(tls == nil ? "http" : "https")://127.0.0.1:\(clientPort)" }
    public var configuration: EtcdConfiguration {
        var configuration = EtcdConfiguration(endpoints: [clientURL])
        configuration.caFile = tls?.caFile
        configuration.certFile = tls?.clientCertFile
        configuration.keyFile = tls?.clientKeyFile
        return configuration
    }
    public var isRunning: Bool { process?.isRunning ?? false }
    public var pid: Int32? { process?.processIdentifier }

    public init(dataDirectory: String, name: String = "berth", clientPort: Int? = nil, peerPort: Int? = nil,
                extraArguments: [String] = [], tls: TLSFiles? = nil) throws {
        self.tls = tls
        self.name = name
        self.dataDirectory = dataDirectory
        self.logFile = dataDirectory + ".log"
        let saved = clientPort == nil && peerPort == nil && FileManager.default.fileExists(atPath: dataDirectory + "/member")
            ? (try? String(contentsOfFile: dataDirectory + ".ports", encoding: .utf8))?.split(separator: " ").compactMap { Int($0) }
            : nil
        self.clientPort = try clientPort ?? saved?.first ?? Self.freeLoopbackPort()
        self.peerPort = try peerPort ?? saved?.last ?? Self.freeLoopbackPort()
        // A member made before keeps its ports; only a new one may pick others.
        self.portsArePicked = clientPort == nil && peerPort == nil && saved?.count != 2
        self.extraArguments = extraArguments
    }

    /// Starts etcd and returns once it answers as the member just started.
    public func start(timeout: Duration = .seconds(30)) async throws {
        for attempt in 1... {
            do {
                return try await startOnce(timeout: timeout)
            } catch let error as EtcdError where portsArePicked && attempt < 5 && error.message.contains("address already in use") {
                clientPort = try Self.freeLoopbackPort()
                peerPort = try Self.freeLoopbackPort()
            }
        }
    }

    private func startOnce(timeout: Duration) async throws {
        guard let executable = Self.findExecutable("etcd") else {
            throw EtcdError(code: .unavailable, message:
                "etcd was not found on PATH; install it (Debian: apt-get install etcd-server) or pass --etcd-servers")
        }
        // etcd wants its data private (0700) and warns otherwise.
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        FileManager.default.createFile(atPath: logFile, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        log.seekToEndOfFile()

        let peerURL = "http://127.0.0.1:\(peerPort)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--name", name,
            "--data-dir", dataDirectory,
            "--listen-client-urls", clientURL,
            "--advertise-client-urls", clientURL,
            "--listen-peer-urls", peerURL,
            "--initial-advertise-peer-urls", peerURL,
            "--initial-cluster", "\(name)=\(peerURL)",
            "--initial-cluster-state", "new",
            "--logger", "zap",
            "--log-level", "warn",
        ] + tlsArguments + extraArguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        ChildProcesses.shared.register(process.processIdentifier)

        let client = try EtcdClient(configuration)
        let deadline = ContinuousClock.now + timeout
        while true {
            if !process.isRunning {
                ChildProcesses.shared.unregister(process.processIdentifier)
                throw EtcdError(code: .unavailable, message:
                    "etcd exited with status \(process.terminationStatus) while starting; its log (\(logFile)) ends with:\n\(logTail())")
            }
            if let members = try? await client.memberList(timeout: .milliseconds(500)) {
                // Another etcd that got our client port first answers too; only
                // a member with our peer URL is the one we started.
                if members.members.contains(where: { $0.peerURLs.contains(peerURL) }) {
                    try? "\(clientPort) \(peerPort)".write(toFile: portsFile, atomically: true, encoding: .utf8)
                    return
                }
                kill()
                throw EtcdError(code: .unavailable, message:
                    "address already in use: another etcd answers on \(clientURL)")
            }
            if ContinuousClock.now > deadline {
                kill()
                throw EtcdError(code: .deadlineExceeded, message:
                    "etcd did not answer within \(timeout); its log (\(logFile)) ends with:\n\(logTail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private var tlsArguments: [String] {
        guard let tls else { return [] }
        return ["--cert-file", tls.serverCertFile, "--key-file", tls.serverKeyFile,
                "--trusted-ca-file", tls.caFile, "--client-cert-auth"]
    }

    /// Stops etcd with SIGTERM, then SIGKILL if it has not exited after `grace`.
    public func stop(grace: Duration = .seconds(10)) async {
        guard let process, process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        kill()
    }

    /// Kills etcd at once (SIGKILL), as a crash would.
    public func kill() {
        guard let process else { return }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        ChildProcesses.shared.unregister(process.processIdentifier)
    }

    public func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    public static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw EtcdError(code: .unavailable, message: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                bind(fd, sockaddr, length) == 0 && getsockname(fd, sockaddr, &length) == 0
            }
        }
        guard bound else { throw EtcdError(code: .unavailable, message: "cannot bind a loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// etcd children still running, killed when this process exits normally, so
/// a test run or a crashed server leaves no etcd behind.
final class ChildProcesses: @unchecked Sendable {
    static let shared = ChildProcesses()
    private let lock = NSLock()
    private var pids: Set<Int32> = []

    private init() {
        atexit {
            for pid in ChildProcesses.shared.snapshot() { kill(pid, SIGKILL) }
        }
    }

    func register(_ pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
    func unregister(_ pid: Int32) { lock.withLock { _ = pids.remove(pid) } }
    private func snapshot() -> Set<Int32> { lock.withLock { pids } }
}
