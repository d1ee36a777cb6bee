import APIMachinery

/// How a list or get picks the revision it reads (metav1.ResourceVersionMatch).
public enum ResourceVersionMatch: String, Sendable {
    case exact = "Exact"
    case notOlderThan = "NotOlderThan"
}

/// A list's options, with the semantics of the Kubernetes API:
/// resourceVersion "" reads the newest state; "0" any state (Berth reads the
/// newest); "N" with NotOlderThan (the default) a state at least as new as N;
/// "N" with Exact, or with a limit and no match, exactly revision N.
public struct ListOptions: Sendable {
    public var resourceVersion = ""
    public var resourceVersionMatch: ResourceVersionMatch?
    /// 0 or less for no limit, as kube-apiserver reads a non-positive limit.
    public var limit: Int64 = 0
    public var continueToken = ""
    /// For a watch (WatchList, KEP-3157): true starts with the state at
    /// resourceVersion as ADDED events and, with bookmarks, a BOOKMARK
    /// marking their end; false starts with changes only; nil as before
    /// WatchList (the state first for "" and "0", changes after "N").
    public var sendInitialEvents: Bool?
    /// Keeps only the objects the predicate accepts (label and field selectors).
    public var filter: SelectionPredicate?

    public init(resourceVersion: String = "", resourceVersionMatch: ResourceVersionMatch? = nil, limit: Int64 = 0,
                continueToken: String = "", filter: SelectionPredicate? = nil) {
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.limit = limit
        self.continueToken = continueToken
        self.filter = filter
    }

    /// The checks kube-apiserver makes on ListOptions (ValidateListOptions,
    /// with WatchList on): 422 Invalid, kind ListOptions, group meta.k8s.io.
    public func validate(watch: Bool = false) throws {
        var causes: [APIError.Cause] = []
        func forbidden(_ message: String, field: String = "resourceVersionMatch") {
            causes.append(APIError.Cause(type: "FieldValueForbidden", message: "Forbidden: \(message)", field: field))
        }
        if watch {
            if sendInitialEvents != nil && resourceVersionMatch != .notOlderThan {
                forbidden("sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")
            }
            if let match = resourceVersionMatch {
                if sendInitialEvents == nil {
                    forbidden("resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")
                }
                if match != .notOlderThan {
                    causes.append(APIError.Cause(type: "FieldValueNotSupported",
                                                 message: "Unsupported value: \"\(match.rawValue)\": supported values: \"NotOlderThan\"",
                                                 field: "resourceVersionMatch"))
                }
                if !continueToken.isEmpty {
                    forbidden("resourceVersionMatch is forbidden when continue is provided")
                }
            }
            if !causes.isEmpty { throw APIError.invalid("ListOptions", group: "meta.k8s.io", "", causes) }
            return
        }
        if let match = resourceVersionMatch {
            if resourceVersion.isEmpty {
                forbidden("resourceVersionMatch is forbidden unless resourceVersion is provided")
            }
            if !continueToken.isEmpty {
                forbidden("resourceVersionMatch is forbidden when continue is provided")
            }
            if match == .exact && resourceVersion == "0" {
                forbidden("resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")
            }
        }
        if sendInitialEvents != nil {
            forbidden("sendInitialEvents is forbidden for list", field: "sendInitialEvents")
        }
        if !causes.isEmpty { throw APIError.invalid("ListOptions", group: "meta.k8s.io", "", causes) }
        if !continueToken.isEmpty && !resourceVersion.isEmpty && resourceVersion != "0" {
            throw APIError.badRequest("specifying resource version is not allowed when using continue")
        }
    }

    /// kube's SetListOptionsDefaults with WatchList on: a watch from "" or
    /// "0" that asks for nothing else is a WatchList from that version (the
    /// same events, and the end-of-initial-events BOOKMARK when bookmarks
    /// are allowed).
    public mutating func setWatchDefaults() {
        guard sendInitialEvents == nil, resourceVersionMatch == nil,
              resourceVersion.isEmpty || resourceVersion == "0" else { return }
        sendInitialEvents = true
        resourceVersionMatch = .notOlderThan
    }
}

/// One page of a list.
public struct ListResult: Sendable {
    public var items: [APIObject]
    /// The revision the list was read at.
    public var resourceVersion: String
    /// Non-empty when more items follow.
    public var continueToken: String
    /// How many items follow, when known (not with a filter).
    public var remainingItemCount: Int64?

    public init(items: [APIObject], resourceVersion: String, continueToken: String = "", remainingItemCount: Int64? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
        self.remainingItemCount = remainingItemCount
    }
}

/// Conditions a write checks against the stored object (metav1.Preconditions).
public struct Preconditions: Sendable, Hashable {
    public var uid: String?
    public var resourceVersion: String?
    public init(uid: String? = nil, resourceVersion: String? = nil) {
        self.uid = uid
        self.resourceVersion = resourceVersion
    }

    /// A conflict, worded as kube-apiserver words it, when `object` (at
    /// etcd `key`) does not meet them.
    public func check(_ object: APIObject, key: String) throws {
        if let uid, uid != object.uid {
            throw StorageError(.resourceVersionConflicts, key,
                               "Precondition failed: UID in precondition: \(uid), UID in object meta: \(object.uid)")
        }
        if let resourceVersion, resourceVersion != object.resourceVersion {
            throw StorageError(.resourceVersionConflicts, key,
                               "Precondition failed: ResourceVersion in precondition: \(resourceVersion), ResourceVersion in object meta: \(object.resourceVersion)")
        }
    }
}

/// Parses a resourceVersion given by a client; junk is a 400 BadRequest.
func parseResourceVersion(_ value: String) throws -> Int64 {
    if value.isEmpty { return 0 }
    guard let revision = Int64(value), revision >= 0 else {
        throw APIError.badRequest("invalid resource version: invalid resource version \"\(value)\"")
    }
    return revision
}

func tooLargeResourceVersion(_ requested: Int64, current: Int64) -> APIError {
    var error = APIError.timeout("Too large resource version: \(requested), current: \(current)", retryAfterSeconds: 1)
    error.causes = [APIError.Cause(type: "ResourceVersionTooLarge", message: "Too large resource version")]
    return error
}
