import APIMachinery

/// Turns objects into the bytes stored in etcd and back. JSON today; the
/// Kubernetes protobuf envelope ("k8s\0") will be a second implementation.
public protocol StorageCodec: Sendable {
    func encode(_ object: APIObject) throws -> [UInt8]
    func decode(_ data: [UInt8]) throws -> APIObject
}

/// Objects as compact JSON. A stored value must say what it is: encode refuses
/// an object without apiVersion or kind, so a reader always knows the version a
/// value holds, even after the storage version changed.
public struct JSONStorageCodec: StorageCodec {
    public init() {}

    public func encode(_ object: APIObject) throws -> [UInt8] {
        guard !object.apiVersion.isEmpty, !object.kind.isEmpty else {
            throw APIError.internalError("refusing to store an object without apiVersion and kind")
        }
        return object.serialized()
    }

    public func decode(_ data: [UInt8]) throws -> APIObject {
        do {
            let object = try APIObject(parsing: data)
            guard !object.apiVersion.isEmpty, !object.kind.isEmpty else {
                throw APIError.internalError("the stored value has no apiVersion or kind")
            }
            return object
        } catch let error as APIError {
            throw APIError.internalError("unable to decode an object from etcd: \(error.message)")
        }
    }
}
