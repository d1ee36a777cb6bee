import CEtcd

/// An error from etcd or from the way to it: the gRPC status code and etcd's
/// message. Callers ask what kind of failure it is through the `is…`
/// properties, which follow etcd's own client in looking at both the code and
/// the message (etcd reports several distinct conditions under one code).
public struct EtcdError: Error, Sendable, Hashable, CustomStringConvertible {
    /// gRPC status codes (the numbers are gRPC's).
    public enum Code: Int32, Sendable {
        case ok = 0, cancelled, unknown, invalidArgument, deadlineExceeded, notFound,
             alreadyExists, permissionDenied, resourceExhausted, failedPrecondition,
             aborted, outOfRange, unimplemented, internalError, unavailable, dataLoss,
             unauthenticated
    }

    public var code: Code
    public var message: String
    /// For a watch or read from a compacted revision: the oldest revision left.
    public var compactRevision: Int64?

    public init(code: Code, message: String, compactRevision: Int64? = nil) {
        self.code = code
        self.message = message
        self.compactRevision = compactRevision
    }

    init(status: Int32, message: String) {
        self.init(code: Code(rawValue: status) ?? .unknown, message: message)
    }

    /// No member could be reached, or the member has no leader right now.
    /// Worth retrying later.
    public var isUnavailable: Bool {
        code == .unavailable || message.contains("etcdserver: no leader")
            || message.contains("etcdserver: leader changed")
    }

    public var isDeadlineExceeded: Bool {
        code == .deadlineExceeded || message.contains("etcdserver: request timed out")
    }

    /// The revision asked for is older than the last compaction.
    public var isCompacted: Bool {
        compactRevision != nil || message.contains("mvcc: required revision has been compacted")
    }

    /// The revision asked for is newer than the store's.
    public var isFutureRevision: Bool {
        message.contains("mvcc: required revision is a future revision")
    }

    /// The request exceeded etcd's --max-request-bytes.
    public var isRequestTooLarge: Bool {
        message.contains("etcdserver: request is too large")
            || (code == .resourceExhausted && message.contains("message larger than max"))
    }

    /// The auth token expired or the server forgot it (e.g. after a restart).
    public var isInvalidAuthToken: Bool {
        message.contains("etcdserver: invalid auth token")
    }

    public var description: String {
        "etcd: \(code) (\(code.rawValue)): \(message)"
    }
}
