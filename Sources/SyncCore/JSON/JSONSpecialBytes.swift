/// The bytes a JSON string cannot hold as they are — a quote, a backslash, a control
/// character — found eight at a time, for the reader (where a string ends or needs decoding)
/// and the writer (what it must escape).
enum JSONSpecialBytes {
    /// The high bit of each byte of `word` (byte 0 in the low bits) that is a quote, a
    /// backslash or below 0x20, by the zero-byte tests of "Bit Twiddling Hacks": no such byte
    /// is missed, and a byte may be flagged falsely only above one flagged truly, so the
    /// lowest flag is always a true one.
    @inline(__always)
    static func `in`(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroByte(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let quote = zeroByte(word ^ (ones &* 0x22))
        let backslash = zeroByte(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        return quote | backslash | control
    }

    /// The offset of the first byte of `utf8` at or after `start` that is a quote, a backslash
    /// or a control character; `utf8.count` when there is none.
    @inline(__always)
    static func first(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var position = start
        let count = utf8.count
        guard let base = utf8.baseAddress else { return count }
        while position &+ 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            let special = Self.in(word)
            if special != 0 { return position &+ (special.trailingZeroBitCount &>> 3) }
            position &+= 8
        }
        while position < count {
            let byte = base[position]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return position }
            position &+= 1
        }
        return count
    }
}
