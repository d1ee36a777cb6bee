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
    /// Keeps only the objects the predicate accepts (label and field selectors).
    public var filter: (@Sendable (APIObject) -> Bool)?

    public init(resourceVersion: String = "", resourceVersionMatch: ResourceVersionMatch? = nil, limit: Int64 = 0,
                continueToken: String = "", filter: (@Sendable (APIObject) -> Bool)? = nil) {
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.limit = limit
        self.continueToken = continueToken
        self.filter = filter
    }

    /// The checks kube-apiserver makes on ListOptions: 422 Invalid, kind
    /// ListOptions, group meta.k8s.io.
    public func validate() throws {
        var causes: [APIError.Cause] = []
        func forbidden(_ message: String) {
            causes.append(APIError.Cause(type: "FieldValueForbidden", message: "Forbidden: \(message)", field: "resourceVersionMatch"))
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
        if !causes.isEmpty { throw APIError.invalid("ListOptions", group: "meta.k8s.io", "", causes) }
        if !continueToken.isEmpty && !resourceVersion.isEmpty && resourceVersion != "0" {
            throw APIError.badRequest("specifying resource version is not allowed when using continue")
        }
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
}

/// Conditions a write checks against the stored object (metav1.Preconditions).
public struct Preconditions: Sendable, Hashable {
    public var uid: String?
    public var resourceVersion: String?
    public init(uid: String? = nil, resourceVersion: String? = nil) {
        self.uid = uid
        self.resourceVersion = resourceVersion
    }

    /// 409 Conflict, worded as kube-apiserver words it, when `object` does not meet them.
    public func check(_ object: APIObject, _ resource: GroupResource, name: String) throws {
        if let uid, uid != object.uid {
            throw APIError.conflict(resource, name,
                                    "Precondition failed: UID in precondition: \(uid), UID in object meta: \(object.uid)")
        }
        if let resourceVersion, resourceVersion != object.resourceVersion {
            throw APIError.conflict(resource, name,
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
