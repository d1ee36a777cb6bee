import APIMachinery
import APIServer
import EtcdClient
import Foundation
import Logging
import Operations
import Registry
import ServiceLifecycle
import Testing
import TestSupport

/// `berth restore logical --kubeconfig`: a backup put back through a running
/// berth's HTTPS API, reached and authenticated as the kubeconfig it wrote
/// says, with the server validating and converting each object.
@Suite(.timeLimit(.minutes(3))) struct APIRestoreTests {
    /// A berth serving over the test etcd under `prefix` on a free port, until `body` returns.
    static func withServer(prefix: String, runtimeConfig: String, _ body: (_ kubeconfig: String) async throws -> Void) async throws {
        let etcd = try await TestEtcd.shared()
        var options = APIServerOptions(dataDirectory: TestEtcd.temporaryDirectory("api-restore"))
        options.etcdPrefix = prefix
        options.bindAddress = "127.0.0.1"
        options.securePort = 0
        options.runtimeConfig = try RuntimeConfig(parsing: runtimeConfig)
        let server = try APIServer(options: options, client: try TestEtcd.client(etcd), logger: Logger(label: "api-restore"))
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let group = ServiceGroup(configuration: .init(services: try server.services { _, port in listening.yield(port) }.map { .init(service: $0) },
                                                      logger: Logger(label: "api-restore")))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        while !server.readiness.isBootstrapped { try await Task.sleep(for: .milliseconds(20)) }
        try await body(try server.writeKubeconfig(port: port))
        await group.triggerGracefulShutdown()
        _ = await running.result
    }

    /// What the comparison leaves out: what the server assigns on create.
    static func withoutAssigned(_ objects: [String: JSONValue]) -> [String: JSONValue] {
        objects.mapValues { json in
            var object = APIObject(json)
            object.setMetadata("uid", nil)
            object.setMetadata("creationTimestamp", nil)
            return object.json
        }
    }

    @Test func restoresEveryBuiltInKindThroughTheAPI() async throws {
        let source = try await TestEtcd.start(name: "api-restore-source")
        defer { Task { await source.stop() } }
        let sourceClient = try TestEtcd.client(source)
        try await BackupRoundTripTests.fill(sourceClient)
        let before = try await BackupRoundTripTests.everything(sourceClient)
        let definitions = BuiltinResources.definitions()
        let archive = TestEtcd.temporaryDirectory("api-restore") + "/all.tar.gz"
        let manifest = try await LogicalBackup.write(client: sourceClient, prefix: BackupRoundTripTests.prefix, definitions: definitions,
                                                     served: definitions, options: .init(), to: archive)

        let prefix = TestEtcd.uniquePrefix("api-restore")
        try await Self.withServer(prefix: prefix, runtimeConfig: "api/alpha=true,api/beta=true") { kubeconfig in
            let connection = try APIConnection(try Kubeconfig(file: kubeconfig))
            defer { Task { try await connection.shutdown() } }
            let api = APIRestoreDestination(connection)

            let dry = try await LogicalRestore.restore(archive, into: api, existing: .skip, dryRun: true)
            // The server made its initial namespaces (default, kube-system, ...) as the source did.
            let initial = ["default", "kube-system", "kube-public", "kube-node-lease"]
            #expect(dry.skipped == initial.count && dry.created == manifest.entries.count - initial.count)

            let report = try await LogicalRestore.restore(archive, into: api, existing: .skip)
            #expect(report.failed == 0, "\(report.failures)")
            #expect(report.created == manifest.entries.count - initial.count)
            // What the server keeps for itself (its local APIServices, the
            // extension servers' ConfigMap) was not in the source and is left out.
            let after = try await BackupRoundTripTests.everything(try TestEtcd.client(TestEtcd.shared()), prefix: prefix)
                .filter { !$0.key.hasPrefix("apiregistration.k8s.io/v1/apiservices/") && !$0.key.hasSuffix("/extension-apiserver-authentication") }
            #expect(Set(after.keys) == Set(before.keys))
            var expected = Self.withoutAssigned(before), restored = Self.withoutAssigned(after)
            // The server's migration controller ran the restored StorageVersionMigration; the source had none running.
            for key in expected.keys where key.contains("storageversionmigrations") {
                expected[key]?["status"] = nil
                restored[key]?["status"] = nil
            }
            for (key, object) in expected { #expect(restored[key]?.canonical == object.canonical, "\(key)") }
            // Through the API the server assigns uid and creationTimestamp, as kube-apiserver does.
            let uid = { (objects: [String: JSONValue]) in objects.first { $0.key.contains("configmaps/shop/prices") }?.value["metadata"]?["uid"] }
            #expect(uid(after) != nil && uid(after) != uid(before))

            let again = try await LogicalRestore.restore(archive, into: api, existing: .skip)
            #expect(again.skipped == manifest.entries.count && again.created == 0)
            let overwritten = try await LogicalRestore.restore(archive, into: api, existing: .overwrite)
            #expect(overwritten.overwritten == manifest.entries.count && overwritten.failed == 0, "\(overwritten.failures)")
            await #expect(throws: OperationFailure.self) {
                _ = try await LogicalRestore.restore(archive, into: api, existing: .fail)
            }
        }

        // A server that does not serve alpha versions refuses those objects
        // with its own reason; the rest is restored and the report says which failed.
        try await Self.withServer(prefix: TestEtcd.uniquePrefix("api-restore-ga"), runtimeConfig: "") { kubeconfig in
            let connection = try APIConnection(try Kubeconfig(file: kubeconfig))
            defer { Task { try await connection.shutdown() } }
            let report = try await LogicalRestore.restore(archive, into: APIRestoreDestination(connection), existing: .skip)
            let alpha = manifest.entries.filter { $0.resource.hasPrefix("leasecandidates") || $0.resource.hasPrefix("storageversionmigrations") }
            #expect(report.failed == alpha.count)
            #expect(report.failures.allSatisfy { $0.contains("404 NotFound") }, "\(report.failures)")
        }
    }

    @Test func aKubeconfigThatCannotBeUsedIsAClearError() throws {
        let directory = TestEtcd.temporaryDirectory("kubeconfig")
        #expect(throws: Kubeconfig.Invalid.self) { try Kubeconfig(file: directory + "/missing") }
        let path = directory + "/kubeconfig"
        FileManager.default.createFile(atPath: path, contents: Data("apiVersion: v1\nkind: Config\ncurrent-context: gone\n".utf8))
        #expect { try Kubeconfig(file: path) } throws: { ($0 as? Kubeconfig.Invalid)?.description.contains("no context \"gone\"") == true }
    }
}
