import APIMachinery
import EtcdClient
import Storage
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct StoreListTests {
    @Test func listsOneNamespaceOrAll() async throws {
        let store = try await configMapStore()
        for (namespace, name) in [("a", "1"), ("a", "2"), ("b", "1"), ("ab", "1")] {
            _ = try await store.create(configMap(name, namespace: namespace))
        }
        #expect(try await store.list(namespace: "a").items.map(\.name) == ["1", "2"])
        // "a" must not pick up namespace "ab".
        #expect(try await store.list().items.count == 4)
        let all = try await store.list()
        #expect(all.items.allSatisfy { Int64($0.resourceVersion)! <= Int64(all.resourceVersion)! })
        #expect(all.continueToken.isEmpty && all.remainingItemCount == nil)
        #expect(try await store.count(namespace: "a") == 2)
    }

    @Test func pagesAreOneSnapshot() async throws {
        let store = try await configMapStore()
        for index in 0..<10 { _ = try await store.create(configMap(String(format: "cm-%02d", index))) }
        var page = try await store.list(namespace: "default", ListOptions(limit: 4))
        #expect(page.items.map(\.name) == ["cm-00", "cm-01", "cm-02", "cm-03"])
        #expect(page.remainingItemCount == 6 && !page.continueToken.isEmpty)
        let snapshot = page.resourceVersion

        // Changes after the first page do not show on later pages.
        _ = try await store.create(configMap("cm-05a"))
        _ = try await store.delete(ObjectKey(namespace: "default", name: "cm-09"))

        var names = page.items.map(\.name)
        while !page.continueToken.isEmpty {
            page = try await store.list(namespace: "default", ListOptions(limit: 4, continueToken: page.continueToken))
            #expect(page.resourceVersion == snapshot)
            names += page.items.map(\.name)
        }
        #expect(names == (0..<10).map { String(format: "cm-%02d", $0) })
    }

    @Test func filteredPagesFillUpToTheLimit() async throws {
        let store = try await configMapStore()
        for index in 0..<30 {
            _ = try await store.create(configMap(String(format: "f-%02d", index), labels: ["even": index % 2 == 0 ? "yes" : "no"]))
        }
        let even = SelectionPredicate(labels: try LabelSelector(parsing: "even=yes")) { _ in [:] }
        var page = try await store.list(namespace: "default", ListOptions(limit: 4, filter: even))
        var names = page.items.map(\.name)
        #expect(page.items.count == 4 && page.remainingItemCount == nil)
        while !page.continueToken.isEmpty {
            page = try await store.list(namespace: "default", ListOptions(limit: 4, continueToken: page.continueToken, filter: even))
            names += page.items.map(\.name)
        }
        #expect(names == stride(from: 0, to: 30, by: 2).map { String(format: "f-%02d", $0) })
    }

    @Test func resourceVersionSemantics() async throws {
        let store = try await configMapStore()
        let first = try await store.create(configMap("one"))
        _ = try await store.create(configMap("two"))
        let current = try await store.list()
        #expect(current.items.count == 2)

        // Exact: the state at that revision.
        let exact = try await store.list(ListOptions(resourceVersion: first.resourceVersion, resourceVersionMatch: .exact))
        #expect(exact.items.map(\.name) == ["one"] && exact.resourceVersion == first.resourceVersion)
        // A limit with a resourceVersion and no match is exact too (legacy paging).
        let legacy = try await store.list(ListOptions(resourceVersion: first.resourceVersion, limit: 10))
        #expect(legacy.items.map(\.name) == ["one"])
        // NotOlderThan (and no match without a limit): the newest state.
        let notOlder = try await store.list(ListOptions(resourceVersion: first.resourceVersion, resourceVersionMatch: .notOlderThan))
        #expect(notOlder.items.count == 2)
        #expect(try await store.list(ListOptions(resourceVersion: first.resourceVersion)).items.count == 2)
        #expect(try await store.list(ListOptions(resourceVersion: "0")).items.count == 2)

        let future = String(Int64(current.resourceVersion)! + 1_000_000)
        await expectAPIError(504, .timeout) { _ = try await store.list(ListOptions(resourceVersion: future)) }
        let futureExact = await expectAPIError(504, .timeout) {
            _ = try await store.list(ListOptions(resourceVersion: future, resourceVersionMatch: .exact))
        }
        // etcd's real revision (other tests share this etcd, so it may have
        // moved on), not one less than the one asked for.
        let prefix = "Too large resource version: \(future), current: "
        let reported = futureExact.flatMap { $0.message.hasPrefix(prefix) ? Int64($0.message.dropFirst(prefix.count)) : nil }
        #expect(reported.map { $0 >= Int64(current.resourceVersion)! && $0 < Int64(future)! - 1 } == true)
    }

    @Test func invalidListOptionsAreRejected() async throws {
        let store = try await configMapStore()
        let noVersion = await expectAPIError(422, .invalid) { _ = try await store.list(ListOptions(resourceVersionMatch: .exact)) }
        #expect(noVersion?.message == #"ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"#)
        await expectAPIError(422, .invalid) { _ = try await store.list(ListOptions(resourceVersion: "0", resourceVersionMatch: .exact)) }
        await expectAPIError(400, .badRequest) { _ = try await store.list(ListOptions(resourceVersion: "x")) }
        await expectAPIError(400, .badRequest) { _ = try await store.list(ListOptions(continueToken: "not-a-token")) }
        // A well-formed token that tries to escape the listed prefix.
        let escaping = ContinueToken(revision: 5, startKey: "/other/../../secrets/").encode(prefix: "/")
        await expectAPIError(400, .badRequest) { _ = try await store.list(ListOptions(continueToken: escaping)) }
        let page = try await store.list(ListOptions(limit: 1))
        await expectAPIError(400, .badRequest) {
            _ = try await store.list(ListOptions(resourceVersion: "5", continueToken: page.continueToken.isEmpty ? "x" : page.continueToken))
        }
    }

    @Test func nonPositiveLimitMeansNoLimit() async throws {
        let store = try await configMapStore()
        for name in ["a", "b", "c"] { _ = try await store.create(configMap(name)) }
        // kube-apiserver answers limit=-1 with the whole list, not 422.
        let all = try await store.list(ListOptions(limit: -1))
        #expect(all.items.count == 3 && all.continueToken.isEmpty)
    }

    @Test func continueTokenRoundTripsInKubesFormat() throws {
        let token = ContinueToken(revision: 42, startKey: "/registry/configmaps/default/b\u{0}")
        let encoded = token.encode(prefix: "/registry/configmaps/")
        #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
        #expect(try ContinueToken.decode(encoded, prefix: "/registry/configmaps/") == token)
        let json = try JSONValue.parse(Array(Data(base64Encoded: encoded.padded)!))
        #expect(json == ["v": "meta.k8s.io/v1", "rv": 42, "start": "default/b\u{0}"])
    }

    @Test func paginatedListFromACompactedRevisionIsExpired() async throws {
        let server = try await TestEtcd.start(name: "compact-list")
        defer { server.kill() }
        let store = try await configMapStore(server)
        for index in 0..<6 { _ = try await store.create(configMap("c\(index)")) }
        let page = try await store.list(ListOptions(limit: 2))
        let last = try await store.create(configMap("late"))
        try await store.client.compact(revision: Int64(last.resourceVersion)!, physical: true)

        let expired = await expectAPIError(410, .expired) { _ = try await store.list(ListOptions(limit: 2, continueToken: page.continueToken)) }
        #expect(expired?.message.hasPrefix("The provided continue parameter is too old") == true)
        // The Status carries a token that goes on at the newest revision.
        let inconsistent = try #require(expired?.continueToken)
        let rest = try await store.list(ListOptions(limit: 100, continueToken: inconsistent))
        #expect(rest.items.map(\.name) == ["c2", "c3", "c4", "c5", "late"])

        let old = await expectAPIError(410, .expired) {
            _ = try await store.list(ListOptions(resourceVersion: page.resourceVersion, resourceVersionMatch: .exact))
        }
        #expect(old?.message == "The resourceVersion for the provided list is too old.")
    }
}

import Foundation

extension String {
    /// Base64url without padding, padded back for Foundation.
    var padded: String {
        var text = replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return text
    }
}
