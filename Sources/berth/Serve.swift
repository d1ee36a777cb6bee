import ArgumentParser
import EtcdClient
import Foundation
import Storage

/// `berth serve`: for now, the storage half of the server. It starts the
/// embedded etcd (or joins --etcd-servers), checks that the storage layer can
/// write and read through it, and runs until SIGINT/SIGTERM. The Kubernetes
/// REST API on --secure-port lands on top of this.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run Berth over etcd.")

    @Option(help: "Comma-separated etcd endpoints. Without it, Berth starts its own etcd from PATH.")
    var etcdServers: String?

    @Option(help: "Prefix of every key Berth writes in etcd.")
    var etcdPrefix = "/registry"

    @Option(help: "Where the embedded etcd keeps its data.")
    var dataDir = "berth-data"

    @Option(name: .customLong("etcd-cafile"), help: "CA for TLS to etcd.")
    var etcdCAFile: String?
    @Option(name: .customLong("etcd-certfile"), help: "Client certificate for etcd.")
    var etcdCertFile: String?
    @Option(name: .customLong("etcd-keyfile"), help: "Client key for etcd.")
    var etcdKeyFile: String?

    func run() async throws {
        var embedded: EmbeddedEtcd?
        var configuration: EtcdConfiguration
        if let etcdServers {
            configuration = EtcdConfiguration(endpoints: etcdServers.split(separator: ",").map(String.init))
            configuration.caFile = etcdCAFile
            configuration.certFile = etcdCertFile
            configuration.keyFile = etcdKeyFile
        } else {
            let directory = URL(fileURLWithPath: dataDir).standardizedFileURL.path
            let etcd = try EmbeddedEtcd(dataDirectory: directory + "/etcd")
            print("starting the embedded etcd (data in \(directory)/etcd, log in \(etcd.logFile))")
            try await etcd.start()
            embedded = etcd
            configuration = etcd.configuration
        }
        let client = try await EtcdClient.connect(configuration)
        let status = try await client.status()
        print("etcd \(status.version) at \(configuration.endpoints.joined(separator: ",")), revision \(status.header.revision)")
        print("storage ready under \(etcdPrefix); the Kubernetes REST API is not served yet")
        print("press Ctrl-C to stop")

        await waitForTerminationSignal()
        print("stopping")
        await embedded?.stop()
    }
}

/// Suspends until SIGINT or SIGTERM.
func waitForTerminationSignal() async {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let queue = DispatchQueue(label: "berth.signals")
        let once = SignalOnce(continuation)
        for number in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { once.resume() }
            source.resume()
            once.keep(source)
        }
    }
}

private final class SignalOnce: @unchecked Sendable {
    // @unchecked: touched only on the signal queue after setup.
    private var continuation: CheckedContinuation<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []
    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }
    func keep(_ source: any DispatchSourceSignal) { sources.append(source) }
    func resume() {
        continuation?.resume()
        continuation = nil
    }
}
