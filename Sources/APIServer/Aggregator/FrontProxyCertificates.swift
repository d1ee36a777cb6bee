import Crypto
import Foundation
import SwiftASN1
import X509

/// The client certificate Berth shows extension API servers, and the CA
/// that signs it (their requestheader-client-ca-file). Without
/// --proxy-client-cert-file they are generated into the data directory as
/// kubeadm makes them: a front-proxy CA and a client certificate with CN
/// front-proxy-client.
public struct FrontProxyCertificates: Sendable {
    public var certificateFile: String
    public var keyFile: String
    /// The CA extension servers trust the certificate by; nil when the
    /// operator gave the certificate and no --requestheader-client-ca-file.
    public var caFile: String?

    public static let commonName = "front-proxy-client"

    public static func loadOrGenerate(in directory: String) throws -> FrontProxyCertificates {
        let files = FrontProxyCertificates(certificateFile: directory + "/front-proxy-client.crt",
                                           keyFile: directory + "/front-proxy-client.key",
                                           caFile: directory + "/front-proxy-ca.crt")
        let manager = FileManager.default
        if [files.certificateFile, files.keyFile, directory + "/front-proxy-ca.crt"].allSatisfy(manager.fileExists(atPath:)) {
            return files
        }
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let now = Date()
        let (ca, caKey, caIdentifier) = try ServingCertificate.generateCA(commonName: "front-proxy-ca", now: now)
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let client = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey,
            notValidBefore: now - 3600, notValidAfter: now + 365 * 86400,
            issuer: ca.subject, subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.clientAuth])
                AuthorityKeyIdentifier(keyIdentifier: caIdentifier.keyIdentifier)
            },
            issuerPrivateKey: .init(caKey))
        try ServingCertificate.write(try ca.serializeAsPEM().pemString + "\n", to: directory + "/front-proxy-ca.crt", mode: 0o644)
        try ServingCertificate.write(try client.serializeAsPEM().pemString + "\n", to: files.certificateFile, mode: 0o644)
        try ServingCertificate.write(key.pemRepresentation + "\n", to: files.keyFile, mode: 0o600)
        return files
    }
}
