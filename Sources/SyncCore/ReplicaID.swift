import Foundation

/// The identity of one replica: a device database or the server.
///
/// Replica ids order by their lowercase text so that ties between concurrent writes break the
/// same way on every machine.
public struct ReplicaID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The UUID's 16 bytes as two big-endian words, which order exactly like the lowercase hex
    /// text. Every version vector lookup and dot comparison of a merge goes through these, and
    /// holding no text keeps dots, siblings and version vectors free of reference counting.
    public let high: UInt64
    public let low: UInt64

    /// The lowercase canonical text of the UUID.
    public var rawValue: String { Self.text(high: high, low: low) }

    public init(_ uuid: UUID = UUID()) {
        let bytes = uuid.uuid
        self.init(
            high: Self.word(bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5, bytes.6, bytes.7),
            low: Self.word(bytes.8, bytes.9, bytes.10, bytes.11, bytes.12, bytes.13, bytes.14, bytes.15)
        )
    }

    /// The replica whose UUID bytes are these two big-endian words.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses a UUID text (either case, hyphenated as `8-4-4-4-12`); returns nil when it is not
    /// a UUID.
    public init?(string: String) {
        var text = string
        guard let id = text.withUTF8({ ReplicaID(utf8: $0) }) else { return nil }
        self = id
    }

    /// Parses the UTF-8 bytes of a UUID text, as `init?(string:)` does, without making a
    /// `String`: the JSON reader reads every dot's replica and every version vector's keys so.
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 36,
              bytes[8] == UInt8(ascii: "-"), bytes[13] == UInt8(ascii: "-"),
              bytes[18] == UInt8(ascii: "-"), bytes[23] == UInt8(ascii: "-")
        else { return nil }
        // Each group of hex digits in turn, skipping the hyphens; any byte that is not a hex
        // digit sets the high bit of `invalid`.
        var invalid: UInt8 = 0
        @inline(__always) func digits(_ range: Range<Int>, into word: inout UInt64) {
            for index in range {
                let nibble = Self.hexValue(bytes[index])
                invalid |= nibble
                word = word << 4 | UInt64(nibble & 0xf)
            }
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        digits(0..<8, into: &high)
        digits(9..<13, into: &high)
        digits(14..<18, into: &high)
        digits(19..<23, into: &low)
        digits(24..<36, into: &low)
        guard invalid & 0x80 == 0 else { return nil }
        self.init(high: high, low: low)
    }

    /// The value of a hex digit (either case); 0x80 for any other byte.
    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8 {
        let digit = byte &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        // `| 0x20` folds the upper-case letters onto the lower-case ones.
        let letter = (byte | 0x20) &- UInt8(ascii: "a")
        return letter < 6 ? letter + 10 : 0x80
    }

    public static func == (lhs: ReplicaID, rhs: ReplicaID) -> Bool {
        lhs.high == rhs.high && lhs.low == rhs.low
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(low)
    }

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool {
        lhs.high == rhs.high ? lhs.low < rhs.low : lhs.high < rhs.high
    }

    public var description: String { rawValue }

    /// The first eight characters, enough to tell replicas apart in a table.
    public var short: String { String(rawValue.prefix(8)) }

    /// Writes the lowercase canonical text into `output`, without making a `String`.
    public func appendText(to output: inout [UInt8]) {
        Self.forEachTextByte(high: high, low: low) { output.append($0) }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ReplicaID(string: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a replica UUID: \(text)")
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static func word(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, _ b5: UInt8, _ b6: UInt8, _ b7: UInt8) -> UInt64 {
        var word = UInt64(b0) << 56 | UInt64(b1) << 48 | UInt64(b2) << 40 | UInt64(b3) << 32
        word |= UInt64(b4) << 24 | UInt64(b5) << 16 | UInt64(b6) << 8 | UInt64(b7)
        return word
    }

    /// The lowercase hyphenated text of two big-endian words.
    private static func text(high: UInt64, low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            forEachTextByte(high: high, low: low) { byte in
                buffer[position] = byte
                position += 1
            }
            return position
        }
    }

    @inline(__always)
    private static func forEachTextByte(high: UInt64, low: UInt64, _ body: (UInt8) -> Void) {
        for position in 0..<32 {
            if position == 8 || position == 12 || position == 16 || position == 20 {
                body(UInt8(ascii: "-"))
            }
            let word = position < 16 ? high : low
            let nibble = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * (position & 15))) & 0xf
            body(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
        }
    }
}
