import EtcdClient
import Foundation
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct FailureTests {
    @Test func deadEndpointFailsOverToTheNextOne() async throws {
        let live = try await TestEtcd.shared()
        let deadPort = try EmbeddedEtcd.freeLoopbackPort()
        var configuration = EtcdConfiguration(endpoints: ["http://127.0.0.1:\(deadPort)", live.clientURL])
        configuration.requestTimeout = .seconds(5)
        let client = try EtcdClient(configuration)
        #expect(client.currentEndpoint == 0)
        let key = (TestEtcd.uniquePrefix() + "k").bytes
        _ = try await client.put(PutRequest(key: key, value: "v".bytes))
        #expect(client.currentEndpoint == 1)
        #expect(try await client.get(key)?.value.string == "v")
    }

    @Test func everyEndpointDeadIsUnavailable() async throws {
        let port = try EmbeddedEtcd.freeLoopbackPort()
        let client = try EtcdClient(EtcdConfiguration(endpoints: ["127.0.0.1:\(port)"]))
        do {
            _ = try await client.get("/x".bytes)
            Issue.record("a call to a dead etcd succeeded")
        } catch let error as EtcdError {
            #expect(error.isUnavailable)
        }
    }

    /// `berth serve` run again on its data directory: the member listens
    /// on the ports it was made with, and what it stored is there.
    @Test func anEmbeddedEtcdStartsAgainOnItsDataDirectory() async throws {
        let directory = TestEtcd.temporaryDirectory("restart") + "/etcd"
        let first = try EmbeddedEtcd(dataDirectory: directory)
        try await first.start()
        _ = try await EtcdClient(first.configuration).put(PutRequest(key: "/kept".bytes, value: "yes".bytes))
        await first.stop()
        let again = try EmbeddedEtcd(dataDirectory: directory)
        #expect(again.peerPort == first.peerPort)
        try await again.start()
        defer { again.kill() }
        #expect(try await EtcdClient(again.configuration).get("/kept".bytes)?.value.string == "yes")
    }

    @Test func deadlineFires() async throws {
        let server = try await TestEtcd.start(name: "deadline")
        defer {
            kill(server.pid!, SIGCONT)
            server.kill()
        }
        let client = try TestEtcd.client(server, timeout: .seconds(2))
        _ = try await client.put(PutRequest(key: "/k".bytes, value: "v".bytes))
        // A frozen etcd keeps the connection open but never answers.
        kill(server.pid!, SIGSTOP)
        try await waitUntilStopped(server.pid!)
        let started = ContinuousClock.now
        do {
            _ = try await client.get("/k".bytes, revision: 0)
            Issue.record("a frozen etcd answered")
        } catch let error as EtcdError {
            #expect(error.isDeadlineExceeded)
        }
        do {
            _ = try await client.range(RangeRequest(key: "/k".bytes), timeout: .milliseconds(300))
        } catch let error as EtcdError {
            #expect(error.isDeadlineExceeded)
        }
        #expect(ContinuousClock.now - started < .seconds(30))
        kill(server.pid!, SIGCONT)
        #expect(try await client.get("/k".bytes)?.value.string == "v")
    }

    @Test func etcdKilledMidLoadGivesUnavailableThenRecovers() async throws {
        let server = try await TestEtcd.start(name: "kill")
        let client = try TestEtcd.client(server, timeout: .seconds(3))
        let load = Task {
            var acknowledged: [Int] = []
            var failures: [EtcdError] = []
            for index in 0..<100_000 {
                if Task.isCancelled { break }
                do {
                    _ = try await client.put(PutRequest(key: "/load/\(index)".bytes, value: "\(index)".bytes))
                    acknowledged.append(index)
                } catch let error as EtcdError {
                    failures.append(error)
                    try? await Task.sleep(for: .milliseconds(20))
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
            return (acknowledged, failures)
        }
        try await Task.sleep(for: .milliseconds(500))
        server.kill()
        try await Task.sleep(for: .seconds(1))
        // Same data directory and ports: the member comes back with its data.
        try await server.start()
        // Give the client time to reconnect and write again.
        try await Task.sleep(for: .seconds(3))
        load.cancel()
        let (acknowledged, failures) = await load.value
        defer { server.kill() }

        #expect(!failures.isEmpty)
        #expect(failures.allSatisfy { $0.isUnavailable || $0.isDeadlineExceeded })
        // Writes resumed after the restart...
        let stored = try await client.range(.prefix("/load/".bytes))
        let storedKeys = Set(stored.kvs.map { $0.key.string })
        // ...and every acknowledged write survived the crash.
        #expect(acknowledged.allSatisfy { storedKeys.contains("/load/\($0)") })
        let afterRestart = try #require(acknowledged.last)
        #expect(afterRestart > acknowledged.first!)
    }
}

/// SIGSTOP is delivered asynchronously; a request sent before the process is
/// actually stopped could still be answered.
private func waitUntilStopped(_ pid: Int32) async throws {
    for _ in 0..<200 {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        // The state follows the parenthesised command name: "123 (etcd) T ...".
        if let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)...].hasPrefix("T") { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("etcd (pid \(pid)) did not stop")
}
