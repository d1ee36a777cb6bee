import CompressNIO
import Foundation
import Hummingbird

/// gzip for large responses, as kube-apiserver's APIResponseCompression does
/// it: only when the client's Accept-Encoding allows gzip and the body is at
/// least 128 KiB, because compressing small bodies costs more CPU than the
/// bytes it saves. Streams (watches) have no known length and are left alone.
enum ResponseCompression {
    static let thresholdBytes = 128 * 1024

    static func gzipIfAccepted(_ response: Response, acceptEncoding: String?) async throws -> Response {
        guard let length = response.body.contentLength, length >= thresholdBytes,
              response.headers[.contentEncoding] == nil, accepts("gzip", acceptEncoding) else { return response }
        let collector = BodyCollector()
        try await response.body.write(collector)
        var plain = collector.buffer
        let compressed = try plain.compress(with: .gzip)
        var gzipped = response
        gzipped.headers[.contentEncoding] = "gzip"
        gzipped.headers[.contentLength] = nil
        gzipped.headers[values: .vary].append("Accept-Encoding")
        gzipped.body = ResponseBody(byteBuffer: compressed)
        return gzipped
    }

    /// Whether an Accept-Encoding header allows `coding` (listed, or `*`, with a q above zero).
    static func accepts(_ coding: String, _ header: String?) -> Bool {
        guard let header else { return false }
        for element in header.split(separator: ",") {
            let parts = element.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first, name == coding || name == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
        return false
    }
}

/// A body writer that keeps what is written, to compress a whole body at once.
private final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var part = buffer
        self.buffer.writeBuffer(&part)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
