import Crypto
import Foundation
import SwiftASN1
import X509

/// The serving certificate generated when no --tls-cert-file is given, as
/// kube-apiserver does: a private CA ("localhost-ca@TIME") and a certificate
/// for localhost and 127.0.0.1 signed by it, kept in the data directory so
/// that kubeconfigs stay valid across restarts.
public struct ServingCertificate: Sendable {
    public var certificateFile: String
    public var keyFile: String
    public var caFile: String

    /// The files in `directory`, generated first when missing.
    public static func loadOrGenerate(in directory: String, hosts: [String] = ["localhost"],
                                      addresses: [[UInt8]] = [[127, 0, 0, 1]]) throws -> ServingCertificate {
        let files = ServingCertificate(certificateFile: directory + "/apiserver.crt", keyFile: directory + "/apiserver.key",
                                       caFile: directory + "/ca.crt")
        let manager = FileManager.default
        if [files.certificateFile, files.keyFile, files.caFile].allSatisfy(manager.fileExists(atPath:)) { return files }
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        let now = Date()
        let stamp = Int(now.timeIntervalSince1970)
        let (ca, caKey, caIdentifier) = try generateCA(commonName: "localhost-ca@\(stamp)", now: now)
        let caName = ca.subject

        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let names = hosts.map { GeneralName.dnsName($0) } + addresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) }
        let serving = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey,
            notValidBefore: now - 3600, notValidAfter: now + 365 * 86400,
            issuer: caName, subject: try DistinguishedName { CommonName("localhost@\(stamp)") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: caIdentifier.keyIdentifier)
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(caKey))

        let caPEM = try ca.serializeAsPEM().pemString + "\n"
        try write(try serving.serializeAsPEM().pemString + "\n" + caPEM, to: files.certificateFile, mode: 0o644)
        try write(key.pemRepresentation + "\n", to: files.keyFile, mode: 0o600)
        try write(caPEM, to: files.caFile, mode: 0o644)
        return files
    }

    /// A self-signed CA valid for ten years: its certificate, key and key identifier.
    static func generateCA(commonName: String, now: Date) throws -> (Certificate, P256.Signing.PrivateKey, SubjectKeyIdentifier) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let identifier = SubjectKeyIdentifier(hash: publicKey)
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey,
            notValidBefore: now - 3600, notValidAfter: now + 10 * 365 * 86400,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                identifier
            },
            issuerPrivateKey: .init(key))
        return (certificate, key, identifier)
    }

    static func write(_ text: String, to path: String, mode: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
