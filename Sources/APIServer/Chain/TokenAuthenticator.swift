import APIMachinery
import Foundation
import Hummingbird

/// Static bearer tokens (--token-auth-file): a CSV of token,user,uid and an
/// optional quoted, comma-separated list of groups, as kube-apiserver reads it.
/// Access control proper comes later; here a known token is a signed-in user.
struct TokenAuthenticator: RequestAuthenticator {
    let users: [String: UserInfo]

    init(users: [String: UserInfo]) { self.users = users }

    init(contentsOf path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TokenFileError(message: "cannot read the token file \(path)")
        }
        var users: [String: UserInfo] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = Self.csvFields(trimmed)
            guard fields.count >= 3, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw TokenFileError(message: "\(path) line \(number + 1): want token,user,uid[,\"group1,group2\"]")
            }
            let groups = fields.count > 3 ? fields[3].split(separator: ",").map { $0.trimmingSpaces() } : []
            users[fields[0]] = UserInfo(name: fields[1], uid: fields[2], groups: groups)
        }
        self.init(users: users)
    }

    func authenticate(_ request: Request, context: APIRequestContext) async throws -> UserInfo? {
        authenticate(authorization: request.headers[.authorization])
    }

    /// The user of an `Authorization: Bearer TOKEN` header, nil if unknown.
    func authenticate(authorization: String?) -> UserInfo? {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return nil }
        return users[String(authorization.dropFirst("Bearer ".count)).trimmingSpaces()]
    }

    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
            } else if character == "," && !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

public struct TokenFileError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
