import APIMachinery
import Foundation

/// The opaque `continue` of a paginated list, in kube-apiserver's format:
/// base64url (unpadded) of {"v":"meta.k8s.io/v1","rv":N,"start":"<key>"} where
/// start is the next key relative to the list's prefix. Every page is read at
/// revision rv, so the pages form one consistent snapshot.
public struct ContinueToken: Sendable, Hashable {
    /// The revision all pages are read at; -1 after an expired token, meaning
    /// "go on at the newest revision" (the list is then not one snapshot).
    public var revision: Int64
    /// The full etcd key to start from.
    public var startKey: String

    public init(revision: Int64, startKey: String) {
        self.revision = revision
        self.startKey = startKey
    }

    public func encode(prefix: String) -> String {
        let relative = startKey.hasPrefix(prefix) ? String(startKey.dropFirst(prefix.count)) : startKey
        let json: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(revision), "start": .string(relative)]
        return Data(json.serialized()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a token for a list under `prefix`; a malformed token, or one
    /// that would read outside the prefix, is a 400 BadRequest.
    public static func decode(_ token: String, prefix: String) throws -> ContinueToken {
        func invalid(_ why: String) -> APIError { APIError.badRequest("invalid continue token: continue key is not valid: \(why)") }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let json = try? JSONValue.parse(Array(data)) else {
            throw invalid("not base64-encoded JSON")
        }
        guard json["v"]?.stringValue == "meta.k8s.io/v1" else {
            throw invalid("incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        guard let revision = json["rv"]?.intValue, revision != 0 else {
            throw invalid("incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        guard let start = json["start"]?.stringValue, !start.isEmpty else {
            throw invalid("encoded start key empty")
        }
        // The start key must stay inside the listed prefix.
        let segments = start.split(separator: "/", omittingEmptySubsequences: false)
        if start.hasPrefix("/") || segments.contains("..") || segments.contains(".") {
            throw invalid("\(start)")
        }
        return ContinueToken(revision: revision, startKey: prefix + start)
    }
}
