import FieldSyncTestSupport
import Foundation
import SyncCore
import Testing

/// A rep's planned visits and follow-ups through the real executable, offline, on a device
/// loaded with the demo fixtures: plan, route, check in and out, the calendar, planned against
/// done in the visit report, and follow-ups done and snoozed.
@Suite("Visit plans and follow-ups on a device", .serialized)
struct VisitPlanCommandTests {
    /// 宁波联创电子股份有限公司 and another east account of alice's (WorkflowCommandTests).
    static let account = "74d7a291-52c7-4612-8c65-010936ec730b"
    /// Monday to Sunday of a week that has not begun, wherever and whenever the test runs
    /// (its Monday is 8 to 14 days from now): its plans stay "planned" until their day has
    /// passed, which the test checks against a report `--as-of` a day of it. The demo data set
    /// has no plans in it (its plans are for the week of 2026-11-23). A fixed week here made
    /// the test fail once that week had come.
    static let week = CalendarDayText.weekStarting(daysFromNow: 8)
    static var monday: String { week[0] }
    static var tuesday: String { week[1] }

    static func plan(_ device: CLIDevice, _ arguments: [String]) async throws -> String {
        let created = try await JSONValues.object(try device.run(["visit", "plan"] + arguments + ["--json"]))
        return try #require(created["id"] as? String)
    }

    static func calendarDay(_ device: CLIDevice, _ options: [String]) async throws -> [[String: Any]] {
        let calendar = try await JSONValues.object(try device.run(["visit", "calendar"] + options + ["--json"]))
        return try #require(calendar["days"] as? [[String: Any]])
    }

    @Test("a day planned, routed, checked in and out; the done visit is an activity; the report counts planned, done, missed")
    func plannedDay() async throws {
        let (directory, device) = try await WorkflowCommandTests.device()
        defer { withExtendedLifetime(directory) {} }
        let afternoon = try await Self.plan(device, [Self.account, "--on", Self.monday, "--at", "\(Self.monday)T14:00+08:00", "--purpose", "报价跟进"])
        let morning = try await Self.plan(device, ["74d7a291", "--on", Self.monday, "--at", "\(Self.monday)T09:30+08:00"])
        let tuesday = try await Self.plan(device, [Self.account, "--on", Self.tuesday, "--order", "1"])

        var days = try await Self.calendarDay(device, ["--day", Self.monday])
        var plans = try #require(days.first?["plans"] as? [[String: Any]])
        #expect(plans.map { $0["id"] as? String } == [morning, afternoon], "no order set: by planned time")
        #expect(plans.map { $0["status"] as? String } == ["planned", "planned"])

        try await device.run(["visit", "reorder", afternoon, morning])
        days = try await Self.calendarDay(device, ["--day", Self.monday])
        plans = try #require(days.first?["plans"] as? [[String: Any]])
        #expect(plans.map { $0["id"] as? String } == [afternoon, morning], "the rep's route")
        let mixed = try await device.fail(["visit", "reorder", afternoon, tuesday])
        #expect(mixed.stderr.hasPrefix("error: visit_invalid_route_order:"), "\(mixed.stderr)")

        let early = try await device.fail(["visit", "checkout", afternoon])
        #expect(early.stderr.hasPrefix("error: visit_not_checked_in:"), "\(early.stderr)")
        let badPlace = try await device.fail(["visit", "checkin", afternoon, "--location", "north"])
        #expect(badPlace.stderr.hasPrefix("error: visit_invalid_location:"), "\(badPlace.stderr)")
        let checkedIn = try await JSONValues.object(try device.run([
            "visit", "checkin", afternoon, "--at", "\(Self.monday)T14:05+08:00", "--location", "29.8683,121.544", "--json",
        ]))
        #expect(JSONValues.string(checkedIn, ["fields", "checked_in_at"]) == "\(Self.monday)T06:05:00Z")
        #expect(JSONValues.string(checkedIn, ["fields", "check_in_latitude"]) == "29.8683")
        let before = try await device.run(["dump"])
        let twice = try await device.fail(["visit", "checkin", afternoon])
        #expect(twice.stderr.hasPrefix("error: visit_already_checked_in:"), "\(twice.stderr)")
        await #expect(try device.run(["dump"]) == before, "a refused step writes nothing")

        let done = try await JSONValues.array(try device.run([
            "visit", "checkout", afternoon, "--at", "\(Self.monday)T15:20+08:00", "--notes", "样品已送达", "--outcome", "wants a quote", "--json",
        ]))
        #expect(done.map { $0["entity"] as? String } == ["visit_plan", "activity"])
        let visit = try #require(done.last)
        #expect(JSONValues.string(visit, ["fields", "type"]) == "visit")
        #expect(JSONValues.string(visit, ["fields", "at"]) == "\(Self.monday)T06:05:00Z")
        #expect(JSONValues.int(visit, ["fields", "duration_minutes"]) == 75)
        #expect(JSONValues.string(visit, ["fields", "plan"]) == afternoon)
        let again = try await device.fail(["visit", "checkout", afternoon])
        #expect(again.stderr.hasPrefix("error: visit_already_checked_out:"), "\(again.stderr)")

        // An unplanned visit the same day, and the week's calendar.
        try await device.run(["visit", "log", "--account", Self.account, "--at", "\(Self.monday)T17:00+08:00", "--outcome", "dropped by"])
        days = try await Self.calendarDay(device, ["--week", Self.week[2]])
        #expect(days.map { $0["day"] as? String } == Self.week, "Monday to Sunday")
        #expect(days[0]["planned"] as? Int == 2 && days[0]["done"] as? Int == 1 && days[0]["unplanned"] as? Int == 1)
        #expect(days[1]["planned"] as? Int == 1)
        let text = try await device.run(["visit", "calendar", "--week", Self.monday])
        #expect(text.contains("\(Self.monday) Mon: 2 planned, 1 done, 0 missed, 1 unplanned"), "\(text)")

        // Planned against done as of Tuesday: the morning visit was missed; computed here from the steps above.
        let report = try await JSONValues.object(try device.run([
            "report", "visits", "--as-of", Self.tuesday, "--period", "\(Self.monday)..\(Self.week[6])", "--json",
        ]))
        let result = try #require(report["result"] as? [String: Any])
        let planDays = try #require(result["planDays"] as? [[String: Any]])
        let monday = try #require(planDays.first { $0["day"] as? String == Self.monday }?["tally"] as? [String: Any])
        #expect([monday["planned"], monday["done"], monday["missed"], monday["unplanned"]].map { $0 as? Int } == [2, 1, 1, 1])
        let week = try #require((result["planWeeks"] as? [[String: Any]])?.first?["tally"] as? [String: Any])
        #expect([week["planned"], week["done"], week["missed"], week["unplanned"]].map { $0 as? Int } == [3, 1, 1, 1])
        let chinese = try await runCommand(
            Executables.fieldsync, ["report", "visits", "--as-of", Self.tuesday, "--period", "\(Self.monday)..\(Self.week[6])", "--db", device.database],
            environment: ["LANG": "zh_CN.UTF-8"]
        )
        #expect(chinese.stdout.contains("各销售代表每天的计划拜访与完成"), "\(chinese.stdout)")
    }

