import CompressNIO
import Foundation
import NIOCore

/// gzip for request and response bodies.
public enum Gzip {
    /// True when the bytes start with the gzip magic number.
    public static func isCompressed(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    public static func compress(_ data: Data) throws -> Data {
        var buffer = ByteBuffer(bytes: data)
        let compressed = try buffer.compress(with: .gzip())
        return Data(compressed.readableBytesView)
    }

    /// Decompresses, refusing output larger than `maxSize` bytes.
    public static func decompress(_ data: Data, maxSize: Int = 256 << 20) throws -> Data {
        var buffer = ByteBuffer(bytes: data)
        let plain = try buffer.decompress(with: .gzip(), maxSize: maxSize)
        return Data(plain.readableBytesView)
    }
}
