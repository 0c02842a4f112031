import SyncCore

/// A calendar day in the proleptic Gregorian calendar, computed without Foundation's calendar
/// so that every replica and the server agree on day arithmetic and ISO weeks.
///
/// Encodes as its canonical text `YYYY-MM-DD`, the form the schema stores dates in.
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let daysSinceEpoch: Int

    /// The day a number of days after 1970-01-01.
    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The day with this year, month (1–12) and day of month, or nil for a day that does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Dates.daysIn(month: month, year: year) else { return nil }
        self.init(daysSinceEpoch: Dates.days(year: year, month: month, day: day))
    }

    /// Parses the canonical form `YYYY-MM-DD`; nil for anything else.
    public init?(_ text: String) {
        guard Dates.isValidDay(text) else { return nil }
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int {
            bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        self.init(year: number(0..<4), month: number(5..<7), day: number(8..<10))
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// The year, month and day of month.
    public var components: (year: Int, month: Int, day: Int) { Dates.civil(daysSinceEpoch) }

    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = components
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// The day `days` later (earlier for a negative count).
    public func adding(days: Int) -> CalendarDay {
        CalendarDay(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// The number of days from `other` to this day: positive when this day is later.
    public func days(since other: CalendarDay) -> Int {
        daysSinceEpoch - other.daysSinceEpoch
    }

    /// The ISO weekday: 1 for Monday through 7 for Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        Self.floorModulo(daysSinceEpoch + 3, 7) + 1
    }

    /// The ISO 8601 week this day belongs to: weeks start on Monday, and week 1 of a year is
    /// the week holding its first Thursday.
    public var isoWeek: ISOWeek {
        let thursday = adding(days: 4 - weekday)
        let year = thursday.year
        let dayOfYear = thursday.days(since: CalendarDay(daysSinceEpoch: Dates.days(year: year, month: 1, day: 1))) + 1
        return ISOWeek(year: year, week: (dayOfYear - 1) / 7 + 1)
    }

    /// The first day of this day's month.
    public var firstOfMonth: CalendarDay {
        let (year, month, _) = components
        return CalendarDay(daysSinceEpoch: Dates.days(year: year, month: month, day: 1))
    }

    /// The last day of this day's month.
    public var lastOfMonth: CalendarDay {
        let (year, month, _) = components
        return CalendarDay(daysSinceEpoch: Dates.days(year: year, month: month, day: Dates.daysIn(month: month, year: year)))
    }

    static func floorModulo(_ value: Int, _ divisor: Int) -> Int {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }

    private func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension CalendarDay: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = CalendarDay(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a day is YYYY-MM-DD, got '\(text)'")
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An ISO 8601 week: the week-numbering year and the week number (1–53).
///
/// Encodes as `YYYY-Www`, e.g. `2026-W48`.
public struct ISOWeek: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let week: Int

    public init(year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }

    /// `YYYY-Www`.
    public var description: String { "\(year)-W" + (week < 10 ? "0\(week)" : "\(week)") }

    /// The Monday that starts this week.
    public var monday: CalendarDay {
        // January 4th is always in week 1.
        let january4 = CalendarDay(daysSinceEpoch: Dates.days(year: year, month: 1, day: 4))
        return january4.adding(days: 1 - january4.weekday + (week - 1) * 7)
    }

    /// The week after this one.
    public var next: ISOWeek { monday.adding(days: 7).isoWeek }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parts = text.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), parts[1].first == "W", let week = Int(parts[1].dropFirst()),
              (1...53).contains(week) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an ISO week is YYYY-Www, got '\(text)'")
        }
        self.init(year: year, week: week)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