    @Test("follow-ups show days overdue, are marked done or snoozed, and a closed one is refused with a stable code")
    func followUps() async throws {
        let (directory, device) = try await WorkflowCommandTests.device()
        defer { withExtendedLifetime(directory) {} }
        let listed = try await JSONValues.array(try device.run(["followups", "--date", "2026-11-23", "--json"]))
        let overdue = try #require(listed.first { $0["overdue"] as? Bool == true })
        let id = try #require(overdue["id"] as? String), due = try #require(overdue["due"] as? String)
        let dueDay = try #require(CalendarDayText.days(from: due, to: "2026-11-23"))
        #expect(overdue["daysOverdue"] as? Int == dueDay)
        let text = try await device.run(["followups", "--date", "2026-11-23"])
        #expect(text.contains("DAYS OVERDUE") && text.contains("fieldsync followup done ID"))

        let snoozed = try await JSONValues.object(try device.run(["followup", "snooze", String(id.prefix(8)), "--until", "+3d", "--json"]))
        #expect(JSONValues.string(snoozed, ["fields", "next_follow_up"]) != due)
        let past = try await device.fail(["followup", "snooze", id, "--until", "2020-01-01"])
        #expect(past.stderr.hasPrefix("error: followup_not_open:"), "\(past.stderr)")
        let done = try await JSONValues.object(try device.run(["followup", "done", id, "--json"]))
        #expect(JSONValues.value(done, ["fields", "follow_up_done"]) as? Bool == true)
        let again = try await device.fail(["followup", "done", id])
        #expect(again.stderr.hasPrefix("error: followup_not_open:"), "\(again.stderr)")
        let after = try await JSONValues.array(try device.run(["followups", "--date", "2026-11-23", "--json"]))
        #expect(!after.contains { $0["id"] as? String == id })
    }
}

/// Days between two `YYYY-MM-DD` texts, computed with Foundation (independently of the CRM code).
enum CalendarDayText {
    private static var formatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }

    static func days(from start: String, to end: String) -> Int? {
        let formatter = formatter
        guard let from = formatter.date(from: start), let to = formatter.date(from: end) else { return nil }
        return Int((to.timeIntervalSince(from) / 86_400).rounded())
    }

    /// The seven days, Monday first, of the first week that starts at least `daysFromNow` days
    /// after today (UTC).
    static func weekStarting(daysFromNow: Int, now: Date = Date()) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let start = calendar.startOfDay(for: now.addingTimeInterval(Double(daysFromNow) * 86_400))
        // Weekdays count from Sunday (1): days from `start` to the Monday on or after it.
        let toMonday = (9 - calendar.component(.weekday, from: start)) % 7
        let formatter = formatter
        return (0..<7).map { formatter.string(from: start.addingTimeInterval(Double(toMonday + $0) * 86_400)) }
    }
}
