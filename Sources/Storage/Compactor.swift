import EtcdClient

/// Compacts etcd's history periodically, coordinated among every server that
/// shares the etcd the way kube-apiserver's compactor is, so that replicas do
/// not all compact at once. The version of the key compact_rev_key (outside
/// any prefix, as kube-apiserver keeps it, so that the two coordinate too) is
/// a logical clock. Each round, a server whose clock matches the key's moves
/// it on with a compare-and-swap and compacts up to the revision it saw one
/// round earlier; a server that loses the swap adopts the key's clock and
/// tries again next round. So one server compacts per interval, and when it
/// stops another takes over within two intervals.
public struct Compactor: Sendable {
    public static let key = Array("compact_rev_key".utf8)

    let client: EtcdClient
    /// The key's version as this server last knew it.
    public private(set) var time: Int64 = 0
    /// etcd's revision at this server's last round: what the next compaction keeps history from.
    public private(set) var revision: Int64 = 0

    public init(client: EtcdClient) {
        self.client = client
    }

    /// One round; the revision compacted to, or nil when this server did not
    /// compact (another did, or this was its first round).
    public mutating func round() async throws -> Int64? {
        let response = try await client.txn(TxnRequest(
            compare: [Compare(key: Self.key, .version(time))],
            success: [.put(PutRequest(key: Self.key, value: Array(String(revision).utf8)))],
            failure: [.range(RangeRequest(key: Self.key))]))
        let seen = response.header.revision
        guard response.succeeded else {
            // Another server moved the clock first: take its time and try next round.
            guard case .range(let current) = response.responses.first, let kv = current.kvs.first else {
                throw EtcdError(code: .internalError, message: "compact_rev_key changed, but etcd did not return it")
            }
            time = kv.version
            revision = seen
            return nil
        }
        let compactTo = revision
        time += 1
        revision = seen
        // Not on the first round: there is no revision from a round ago yet.
        guard compactTo > 0 else { return nil }
        _ = try await client.compact(revision: compactTo)
        return compactTo
    }

    /// Rounds every `interval` until cancelled; `failed` hears each error,
    /// and the next round tries again.
    public mutating func run(every interval: Duration, failed: (any Error) -> Void) async {
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                _ = try await round()
            } catch {
                failed(error)
            }
        }
    }
}
