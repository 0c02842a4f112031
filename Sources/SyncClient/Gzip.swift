import CompressNIO
import Foundation
import NIOCore

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

    /// Decompresses, refusing output larger than `maxSize` bytes, a corrupt stream and a stream
    /// cut short. zlib checks a complete stream's trailer (CRC-32 and length of the original)
    /// and refuses a mismatch, but it inflates a stream cut short as far as it goes and returns
    /// what it had; a cut stream ends in no trailer, and its last four bytes name the length of
    /// what came out only by a 1 in 2³² chance. (Computing the CRC-32 again, as this did before,
    /// cost 2.5 ms a megabyte.)
    public static func decompress(_ data: Data, maxSize: Int = 256 << 20) throws -> Data {
        guard isCompressed(data), data.count >= 18 else { throw CorruptData(description: "not a gzip stream") }
        var buffer = ByteBuffer(bytes: data)
        let plain: ByteBuffer
        do {
            plain = try buffer.decompress(with: .gzip(), maxSize: maxSize)
        } catch {
            throw CorruptData(description: "corrupt gzip stream: \(error)")
        }
        let size = data.suffix(4).reversed().reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
        guard size == UInt32(truncatingIfNeeded: plain.readableBytes) else {
            throw CorruptData(description: "truncated gzip stream (its length does not match the data)")
        }
        return Data(plain.readableBytesView)
    }
}
