import EtcdClient
import Synchronization

/// etcd's current revision for consistent reads from the cache (KEP-2340),
/// one small request shared by every read that arrives while none is on
/// its way: a burst of gets costs one round trip, not one each. A read
/// never takes the answer of a request sent before it arrived, since that
/// could miss a write acknowledged just before it; it waits for the next.
final class CurrentRevision: Sendable {
    private struct State {
        var inFlight = false
        /// Reads the request on its way answers.
        var current: [CheckedContinuation<Int64, Error>] = []
        /// Reads that came after it was sent: the next request's.
        var next: [CheckedContinuation<Int64, Error>] = []
    }

    private let client: EtcdClient
    /// How long the request may take: a read that cannot learn the revision
    /// soon is better served by etcd itself than kept waiting, as when
    /// etcd is choosing a new leader.
    private let timeout: Duration
    /// A key no object has: reading it costs etcd next to nothing, and the
    /// answer's header carries the revision.
    private let probeKey: [UInt8]
    private let state = Mutex(State())

    init(client: EtcdClient, probeKey: String, timeout: Duration) {
        self.client = client
        self.timeout = timeout
        self.probeKey = Array(probeKey.utf8)
    }

    func fetch() async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            let send = state.withLock { state -> Bool in
                if state.inFlight {
                    state.next.append(continuation)
                    return false
                }
                state.inFlight = true
                state.current = [continuation]
                return true
            }
            if send { request() }
        }
    }

    private func request() {
        Task {
            var probe = RangeRequest(key: probeKey)
            probe.countOnly = true
            let result: Result<Int64, Error>
            do {
                result = .success(try await client.range(probe, timeout: timeout).header.revision)
            } catch {
                result = .failure(error)
            }
            let (answered, again) = state.withLock { state in
                let answered = state.current
                state.current = state.next
                state.next = []
                state.inFlight = !state.current.isEmpty
                return (answered, state.inFlight)
            }
            if again { request() }
            for continuation in answered { continuation.resume(with: result) }
        }
    }
}

/// Whether etcd's requested progress notifications can be trusted to say
/// how far a watch has seen: they overtook events before etcd 3.4.31 and
/// 3.5.13 (etcd-io/etcd#15220, #17507). kube-apiserver makes the same check
/// before it serves consistent reads from its cache.
public enum ProgressNotifySupport {
    public static func isReliable(etcdVersion: String) -> Bool {
        let parts = etcdVersion.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        guard parts.count >= 3 else { return false }
        switch (parts[0], parts[1]) {
        case (3, 4): return parts[2] >= 31
        case (3, 5): return parts[2] >= 13
        case (3, let minor): return minor >= 6
        case (let major, _): return major > 3
        }
    }
}
