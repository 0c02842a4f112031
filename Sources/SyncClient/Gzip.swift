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

    /// Decompresses, refusing output larger than `maxSize` bytes and any stream whose trailer
    /// (CRC-32 and length of the original) does not match what came out: zlib alone accepts a
    /// stream cut short and returns what it had.
    public static func decompress(_ data: Data, maxSize: Int = 256 << 20) throws -> Data {
        guard isCompressed(data), data.count >= 18 else { throw CorruptData(description: "not a gzip stream") }
        var buffer = ByteBuffer(bytes: data)
        let plain: Data
        do {
            plain = Data(try buffer.decompress(with: .gzip(), maxSize: maxSize).readableBytesView)
        } catch {
            throw CorruptData(description: "corrupt gzip stream: \(error)")
        }
        let trailer = Array(data.suffix(8))
        let crc = UInt32(trailer[0]) | UInt32(trailer[1]) << 8 | UInt32(trailer[2]) << 16 | UInt32(trailer[3]) << 24
        let size = UInt32(trailer[4]) | UInt32(trailer[5]) << 8 | UInt32(trailer[6]) << 16 | UInt32(trailer[7]) << 24
        guard size == UInt32(truncatingIfNeeded: plain.count), crc == CRC32.checksum(plain) else {
            throw CorruptData(description: "truncated or corrupt gzip stream (trailer does not match the data)")
        }
        return plain
    }
}

/// CRC-32 (IEEE 802.3), as the gzip trailer uses.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        data.withUnsafeBytes { bytes in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
