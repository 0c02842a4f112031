import CRM
import FieldWork
import SyncCore
import SyncStore
import Testing

/// Visit plans and follow-ups through the library: plan, route, check in and out, the done
/// visit, planned against done, and what two offline devices checking in leave behind.
struct VisitPlanTests {
    static let monday = CalendarDay(year: 2026, month: 11, day: 16)!

    static func time(_ text: String) throws -> FieldTime { try FieldTime.parse(text) }

    @Test func aDayIsAnOrderedRouteExplicitOrderFirstThenPlannedTime() throws {
        let fixture = try FieldWorkFixture()
        let second = try fixture.seed("account", ["name": .string("苏州精工"), "territory": .string("east")])
        let third = try fixture.seed("account", ["name": .string("杭州阀门"), "territory": .string("east")])
        let day = Self.monday
        let late = try fixture.work.planVisit(.init(account: fixture.account, day: day, at: try Self.time("2026-11-16T15:00+08:00")))
        let early = try fixture.work.planVisit(.init(account: second, day: day, at: FieldTime.parse("09:30", on: day, utcOffsetMinutes: 480), purpose: "报价跟进"))
        let first = try fixture.work.planVisit(.init(account: third, day: day, routeOrder: 1))
        let other = try fixture.work.planVisit(.init(account: third, day: day.adding(days: 2)))

        let stored = try #require(try fixture.record("visit_plan", early.recordID))
        #expect(stored.value("planned_on") == .string("2026-11-16"))
        #expect(stored.value("planned_at") == .string("2026-11-16T01:30:00Z"), "09:30 in Shanghai")
        #expect(stored.value("owner") == .string("rep1"))
        #expect(stored.value("purpose") == .string("报价跟进"))

        let week = try fixture.work.calendar(from: day, days: 7, today: day, utcOffsetMinutes: 480)
        #expect(week.days.count == 7)
        #expect(week.days[0].plans.map(\.id) == [first.recordID, early.recordID, late.recordID])
        #expect(week.days[2].plans.map(\.id) == [other.recordID])
        #expect(week.days[0].plans.allSatisfy { $0.status == .planned })

        // The rep sets the route: the named plans first, the rest after in their order.
        let edits = try fixture.work.reorderVisits([late.recordID, String(early.recordID.prefix(13))])
        #expect(Set(edits.map(\.recordID)) == [late.recordID, early.recordID, first.recordID])
        let route = try fixture.work.calendar(from: day, days: 1, today: day, utcOffsetMinutes: 480).days[0].plans
        #expect(route.map(\.id) == [late.recordID, early.recordID, first.recordID])
        #expect(route.map(\.routeOrder) == [1, 2, 3])
        #expect(try fixture.work.reorderVisits([late.recordID]).isEmpty, "nothing moves, nothing is written")
        #expect { try fixture.work.reorderVisits([late.recordID, other.recordID]) } throws: { FieldWorkFixture.code(of: $0) == "visit_invalid_route_order" }
        #expect { try fixture.work.planVisit(.init(account: third, day: day, routeOrder: 0)) } throws: { FieldWorkFixture.code(of: $0) == "visit_invalid_route_order" }
        #expect { try fixture.work.planVisit(.init(account: third, day: day, at: try Self.time("2026-11-17T07:30+08:00"))) } throws: {
            FieldWorkFixture.code(of: $0) == "invalid_value"  // the 17th in Shanghai, though the 16th in UTC
        }
    }

    @Test func checkInAndOutMakeTheDoneVisitAndRefuseOutOfOrderSteps() throws {
        let fixture = try FieldWorkFixture()
        let plan = try fixture.work.planVisit(.init(account: fixture.account, day: Self.monday, purpose: "安装验收"))

        #expect { try fixture.work.checkOut(plan.recordID, at: try Self.time("2026-11-16T10:00+08:00")) } throws: { FieldWorkFixture.code(of: $0) == "visit_not_checked_in" }
        let checkedIn = try fixture.work.checkIn(
            plan.recordID, at: try Self.time("2026-11-16T09:35+08:00"), location: try FieldWork.Coordinates.parse("31.2304, 121.4737")
        )
        #expect(Set(checkedIn.fields) == ["checked_in_at", "check_in_latitude", "check_in_longitude"])
        #expect(checkedIn.after?.value("checked_in_at") == .string("2026-11-16T01:35:00Z"))
        #expect(checkedIn.after?.value("check_in_latitude") == .string("31.2304"))
        #expect { try fixture.work.checkIn(plan.recordID) } throws: { FieldWorkFixture.code(of: $0) == "visit_already_checked_in" }
        #expect { try fixture.work.checkOut(plan.recordID, at: try Self.time("2026-11-16T09:00+08:00")) } throws: {
            FieldWorkFixture.code(of: $0) == "visit_check_out_before_check_in"
        }
        #expect { try FieldWork.Coordinates.parse("north") } throws: { FieldWorkFixture.code(of: $0) == "visit_invalid_location" }

        let edits = try fixture.work.checkOut(plan.recordID, at: try Self.time("2026-11-16T10:20+08:00"), notes: "验收通过", outcome: "signed")
        #expect(edits.map(\.entity) == ["visit_plan", "activity"])
        #expect(edits[1].created)
        #expect(edits[1].recordID == VisitPlans.visitID(forPlan: plan.recordID))
        let visit = try #require(try fixture.record("activity", edits[1].recordID))
        #expect(visit.value("type") == .string("visit"))
        #expect(visit.value("at") == .string("2026-11-16T01:35:00Z"))
        #expect(visit.value("duration_minutes") == .int(45))
        #expect(visit.value("plan") == .string(plan.recordID))
        #expect(visit.value("subject") == .string("安装验收"))
        #expect(visit.value("outcome") == .string("signed"))
        #expect(visit.value("latitude") == .string("31.2304"))
        #expect(visit.value("owner") == .string("rep1"))
        #expect(try fixture.record("visit_plan", plan.recordID)?.value("checked_out_at") == .string("2026-11-16T02:20:00Z"))

        let activities = try fixture.store.records("activity", limit: Int.max).count
        #expect { try fixture.work.checkOut(plan.recordID) } throws: { FieldWorkFixture.code(of: $0) == "visit_already_checked_out" }
        #expect { try fixture.work.checkIn(plan.recordID) } throws: { FieldWorkFixture.code(of: $0) == "visit_already_checked_out" }
        #expect(try fixture.store.records("activity", limit: Int.max).count == activities, "a refused check-out writes nothing")

        // The visit KPIs count the done visit once; the calendar shows the plan done.
        let reports = DeviceReports(store: fixture.store)
        let visits = VisitReport(try reports.dataSet(), options: .init(utcOffsetMinutes: 480, asOf: Self.monday))
        #expect(visits.reps.map(\.total) == [1])
        #expect(try fixture.work.calendar(from: Self.monday, days: 1, today: Self.monday).days[0].plans.map(\.status) == [.done])
    }

    @Test func theVisitReportTalliesPlannedDoneMissedAndUnplannedPerRepAndDay() throws {
        let fixture = try FieldWorkFixture()
        let tuesday = Self.monday.adding(days: 1)
        let done = try fixture.work.planVisit(.init(account: fixture.account, day: Self.monday))
        _ = try fixture.work.planVisit(.init(account: fixture.account, day: Self.monday))  // missed
        _ = try fixture.work.planVisit(.init(account: fixture.account, day: tuesday))  // still planned on Tuesday
        _ = try fixture.work.checkIn(done.recordID, at: try Self.time("2026-11-16T09:00+08:00"))
        _ = try fixture.work.checkOut(done.recordID, at: try Self.time("2026-11-16T09:30+08:00"))
        _ = try fixture.work.logVisit(.init(account: fixture.account, at: try Self.time("2026-11-16T16:00+08:00")))  // unplanned
        _ = try fixture.work.logVisit(.init(account: fixture.account, type: .call, at: try Self.time("2026-11-16T17:00+08:00")))  // not a visit

        let report = VisitReport(try DeviceReports(store: fixture.store).dataSet(), options: .init(utcOffsetMinutes: 480, asOf: tuesday))
        let monday = try #require(report.planDays.first { $0.day == Self.monday })
        #expect(monday.owner == "rep1")
        #expect([monday.tally.planned, monday.tally.done, monday.tally.missed, monday.tally.unplanned] == [2, 1, 1, 1])
        let tuesdayRow = try #require(report.planDays.first { $0.day == tuesday })
        #expect([tuesdayRow.tally.planned, tuesdayRow.tally.done, tuesdayRow.tally.missed, tuesdayRow.tally.unplanned] == [1, 0, 0, 0])
        #expect(report.planWeeks.count == 1)
        let week = report.planWeeks[0].tally
        #expect([week.planned, week.done, week.missed, week.unplanned] == [3, 1, 1, 1])
        #expect(report.reps.map(\.total) == [2], "the done visit and the unplanned one")
        let table = report.tables[2]
        #expect(table.rows.first == ["rep1", "2026-11-16", "2", "1", "1", "1", "50.0%"])
    }

    @Test func twoDevicesCheckingInOfflineLeaveOnePlanWithAConflictAndOneVisit() throws {
        let phone = try FieldWorkFixture()
        let plan = try phone.work.planVisit(.init(account: phone.account, day: Self.monday))
        let tablet = try FieldWorkFixture.replica(of: phone)

        _ = try phone.work.checkIn(plan.recordID, at: try Self.time("2026-11-16T09:30+08:00"), location: .init(latitude: 31.23, longitude: 121.47))
        _ = try tablet.work.checkIn(plan.recordID, at: try Self.time("2026-11-16T09:40+08:00"), location: .init(latitude: 31.24, longitude: 121.48))
        _ = try phone.work.checkOut(plan.recordID, at: try Self.time("2026-11-16T10:30+08:00"))
        _ = try tablet.work.checkOut(plan.recordID, at: try Self.time("2026-11-16T10:40+08:00"))
        try FieldWorkFixture.exchange(phone, tablet)

        for device in [phone, tablet] {
            let merged = try #require(try device.record("visit_plan", plan.recordID))
            #expect(merged.conflicts["checked_in_at"]?.count == 2, "both arrivals kept for an admin")
            #expect(merged.conflicts["check_in_latitude"]?.count == 2, "each place stays with its time")
            #expect(try device.store.records("activity", limit: Int.max).count == 1, "one visit, not two")
        }
        #expect(try phone.store.allStates() == tablet.store.allStates(), "the replicas converge")
    }

    @Test func followUpsAreDoneOrSnoozedAndCountDaysOverdue() throws {
        let fixture = try FieldWorkFixture()
        let logged = try fixture.work.logVisit(.init(account: fixture.account, nextFollowUp: Self.monday))
        let noFollowUp = try fixture.work.logVisit(.init(account: fixture.account))
        let thursday = Self.monday.adding(days: 3)

        let report = FollowUpReport(try DeviceReports(store: fixture.store).dataSet(), options: .init(asOf: thursday))
        #expect(report.overdue.map(\.daysOverdue) == [3])

        #expect { try fixture.work.snoozeFollowUp(logged.recordID, until: Self.monday, today: thursday) } throws: { FieldWorkFixture.code(of: $0) == "followup_not_open" }
        let snoozed = try fixture.work.snoozeFollowUp(logged.recordID, until: thursday.adding(days: 2), today: thursday)
        #expect(snoozed.after?.value("next_follow_up") == .string("2026-11-21"))
        #expect(snoozed.after?.value("follow_up_done") == .bool(false))
        let done = try fixture.work.completeFollowUp(String(logged.recordID.prefix(13)))
        #expect(done.after?.value("follow_up_done") == .bool(true))
        #expect { try fixture.work.completeFollowUp(logged.recordID) } throws: { FieldWorkFixture.code(of: $0) == "followup_not_open" }
        #expect { try fixture.work.completeFollowUp(noFollowUp.recordID) } throws: { FieldWorkFixture.code(of: $0) == "followup_not_open" }
        #expect(FollowUpReport(try DeviceReports(store: fixture.store).dataSet(), options: .init(asOf: thursday)).overdue.isEmpty)
    }
}
