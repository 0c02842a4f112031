import CompressNIO
import NIOCore
import SyncCore

/// gzip for request and response bodies.
///
/// zlib checks a complete stream's trailer and refuses a mismatch, but it does not notice a
/// stream cut short; `GzipTrailer` does, so a body cut short in transit is refused instead of
/// being parsed as whatever prefix survived.
enum GzipBody {
    /// Decodes a complete gzip body of at most `maxBytes` decoded bytes.
    static func decode(_ body: ByteBuffer, maxBytes: Int) throws(ServerError) -> ByteBuffer {
        let bytes = body.readableBytesView
        guard bytes.count >= 18, bytes.first == 0x1f, bytes.dropFirst().first == 0x8b else {
            throw ServerError(.badEncoding, .gzipNotGzip)
        }
        var input = body
        let output: ByteBuffer
        do {
            output = try input.decompress(with: .gzip(), maxSize: maxBytes + 1)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw ServerError(.payloadTooLarge, .gzipDecodedTooLarge, ["limit": maxBytes])
        } catch {
            throw ServerError(.badEncoding, .gzipCorrupt, ["error": error])
        }
        guard output.readableBytes <= maxBytes else {
            throw ServerError(.payloadTooLarge, .gzipDecodedTooLarge, ["limit": maxBytes])
        }
        guard input.readableBytes == 0, GzipTrailer.matches(bytes, decodedLength: output.readableBytes) else {
            throw ServerError(.badEncoding, .gzipTruncated)
        }
        return output
    }

    /// zlib's level 3, not its default 6: on snapshot pages of stored states it compresses
    /// 2.5 times as fast (437 against 177 MB/s) to 6.6% of the text instead of 5.7%
    /// (Benchmarks/README.md, "Bootstrap, 6 Dec"), and a page's gzip was a sixth of the server's work.
    static var level: ZlibConfiguration.CompressionLevel { .compressionLevel3 }

    static func encode(_ body: ByteBuffer) throws -> ByteBuffer {
        var input = body
        return try input.compress(with: .gzip(configuration: ZlibConfiguration(compressionLevel: level)))
    }
}
