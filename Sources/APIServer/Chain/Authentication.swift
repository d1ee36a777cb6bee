import APIMachinery
import Hummingbird

/// One way to learn who sent a request (a bearer token, a front proxy's
/// headers, ...): nil when the request carries no credential of its kind.
protocol RequestAuthenticator: Sendable {
    func authenticate(_ request: Request, context: APIRequestContext) async throws -> UserInfo?
}

/// Sets the request's user from the first authenticator that knows it, as
/// kube's union authenticator does. Without one, only the public paths
/// (system:public-info-viewer's) answer; the rest get 401.
struct Authentication: HandlerLink {
    let authenticators: [any RequestAuthenticator]

    /// Paths anyone may read, as kube-apiserver's system:public-info-viewer allows.
    static let publicPaths: Set<String> = ["/healthz", "/livez", "/readyz", "/version"]

    func handle(_ request: Request, context: APIRequestContext,
                next: @escaping HandlerChain.Next) async throws -> Response {
        var context = context
        for authenticator in authenticators {
            if let user = try await authenticator.authenticate(request, context: context) {
                context.user = user.authenticated
                return try await next(request, context)
            }
        }
        guard Self.isPublic(request.uri.path) else { throw APIErrorFactory.unauthorized }
        return try await next(request, context)
    }

    static func isPublic(_ rawPath: String) -> Bool {
        var path = rawPath.removingPercentEncoding ?? rawPath
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return publicPaths.contains(path) || path.hasPrefix("/readyz/") || path.hasPrefix("/livez/")
            || path.hasPrefix("/healthz/")
    }
}

/// The plain-HTTP port's user: no credential is asked for there, and what
/// comes through it may do anything, as kube's old insecure port allowed.
struct UnsecuredUser: RequestAuthenticator {
    static let user = UserInfo(name: "system:unsecured", groups: ["system:masters", UserInfo.authenticatedGroup])

    func authenticate(_ request: Request, context: APIRequestContext) async throws -> UserInfo? { Self.user }
}
