import CompressNIO
import Foundation
import Hummingbird

/// gzip for large responses, as kube-apiserver's APIResponseCompression does
/// it: only when the client's Accept-Encoding allows gzip and the body is at
/// least 128 KiB, because compressing small bodies costs more CPU than the
/// bytes it saves. Streams (watches) have no known length and are left alone.
/// The body is compressed as it is written, so a large list is never held
/// whole, plain or compressed.
enum ResponseCompression {
    static let thresholdBytes = 128 * 1024

    static func gzipIfAccepted(_ response: Response, acceptEncoding: String?) async throws -> Response {
        guard let length = response.body.contentLength, length >= thresholdBytes,
              response.headers[.contentEncoding] == nil, accepts("gzip", acceptEncoding) else { return response }
        let plain = response.body
        var gzipped = response
        gzipped.headers[.contentEncoding] = "gzip"
        gzipped.headers[.contentLength] = nil
        gzipped.headers[values: .vary].append("Accept-Encoding")
        gzipped.body = ResponseBody { writer in
            try await plain.write(try GzipBodyWriter(writer))
        }
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

/// Compresses what is written to it into gzip and passes that on, a window
/// (64 KiB) at a time.
private struct GzipBodyWriter: ResponseBodyWriter {
    var parent: any ResponseBodyWriter
    let compressor: NIOCompressor

    init(_ parent: any ResponseBodyWriter) throws {
        self.parent = parent
        compressor = CompressionAlgorithm.gzip().compressor
        compressor.window = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        try compressor.startStream()
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        try await pass(buffer, flush: .no)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await pass(ByteBuffer(), flush: .finish)
        try compressor.finishStream()
        try await parent.finish(trailingHeaders)
    }

    private mutating func pass(_ buffer: ByteBuffer, flush: CompressNIOFlush) async throws {
        var input = buffer
        var output: [ByteBuffer] = []
        try input.compressStream(with: compressor, flush: flush) { output.append($0) }
        for part in output { try await parent.write(part) }
    }
}
