import CRM
import FieldWork
import SyncCore
import Testing

/// `FieldTime.parse`, the one parser of the times workflows stamp: ISO 8601 with a zone,
/// stored as one canonical UTC form, with the day where it happened.
struct FieldTimeTests {
    @Test(arguments: [
        ("2026-11-20T09:30+08:00", "2026-11-20T01:30:00Z", 480),
        ("2026-11-20T09:30:15+08:00", "2026-11-20T01:30:15Z", 480),
        ("2026-11-20T01:30:00Z", "2026-11-20T01:30:00Z", 0),
        ("2026-11-20T01:30Z", "2026-11-20T01:30:00Z", 0),
        ("2026-11-20T01:30:00.250Z", "2026-11-20T01:30:00Z", 0),
        ("2026-11-20T00:30+0800", "2026-11-19T16:30:00Z", 480),
        ("2026-11-20T00:30+08", "2026-11-19T16:30:00Z", 480),
        ("2026-11-19T20:00-05:00", "2026-11-20T01:00:00Z", -300),
        ("2026-11-20T05:45+05:45", "2026-11-20T00:00:00Z", 345),
        (" 2026-01-01T07:00+08:00 ", "2025-12-31T23:00:00Z", 480),
    ])
    func parsesTimesWithTheirZone(_ text: String, _ canonical: String, _ offset: Int) throws {
        let time = try FieldTime.parse(text)
        #expect(time.timestamp == canonical)
        #expect(time.utcOffsetMinutes == offset)
        #expect(Dates.isValidTimestamp(time.timestamp))
    }

    @Test func theDayIsTheDayWhereItHappened() throws {
        let shanghai = try FieldTime.parse("2026-11-20T00:30+08:00")
        #expect(shanghai.timestamp == "2026-11-19T16:30:00Z")
        #expect(shanghai.day == CalendarDay("2026-11-20"))
        #expect(shanghai.instant.day(utcOffsetMinutes: 480) == CalendarDay("2026-11-20"))
        let utc = try FieldTime.parse("2026-11-19T16:30:00Z")
        #expect(utc.instant == shanghai.instant)
        #expect(utc.day == CalendarDay("2026-11-19"))
    }

    @Test(arguments: [
        "2026-11-20T09:30", "2026-11-20", "2026-11-20 09:30+08:00", "2026-02-30T09:30Z", "2026-11-20T24:00Z",
        "2026-11-20T09:60Z", "2026-11-20T09:30+15:00", "2026-11-20T09:30+08:61", "2026-11-20T09:30+8", "tomorrow",
        "2026-11-20T09:30Zjunk", "",
    ])
    func refusesTimesWithoutAZoneOrMalformed(_ text: String) {
        #expect(throws: SyncCore.ValidationError.self) { try FieldTime.parse(text) }
        do {
            _ = try FieldTime.parse(text)
        } catch {
            #expect(error.code == .typeMismatch)
        }
    }
}

/// Days as a rep types them, counted from a given today.
struct DaysTests {
    @Test func relativeDaysCrossMonthsYearsAndLeapDays() throws {
        #expect(try Days.parse("tomorrow", today: "2026-12-31") == "2027-01-01")
        #expect(try Days.parse("yesterday", today: "2024-03-01") == "2024-02-29")
        #expect(try Days.parse("-1d", today: "2100-03-01") == "2100-02-28")
        #expect(try Days.parse("+1w", today: "2026-02-25") == "2026-03-04")
        #expect(try Days.parse("+3d", today: "2026-11-30") == "2026-12-03")
        #expect(try Days.parse("+36500d", today: "2026-01-01") == "2125-12-08")
        #expect(try Days.parse("today", today: "2026-05-05") == "2026-05-05")
        #expect(try Days.parse("2026-02-28", today: "2026-05-05") == "2026-02-28")
        #expect(throws: SyncCore.ValidationError.self) { try Days.parse("+36501d", today: "2026-01-01") }
        #expect(throws: SyncCore.ValidationError.self) { try Days.adding(1, to: "2026-02-30") }
        #expect(throws: SyncCore.ValidationError.self) { try Days.parse("2026-02-30", today: "2026-05-05") }
    }
}
