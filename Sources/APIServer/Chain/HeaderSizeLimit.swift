import Hummingbird

/// Answers 431 to a header block larger than the limit, as Go's server
/// does. HTTP/1's decoder stops at the limit itself (see HeaderBlockTooLarge);
/// HTTP/2 decodes larger blocks so that this stream alone fails.
struct HeaderSizeLimit: HandlerLink {
    let maximumBytes: Int

    func handle(_ request: Request, context: APIRequestContext,
                next: @escaping HandlerChain.Next) async throws -> Response {
        guard Self.headerBytes(request) <= maximumBytes else {
            return Response(status: .requestHeaderFieldsTooLarge, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "431 Request Header Fields Too Large")))
        }
        return try await next(request, context)
    }

    /// A header block's size as HTTP/2 counts it (RFC 9113 6.5.2): each field's
    /// name and value and 32 bytes, the pseudo-header fields included.
    static func headerBytes(_ request: Request) -> Int {
        let fields = request.headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 32 }
        return fields + request.uri.description.utf8.count + request.method.rawValue.utf8.count + 3 * 32
    }
}
