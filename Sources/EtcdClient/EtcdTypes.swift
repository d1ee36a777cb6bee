/// Swift values for etcd's messages. Names follow etcd's API (etcdserverpb,
/// mvccpb) so that its documentation applies; keys and values are raw bytes.

public struct ResponseHeader: Sendable, Hashable {
    public var clusterID: UInt64 = 0
    public var memberID: UInt64 = 0
    /// The store's revision when the request was applied.
    public var revision: Int64 = 0
    public var raftTerm: UInt64 = 0
    public init() {}
}

public struct KeyValue: Sendable, Hashable {
    public var key: [UInt8]
    public var value: [UInt8]
    public var createRevision: Int64
    public var modRevision: Int64
    /// Number of modifications since creation.
    public var version: Int64
    public var lease: Int64

    public init(key: [UInt8], value: [UInt8], createRevision: Int64 = 0, modRevision: Int64 = 0,
                version: Int64 = 0, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }
}

public struct RangeRequest: Sendable, Hashable {
    public enum SortOrder: Int32, Sendable { case none = 0, ascend, descend }
    public enum SortTarget: Int32, Sendable { case key = 0, version, create, mod, value }

    public var key: [UInt8]
    /// End of the half-open range [key, rangeEnd); nil for the single key.
    public var rangeEnd: [UInt8]?
    /// 0 for no limit.
    public var limit: Int64 = 0
    /// 0 for the newest revision.
    public var revision: Int64 = 0
    public var sortOrder: SortOrder = .none
    public var sortTarget: SortTarget = .key
    public var serializable = false
    public var keysOnly = false
    public var countOnly = false

    public init(key: [UInt8], rangeEnd: [UInt8]? = nil, limit: Int64 = 0, revision: Int64 = 0,
                keysOnly: Bool = false, countOnly: Bool = false) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.limit = limit
        self.revision = revision
        self.keysOnly = keysOnly
        self.countOnly = countOnly
    }

    /// Every key that starts with `prefix`.
    public static func prefix(_ prefix: [UInt8], limit: Int64 = 0, revision: Int64 = 0) -> RangeRequest {
        RangeRequest(key: prefix, rangeEnd: Keys.prefixEnd(prefix), limit: limit, revision: revision)
    }
}

public struct RangeResponse: Sendable, Hashable {
    public var header = ResponseHeader()
    public var kvs: [KeyValue] = []
    /// More keys are in the range than the limit let through.
    public var more = false
    /// Keys in the whole range, whatever the limit.
    public var count: Int64 = 0
    public init() {}
}

public struct PutRequest: Sendable, Hashable {
    public var key: [UInt8]
    public var value: [UInt8]
    public var lease: Int64 = 0
    public var prevKV = false
    public init(key: [UInt8], value: [UInt8], lease: Int64 = 0, prevKV: Bool = false) {
        self.key = key
        self.value = value
        self.lease = lease
        self.prevKV = prevKV
    }
}

public struct PutResponse: Sendable, Hashable {
    public var header = ResponseHeader()
    public var prevKV: KeyValue?
    public init() {}
}

public struct DeleteRangeRequest: Sendable, Hashable {
    public var key: [UInt8]
    public var rangeEnd: [UInt8]?
    public var prevKV = false
    public init(key: [UInt8], rangeEnd: [UInt8]? = nil, prevKV: Bool = false) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.prevKV = prevKV
    }
}

public struct DeleteRangeResponse: Sendable, Hashable {
    public var header = ResponseHeader()
    public var deleted: Int64 = 0
    public var prevKVs: [KeyValue] = []
    public init() {}
}

/// One guard of a transaction.
public struct Compare: Sendable, Hashable {
    public enum Result: Int32, Sendable { case equal = 0, greater, less, notEqual }
    public enum Target: Sendable, Hashable {
        case version(Int64)
        case createRevision(Int64)
        case modRevision(Int64)
        case value([UInt8])
        case lease(Int64)
    }
    public var key: [UInt8]
    public var rangeEnd: [UInt8]?
    public var result: Result
    public var target: Target

    public init(key: [UInt8], rangeEnd: [UInt8]? = nil, _ target: Target, _ result: Result = .equal) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.target = target
        self.result = result
    }

    /// The key does not exist (it was never created, or was deleted).
    public static func absent(_ key: [UInt8]) -> Compare {
        Compare(key: key, .createRevision(0))
    }

    /// The key was last modified at `revision`.
    public static func modRevision(_ key: [UInt8], is revision: Int64) -> Compare {
        Compare(key: key, .modRevision(revision))
    }
}

