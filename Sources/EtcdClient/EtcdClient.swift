import CEtcd
import Foundation

/// An etcd v3 client over the CEtcd shim. Every call is async and suspends
/// only its own task: the shim's poller thread resumes it, so no thread of
/// Swift's cooperative pool ever blocks on etcd.
///
/// Unary calls are bounded by a deadline (configuration.requestTimeout unless
/// given) rather than by task cancellation: once sent, a write may be applied
/// whether or not the caller still waits for the answer.
public final class EtcdClient: @unchecked Sendable {
    // @unchecked: `handle` is an opaque C pointer; the shim is thread-safe and
    // the pointer is only freed in deinit, when no call can be running.
    let handle: OpaquePointer
    public let configuration: EtcdConfiguration

    public init(_ configuration: EtcdConfiguration) throws {
        let targets = try configuration.targets()
        let ca = try configuration.readPEM(configuration.caFile, "CA file")
        let cert = try configuration.readPEM(configuration.certFile, "client certificate")
        let key = try configuration.readPEM(configuration.keyFile, "client key")
        var error = [CChar](repeating: 0, count: 256)
        let created: OpaquePointer? = withCStrings(targets) { endpoints in
            ca.withOptionalCString { ca in
                cert.withOptionalCString { cert in
                    key.withOptionalCString { key in
                        var options = cetcd_client_options(
                            endpoints: endpoints.baseAddress, endpoint_count: endpoints.count,
                            ca_pem: ca, cert_pem: cert, key_pem: key,
                            max_receive_bytes: configuration.maxReceiveBytes)
                        return cetcd_client_create(&options, &error, error.count)
                    }
                }
            }
        }
        guard let created else {
            throw EtcdError(code: .invalidArgument,
                            message: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        handle = created
        self.configuration = configuration
    }

    /// Creates a client and, when the configuration names a user, logs in.
    public static func connect(_ configuration: EtcdConfiguration) async throws -> EtcdClient {
        let client = try EtcdClient(configuration)
        if configuration.username != nil { try await client.authenticate() }
        return client
    }

    deinit {
        cetcd_client_destroy(handle)
    }

    /// Index into configuration.endpoints of the member new calls go to.
    public var currentEndpoint: Int { Int(cetcd_client_current_endpoint(handle)) }

    // MARK: KV

    public func range(_ request: RangeRequest, timeout: Duration? = nil) async throws -> RangeResponse {
        try await call(CETCD_KV_RANGE, timeout, { $0.encode(request) }, RangeResponse.init)
    }

    /// The key's current value, or nil when it does not exist.
    public func get(_ key: [UInt8], revision: Int64 = 0) async throws -> KeyValue? {
        try await range(RangeRequest(key: key, revision: revision)).kvs.first
    }

    public func put(_ request: PutRequest, timeout: Duration? = nil) async throws -> PutResponse {
        try await call(CETCD_KV_PUT, timeout, { $0.encode(request) }, PutResponse.init)
    }

    public func deleteRange(_ request: DeleteRangeRequest, timeout: Duration? = nil) async throws -> DeleteRangeResponse {
        try await call(CETCD_KV_DELETE_RANGE, timeout, { $0.encode(request) }, DeleteRangeResponse.init)
    }

    public func txn(_ request: TxnRequest, timeout: Duration? = nil) async throws -> TxnResponse {
        try await call(CETCD_KV_TXN, timeout, { $0.encode(request) }, TxnResponse.init)
    }

    /// Discards history before `revision`. With `physical`, returns only once
    /// the space is reclaimed.
    @discardableResult
    public func compact(revision: Int64, physical: Bool = false, timeout: Duration? = nil) async throws -> ResponseHeader {
        try await call(CETCD_KV_COMPACT, timeout, { arena in
            let message = arena.message(etcdserverpb__compaction_request__init)
            message.pointee.revision = revision
            message.pointee.physical = physical ? 1 : 0
            return message
        }) { (response: UnsafeMutablePointer<Etcdserverpb__CompactionResponse>) in
            ResponseHeader(response.pointee.header)
        }
    }

    // MARK: Lease

    public func leaseGrant(ttl: Int64, id: Int64 = 0, timeout: Duration? = nil) async throws -> LeaseGrantResponse {
        let response = try await call(CETCD_LEASE_GRANT, timeout, { arena in
            let message = arena.message(etcdserverpb__lease_grant_request__init)
            message.pointee.ttl = ttl
            message.pointee.id = id
            return message
        }) { (response: UnsafeMutablePointer<Etcdserverpb__LeaseGrantResponse>) in
            (LeaseGrantResponse(header: ResponseHeader(response.pointee.header), id: response.pointee.id,
                                ttl: response.pointee.ttl), decodeString(response.pointee.error))
        }
        if !response.1.isEmpty { throw EtcdError(code: .unknown, message: response.1) }
        return response.0
    }

    @discardableResult
    public func leaseRevoke(id: Int64, timeout: Duration? = nil) async throws -> ResponseHeader {
        try await call(CETCD_LEASE_REVOKE, timeout, { arena in
            let message = arena.message(etcdserverpb__lease_revoke_request__init)
            message.pointee.id = id
            return message
        }) { (response: UnsafeMutablePointer<Etcdserverpb__LeaseRevokeResponse>) in
            ResponseHeader(response.pointee.header)
        }
    }

    public func leaseTimeToLive(id: Int64, keys: Bool = false, timeout: Duration? = nil) async throws -> LeaseTimeToLiveResponse {
        try await call(CETCD_LEASE_TIME_TO_LIVE, timeout, { arena in
            let message = arena.message(etcdserverpb__lease_time_to_live_request__init)
            message.pointee.id = id
            message.pointee.keys = keys ? 1 : 0
            return message
        }) { (response: UnsafeMutablePointer<Etcdserverpb__LeaseTimeToLiveResponse>) in
            let r = response.pointee
            return LeaseTimeToLiveResponse(
                header: ResponseHeader(r.header), id: r.id, ttl: r.ttl, grantedTTL: r.grantedttl,
                keys: (0..<r.n_keys).map { decodeBytes(r.keys[$0]) })
        }
    }

    // MARK: Cluster and maintenance

    public func memberList(timeout: Duration? = nil) async throws -> MemberListResponse {
        try await call(CETCD_CLUSTER_MEMBER_LIST, timeout, { arena in
            arena.message(etcdserverpb__member_list_request__init)
        }) { (response: UnsafeMutablePointer<Etcdserverpb__MemberListResponse>) in
            MemberListResponse(
                header: ResponseHeader(response.pointee.header),
                members: decodeEach(response.pointee.members, response.pointee.n_members) { m in
                    Member(id: m.pointee.id, name: decodeString(m.pointee.name),
                           peerURLs: decodeStrings(m.pointee.peerurls, m.pointee.n_peerurls),
                           clientURLs: decodeStrings(m.pointee.clienturls, m.pointee.n_clienturls),
                           isLearner: m.pointee.islearner != 0)
                })
        }
    }

    /// The status of the member the client is talking to.
    public func status(timeout: Duration? = nil) async throws -> StatusResponse {
        try await call(CETCD_MAINTENANCE_STATUS, timeout, { arena in
            arena.message(etcdserverpb__status_request__init)
        }) { (response: UnsafeMutablePointer<Etcdserverpb__StatusResponse>) in
            let r = response.pointee
            return StatusResponse(header: ResponseHeader(r.header), version: decodeString(r.version),
                                  dbSize: r.dbsize, leader: r.leader, raftIndex: r.raftindex,
                                  raftTerm: r.raftterm, errors: decodeStrings(r.errors, r.n_errors))
        }
    }

    // MARK: Auth

    /// Logs in with the configured user and sends the token on every later call.
    public func authenticate() async throws {
        guard let username = configuration.username else { return }
        let password = configuration.password ?? ""
        let token = try await rawCall(CETCD_AUTH_AUTHENTICATE, nil, { arena in
            let message = arena.message(etcdserverpb__authenticate_request__init)
            message.pointee.name = arena.string(username)
            message.pointee.password = arena.string(password)
            return message
        }) { (response: UnsafeMutablePointer<Etcdserverpb__AuthenticateResponse>) in
            decodeString(response.pointee.token)
        }
        cetcd_client_set_token(handle, token)
    }

    // MARK: Plumbing

    /// A unary call; logs in again once if etcd no longer knows the token
    /// (it expires, and a restarted etcd forgets it).
    func call<Message, ResponseMessage, Output>(
        _ method: cetcd_method, _ timeout: Duration?,
        _ build: (CArena) -> UnsafeMutablePointer<Message>,
        _ decode: (UnsafeMutablePointer<ResponseMessage>) -> Output
    ) async throws -> Output {
        do {
            return try await rawCall(method, timeout, build, decode)
        } catch let error as EtcdError where error.isInvalidAuthToken && configuration.username != nil {
            try await authenticate()
            return try await rawCall(method, timeout, build, decode)
        }
    }

    private func rawCall<Message, ResponseMessage, Output>(
        _ method: cetcd_method, _ timeout: Duration?,
        _ build: (CArena) -> UnsafeMutablePointer<Message>,
        _ decode: (UnsafeMutablePointer<ResponseMessage>) -> Output
    ) async throws -> Output {
        let milliseconds = (timeout ?? configuration.requestTimeout).milliseconds
        let response = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<OwnedMessage, Error>) in
            let arena = CArena()
            let context = Unmanaged.passRetained(UnaryContext(continuation, client: self)).toOpaque()
            let started = cetcd_unary_call(handle, method, cMessage(build(arena)), milliseconds, { context, status, message, response in
                let call = Unmanaged<UnaryContext>.fromOpaque(context!).takeRetainedValue()
                if status == 0, let response {
                    call.continuation.resume(returning: OwnedMessage(pointer: response))
                } else {
                    call.continuation.resume(throwing: EtcdError(status: status, message: message.map { String(cString: $0) } ?? ""))
                }
            }, context)
            if started != 0 {
                Unmanaged<UnaryContext>.fromOpaque(context).release()
                continuation.resume(throwing: EtcdError(status: started, message: "the etcd call could not start"))
            }
        }
        defer { cetcd_message_free(response.pointer) }
        return decode(UnsafeMutableRawPointer(response.pointer).assumingMemoryBound(to: ResponseMessage.self))
    }
}

/// A response message handed over by the shim, freed by whoever decodes it.
struct OwnedMessage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<ProtobufCMessage>
}

/// What a pending unary call needs when it completes; keeps the client (and
/// so the C handle) alive until then.
private final class UnaryContext {
    let continuation: CheckedContinuation<OwnedMessage, Error>
    let client: EtcdClient
    init(_ continuation: CheckedContinuation<OwnedMessage, Error>, client: EtcdClient) {
        self.continuation = continuation
        self.client = client
    }
}

/// Runs body with the strings as a C array of C strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer<CChar>($0) }
    return pointers.withUnsafeBufferPointer(body)
}

extension Optional where Wrapped == String {
    func withOptionalCString<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        switch self {
        case .some(let string): return string.withCString(body)
        case .none: return body(nil)
        }
    }
}
