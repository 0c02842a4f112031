/// A span of calendar days, both ends included, that a report looks at.
public struct ReportPeriod: Hashable, Sendable, Codable, CustomStringConvertible {
    public var start: CalendarDay
    public var end: CalendarDay

    /// The days from `start` through `end`; the ends are swapped if given backwards.
    public init(start: CalendarDay, end: CalendarDay) {
        self.start = min(start, end)
        self.end = max(start, end)
    }

    /// The calendar month `month` (1–12) of `year`, or nil for an invalid month.
    public static func month(_ month: Int, of year: Int) -> ReportPeriod? {
        guard let first = CalendarDay(year: year, month: month, day: 1) else { return nil }
        return ReportPeriod(start: first, end: first.lastOfMonth)
    }

    /// The calendar quarter `quarter` (1–4) of `year`, or nil for an invalid quarter.
    public static func quarter(_ quarter: Int, of year: Int) -> ReportPeriod? {
        guard (1...4).contains(quarter), let first = CalendarDay(year: year, month: quarter * 3 - 2, day: 1),
              let last = CalendarDay(year: year, month: quarter * 3, day: 1) else { return nil }
        return ReportPeriod(start: first, end: last.lastOfMonth)
    }

    /// The `days` days ending on `end` (included).
    public static func trailing(days: Int, endingOn end: CalendarDay) -> ReportPeriod {
        ReportPeriod(start: end.adding(days: -(max(days, 1) - 1)), end: end)
    }

    /// The number of days in the period.
    public var dayCount: Int { end.days(since: start) + 1 }

    public func contains(_ day: CalendarDay) -> Bool { start <= day && day <= end }

    /// True when the period is a run of whole calendar months.
    public var isWholeMonths: Bool { start == start.firstOfMonth && end == end.lastOfMonth }

    /// The period of the same length just before this one: the same number of whole months
    /// when this period is whole calendar months (the quarter before a quarter), otherwise
    /// the same number of days.
    public var preceding: ReportPeriod {
        guard isWholeMonths else {
            return ReportPeriod(start: start.adding(days: -dayCount), end: start.adding(days: -1))
        }
        let months = (end.year - start.year) * 12 + end.month - start.month + 1
        var first = start
        for _ in 0..<months { first = first.adding(days: -1).firstOfMonth }
        return ReportPeriod(start: first, end: start.adding(days: -1))
    }

    /// `start…end`.
    public var description: String { "\(start)…\(end)" }
}
