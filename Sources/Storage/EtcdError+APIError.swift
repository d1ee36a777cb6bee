import APIMachinery
import EtcdClient

extension EtcdError {
    /// The Status a client sees for an etcd failure: the registry's answer
    /// to one a storage call threw, and a watch's ERROR event. etcd being
    /// down or leaderless is 503 (retry later), a missed deadline 504, an
    /// oversized request 413; anything unexpected is a 500.
    public func apiError() -> APIError {
        if isUnavailable {
            var error = APIError.serviceUnavailable("etcd is unavailable: \(message)")
            error.retryAfterSeconds = 1
            return error
        }
        if isDeadlineExceeded { return .timeout("etcd did not answer in time: \(message)", retryAfterSeconds: 1) }
        if isRequestTooLarge { return .requestEntityTooLarge("the object is too large for etcd: \(message)") }
        if isCompacted { return .expired("The resourceVersion for the provided list is too old.") }
        return .internalError("etcd: \(message)")
    }
}

extension Store {
    /// Runs an etcd request, timing it.
    func etcd<T>(_ operation: EtcdRequestMetrics.Operation, _ request: () async throws -> T) async throws -> T {
        try await metrics.measure(operation, request)
    }
}
