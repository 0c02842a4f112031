import CompressNIO
import Foundation
import NIOCore
import SyncCore

/// gzip for request and response bodies.
public enum Gzip {
    public struct CorruptData: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// True when the bytes start with the gzip magic number.
    public static func isCompressed(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    public static func compress(_ data: Data) throws -> Data {
        var buffer = ByteBuffer(bytes: data)
        let compressed = try buffer.compress(with: .gzip())
        return Data(compressed.readableBytesView)
    }

    /// Decompresses, refusing output larger than `maxSize` bytes, a corrupt stream (zlib checks
    /// the trailer of a complete one) and a stream cut short (`GzipTrailer`).
    public static func decompress(_ data: Data, maxSize: Int = 256 << 20) throws -> Data {
        guard isCompressed(data), data.count >= 18 else { throw CorruptData(description: "not a gzip stream") }
        var buffer = ByteBuffer(bytes: data)
        let plain: ByteBuffer
        do {
            plain = try buffer.decompress(with: .gzip(), maxSize: maxSize)
        } catch {
            throw CorruptData(description: "corrupt gzip stream: \(error)")
        }
        guard GzipTrailer.matches(data, decodedLength: plain.readableBytes) else {
            throw CorruptData(description: "truncated gzip stream (its length does not match the data)")
        }
        return Data(plain.readableBytesView)
    }
}
