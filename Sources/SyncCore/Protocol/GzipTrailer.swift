/// The end of a gzip stream (RFC 1952): the CRC-32 of the original, then its length modulo
/// 2³², each four bytes, little-endian.
///
/// zlib checks a complete stream's trailer and refuses a mismatch, but it inflates a stream cut
/// short as far as it goes and returns what it had. A cut stream ends in no trailer, and its
/// last four bytes name the length of what came out only by a 1 in 2³² chance; so the client
/// (`Gzip.decompress`) and the server (`GzipBody.decode`), which inflate with zlib, compare
/// them. Computing the CRC-32 again on top of zlib's check, as both once did, cost 2.5 ms a
/// megabyte.
public enum GzipTrailer {
    /// Whether the last four bytes of `stream` are the length of what inflating it gave.
    public static func matches(_ stream: some BidirectionalCollection<UInt8>, decodedLength: Int) -> Bool {
        stream.suffix(4).reversed().reduce(UInt32(0)) { ($0 << 8) | UInt32($1) } == UInt32(truncatingIfNeeded: decodedLength)
    }
}
