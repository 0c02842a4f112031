/// The one check of UTF-8 bytes that are not yet a `String`: JSON strings as `JSONReader`
/// parses them (left in the text until read) and CSV files before they are imported.
public enum UTF8Validation {
    /// The offset of the first byte that breaks UTF-8 (RFC 3629: overlong forms, surrogates and
    /// values above U+10FFFF included), or nil when all bytes are valid.
    @inlinable
    public static func firstInvalidOffset<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Int? where Bytes.Index == Int {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return index - bytes.startIndex
            }
            guard index + length <= bytes.endIndex else { return index - bytes.startIndex }
            let second = bytes[index + 1]
            guard second >= lower && second <= upper else { return index - bytes.startIndex }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 {
                return index - bytes.startIndex
            }
            index += length
        }
        return nil
    }
}
