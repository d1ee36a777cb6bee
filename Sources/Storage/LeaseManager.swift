import Synchronization

/// Hands out etcd leases for objects that expire (events), sharing one lease
/// among the objects written close together, as kube-apiserver's etcd3
/// leaseManager does: a lease granted with a little extra time (5% of the
/// TTL, at most a minute) serves every write whose TTL it still covers, up
/// to 1,000 objects. Without it every event would cost a grant and leave
/// one lease per object in etcd.
final class LeaseManager: Sendable {
    static let reusePercent = 0.05
    static let maximumReuseSeconds: Int64 = 60
    static let maximumObjectsPerLease = 1000

    struct Current {
        var id: Int64 = 0
        var expires: ContinuousClock.Instant = .now
        var attached = 0
    }

    private let current = Mutex(Current())

    /// A lease that keeps an object for at least `ttl` seconds.
    func lease(ttl: Int64, grant: (Int64) async throws -> Int64) async throws -> Int64 {
        let reuse = min(Int64(Self.reusePercent * Double(ttl)), Self.maximumReuseSeconds)
        let now = ContinuousClock.now
        let shared: Int64? = current.withLock { current in
            let covers = now + .seconds(ttl) < current.expires
            let fresh = now + .seconds(ttl + reuse) > current.expires
            guard current.id != 0, covers, fresh, current.attached < Self.maximumObjectsPerLease else { return nil }
            current.attached += 1
            return current.id
        }
        if let shared { return shared }
        let id = try await grant(ttl + reuse)
        current.withLock { $0 = Current(id: id, expires: now + .seconds(ttl + reuse), attached: 1) }
        return id
    }
}
