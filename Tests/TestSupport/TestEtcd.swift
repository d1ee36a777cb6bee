import EtcdClient
import Foundation

/// Real etcd servers for tests, on free loopback ports. A missing etcd binary
/// fails the test that needs it: there is no skipping and no fake.
public enum TestEtcd {
    private actor Shared {
        // A task, not the server: callers arriving while it starts wait for
        // the same start instead of each starting an etcd of their own.
        var starting: Task<EmbeddedEtcd, Error>?
        func get() async throws -> EmbeddedEtcd {
            if starting == nil { starting = Task { try await TestEtcd.start(name: "shared") } }
            return try await starting!.value
        }
    }
    private static let shared = Shared()

    /// One etcd shared by the tests of this process. Tests that share it keep to
    /// their own key prefix (`uniquePrefix`) and never stop it.
    public static func shared() async throws -> EmbeddedEtcd {
        try await shared.get()
    }

    /// An etcd of the test's own, for tests that stop, kill, compact or
    /// reconfigure it. Stop it at the end of the test.
    public static func start(name: String = "private", extraArguments: [String] = []) async throws -> EmbeddedEtcd {
        let server = try EmbeddedEtcd(dataDirectory: temporaryDirectory(name) + "/etcd", extraArguments: extraArguments)
        try await server.start()
        return server
    }

    /// A client to `server` with a short request timeout, so a broken test
    /// fails quickly instead of hanging.
    public static func client(_ server: EmbeddedEtcd, timeout: Duration = .seconds(10)) throws -> EtcdClient {
        var configuration = server.configuration
        configuration.requestTimeout = timeout
        return try EtcdClient(configuration)
    }

    /// A fresh key prefix, so tests sharing one etcd never see each other's keys.
    public static func uniquePrefix(_ label: String = #function) -> String {
        let clean = label.filter { $0.isLetter || $0.isNumber }
        return "/test/\(clean)-\(UUID().uuidString.prefix(8))/"
    }

    /// A new directory for one test's files, under the run's root.
    public static func temporaryDirectory(_ label: String) -> String {
        let path = "\(runRoot)/\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// TMPDIR/berth-tests/PID: every directory of this test process. The test
    /// etcds' data directories are over 100 MB each and nothing runs after
    /// the last test to remove them, so each run removes the roots of runs
    /// whose process has ended.
    private static let runRoot: String = {
        let base = NSTemporaryDirectory() + "berth-tests"
        let files = FileManager.default
        for entry in (try? files.contentsOfDirectory(atPath: base)) ?? [] {
            guard let pid = Int32(entry), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? files.removeItem(atPath: "\(base)/\(entry)")
        }
        let root = "\(base)/\(getpid())"
        try? files.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }()
}

extension String {
    public var bytes: [UInt8] { Array(utf8) }
}

extension Array where Element == UInt8 {
    public var string: String { String(decoding: self, as: UTF8.self) }
}

/// Runs a command-line tool from PATH (etcdctl, openssl, ...) to completion
/// and returns its exit status and standard output; standard error is dropped.
@discardableResult
public func runTool(_ arguments: [String], environment: [String: String] = [:],
                    directory: String? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = environment.map { "\($0)=\($1)" } + arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

extension EmbeddedEtcd {
    /// etcd's own gauge of open watches (etcd_debugging_mvcc_watcher_total),
    /// from its /metrics endpoint: what a test reads to know a watch was
    /// really opened or cancelled in etcd.
    public func watcherCount() throws -> Int {
        let metrics = try runTool(["curl", "-s", "\(clientURL)/metrics"]).output
        guard let line = metrics.split(separator: "\n").first(where: { $0.hasPrefix("etcd_debugging_mvcc_watcher_total ") }),
              let value = Double(line.split(separator: " ")[1]) else {
            throw EtcdError(code: .unknown, message: "etcd's /metrics has no etcd_debugging_mvcc_watcher_total")
        }
        return Int(value)
    }

    /// The gauge once it reads `expected`, or after 5 s what it reads then:
    /// etcd drops a cancelled watch a moment after its stream ends.
    public func watcherCount(settlingAt expected: Int) async throws -> Int {
        var count = try watcherCount()
        for _ in 0..<50 where count != expected {
            try await Task.sleep(for: .milliseconds(100))
            count = try watcherCount()
        }
        return count
    }
}
