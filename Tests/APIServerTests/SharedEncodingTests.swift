import APIMachinery
@testable import APIServer
import Registry
import Storage
import Testing

/// The watch cache's objects are serialized once per form and the bytes
/// shared by every get, list and watch event that sends them (kube's
/// CachingObject); the shared bytes are the ones each answer would have
/// encoded for itself, and a changed object never keeps its old bytes.
@Suite struct SharedEncodingTests {
    static let format = ResponseFormat(serialization: .json, shape: .object, pretty: false)

    static func sample(_ name: String, encodings: SharedEncodings? = nil) -> APIObject {
        var object = APIObject(configMap(name, namespace: "default", data: ["k": "v \"quoted\" ü\n"]))
        object.resourceVersion = "42"
        object.encodings = encodings
        return object
    }

    /// `name` read through `store`; when `shared`, read again (for up to
    /// 5 s) until the answer comes from the filled cache.
    static func read(_ store: ResourceStore, _ name: String, shared: Bool) async throws -> APIObject {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let object = try await store.get(namespace: "default", name: name)
            if !shared || object.encodings != nil || ContinuousClock.now > deadline { return object }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func shapes(_ api: TestAPI) throws -> ObjectShapes {
        ObjectShapes(definition: try #require(api.server.registry.store(group: "", version: "v1", resource: "configmaps")).definition)
    }

    @Test func watchLinesGetsAndListsFromSharedBytesAreTheBytesOfTheirOwnEncoding() async throws {
        try await TestAPI.run { api in
            let shapes = try Self.shapes(api)
            let handler = WatchHandler(minimumTimeout: .seconds(1))
            for type in [StorageWatchEvent.EventType.added, .modified, .deleted] {
                let own = handler.encode(StorageWatchEvent(type: type, object: Self.sample("x")), shapes: shapes,
                                         format: Self.format, includeObject: .metadata, withHeaders: false)
                let shared = handler.encode(StorageWatchEvent(type: type, object: Self.sample("x", encodings: SharedEncodings())),
                                            shapes: shapes, format: Self.format, includeObject: .metadata, withHeaders: false)
                #expect(shared == own)
            }

            let get = try #require(shapes.sharedBody(Self.sample("x", encodings: SharedEncodings()), Self.format))
            #expect(get == ObjectCoding.encode(shapes.render(Self.sample("x"), Self.format, includeObject: .metadata), Self.format))

            for items in [[], [Self.sample("a")], [Self.sample("a"), Self.sample("b")]] {
                let result = ListResult(items: items, resourceVersion: "43", continueToken: items.isEmpty ? "" : "token",
                                        remainingItemCount: items.count == 2 ? 5 : nil)
                var sharing = result
                sharing.items = items.map { var item = $0; item.encodings = SharedEncodings(); return item }
                let list = try #require(shapes.sharedBody(sharing, Self.format)).joined
                #expect(list == ObjectCoding.encode(shapes.render(result, Self.format, includeObject: .metadata), Self.format))
            }
            // Other forms are encoded as before.
            #expect(shapes.sharedBody(Self.sample("x", encodings: SharedEncodings()),
                                      ResponseFormat(serialization: .json, shape: .object, pretty: true)) == nil)
            #expect(shapes.sharedBody(Self.sample("x", encodings: SharedEncodings()),
                                      ResponseFormat(serialization: .yaml, shape: .object, pretty: false)) == nil)
            #expect(shapes.sharedBody(Self.sample("x", encodings: SharedEncodings()),
                                      ResponseFormat(serialization: .json, shape: .table, pretty: false)) == nil)
        }
    }

    /// As the watch cache keeps it: the object's wire-ordered JSON, which
    /// a JSON get, list or watch line at its own version sends as it is.
    static func encodedSample(_ name: String, apiVersion: String = "v1") -> APIObject {
        var tree = sample(name).json
        tree["apiVersion"] = .string(apiVersion)
        return APIObject(encodedJSON: WireOrder.object(tree).serialized(), apiVersion: apiVersion, kind: "ConfigMap",
                         encodings: SharedEncodings())
    }

    @Test func objectsKeptAsTheirEncodedJSONAnswerTheBytesOfTheirOwnEncoding() async throws {
        try await TestAPI.run { api in
            let shapes = try Self.shapes(api)
            let handler = WatchHandler(minimumTimeout: .seconds(1))
            // At the served version the kept bytes are sent; at another one
            // (a stored version that is not served) the object is encoded.
            for apiVersion in ["v1", "v0"] {
                var own = Self.sample("x")
                own.apiVersion = apiVersion
                let line = handler.encode(StorageWatchEvent(type: .added, object: Self.encodedSample("x", apiVersion: apiVersion)),
                                          shapes: shapes, format: Self.format, includeObject: .metadata, withHeaders: false)
                #expect(line == handler.encode(StorageWatchEvent(type: .added, object: own), shapes: shapes,
                                               format: Self.format, includeObject: .metadata, withHeaders: false))
                let get = try #require(shapes.sharedBody(Self.encodedSample("x", apiVersion: apiVersion), Self.format))
                #expect(get == ObjectCoding.encode(shapes.render(own, Self.format, includeObject: .metadata), Self.format))
            }
            for names in [["a"], ["a", "b"]] {
                let list = try #require(shapes.sharedBody(ListResult(items: names.map { Self.encodedSample($0) }, resourceVersion: "43"),
                                                          Self.format)).joined
                let own = ListResult(items: names.map { Self.sample($0) }, resourceVersion: "43")
                #expect(list == ObjectCoding.encode(shapes.render(own, Self.format, includeObject: .metadata), Self.format))
            }
        }
    }

    @Test func eachFormIsEncodedOnceAndAChangedObjectDropsItsBytes() async throws {
        try await TestAPI.run { api in
            let shapes = try Self.shapes(api)
            let shared = SharedEncodings()
            var object = Self.sample("x", encodings: shared)
            let first = shapes.objectBytes(object, shared: shared)
            var encodedAgain = false
            let second = shared.bytes("json object v1 ConfigMap") {
                encodedAgain = true
                return []
            }
            #expect(!encodedAgain && second == first)

            object.json["data"] = ["k": "changed"]
            #expect(object.encodings == nil)
            var relabelled = Self.sample("y", encodings: SharedEncodings())
            relabelled.resourceVersion = "43"
            #expect(relabelled.encodings == nil)
        }
    }

    @Test func objectsReadThroughTheWatchCacheShareTheirEncodingsAndStraightFromEtcdDoNot() async throws {
        for watchCache in [true, false] {
            try await TestAPI.run(configure: { $0.watchCache = watchCache }) { api in
                try await api.request(.post, "/api/v1/namespaces/default/configmaps", json: configMap("x"))
                let store = try #require(api.server.registry.store(group: "", version: "v1", resource: "configmaps"))
                // Until the cache has filled, reads go to etcd: wait for that first.
                let read = try await Self.read(store, "x", shared: watchCache)
                let listed = try await store.list(namespace: "default", ListQuery())
                #expect((read.encodings != nil) == watchCache)
                #expect(listed.items.allSatisfy { ($0.encodings != nil) == watchCache })
                // The answers are the same either way.
                let get = try await api.get("/api/v1/namespaces/default/configmaps/x")
                #expect(get.json["metadata"]?["name"] == "x" && get.json["kind"] == "ConfigMap")
                let list = try await api.get("/api/v1/namespaces/default/configmaps")
                #expect(list.json["items"]?[0]?["metadata"]?["name"] == "x" && list.json["items"]?[0]?["kind"] == nil)
            }
        }
    }

    /// core/v1 and events.k8s.io/v1 serve one stored Event: each view keeps
    /// its own bytes in the object's shared encodings.
    @Test func oneStoredObjectServedAtTwoVersionsKeepsEachVersionsOwnBytes() async throws {
        try await TestAPI.run { api in
            try await api.request(.post, VersionTests.coreEvents, json: VersionTests.coreEvent("e"))
            let store = try #require(api.server.registry.store(group: "events.k8s.io", version: "v1", resource: "events"))
            #expect(try await Self.read(store, "e", shared: true).encodings != nil)
            for _ in 0..<2 {
                let modern = try await api.get("\(VersionTests.newEvents)/e")
                #expect(modern.json["apiVersion"] == "events.k8s.io/v1" && modern.json["note"] == "Started container web")
                let legacy = try await api.get("\(VersionTests.coreEvents)/e")
                #expect(legacy.json["apiVersion"] == "v1" && legacy.json["message"] == "Started container web")
                let modernList = try await api.get(VersionTests.newEvents)
                #expect(modernList.json["items"]?[0]?["note"] == "Started container web")
                let legacyList = try await api.get(VersionTests.coreEvents)
                #expect(legacyList.json["items"]?[0]?["message"] == "Started container web")
            }
        }
    }
}
