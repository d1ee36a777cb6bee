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
            throw StorageCodecError("refusing to store an object without apiVersion and kind")
        }
        return object.serialized()
    }

    public func decode(_ data: [UInt8]) throws -> APIObject {
        let object: APIObject
        do {
            object = try APIObject(parsing: data)
        } catch let error as APIError {
            throw StorageCodecError(error.message)
        }
        guard !object.apiVersion.isEmpty, !object.kind.isEmpty else {
            throw StorageCodecError("the stored value has no apiVersion or kind")
        }
        return object
    }
}

/// Why a codec cannot encode or decode; the store says which key.
public struct StorageCodecError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
