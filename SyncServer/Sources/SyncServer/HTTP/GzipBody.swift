import CompressNIO
import NIOCore

/// gzip for request and response bodies.
///
/// zlib alone does not notice a truncated stream: it returns what it could inflate and waits
/// for more input. The decoder therefore checks the gzip trailer (CRC-32 and length of the
/// decoded bytes) itself, so a body cut short in transit is refused instead of being parsed as
/// whatever prefix survived.
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
        let trailer = Array(bytes.suffix(8))
        let expectedCRC = littleEndian(trailer[0..<4])
        let expectedSize = littleEndian(trailer[4..<8])
        guard input.readableBytes == 0,
            expectedSize == UInt32(truncatingIfNeeded: output.readableBytes),
            expectedCRC == CRC32.checksum(output.readableBytesView)
        else {
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

    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reversed().reduce(0) { ($0 << 8) | UInt32($1) }
    }
}

/// CRC-32 (IEEE 802.3), as in the gzip trailer.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
