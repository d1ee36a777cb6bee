/// Transforms values between the codec and etcd: the place where encryption at
/// rest will go (kube-apiserver's value.Transformer). The key is authenticated
/// data, so a value copied to another key can be detected.
public protocol ValueTransformer: Sendable {
    func transformToStorage(_ data: [UInt8], key: [UInt8]) async throws -> [UInt8]
    /// `stale` says the value should be rewritten (e.g. an old encryption key).
    func transformFromStorage(_ data: [UInt8], key: [UInt8]) async throws -> (data: [UInt8], stale: Bool)
}

/// Stores values as the codec wrote them, and refuses to read one that an
/// encryption provider wrote (it needs --encryption-provider-config).
public struct IdentityTransformer: ValueTransformer {
    public init() {}
    public func transformToStorage(_ data: [UInt8], key: [UInt8]) async throws -> [UInt8] { data }
    public func transformFromStorage(_ data: [UInt8], key: [UInt8]) async throws -> (data: [UInt8], stale: Bool) {
        // Every read of every unencrypted resource comes here: no copy.
        try IdentityProvider.refuseEncrypted(data)
        return (data, false)
    }
}
