import APIMachinery
import CoreMetrics
import Logging

/// How long each etcd request of one resource's store takes, reported as
/// kube-apiserver reports it: `etcd_request_duration_seconds` by operation
/// and type (the resource). The factory is injected rather than taken from
/// the process-wide MetricsSystem, so each server (and each test) counts
/// only its own requests.
public struct EtcdRequestMetrics: Sendable {
    public enum Operation: String, Sendable, CaseIterable {
        case get, list, count, create, update, delete, watch, grant
    }

    public static let name = "etcd_request_duration_seconds"
    private let timers: [Operation: Timer]
    private let type: String
    /// A request slower than this is logged, as kube-apiserver traces slow
    /// storage calls: the log then says where a slow answer's time went.
    static let slow: Duration = .seconds(2)
    private static let logger = Logger(label: "berth.etcd-requests")

    public init(resource: GroupResource, factory: any MetricsFactory) {
        let type = resource.description
        self.type = type
        timers = Dictionary(uniqueKeysWithValues: Operation.allCases.map { operation in
            (operation, Timer(label: Self.name, dimensions: [("operation", operation.rawValue), ("type", type)],
                              factory: factory))
        })
    }

    /// Metrics that go nowhere, for stores nobody measures.
    public static func unmeasured(_ resource: GroupResource) -> EtcdRequestMetrics {
        EtcdRequestMetrics(resource: resource, factory: NOOPMetricsHandler.instance)
    }

    /// Runs one etcd request and records how long it took, failed or not.
    func measure<T>(_ operation: Operation, _ request: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        var failure: (any Error)?
        defer {
            let duration = ContinuousClock.now - start
            let elapsed = duration.components
            timers[operation]?.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
            if duration > Self.slow {
                Self.logger.warning("slow etcd request", metadata: [
                    "operation": "\(operation.rawValue)", "type": "\(type)", "seconds": "\(duration)",
                    "error": "\(failure.map { "\($0)" } ?? "none")",
                ])
            }
        }
        do {
            return try await request()
        } catch {
            failure = error
            throw error
        }
    }
}
