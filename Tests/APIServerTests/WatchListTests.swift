import APIMachinery
@testable import APIServer
import Testing

/// WatchList (KEP-3157) as kube-apiserver serves it, with the watch cache
/// and straight from etcd: the state as ADDED events, a BOOKMARK annotated
/// k8s.io/initial-events-end, then the changes; kube's 422 for options
/// that do not go together.
@Suite struct WatchListTests {
    static let uri = "/api/v1/namespaces/default/configmaps"

    /// The events of a watch of `query` that lasts 4 s, while `during` runs
    /// once the watch has had a second to start (the writes then have 3 s,
    /// however loaded the machine running every suite at once).
    static func watch(_ api: TestAPI, _ query: String,
                      during: @escaping @Sendable () async throws -> Void) async throws -> [JSONValue] {
        async let reply = api.get("\(uri)?watch=true&timeoutSeconds=4&\(query)")
        try await Task.sleep(for: .seconds(1))
        try await during()
        let text = try await reply.text
        return text.split(separator: "\n").map { (try? JSONValue.parse(String($0))) ?? .null }
    }

    static func summary(_ events: [JSONValue]) -> [String] {
        events.map { event in
            let type = event["type"]?.stringValue ?? "?"
            let object = event["object"]
            if type == "BOOKMARK" {
                return "BOOKMARK " + (object?["metadata"]?["annotations"]?["k8s.io/initial-events-end"]?.stringValue ?? "-")
            }
            return "\(type) \(object?["metadata"]?["name"]?.stringValue ?? "?")"
        }
    }

    @Test(arguments: [true, false])
    func theStateComesAsAddedEventsThenABookmarkMarksTheirEndThenTheChanges(watchCache: Bool) async throws {
        try await TestAPI.run(configure: { $0.watchCache = watchCache }) { api in
            try await api.request(.post, Self.uri, json: configMap("a"))
            let b = try await api.request(.post, Self.uri, json: configMap("b"))
            let events = try await Self.watch(api, "sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true") {
                try await api.request(.post, Self.uri, json: configMap("c"))
            }
            #expect(Self.summary(events) == ["ADDED a", "ADDED b", "BOOKMARK true", "ADDED c"])
            // The bookmark is at the state the events showed, before "c".
            let marked = try #require(Int64(events[2]["object"]?["metadata"]?["resourceVersion"]?.stringValue ?? ""))
            let bVersion = try #require(Int64(b.json["metadata"]?["resourceVersion"]?.stringValue ?? ""))
            let cVersion = try #require(Int64(events[3]["object"]?["metadata"]?["resourceVersion"]?.stringValue ?? ""))
            #expect(marked >= bVersion && marked < cVersion)
            #expect(events[2]["object"]?["kind"] == "ConfigMap")
            #expect(events[2]["object"]?["apiVersion"] == "v1")
        }
    }

    @Test(arguments: [true, false])
    func withoutInitialEventsAWatchFromNowSeesOnlyLaterChanges(watchCache: Bool) async throws {
        try await TestAPI.run(configure: { $0.watchCache = watchCache }) { api in
            try await api.request(.post, Self.uri, json: configMap("a"))
            let events = try await Self.watch(api, "sendInitialEvents=false&resourceVersionMatch=NotOlderThan") {
                try await api.request(.post, Self.uri, json: configMap("b"))
            }
            #expect(Self.summary(events) == ["ADDED b"])
        }
    }

    @Test(arguments: [true, false])
    func aWatchFromAResourceVersionWithInitialEventsStartsWithTheStateAtLeastThatNew(watchCache: Bool) async throws {
        try await TestAPI.run(configure: { $0.watchCache = watchCache }) { api in
            let a = try await api.request(.post, Self.uri, json: configMap("a"))
            let version = try #require(a.json["metadata"]?["resourceVersion"]?.stringValue)
            try await api.request(.post, Self.uri, json: configMap("b"))
            let events = try await Self.watch(
                api, "sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=\(version)") {}
            #expect(Self.summary(events) == ["ADDED a", "ADDED b", "BOOKMARK true"])
        }
    }

    /// kube defaults a plain watch from "" or "0" to a WatchList, so the end
    /// of its initial events is marked too when bookmarks are allowed.
    @Test func aPlainWatchMarksTheEndOfItsInitialEventsOnlyWhenBookmarksAreAllowed() async throws {
        try await TestAPI.run { api in
            try await api.request(.post, Self.uri, json: configMap("a"))
            let plain = try await api.get("\(Self.uri)?watch=true&timeoutSeconds=1")
            #expect(Self.summary(plain.text.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }) == ["ADDED a"])
            let withBookmarks = try await api.get("\(Self.uri)?watch=true&timeoutSeconds=1&resourceVersion=0&allowWatchBookmarks=true")
            #expect(Self.summary(withBookmarks.text.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) })
                    == ["ADDED a", "BOOKMARK true"])
        }
    }

    @Test func optionsThatDoNotGoTogetherAre422AsKubeAnswersThem() async throws {
        try await TestAPI.run { api in
            let invalid = #"ListOptions.meta.k8s.io "" is invalid: "#
            let cases: [(String, String)] = [
                ("watch=true&sendInitialEvents=true",
                 "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"),
                ("watch=true&resourceVersion=5&resourceVersionMatch=NotOlderThan",
                 "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"),
                ("watch=true&sendInitialEvents=true&resourceVersionMatch=Exact&resourceVersion=5",
                 #"[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]"#),
                ("sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"),
            ]
            for (query, message) in cases {
                let reply = try await api.get("\(Self.uri)?\(query)")
                #expect(reply.status.code == 422, "\(query)")
                #expect(reply.reason == "Invalid", "\(query)")
                #expect(reply.json["message"]?.stringValue == invalid + message, "\(query)")
                #expect(reply.json["details"]?["kind"] == "ListOptions", "\(query)")
            }
            let junk = try await api.get("\(Self.uri)?watch=true&sendInitialEvents=maybe")
            #expect(junk.status.code == 400)
            #expect(junk.reason == "BadRequest")
        }
    }
}
