import CoreMetrics
import Hummingbird
import Prometheus
import Storage
import Synchronization

/// The server's Prometheus metrics, named and labelled as kube-apiserver's so
/// that dashboards and alerts written for it work unchanged:
/// apiserver_request_total, apiserver_request_duration_seconds,
/// apiserver_longrunning_requests (open watches) and, from the storage layer,
/// etcd_request_duration_seconds. Served as text at /metrics.
final class Metrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// For the storage layer, which measures through swift-metrics.
    let factory: any MetricsFactory

    /// kube-apiserver's buckets for request and etcd latencies (seconds).
    static let latencyBuckets: [Double] = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5,
                                           6, 8, 10, 15, 20, 30, 45, 60]
    static var requestTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "apiserver_request_total",
            helpText: "Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.")
    }
    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "apiserver_request_duration_seconds",
            helpText: "Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.")
    }
    static var longRunning: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "apiserver_longrunning_requests",
            helpText: "Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.")
    }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[EtcdRequestMetrics.name] = Self.latencyBuckets.map { .seconds($0) }
        self.factory = factory
    }

    /// What kube-apiserver labels a request with. Non-resource requests
    /// (discovery, health, /version, and paths naming no served resource)
    /// have only the verb, the HTTP method: labels never take values a client
    /// makes up, so bogus requests cannot grow the number of series.
    struct RequestLabels: Sendable, Hashable {
        var verb: String
        var group = ""
        var version = ""
        var resource = ""
        var subresource = ""
        var scope = ""
        var dryRun = ""

        static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT"]

        init(method: HTTPRequest.Method) {
            verb = Self.methods.contains(method.rawValue) ? method.rawValue : "other"
        }

        init(_ info: RequestInfo, method: HTTPRequest.Method, dryRun: Bool) {
            switch info.verb {
            case .get, .list, .watch, .deletecollection: verb = info.verb.rawValue.uppercased()
            case .create: verb = "POST"
            case .update: verb = "PUT"
            case .patch: verb = "PATCH"
            case .delete: verb = "DELETE"
            }
            group = info.group
            version = info.version
            resource = info.resource
            subresource = info.subresource ?? ""
            scope = info.name != nil ? "resource" : info.namespace != nil ? "namespace" : "cluster"
            self.dryRun = dryRun ? "All" : ""
        }

        var isWatch: Bool { verb == "WATCH" }

        var values: [(String, String)] {
            [("component", "apiserver"), ("dry_run", dryRun), ("group", group), ("resource", resource),
             ("scope", scope), ("subresource", subresource), ("verb", verb), ("version", version)]
        }
    }

    /// The counter and histogram of one label set, looked up in the registry
    /// once: building and validating label arrays on every request showed in profiles.
    private struct RequestSeries: Sendable {
        let total: Prometheus.Counter
        let duration: DurationHistogram
    }
    private struct SeriesKey: Hashable {
        var labels: RequestLabels
        var code: Int
    }
    private let requestSeries = Mutex<[SeriesKey: RequestSeries]>([:])

    func recordRequest(_ labels: RequestLabels, code: Int, duration: Duration) {
        let series = requestSeries.withLock { cache in
            let key = SeriesKey(labels: labels, code: code)
            if let known = cache[key] { return known }
            let made = RequestSeries(
                total: registry.makeCounter(descriptor: Self.requestTotal, labels: labels.values + [("code", String(code))]),
                duration: registry.makeDurationHistogram(descriptor: Self.requestDuration, labels: labels.values,
                                                         buckets: Self.latencyBuckets.map { .seconds($0) }))
            cache[key] = made
            return made
        }
        series.total.increment()
        series.duration.record(duration)
    }

    /// Counts an open long-running request (a watch) until the returned closure is called.
    func longRunningStarted(_ labels: RequestLabels) -> @Sendable () -> Void {
        let gauge = registry.makeGauge(descriptor: Self.longRunning,
                                       labels: labels.values.filter { $0.0 != "dry_run" })
        gauge.increment()
        return { gauge.decrement() }
    }

    /// Times a request: recorded when its response is ready, or for a watch
    /// when its stream ends, which is also when it stops counting as long-running.
    func instrument(_ response: Response, _ labels: RequestLabels, since start: ContinuousClock.Instant) -> Response {
        guard labels.isWatch, response.status == .ok else {
            recordRequest(labels, code: response.status.code, duration: ContinuousClock.now - start)
            return response
        }
        var response = response
        let body = response.body
        response.body = ResponseBody { [self] writer in
            let ended = longRunningStarted(labels)
            defer {
                ended()
                recordRequest(labels, code: 200, duration: ContinuousClock.now - start)
            }
            try await body.write(writer)
        }
        return response
    }

    /// GET /metrics: the Prometheus text exposition format.
    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
