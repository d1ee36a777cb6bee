import APIMachinery
import EtcdClient
import Storage
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(2))) struct StoreCRUDTests {
    @Test func createStoresAtTheKubeKeyWithoutResourceVersion() async throws {
        let prefix = TestEtcd.uniquePrefix()
        let store = try await configMapStore(prefix: prefix)
        let created = try await store.create(configMap("app", namespace: "team", data: ["k": "v"]))
        let revision = try #require(Int64(created.resourceVersion))

        let raw = try #require(try await store.client.get((prefix.dropLast() + "/configmaps/team/app").bytes))
        #expect(raw.modRevision == revision)
        let stored = try JSONValue.parse(raw.value)
        #expect(stored["metadata"]?["resourceVersion"] == nil)
        #expect(stored["apiVersion"] == "v1" && stored["kind"] == "ConfigMap" && stored["data"]?["k"] == "v")

        let read = try await store.get(ObjectKey(namespace: "team", name: "app"))
        #expect(read == created)
    }

    @Test func createTwiceIsAlreadyExists() async throws {
        let store = try await configMapStore()
        _ = try await store.create(configMap("dup"))
        let error = await expectStorageError(.keyExists) { _ = try await store.create(configMap("dup")) }
        #expect(error?.key.hasSuffix("/configmaps/default/dup") == true)
    }

    @Test func getMissingIsNotFoundAndFutureResourceVersionIsTooLarge() async throws {
        let store = try await configMapStore()
        await expectStorageError(.keyNotFound) { _ = try await store.get(ObjectKey(namespace: "default", name: "none")) }
        let created = try await store.create(configMap("x"))
        let current = try #require(Int64(created.resourceVersion))
        #expect(try await store.get(ObjectKey(namespace: "default", name: "x"), resourceVersion: "0") == created)
        #expect(try await store.get(ObjectKey(namespace: "default", name: "x"), resourceVersion: String(current)) == created)
        let error = await expectAPIError(504, .timeout) {
            _ = try await store.get(ObjectKey(namespace: "default", name: "x"), resourceVersion: String(current + 1_000_000))
        }
        #expect(error?.message.hasPrefix("Too large resource version: \(current + 1_000_000), current: ") == true)
        #expect(error?.causes.first?.type == "ResourceVersionTooLarge")
        await expectAPIError(400, .badRequest) { _ = try await store.get(ObjectKey(namespace: "default", name: "x"), resourceVersion: "abc") }
    }

    @Test func badKeysAndObjectsAreClearErrors() async throws {
        let store = try await configMapStore()
        let empty = await expectAPIError(400, .badRequest) { _ = try await store.create(configMap("")) }
        #expect(empty?.message == "Name parameter required.")
        let slash = await expectAPIError(400, .badRequest) { _ = try await store.get(ObjectKey(namespace: "default", name: "a/b")) }
        #expect(slash?.message == #"Name parameter invalid: "a/b": may not contain '/'"#)
        await expectAPIError(400, .badRequest) { _ = try await store.get(ObjectKey(namespace: "default", name: "..")) }
        await expectAPIError(400, .badRequest) { _ = try await store.get(ObjectKey(namespace: "default", name: "50%")) }
        let noNamespace = await expectAPIError(400, .badRequest) { _ = try await store.create(configMap("x", namespace: "")) }
        #expect(noNamespace?.message == "Namespace parameter required.")
        await expectAPIError(400, .badRequest) { _ = try await store.list(namespace: "a/b") }

        var withVersion = configMap("versioned")
        withVersion.resourceVersion = "5"
        await expectStorageError(.invalidObject) { _ = try await store.create(withVersion) }
        var kindless = configMap("kindless")
        kindless.json["kind"] = nil
        let refused = await expectStorageError(.invalidObject) { _ = try await store.create(kindless) }
        #expect(refused?.detail == "refusing to store an object without apiVersion and kind")
        // Nothing was written by the refused requests.
        #expect(try await store.count() == 0)
    }

    @Test func valuesOverEtcdsLimitAreRequestEntityTooLarge() async throws {
        let store = try await configMapStore()
        let big = String(repeating: "x", count: 2 << 20)
        await expectAPIError(413, .requestEntityTooLarge) { _ = try await store.create(configMap("big", data: ["k": big])) }
        await expectStorageError(.keyNotFound) { _ = try await store.get(ObjectKey(namespace: "default", name: "big")) }
    }

    @Test func clusterScopedKeysHaveNoNamespace() async throws {
        let prefix = TestEtcd.uniquePrefix()
        let server = try await TestEtcd.shared()
        let store = Store(client: try TestEtcd.client(server), resource: GroupResource(resource: "namespaces"),
                          keys: ResourceKeys(prefix: prefix, resourcePath: "namespaces", namespaced: false))
        _ = try await store.create(APIObject(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "prod"]]))
        #expect(try await store.client.get((prefix.dropLast() + "/namespaces/prod").bytes) != nil)
    }

    @Test func guaranteedUpdateRetriesConcurrentWritersWithoutLosingOne() async throws {
        let store = try await configMapStore()
        _ = try await store.create(configMap("counter", data: ["n": "0"]))
        let key = ObjectKey(namespace: "default", name: "counter")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    _ = try await store.guaranteedUpdate(key) { current in
                        var object = try #require(current)
                        let n = Int(object.json["data"]?["n"]?.stringValue ?? "0")! + 1
                        object.json["data"]?["n"] = .string(String(n))
                        return object
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.get(key).json["data"]?["n"] == "20")
    }

    @Test func guaranteedUpdateHonoursPreconditionsAndSkipsNoOps() async throws {
        let store = try await configMapStore()
        var created = try await store.create(configMap("p", data: ["a": "1"]))
        created.uid = "uid-1"
        let key = ObjectKey(namespace: "default", name: "p")
        let withUID = try await store.guaranteedUpdate(key) { _ in created }
        #expect(withUID.resourceVersion != created.resourceVersion)

        let same = try await store.guaranteedUpdate(key) { current in try #require(current) }
        #expect(same.resourceVersion == withUID.resourceVersion)  // nothing written

        let wrongUID = await expectStorageError(.resourceVersionConflicts) {
            _ = try await store.guaranteedUpdate(key, preconditions: Preconditions(uid: "other")) { $0! }
        }
        #expect(wrongUID?.detail == "Precondition failed: UID in precondition: other, UID in object meta: uid-1")
        await expectStorageError(.resourceVersionConflicts) {
            _ = try await store.guaranteedUpdate(key, preconditions: Preconditions(resourceVersion: created.resourceVersion)) { $0! }
        }
        await expectStorageError(.keyNotFound) {
            _ = try await store.guaranteedUpdate(ObjectKey(namespace: "default", name: "absent")) { $0! }
        }
        // ignoreNotFound lets an update create the object (PUT that creates).
        let made = try await store.guaranteedUpdate(ObjectKey(namespace: "default", name: "absent"), ignoreNotFound: true) { current in
            #expect(current == nil)
            return configMap("absent")
        }
        #expect(try await store.get(ObjectKey(namespace: "default", name: "absent")) == made)
        // An error thrown by the update function writes nothing.
        await expectAPIError(422, .invalid) {
            _ = try await store.guaranteedUpdate(key) { _ in throw APIError.invalid("ConfigMap", "p", []) }
        }
        #expect(try await store.get(key).resourceVersion == withUID.resourceVersion)
    }

    @Test func deleteReturnsTheDeletedObjectAndHonoursPreconditions() async throws {
        let store = try await configMapStore()
        var object = configMap("d", data: ["k": "v"])
        object.uid = "u1"
        let created = try await store.create(object)
        let key = ObjectKey(namespace: "default", name: "d")
        await expectStorageError(.resourceVersionConflicts) { _ = try await store.delete(key, preconditions: Preconditions(uid: "u2")) }
        await expectStorageError(.resourceVersionConflicts) { _ = try await store.delete(key, preconditions: Preconditions(resourceVersion: "1")) }
        await expectAPIError(422, .invalid) {
            _ = try await store.delete(key) { _ in throw APIError.invalid("ConfigMap", "d", []) }
        }
        let deleted = try await store.delete(key, preconditions: Preconditions(uid: "u1", resourceVersion: created.resourceVersion))
        #expect(deleted.json["data"]?["k"] == "v")
        #expect(Int64(deleted.resourceVersion)! > Int64(created.resourceVersion)!)
        await expectStorageError(.keyNotFound) { _ = try await store.get(key) }
        await expectStorageError(.keyNotFound) { _ = try await store.delete(key) }
    }

    @Test func ttlExpiresTheObjectThroughALease() async throws {
        let store = try await configMapStore()
        // Long enough to read it back on a loaded machine, short enough to wait
        // for. A machine stalled for longer than the TTL between the grant and
        // the write sees the lease expire first (a 500 naming it); try again then.
        var created = ContinuousClock.now
        for attempt in 1...3 {
            do {
                created = ContinuousClock.now
                _ = try await store.create(configMap("event"), ttl: 3)
                break
            } catch let error as EtcdError where error.message.contains("lease not found") && attempt < 3 {
                continue
            }
        }
        let key = ObjectKey(namespace: "default", name: "event")
        do {
            #expect(try await store.get(key).name == "event")
        } catch let error as StorageError where error.code == .keyNotFound {
            // Only a machine stalled past the TTL may miss it here.
            #expect(ContinuousClock.now - created >= .seconds(3), "gone before its TTL")
        }
        var gone = false
        for _ in 0..<100 where !gone {
            try await Task.sleep(for: .milliseconds(100))
            gone = (try? await store.get(key)) == nil
        }
        #expect(gone)
    }

    @Test func objectsWrittenTogetherShareOneLease() async throws {
        let store = try await configMapStore()
        _ = try await store.create(configMap("first"), ttl: 3600)
        _ = try await store.create(configMap("second"), ttl: 3600)
        var leases: [Int64] = []
        for name in ["first", "second"] {
            let key = try store.keys.key(ObjectKey(namespace: "default", name: name))
            leases.append(try #require(try await store.client.range(RangeRequest(key: Array(key.utf8))).kvs.first).lease)
        }
        #expect(leases[0] != 0)
        #expect(leases[0] == leases[1], "one grant for both, as kube-apiserver's lease manager does")
        let remaining = try await store.client.leaseTimeToLive(id: leases[0]).ttl
        #expect(remaining > 3600, "granted with the reuse margin on top of the TTL")
    }

    @Test func theTransformerSeesEveryValueOnItsWayInAndOut() async throws {
        let prefix = TestEtcd.uniquePrefix()
        let store = try await configMapStore(prefix: prefix, transformer: PrefixTransformer())
        let created = try await store.create(configMap("secretish", data: ["k": "v"]))
        let raw = try #require(try await store.client.get((prefix.dropLast() + "/configmaps/default/secretish").bytes))
        #expect(raw.value.starts(with: "enc:".bytes))
        #expect(try await store.get(ObjectKey(namespace: "default", name: "secretish")) == created)
        #expect(try await store.list().items == [created])
    }

    @Test func etcdDownIsServiceUnavailable() async throws {
        let server = try await TestEtcd.start(name: "store-down")
        let store = try await configMapStore(server)
        _ = try await store.create(configMap("x"))
        server.kill()
        let error = await expectAPIError(503, .serviceUnavailable) { _ = try await store.get(ObjectKey(namespace: "default", name: "x")) }
        #expect(error?.retryAfterSeconds == 1)
        await expectAPIError(503, .serviceUnavailable) { _ = try await store.create(configMap("y")) }
        try await server.start()
        // The client reconnects by itself; a caller retrying after a 503 gets through.
        var read: APIObject?
        for _ in 0..<100 where read == nil {
            read = try? await store.get(ObjectKey(namespace: "default", name: "x"))
            if read == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(read?.name == "x")
        server.kill()
    }
}

/// A stand-in for encryption: marks values so the test can see the
/// transformer ran in both directions.
struct PrefixTransformer: ValueTransformer {
    func transformToStorage(_ data: [UInt8], key: [UInt8]) async throws -> [UInt8] { "enc:".bytes + data }
    func transformFromStorage(_ data: [UInt8], key: [UInt8]) async throws -> (data: [UInt8], stale: Bool) {
        guard data.starts(with: "enc:".bytes) else { throw APIError.internalError("value was not transformed") }
        return (Array(data.dropFirst(4)), false)
    }
}