public indirect enum RequestOp: Sendable, Hashable {
    case range(RangeRequest)
    case put(PutRequest)
    case deleteRange(DeleteRangeRequest)
    case txn(TxnRequest)
}

public indirect enum ResponseOp: Sendable, Hashable {
    case range(RangeResponse)
    case put(PutResponse)
    case deleteRange(DeleteRangeResponse)
    case txn(TxnResponse)
}

public struct TxnRequest: Sendable, Hashable {
    public var compare: [Compare]
    public var success: [RequestOp]
    public var failure: [RequestOp]
    public init(compare: [Compare] = [], success: [RequestOp] = [], failure: [RequestOp] = []) {
        self.compare = compare
        self.success = success
        self.failure = failure
    }
}

public struct TxnResponse: Sendable, Hashable {
    public var header = ResponseHeader()
    /// Every compare held, and the success branch ran.
    public var succeeded = false
    public var responses: [ResponseOp] = []
    public init() {}
}

public struct WatchEvent: Sendable, Hashable {
    public enum EventType: Sendable { case put, delete }
    public var type: EventType
    public var kv: KeyValue
    /// The value before the event, when the watch asked for it.
    public var prevKV: KeyValue?
}

/// One message of a watch: events of one or more revisions, in order, or none
/// at all for a progress notification.
public struct WatchResponse: Sendable, Hashable {
    public var header = ResponseHeader()
    public var events: [WatchEvent] = []
    /// No events: the watch has seen everything up to header.revision.
    public var isProgressNotify: Bool { events.isEmpty }
}

public struct WatchOptions: Sendable, Hashable {
    public var key: [UInt8]
    public var rangeEnd: [UInt8]?
    /// Inclusive; 0 for "from now".
    public var startRevision: Int64 = 0
    public var prevKV = false
    /// Ask etcd for periodic empty responses while nothing happens.
    public var progressNotify = false
    public var filterPuts = false
    public var filterDeletes = false
    /// Let etcd split huge revisions; the client joins the pieces again.
    public var fragment = true

    public init(key: [UInt8], rangeEnd: [UInt8]? = nil, startRevision: Int64 = 0,
                prevKV: Bool = false, progressNotify: Bool = false) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.startRevision = startRevision
        self.prevKV = prevKV
        self.progressNotify = progressNotify
    }

    public static func prefix(_ prefix: [UInt8], startRevision: Int64 = 0, prevKV: Bool = false) -> WatchOptions {
        WatchOptions(key: prefix, rangeEnd: Keys.prefixEnd(prefix), startRevision: startRevision, prevKV: prevKV)
    }
}

public struct LeaseGrantResponse: Sendable, Hashable {
    public var header = ResponseHeader()
    public var id: Int64 = 0
    public var ttl: Int64 = 0
}

public struct LeaseKeepAliveResponse: Sendable, Hashable {
    public var header = ResponseHeader()
    public var id: Int64 = 0
    /// New time to live in seconds; 0 or less when the lease is gone.
    public var ttl: Int64 = 0
}

public struct LeaseTimeToLiveResponse: Sendable, Hashable {
    public var header = ResponseHeader()
    public var id: Int64 = 0
    /// Remaining seconds; -1 when the lease expired or never existed.
    public var ttl: Int64 = 0
    public var grantedTTL: Int64 = 0
    public var keys: [[UInt8]] = []
}

public struct Member: Sendable, Hashable {
    public var id: UInt64
    public var name: String
    public var peerURLs: [String]
    public var clientURLs: [String]
    public var isLearner: Bool
}

public struct MemberListResponse: Sendable, Hashable {
    public var header = ResponseHeader()
    public var members: [Member] = []
}

public struct StatusResponse: Sendable, Hashable {
    public var header = ResponseHeader()
    public var version = ""
    public var dbSize: Int64 = 0
    public var leader: UInt64 = 0
    public var raftIndex: UInt64 = 0
    public var raftTerm: UInt64 = 0
    public var errors: [String] = []
}

/// A piece of an etcd snapshot, in stream order.
public struct SnapshotChunk: Sendable, Hashable {
    public var bytes: [UInt8]
    public var remainingBytes: UInt64
    /// The store revision the snapshot was taken at (0 where etcd does not say).
    public var revision: Int64
}

public enum Keys {
    /// The end of the range holding every key that starts with `prefix`:
    /// the prefix with its last byte below 0xff incremented, as etcd's
    /// clientv3.GetPrefixRangeEnd. "\0" (every key) when there is no such byte.
    public static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xff {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]
    }
}

extension Array where Element == UInt8 {
    /// The UTF-8 bytes of a string key or value.
    public init(utf8 string: String) { self = Array(string.utf8) }
}
