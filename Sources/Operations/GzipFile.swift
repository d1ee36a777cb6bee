import CompressNIO
import Foundation
import NIOCore

/// A gzip file written as a stream: bytes go through zlib into a window
/// that is written out whenever it fills, so memory stays flat however
/// large the file grows.
final class GzipFileWriter {
    private let handle: FileHandle
    private let compressor = CompressionAlgorithm.gzip().compressor

    /// Creates (or empties) `path`.
    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw OperationFailure(description: "cannot create \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        compressor.window = ByteBufferAllocator().buffer(capacity: 1 << 16)
        try compressor.startStream()
    }

    func write(_ bytes: [UInt8]) throws {
        var buffer = ByteBuffer(bytes: bytes)
        try buffer.compressStream(with: compressor, flush: .no) { try handle.write(contentsOf: Data($0.readableBytesView)) }
    }

    /// Flushes what zlib holds, with gzip's trailer, and closes the file.
    func finish() throws {
        var empty = ByteBuffer()
        try empty.compressStream(with: compressor, flush: .finish) { try handle.write(contentsOf: Data($0.readableBytesView)) }
        try compressor.finishStream()
        try handle.close()
    }

    /// Closes the file after a failure, leaving its removal to the caller.
    func abandon() {
        try? compressor.finishStream()
        try? handle.close()
    }
}

/// A gzip file read as a stream: `next()` gives the next decompressed bytes.
final class GzipFileReader {
    private let handle: FileHandle
    private let decompressor = CompressionAlgorithm.gzip().decompressor
    private var decompressed: UInt64 = 0
    let path: String

    /// Opens `path`, which must start with gzip's magic bytes.
    init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else { throw OperationFailure(description: "cannot read \(path)") }
        guard (try? handle.read(upToCount: 2)) == Data([0x1F, 0x8B]) else {
            try? handle.close()
            throw OperationFailure(description: "\(path) is not gzip: not a logical backup")
        }
        try handle.seek(toOffset: 0)
        self.handle = handle
        try decompressor.startStream()
    }

    deinit {
        try? decompressor.finishStream()
        try? handle.close()
    }

    /// The next decompressed bytes; nil at the end of the file.
    func next() throws -> [UInt8]? {
        while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            var input = ByteBuffer(bytes: chunk)
            var output: [UInt8] = []
            while input.readableBytes > 0 {
                var window = ByteBufferAllocator().buffer(capacity: 1 << 18)
                let unread = input.readableBytes
                do {
                    try decompressor.streamInflate(from: &input, to: &window)
                } catch let error as CompressNIOError where error == .bufferOverflow || error == .inputBufferOverflow {
                    // The window is full, or zlib wants more input: both are progress.
                } catch {
                    throw OperationFailure(description: "\(path) does not decompress (\(error)): corrupted")
                }
                output += window.readableBytesView
                if input.readableBytes == unread && window.readableBytes == 0 {
                    throw OperationFailure(description: "\(path) has bytes after the end of its gzip stream: not a logical backup")
                }
            }
            decompressed += UInt64(output.count)
            if !output.isEmpty { return output }
        }
        return nil
    }

    /// Reads to the end and checks that the file ends with gzip's trailer for
    /// what came out of it: zlib checks the CRC only when it reaches the
    /// trailer, so a file cut inside the trailer would otherwise pass.
    func checkEnd() throws {
        while try next() != nil {}
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: max(size, 4) - 4)
        let trailer = Array(try handle.read(upToCount: 4) ?? Data())
        let length = trailer.count == 4 ? trailer.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } : nil
        guard length == UInt32(truncatingIfNeeded: decompressed) else {
            throw OperationFailure(description: "\(path) does not end with its gzip trailer: truncated")
        }
    }
}
