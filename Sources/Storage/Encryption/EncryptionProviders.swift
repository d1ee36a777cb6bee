import CCipher
import Crypto
import Foundation

/// One provider of an EncryptionConfiguration with one key, as
/// kube-apiserver's envelope-free providers store values: the prefix
/// `k8s:enc:<provider>:v1:<key name>:`, then the provider's own layout.
/// Values move between Berth and kube-apiserver both ways.
protocol EncryptionProvider: Sendable {
    /// What a value written with this provider and key begins with ("" for identity).
    var prefix: [UInt8] { get }
    /// The value after the prefix; `key` is the etcd key, which
    /// authenticating providers bind the value to.
    func seal(_ data: [UInt8], key: [UInt8]) throws -> [UInt8]
    func open(_ sealed: ArraySlice<UInt8>, key: [UInt8]) throws -> [UInt8]
}

/// A provider with a secret of its own, whose values carry its name and
/// the key's: `k8s:enc:<name>:v1:<key name>:`.
protocol KeyedEncryptionProvider: EncryptionProvider {
    static var name: String { get }
    init(prefix: [UInt8], secret: [UInt8])
}

extension KeyedEncryptionProvider {
    init(keyName: String, secret: [UInt8]) {
        self.init(prefix: Array("k8s:enc:\(Self.name):v1:\(keyName):".utf8), secret: secret)
    }
}

/// Why a stored value cannot be read, in kube-apiserver's words.
struct EncryptionError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Every encrypted value begins so, whatever its provider.
let encryptedValuePrefix = Array("k8s:enc:".utf8)

/// Values as they are: reads refuse what a provider encrypted.
struct IdentityProvider: EncryptionProvider {
    var prefix: [UInt8] { [] }
    func seal(_ data: [UInt8], key: [UInt8]) throws -> [UInt8] { data }
    func open(_ sealed: ArraySlice<UInt8>, key: [UInt8]) throws -> [UInt8] {
        try Self.refuseEncrypted(sealed)
        return Array(sealed)
    }

    /// kube's identity check: a value a provider wrote is not plain text.
    static func refuseEncrypted(_ value: some Sequence<UInt8>) throws {
        if value.starts(with: encryptedValuePrefix) {
            throw EncryptionError("identity transformer tried to read encrypted data")
        }
    }
}

/// aescbc: a random 16-byte IV, then AES-CBC of the value with PKCS#7
/// padding (kube's cbcTransformer). Nothing authenticates it.
struct AESCBCProvider: KeyedEncryptionProvider {
    static let name = "aescbc"
    let prefix: [UInt8]
    let secret: [UInt8]

    func seal(_ data: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let iv = randomBytes(16)
        guard let ciphertext = Self.cbc(encrypt: true, data[...], secret: secret, iv: iv) else {
            throw EncryptionError("AES-CBC failed")
        }
        return iv + ciphertext
    }

    func open(_ sealed: ArraySlice<UInt8>, key: [UInt8]) throws -> [UInt8] {
        guard sealed.count >= 16 else { throw EncryptionError("the stored data was shorter than the required size") }
        let body = sealed.dropFirst(16)
        guard !body.isEmpty, body.count % 16 == 0 else { throw EncryptionError("the stored data is not a multiple of the block size") }
        guard let plain = Self.cbc(encrypt: false, body, secret: secret, iv: Array(sealed.prefix(16))) else {
            throw EncryptionError("invalid padding on input")
        }
        return plain
    }

    /// AES-CBC with PKCS#7 padding (CCipher, OpenSSL); nil on bad padding.
    static func cbc(encrypt: Bool, _ input: ArraySlice<UInt8>, secret: [UInt8], iv: [UInt8]) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var count = 0
        let ok = input.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                berth_aes_cbc(encrypt ? 1 : 0, secret, secret.count, iv, input.baseAddress, input.count, output.baseAddress, &count)
            }
        }
        guard ok == 1 else { return nil }
        output.removeLast(output.count - count)
        return output
    }
}

/// aesgcm: a random 12-byte nonce, then AES-GCM of the value with its
/// 16-byte tag, the etcd key as additional data (kube's gcm transformer), so
/// a value copied under another key does not open.
struct AESGCMProvider: KeyedEncryptionProvider {
    static let name = "aesgcm"
    let prefix: [UInt8]
    let secret: [UInt8]

    func seal(_ data: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let box = try AES.GCM.seal(data, using: SymmetricKey(data: secret), nonce: AES.GCM.Nonce(data: randomBytes(12)), authenticating: key)
        return Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
    }

    func open(_ sealed: ArraySlice<UInt8>, key: [UInt8]) throws -> [UInt8] {
        guard sealed.count >= 12 + 16 else { throw EncryptionError("the stored data was shorter than the required size") }
        do {
            let box = try AES.GCM.SealedBox(combined: Data(sealed))
            return Array(try AES.GCM.open(box, using: SymmetricKey(data: secret), authenticating: key))
        } catch {
            throw EncryptionError("cipher: message authentication failed")
        }
    }
}

/// secretbox: a random 24-byte nonce, then NaCl's secretbox of the value
/// (its Poly1305 tag, then the XSalsa20 ciphertext), as kube's
/// secretboxTransformer writes it. The key is 32 bytes.
struct SecretBoxProvider: KeyedEncryptionProvider {
    static let name = "secretbox"
    let prefix: [UInt8]
    let secret: [UInt8]

    func seal(_ data: [UInt8], key: [UInt8]) throws -> [UInt8] {
        let nonce = randomBytes(SecretBox.nonceSize)
        return nonce + SecretBox.seal(data, nonce: nonce, key: secret)
    }

    func open(_ sealed: ArraySlice<UInt8>, key: [UInt8]) throws -> [UInt8] {
        guard sealed.count >= SecretBox.nonceSize + SecretBox.tagSize else {
            throw EncryptionError("the stored data was shorter than the required size")
        }
        guard let opened = SecretBox.open(sealed.dropFirst(SecretBox.nonceSize), nonce: Array(sealed.prefix(SecretBox.nonceSize)),
                                          key: secret)
        else { throw EncryptionError("output array was not large enough for encryption") }
        return opened
    }
}

/// IVs and nonces: from the system's generator, eight bytes a call.
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 8)
    while bytes.count < count { withUnsafeBytes(of: generator.next()) { bytes += $0 } }
    return Array(bytes.prefix(count))
}
