import CRM
import SyncCore
import Testing

@Suite("Visits per rep, follow-ups and churn risk")
struct ActivityReportTests {
    @Test("visits per rep per ISO week, in China Standard Time by default")
    func visitsPerWeek() {
        let records = [
            Sample.activity(1, account: 1, at: "2026-11-16T01:00:00Z"),
            Sample.activity(2, account: 1, at: "2026-11-22T15:30:00Z"),  // Sunday 23:30 in Beijing: W47
            Sample.activity(3, account: 1, at: "2026-11-22T16:30:00Z"),  // Monday 00:30 in Beijing: W48
            Sample.activity(4, account: 1, at: "2026-11-23T02:00:00Z", owner: "bob"),
            Sample.activity(5, account: 1, at: "2026-11-23T03:00:00Z", type: "call"),
        ]
        let report = VisitReport(CRMDataSet(records: records))
        #expect(report.weeks.map(\.description) == ["2026-W47", "2026-W48"])
        #expect(report.reps.map(\.owner) == ["alice", "bob"])
        let alice = report.reps[0]
        #expect(alice.total == 3)
        #expect(alice.weeks.map(\.count) == [2, 1])
        #expect(alice.averagePerWeek.value == 1.5)
        #expect(report.reps[1].weeks.map(\.count) == [0, 1])
        #expect(report.weeklyTable.rows.count == 4)

        let utc = VisitReport(CRMDataSet(records: records), options: .init(utcOffsetMinutes: 0))
        #expect(utc.reps[0].weeks.map(\.count) == [3, 0])
        let calls = VisitReport(CRMDataSet(records: records), options: .init(types: ["visit", "call"], weeklyTarget: KPITarget(2)))
        #expect(calls.reps[0].total == 4)
        #expect(calls.reps.map(\.averagePerWeek.isMet) == [true, false])
        #expect(calls.table.rows[0][3] == "target ≥ 2.0: met")
    }

    @Test("a period reports all its weeks, zeros included")
    func periodWeeks() throws {
        let period = ReportPeriod(start: try Sample.day("2026-11-02"), end: try Sample.day("2026-11-29"))
        let report = VisitReport(CRMDataSet(records: [Sample.activity(1, account: 1, at: "2026-11-16T01:00:00Z")]), options: .init(period: period))
        #expect(report.weeks.count == 4)
        #expect(report.reps.first?.averagePerWeek.value == 0.25)
    }

    @Test("overdue follow-ups are before the day and not done; due ones are on it")
    func followUps() throws {
        let records = [
            Sample.account(1, "Apex"),
            Sample.activity(1, account: 1, at: "2026-11-10T01:00:00Z", followUp: "2026-11-20", done: false),
            Sample.activity(2, account: 1, at: "2026-11-10T01:00:00Z", followUp: "2026-11-22", done: true),
            Sample.activity(3, account: 1, at: "2026-11-10T01:00:00Z", followUp: "2026-11-23", done: false),
            Sample.activity(4, account: 1, at: "2026-11-10T01:00:00Z", followUp: "2026-11-24", done: false),
            Sample.activity(5, account: 1, at: "2026-10-10T01:00:00Z", followUp: "2026-11-01"),
        ]
        let report = FollowUpReport(CRMDataSet(records: records), options: .init(asOf: try Sample.day("2026-11-23")))
        #expect(report.overdue.map(\.activity) == [Sample.id(5), Sample.id(1)])
        #expect(report.overdue.map(\.daysOverdue) == [22, 3])
        #expect(report.overdue.first?.accountName == "Apex")
        #expect(report.dueToday.map(\.activity) == [Sample.id(3)])
        #expect(report.table.rows.count == 3)
    }

    @Test("churn risk: no contact for 90 days or more, never contacted, churned accounts left out")
    func churnRisk() throws {
        let records = [
            Sample.account(1, "Exactly ninety"), Sample.account(2, "Eighty-nine"), Sample.account(3, "Never"),
            Sample.account(4, "Gone", lifecycle: "churned"), Sample.account(5, "Future visit"),
            Sample.activity(1, account: 1, at: "2026-08-24T16:30:00Z"),  // 2026-08-25 in Beijing: 90 days
            Sample.activity(2, account: 2, at: "2026-08-25T16:00:00Z"),  // 2026-08-26 in Beijing: 89 days
            Sample.activity(3, account: 5, at: "2026-01-01T02:00:00Z"),
            Sample.activity(4, account: 5, at: "2026-12-01T02:00:00Z"),  // after the report day: ignored
        ]
        let asOf = try Sample.day("2026-11-23")
        let report = ChurnRiskReport(CRMDataSet(records: records), options: .init(asOf: asOf))
        #expect(report.accountsChecked == 4)
        #expect(report.atRisk.map(\.name) == ["Never", "Future visit", "Exactly ninety"])
        #expect(report.atRisk.map(\.daysSinceContact) == [nil, 326, 90])
        #expect(report.atRisk.last?.lastContactOn == (try Sample.day("2026-08-25")))

        let utc = ChurnRiskReport(CRMDataSet(records: records), options: .init(asOf: asOf, utcOffsetMinutes: 0, includeNeverContacted: false))
        #expect(utc.atRisk.map(\.name) == ["Future visit", "Exactly ninety", "Eighty-nine"])
        #expect(utc.atRisk.map(\.daysSinceContact) == [326, 91, 90])
        let thirty = ChurnRiskReport(CRMDataSet(records: records), options: .init(asOf: asOf, inactiveDays: 400))
        #expect(thirty.atRisk.map(\.name) == ["Never"])
    }
}
