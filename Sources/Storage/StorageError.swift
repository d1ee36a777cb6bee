import APIMachinery

/// A failure in storage's own terms (kube's storage.StorageError): what went
/// wrong with which object. Storage does not decide the Status a client
/// sees; the registry does (`StorageError.apiError(for:)`, kube's storeerr).
/// etcd's own failures reach the registry as `EtcdError`s.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// No object at the key.
        case keyNotFound
        /// An object is at the key already (a create).
        case keyExists
        /// The object is not as the write expected: a precondition failed,
        /// or writers kept changing it.
        case resourceVersionConflicts
        /// The object cannot be written as it is.
        case invalidObject
        /// A stored value (or etcd's answer about it) cannot be read.
        case corruptObject
    }

    public var code: Code
    /// The etcd key.
    public var key: String
    /// Why, in words a Status can carry.
    public var detail: String

    public init(_ code: Code, _ key: String, _ detail: String = "") {
        self.code = code
        self.key = key
        self.detail = detail
    }

    public var description: String { "storage: \(code) \(key)\(detail.isEmpty ? "" : ": \(detail)")" }
}
