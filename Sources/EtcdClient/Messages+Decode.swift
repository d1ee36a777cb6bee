import CEtcd

/// protobuf-c responses to Swift values. Every function copies what it needs,
/// so the C message can be freed right after.

func decodeBytes(_ data: ProtobufCBinaryData) -> [UInt8] {
    guard data.len > 0, let pointer = data.data else { return [] }
    return Array(UnsafeBufferPointer(start: pointer, count: data.len))
}

func decodeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
}

func decodeStrings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int) -> [String] {
    (0..<count).map { decodeString(pointer![$0]) }
}

/// Applies `transform` to each element of a protobuf-c repeated message field.
func decodeEach<T, R>(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?, _ count: Int,
                      _ transform: (UnsafeMutablePointer<T>) -> R) -> [R] {
    guard count > 0, let pointer else { return [] }
    var result: [R] = []
    result.reserveCapacity(count)
    for index in 0..<count { result.append(transform(pointer[index]!)) }
    return result
}

extension ResponseHeader {
    init(_ header: UnsafeMutablePointer<Etcdserverpb__ResponseHeader>?) {
        self.init()
        guard let header = header?.pointee else { return }
        clusterID = header.cluster_id
        memberID = header.member_id
        revision = header.revision
        raftTerm = header.raft_term
    }
}

extension KeyValue {
    init(_ kv: UnsafeMutablePointer<Mvccpb__KeyValue>) {
        let kv = kv.pointee
        self.init(key: decodeBytes(kv.key), value: decodeBytes(kv.value), createRevision: kv.create_revision,
                  modRevision: kv.mod_revision, version: kv.version, lease: kv.lease)
    }
}

extension RangeResponse {
    init(_ message: UnsafeMutablePointer<Etcdserverpb__RangeResponse>) {
        self.init()
        header = ResponseHeader(message.pointee.header)
        kvs = decodeEach(message.pointee.kvs, message.pointee.n_kvs, KeyValue.init)
        more = message.pointee.more != 0
        count = message.pointee.count
    }
}

extension PutResponse {
    init(_ message: UnsafeMutablePointer<Etcdserverpb__PutResponse>) {
        self.init()
        header = ResponseHeader(message.pointee.header)
        prevKV = message.pointee.prev_kv.map(KeyValue.init)
    }
}

extension DeleteRangeResponse {
    init(_ message: UnsafeMutablePointer<Etcdserverpb__DeleteRangeResponse>) {
        self.init()
        header = ResponseHeader(message.pointee.header)
        deleted = message.pointee.deleted
        prevKVs = decodeEach(message.pointee.prev_kvs, message.pointee.n_prev_kvs, KeyValue.init)
    }
}

extension TxnResponse {
    init(_ message: UnsafeMutablePointer<Etcdserverpb__TxnResponse>) {
        self.init()
        header = ResponseHeader(message.pointee.header)
        succeeded = message.pointee.succeeded != 0
        responses = decodeEach(message.pointee.responses, message.pointee.n_responses) { op in
            switch op.pointee.response_case {
            case ETCDSERVERPB__RESPONSE_OP__RESPONSE_RESPONSE_RANGE:
                return .range(RangeResponse(op.pointee.response_range))
            case ETCDSERVERPB__RESPONSE_OP__RESPONSE_RESPONSE_PUT:
                return .put(PutResponse(op.pointee.response_put))
            case ETCDSERVERPB__RESPONSE_OP__RESPONSE_RESPONSE_DELETE_RANGE:
                return .deleteRange(DeleteRangeResponse(op.pointee.response_delete_range))
            default:
                return .txn(TxnResponse(op.pointee.response_txn))
            }
        }
    }
}

extension WatchEvent {
    init(_ event: UnsafeMutablePointer<Mvccpb__Event>) {
        type = event.pointee.type == MVCCPB__EVENT__EVENT_TYPE__DELETE ? .delete : .put
        kv = event.pointee.kv.map(KeyValue.init) ?? KeyValue(key: [], value: [])
        prevKV = event.pointee.prev_kv.map(KeyValue.init)
    }
}

extension LeaseKeepAliveResponse {
    init(_ message: UnsafeMutablePointer<Etcdserverpb__LeaseKeepAliveResponse>) {
        header = ResponseHeader(message.pointee.header)
        id = message.pointee.id
        ttl = message.pointee.ttl
    }
}
