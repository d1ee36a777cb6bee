import APIMachinery
import HTTPTypes
import Hummingbird
import NIOSSL
import SwiftASN1
import X509

/// kube's request-header authenticator (--requestheader-*): a front proxy
/// that shows a client certificate from the request-header CA, with an
/// allowed common name, names the user in X-Remote-User, the groups in
/// X-Remote-Group and extras in X-Remote-Extra-*. Without such a
/// certificate the headers mean nothing and the next authenticator decides.
struct RequestHeaderAuthenticator: RequestAuthenticator {
    let authorities: [Certificate]
    /// Empty: any common name the CA signed.
    let allowedNames: [String]

    init(caPEM: String, allowedNames: [String]) throws {
        authorities = try PEMDocument.parseMultiple(pemString: caPEM).map { try Certificate(pemDocument: $0) }
        self.allowedNames = allowedNames
    }

    func authenticate(_ request: Request, context: APIRequestContext) async throws -> UserInfo? {
        let headers = request.headers
        guard let name = headers[Self.user], !name.isEmpty,
              let peer = try? await context.connection?.nioSSL_peerCertificate().get(),
              let certificate = try? Certificate(derEncoded: try peer.toDERBytes()),
              authorities.contains(where: { $0.subject == certificate.issuer
                  && $0.publicKey.isValidSignature(certificate.signature, for: certificate) })
        else { return nil }
        let commonName = certificate.subject.flatMap { $0 }.first { $0.type == .RDNAttributeType.commonName }
            .map { String(describing: $0.value) } ?? ""
        if !allowedNames.isEmpty, !allowedNames.contains(commonName) { return nil }
        var user = UserInfo(name: name, uid: headers[Self.uid] ?? "", groups: headers[values: Self.group])
        for field in headers {
            let header = field.name.canonicalName
            guard header.hasPrefix(Self.extraPrefix) else { continue }
            let key = String(header.dropFirst(Self.extraPrefix.count)).removingPercentEncoding ?? ""
            user.extra[key.lowercased(), default: []].append(field.value)
        }
        return user
    }

    static let user = HTTPField.Name("X-Remote-User")!
    static let uid = HTTPField.Name("X-Remote-Uid")!
    static let group = HTTPField.Name("X-Remote-Group")!
    static let extraPrefix = "x-remote-extra-"
}
