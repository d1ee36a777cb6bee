import APIMachinery
import Testing

/// /metrics as Prometheus scrapes it, with kube-apiserver's metric and label names.
@Suite(.timeLimit(.minutes(2)))
struct MetricsTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    @Test func countsRequestsByVerbResourceScopeAndCode() async throws {
        try await TestAPI.run { api in
            try await api.request(.post, Self.configMaps, json: configMap("m"))
            try await api.get("\(Self.configMaps)/m")
            try await api.get("\(Self.configMaps)/missing")
            try await api.get("/api/v1/configmaps")
            try await api.request(.post, "\(Self.configMaps)?dryRun=All", json: configMap("dry"))
            try await api.get("/api/v1/namespaces/default/made-up-things")

            let scrape = try await api.get("/metrics")
            #expect(scrape.status == .ok)
            #expect(scrape.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let metrics = PrometheusText(scrape.text)
            let configMapLabels = ["component": "apiserver", "group": "", "version": "v1", "resource": "configmaps",
                                   "subresource": ""]
            #expect(metrics.value("apiserver_request_total",
                                  configMapLabels.merging(["verb": "POST", "scope": "namespace", "code": "201", "dry_run": ""]) { $1 }) == 1)
            #expect(metrics.value("apiserver_request_total",
                                  configMapLabels.merging(["verb": "POST", "code": "201", "dry_run": "All"]) { $1 }) == 1)
            #expect(metrics.value("apiserver_request_total",
                                  configMapLabels.merging(["verb": "GET", "scope": "resource", "code": "200"]) { $1 }) == 1)
            #expect(metrics.value("apiserver_request_total",
                                  configMapLabels.merging(["verb": "GET", "scope": "resource", "code": "404"]) { $1 }) == 1)
            #expect(metrics.value("apiserver_request_total",
                                  configMapLabels.merging(["verb": "LIST", "scope": "cluster", "code": "200"]) { $1 }) == 1)
            // A path naming no served resource is counted without its made-up name.
            #expect(metrics.value("apiserver_request_total", ["resource": "made-up-things"]) == nil)
            #expect(metrics.value("apiserver_request_total", ["verb": "GET", "resource": "", "code": "404"]) == 1)
            // A latency histogram per verb and resource, with kube's buckets.
            #expect(metrics.value("apiserver_request_duration_seconds_count", ["verb": "GET", "resource": "configmaps"]) == 2)
            #expect(metrics.value("apiserver_request_duration_seconds_bucket",
                                  ["verb": "GET", "resource": "configmaps", "le": "60.0"]) == 2)
            // etcd latency by operation, with the resource as type (reads
            // come from the watch cache, which lists once to fill itself).
            #expect(metrics.value("etcd_request_duration_seconds_count", ["operation": "create", "type": "configmaps"]) == 1)
            #expect((metrics.value("etcd_request_duration_seconds_count", ["operation": "list", "type": "configmaps"]) ?? 0) >= 1)
        }
    }

    @Test func countsOpenWatchesUntilTheyEnd() async throws {
        try await TestAPI.run { api in
            let watchLabels = ["verb": "WATCH", "resource": "configmaps", "scope": "namespace"]
            async let watch = api.get("\(Self.configMaps)?watch=true&timeoutSeconds=2")
            var open: Double?
            for _ in 0..<40 where open != 1 {
                try await Task.sleep(for: .milliseconds(50))
                open = PrometheusText(try await api.get("/metrics").text).value("apiserver_longrunning_requests", watchLabels)
            }
            #expect(open == 1)
            #expect(try await watch.status == .ok)
            let after = PrometheusText(try await api.get("/metrics").text)
            #expect(after.value("apiserver_longrunning_requests", watchLabels) == 0)
            // A watch is counted when it ends, with its whole duration.
            #expect(after.value("apiserver_request_total", watchLabels.merging(["code": "200"]) { $1 }) == 1)
            #expect((after.value("apiserver_request_duration_seconds_sum", watchLabels) ?? 0) >= 1.5)
        }
    }
}

/// The samples of a Prometheus text exposition, looked up by name and a subset of labels.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let samples: [Sample]

    init(_ text: String) {
        samples = text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[space...].dropFirst())
            else { return nil }
            let series = line[..<space]
            guard let open = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            // Label values here never hold commas or escaped quotes.
            for pair in series[series.index(after: open)..<series.index(before: series.endIndex)].split(separator: ",") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                labels[String(pair[..<equals])] = String(pair[pair.index(after: equals)...].dropFirst().dropLast())
            }
            return Sample(name: String(series[..<open]), labels: labels, value: value)
        }
    }

    /// The sum of the samples named `name` whose labels include `labels`; nil when there are none.
    func value(_ name: String, _ labels: [String: String]) -> Double? {
        let matching = samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
        return matching.isEmpty ? nil : matching.map(\.value).reduce(0, +)
    }
}
