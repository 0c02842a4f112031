import SyncCore

/// An instant to the second, parsed from the schema's canonical UTC timestamps
/// (`YYYY-MM-DDTHH:MM:SSZ`), with the arithmetic reports need and no Foundation dates.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// Parses a canonical UTC timestamp; nil for anything else.
    public init?(_ text: String) {
        guard Dates.isValidTimestamp(text), let day = CalendarDay(String(text.prefix(10))) else { return nil }
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64 {
            bytes[range].reduce(0) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
        }
        let seconds = number(11..<13) * 3600 + number(14..<16) * 60 + number(17..<19)
        self.init(secondsSinceEpoch: Int64(day.daysSinceEpoch) * 86_400 + seconds)
    }

    /// The start (00:00:00) of a day in a time zone `utcOffsetMinutes` east of UTC.
    public init(startOf day: CalendarDay, utcOffsetMinutes: Int = 0) {
        self.init(secondsSinceEpoch: Int64(day.daysSinceEpoch) * 86_400 - Int64(utcOffsetMinutes) * 60)
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    /// The calendar day of this instant in a time zone `utcOffsetMinutes` east of UTC
    /// (480 for China Standard Time).
    public func day(utcOffsetMinutes: Int = 0) -> CalendarDay {
        let local = secondsSinceEpoch + Int64(utcOffsetMinutes) * 60
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return CalendarDay(daysSinceEpoch: Int(days))
    }

    /// The instant `seconds` later.
    public func adding(seconds: Int64) -> Instant {
        Instant(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    /// Seconds from `other` to this instant: positive when this one is later.
    public func seconds(since other: Instant) -> Int64 {
        secondsSinceEpoch - other.secondsSinceEpoch
    }

    /// The canonical UTC timestamp `YYYY-MM-DDTHH:MM:SSZ`.
    public var description: String {
        let day = self.day()
        let seconds = secondsSinceEpoch - Int64(day.daysSinceEpoch) * 86_400
        func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(day)T\(pad(seconds / 3600)):\(pad(seconds % 3600 / 60)):\(pad(seconds % 60))Z"
    }
}

extension Instant: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let instant = Instant(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an instant is YYYY-MM-DDTHH:MM:SSZ, got '\(text)'")
        }
        self = instant
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
