import EtcdClient
import Foundation
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct AuthTests {
    @Test func userAndPasswordLogInAndSendTheToken() async throws {
        let server = try await TestEtcd.start(name: "auth")
        defer { server.kill() }
        // Turn auth on with etcd's own tool, as an operator would.
        try etcdctl(server, ["user", "add", "root", "--new-user-password=s3cret"])
        try etcdctl(server, ["auth", "enable"])

        var configuration = server.configuration
        configuration.username = "root"
        configuration.password = "s3cret"
        let client = try await EtcdClient.connect(configuration)
        _ = try await client.put(PutRequest(key: "/auth/k".bytes, value: "v".bytes))
        #expect(try await client.get("/auth/k".bytes)?.value.string == "v")
        // Streams carry the token too.
        let watch = try await client.watch(WatchOptions(key: "/auth/k".bytes))
        watch.cancel()

        let anonymous = try TestEtcd.client(server)
        await #expect(throws: EtcdError.self) { try await anonymous.get("/auth/k".bytes) }

        configuration.password = "wrong"
        do {
            _ = try await EtcdClient.connect(configuration)
            Issue.record("a wrong password logged in")
        } catch let error as EtcdError {
            #expect(error.message.contains("authentication failed"))
        }
    }

    private func etcdctl(_ server: EmbeddedEtcd, _ arguments: [String]) throws {
        let result = try runTool(["etcdctl", "--endpoints", server.clientURL] + arguments, environment: ["ETCDCTL_API": "3"])
        #expect(result.status == 0, "etcdctl \(arguments.joined(separator: " ")) failed")
    }
}
