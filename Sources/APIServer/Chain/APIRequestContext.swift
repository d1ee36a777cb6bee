import Hummingbird
import Logging
import NIOCore

/// What a request carries down the handler chain besides itself: the user
/// authentication found, and the labels routing learns for the metrics.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request came on (an HTTP/2 stream's parent holds
    /// the TLS session), for the client address and certificate.
    let channel: (any Channel)?
    /// Set by ``Authentication``; nil before it and for anonymous requests.
    var user: UserInfo?
    /// Shared by every link, so the metrics link outside hears what routing
    /// inside learned, even when the request fails or times out.
    let labels: RouteLabels

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        labels = RouteLabels(Metrics.RequestLabels(method: .get))
    }

    /// The TCP connection: a stream's parent under HTTP/2, the channel itself under HTTP/1.
    var connection: (any Channel)? { channel.map { $0.parent ?? $0 } }
}
