import CRM
import Testing

@Suite("Calendar days, ISO weeks, instants and periods")
struct CalendarTests {
    @Test("days round-trip through their text and count from 1970-01-01", arguments: [
        ("1970-01-01", 0), ("1970-01-02", 1), ("1969-12-31", -1), ("2000-02-29", 11_016), ("2026-11-23", 20_780),
    ])
    func days(text: String, days: Int) throws {
        let day = try Sample.day(text)
        #expect(day.daysSinceEpoch == days)
        #expect(day.description == text)
        #expect(CalendarDay(daysSinceEpoch: days) == day)
    }

    @Test("invalid days are refused", arguments: ["2026-02-29", "2026-13-01", "2026-1-1", "", "2026-11-23T00:00:00Z"])
    func invalidDays(text: String) {
        #expect(CalendarDay(text) == nil)
    }

    @Test("ISO weeks at year boundaries", arguments: [
        ("2026-11-23", "2026-W48", 1), ("2026-11-22", "2026-W47", 7), ("2026-01-01", "2026-W01", 4),
        ("2027-01-01", "2026-W53", 5), ("2021-01-03", "2020-W53", 7), ("2021-01-04", "2021-W01", 1),
        ("2024-12-30", "2025-W01", 1), ("2020-12-31", "2020-W53", 4),
    ])
    func isoWeeks(text: String, week: String, weekday: Int) throws {
        let day = try Sample.day(text)
        #expect(day.isoWeek.description == week)
        #expect(day.weekday == weekday)
        #expect(day.isoWeek.monday <= day && day.days(since: day.isoWeek.monday) < 7)
    }

    @Test("the week after the last week of a year is week 1 of the next")
    func nextWeek() {
        #expect(ISOWeek(year: 2026, week: 53).next == ISOWeek(year: 2027, week: 1))
        #expect(ISOWeek(year: 2026, week: 47).next == ISOWeek(year: 2026, week: 48))
    }

    @Test("instants parse canonical timestamps and give the local day")
    func instants() throws {
        let instant = try Sample.instant("2026-11-22T16:30:00Z")
        #expect(instant.description == "2026-11-22T16:30:00Z")
        #expect(instant.day().description == "2026-11-22")
        #expect(instant.day(utcOffsetMinutes: 480).description == "2026-11-23")
        #expect(try Sample.instant("2026-11-23T09:00:00Z").seconds(since: instant) == 16 * 3600 + 30 * 60)
        #expect(Instant("2026-11-22 16:30:00") == nil)
        #expect(Instant(startOf: try Sample.day("2026-11-23"), utcOffsetMinutes: 480).description == "2026-11-22T16:00:00Z")
    }

    @Test("a quarter is preceded by the previous quarter, a run of days by as many days")
    func periods() throws {
        let q4 = try #require(ReportPeriod.quarter(4, of: 2026))
        #expect(q4.description == "2026-10-01…2026-12-31")
        #expect(q4.preceding == ReportPeriod.quarter(3, of: 2026))
        #expect(ReportPeriod.quarter(1, of: 2026)?.preceding == ReportPeriod.quarter(4, of: 2025))
        #expect(ReportPeriod.month(3, of: 2026)?.preceding == ReportPeriod.month(2, of: 2026))
        let days = ReportPeriod.trailing(days: 30, endingOn: try Sample.day("2026-11-23"))
        #expect(days.dayCount == 30)
        #expect(days.preceding.end == days.start.adding(days: -1))
        #expect(days.preceding.dayCount == 30)
    }
}

@Suite("Exact decimal amounts")
struct AmountTests {
    @Test("sums are exact: 0.1 + 0.2 is 0.3")
    func exactSum() throws {
        let sum = [try Sample.amount("0.1"), try Sample.amount("0.2")].sum()
        #expect(sum == (try Sample.amount("0.3")))
        #expect(sum.description == "0.3")
    }

    @Test("weighted amounts keep every decimal", arguments: [
        ("12345.67", Int64(50), "6172.835"), ("0.01", Int64(75), "0.0075"), ("1000.5", Int64(10), "100.05"), ("999", Int64(0), "0"),
    ])
    func weighted(amount: String, percent: Int64, expected: String) throws {
        #expect(try Sample.amount(amount).applying(percent: percent).description == expected)
    }

    @Test("parsing refuses what is not a canonical decimal", arguments: ["1e3", "12abc", "1,200", "", "¥5"])
    func refused(text: String) {
        #expect(Amount(text) == nil)
    }

    @Test("division rounds half away from zero to two places")
    func division() throws {
        #expect(try Sample.amount("6000.5").divided(by: 3)?.description == "2000.17")
        #expect(try Sample.amount("10").divided(by: 4)?.formatted() == "2.50")
        #expect(try Sample.amount("10").divided(by: 0) == nil)
        #expect(try Sample.amount("-2.5").rounded(scale: 0).description == "-3")
    }
}
