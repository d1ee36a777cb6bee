import APIMachinery
import Foundation

/// Static bearer tokens (--token-auth-file): a CSV of token,user,uid and an
/// optional quoted, comma-separated list of groups, as kube-apiserver reads it.
/// Access control proper comes later; here a known token is a signed-in user.
public struct TokenAuthenticator: Sendable {
    public struct User: Sendable, Equatable {
        public var name: String
        public var uid: String
        public var groups: [String]
    }

    let users: [String: User]

    public init(users: [String: User]) { self.users = users }

    public init(contentsOf path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TokenFileError(message: "cannot read the token file \(path)")
        }
        var users: [String: User] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = Self.csvFields(trimmed)
            guard fields.count >= 3, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw TokenFileError(message: "\(path) line \(number + 1): want token,user,uid[,\"group1,group2\"]")
            }
            let groups = fields.count > 3 ? fields[3].split(separator: ",").map { $0.trimmingSpaces() } : []
            users[fields[0]] = User(name: fields[1], uid: fields[2], groups: groups)
        }
        self.init(users: users)
    }

    /// The user of an `Authorization: Bearer TOKEN` header, nil if unknown.
    public func authenticate(authorization: String?) -> User? {
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
