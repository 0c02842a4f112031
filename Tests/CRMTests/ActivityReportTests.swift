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
        #expect(report.atRisk.map { $0.signals.map(\.reason) } == [
            ["never contacted"], ["no contact for 326 days (last 2026-01-01)"], ["no contact for 90 days (last 2026-08-25)"],
        ])
    }

    @Test("churn risk signals: an order is a contact; falling orders, open complaints and NPS detractors each show with their reason")
    func churnSignals() throws {
        let records = [
            Sample.account(1, "Unhappy"), Sample.account(2, "Ordered today", tier: "A"), Sample.account(3, "Falling"),
            Sample.account(4, "Steady"), Sample.account(5, "Silent"),
            // Unhappy: visited three days ago, but a complaint is open and the last NPS answer is a 3.
            Sample.activity(1, account: 1, at: "2026-11-20T02:00:00Z"),
            Sample.ticket(1, status: "acknowledged", opened: "2026-11-20T03:00:00Z", responded: "2026-11-20T05:00:00Z"),
            Sample.ticket(2, status: "resolved", opened: "2026-11-01T03:00:00Z", responded: "2026-11-01T05:00:00Z", resolved: "2026-11-02T05:00:00Z"),
            Sample.ticket(3, status: "open", opened: "2026-11-24T03:00:00Z"),  // after the report day
            Sample.survey(1, kind: "nps", score: 9, at: "2026-10-01T02:00:00Z"),
            Sample.survey(2, kind: "nps", score: 3, at: "2026-11-10T02:00:00Z"),
            // Ordered today and never visited: in touch today, so no signal.
            Sample.order(1, account: 2, on: "2026-11-23", total: "150000"),
            // Falling: 100,000 in the 90 days before the last 90, 20,000 in the last 90 (−80 %).
            Sample.order(2, account: 3, on: "2026-07-01", total: "100000"),
            Sample.order(3, account: 3, on: "2026-11-01", total: "20000"),
            // Steady: −40 %, under the 50 % threshold.
            Sample.order(4, account: 4, on: "2026-07-01", total: "100000"),
            Sample.order(5, account: 4, on: "2026-11-01", total: "60000"),
            // Silent: bought once in July, nothing since.
            Sample.order(6, account: 5, on: "2026-07-01", total: "50000"),
            Sample.order(7, account: 5, on: "2026-11-05", total: "9000", status: "draft"),  // a draft is not a purchase
        ]
        let asOf = try Sample.day("2026-11-23")
        let report = ChurnRiskReport(CRMDataSet(records: records), options: .init(asOf: asOf))
        #expect(report.atRisk.map(\.name) == ["Silent", "Unhappy", "Falling"], "most signals first, then the longest silence")
        let reasons = Dictionary(uniqueKeysWithValues: report.atRisk.map { ($0.name, $0.signals.map(\.reason)) })
        #expect(reasons["Silent"] == [
            "no contact for 145 days (last 2026-07-01)",
            "orders CNY 0.00 in the last 90 days against CNY 50,000.00 in the 90 before (−100 %)",
        ])
        #expect(reasons["Unhappy"] == ["1 open complaint (oldest 3 days)", "NPS detractor: scored 3 on 2026-11-10"])
        #expect(reasons["Falling"] == ["orders CNY 20,000.00 in the last 90 days against CNY 100,000.00 in the 90 before (−80 %)"])
        #expect(report.atRisk.first { $0.name == "Falling" }?.daysSinceContact == 22, "the last purchase is the last contact")

        // A stricter threshold flags the steady account too; a day before the complaint it is not open yet.
        let strict = ChurnRiskReport(CRMDataSet(records: records), options: .init(asOf: asOf, orderDropPercent: 30))
        #expect(strict.atRisk.map(\.name).contains("Steady"))
        let earlier = ChurnRiskReport(CRMDataSet(records: records), options: .init(asOf: try Sample.day("2026-11-19")))
        #expect(earlier.atRisk.first { $0.name == "Unhappy" }?.signals.map(\.kind) == [.noContact, .npsDetractor], "the visit and the complaint come later")
        #expect(report.table.headers.last == "signals")
    }
}
