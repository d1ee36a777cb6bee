/// Who made a request, as kube's user.Info holds it: what authentication
/// found and what the proxy hands on to extension servers.
struct UserInfo: Sendable, Equatable {
    var name: String
    var uid = ""
    var groups: [String] = []
    /// Extra attributes (scopes, credential IDs), keyed by lower-case name.
    var extra: [String: [String]] = [:]

    /// Every authenticated user is also in this group, as kube adds it.
    static let authenticatedGroup = "system:authenticated"

    /// The user with system:authenticated added unless already there.
    var authenticated: UserInfo {
        var user = self
        if !user.groups.contains(Self.authenticatedGroup) { user.groups.append(Self.authenticatedGroup) }
        return user
    }
}
