import CEtcd

/// Swift requests to protobuf-c messages, allocated in an arena.
extension CArena {
    func encode(_ request: RangeRequest) -> UnsafeMutablePointer<Etcdserverpb__RangeRequest> {
        let message = self.message(etcdserverpb__range_request__init)
        message.pointee.key = bytes(request.key)
        message.pointee.range_end = bytes(request.rangeEnd)
        message.pointee.limit = request.limit
        message.pointee.revision = request.revision
        message.pointee.sort_order = Etcdserverpb__RangeRequest__SortOrder(rawValue: UInt32(request.sortOrder.rawValue))
        message.pointee.sort_target = Etcdserverpb__RangeRequest__SortTarget(rawValue: UInt32(request.sortTarget.rawValue))
        message.pointee.serializable = request.serializable ? 1 : 0
        message.pointee.keys_only = request.keysOnly ? 1 : 0
        message.pointee.count_only = request.countOnly ? 1 : 0
        return message
    }

    func encode(_ request: PutRequest) -> UnsafeMutablePointer<Etcdserverpb__PutRequest> {
        let message = self.message(etcdserverpb__put_request__init)
        message.pointee.key = bytes(request.key)
        message.pointee.value = bytes(request.value)
        message.pointee.lease = request.lease
        message.pointee.prev_kv = request.prevKV ? 1 : 0
        return message
    }

    func encode(_ request: DeleteRangeRequest) -> UnsafeMutablePointer<Etcdserverpb__DeleteRangeRequest> {
        let message = self.message(etcdserverpb__delete_range_request__init)
        message.pointee.key = bytes(request.key)
        message.pointee.range_end = bytes(request.rangeEnd)
        message.pointee.prev_kv = request.prevKV ? 1 : 0
        return message
    }

    func encode(_ compare: Compare) -> UnsafeMutablePointer<Etcdserverpb__Compare> {
        let message = self.message(etcdserverpb__compare__init)
        message.pointee.key = bytes(compare.key)
        message.pointee.range_end = bytes(compare.rangeEnd)
        message.pointee.result = Etcdserverpb__Compare__CompareResult(rawValue: UInt32(compare.result.rawValue))
        switch compare.target {
        case .version(let version):
            message.pointee.target = ETCDSERVERPB__COMPARE__COMPARE_TARGET__VERSION
            message.pointee.target_union_case = ETCDSERVERPB__COMPARE__TARGET_UNION_VERSION
            message.pointee.version = version
        case .createRevision(let revision):
            message.pointee.target = ETCDSERVERPB__COMPARE__COMPARE_TARGET__CREATE
            message.pointee.target_union_case = ETCDSERVERPB__COMPARE__TARGET_UNION_CREATE_REVISION
            message.pointee.create_revision = revision
        case .modRevision(let revision):
            message.pointee.target = ETCDSERVERPB__COMPARE__COMPARE_TARGET__MOD
            message.pointee.target_union_case = ETCDSERVERPB__COMPARE__TARGET_UNION_MOD_REVISION
            message.pointee.mod_revision = revision
        case .value(let value):
            message.pointee.target = ETCDSERVERPB__COMPARE__COMPARE_TARGET__VALUE
            message.pointee.target_union_case = ETCDSERVERPB__COMPARE__TARGET_UNION_VALUE
            message.pointee.value = bytes(value)
        case .lease(let lease):
            message.pointee.target = ETCDSERVERPB__COMPARE__COMPARE_TARGET__LEASE
            message.pointee.target_union_case = ETCDSERVERPB__COMPARE__TARGET_UNION_LEASE
            message.pointee.lease = lease
        }
        return message
    }

    func encode(_ op: RequestOp) -> UnsafeMutablePointer<Etcdserverpb__RequestOp> {
        let message = self.message(etcdserverpb__request_op__init)
        switch op {
        case .range(let request):
            message.pointee.request_case = ETCDSERVERPB__REQUEST_OP__REQUEST_REQUEST_RANGE
            message.pointee.request_range = encode(request)
        case .put(let request):
            message.pointee.request_case = ETCDSERVERPB__REQUEST_OP__REQUEST_REQUEST_PUT
            message.pointee.request_put = encode(request)
        case .deleteRange(let request):
            message.pointee.request_case = ETCDSERVERPB__REQUEST_OP__REQUEST_REQUEST_DELETE_RANGE
            message.pointee.request_delete_range = encode(request)
        case .txn(let request):
            message.pointee.request_case = ETCDSERVERPB__REQUEST_OP__REQUEST_REQUEST_TXN
            message.pointee.request_txn = encode(request)
        }
        return message
    }

    func encode(_ request: TxnRequest) -> UnsafeMutablePointer<Etcdserverpb__TxnRequest> {
        let message = self.message(etcdserverpb__txn_request__init)
        message.pointee.n_compare = request.compare.count
        message.pointee.compare = array(request.compare.map(encode))
        message.pointee.n_success = request.success.count
        message.pointee.success = array(request.success.map(encode))
        message.pointee.n_failure = request.failure.count
        message.pointee.failure = array(request.failure.map(encode))
        return message
    }

    func encode(_ options: WatchOptions) -> UnsafeMutablePointer<Etcdserverpb__WatchRequest> {
        let create = self.message(etcdserverpb__watch_create_request__init)
        create.pointee.key = bytes(options.key)
        create.pointee.range_end = bytes(options.rangeEnd)
        create.pointee.start_revision = options.startRevision
        create.pointee.progress_notify = options.progressNotify ? 1 : 0
        create.pointee.prev_kv = options.prevKV ? 1 : 0
        create.pointee.fragment = options.fragment ? 1 : 0
        var filters: [Etcdserverpb__WatchCreateRequest__FilterType] = []
        if options.filterPuts { filters.append(ETCDSERVERPB__WATCH_CREATE_REQUEST__FILTER_TYPE__NOPUT) }
        if options.filterDeletes { filters.append(ETCDSERVERPB__WATCH_CREATE_REQUEST__FILTER_TYPE__NODELETE) }
        create.pointee.n_filters = filters.count
        create.pointee.filters = values(filters)
        let message = self.message(etcdserverpb__watch_request__init)
        message.pointee.request_union_case = ETCDSERVERPB__WATCH_REQUEST__REQUEST_UNION_CREATE_REQUEST
        message.pointee.create_request = create
        return message
    }

    func watchProgressRequest() -> UnsafeMutablePointer<Etcdserverpb__WatchRequest> {
        let message = self.message(etcdserverpb__watch_request__init)
        message.pointee.request_union_case = ETCDSERVERPB__WATCH_REQUEST__REQUEST_UNION_PROGRESS_REQUEST
        message.pointee.progress_request = self.message(etcdserverpb__watch_progress_request__init)
        return message
    }
}
