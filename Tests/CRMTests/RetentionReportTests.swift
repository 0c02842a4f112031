import CRM
import SyncCore
import Testing

@Suite("Retention, churn and repeat purchase")
struct RetentionReportTests {
    static let records: [CRMDataSet.Record] = [
        Sample.account(1, "Retained repeat"), Sample.account(2, "Churned"), Sample.account(3, "Retained once"),
        Sample.account(4, "New"), Sample.account(5, "Cancelled only"), Sample.account(6, "Draft only"),
        Sample.order(1, account: 1, on: "2026-08-01"), Sample.order(2, account: 1, on: "2026-10-05"), Sample.order(3, account: 1, on: "2026-12-20", status: "submitted"),
        Sample.order(4, account: 2, on: "2026-07-15"),
        Sample.order(5, account: 3, on: "2026-07-01"), Sample.order(6, account: 3, on: "2026-09-30"), Sample.order(7, account: 3, on: "2026-11-11", status: "confirmed"),
        Sample.order(8, account: 4, on: "2026-10-01"),
        Sample.order(9, account: 5, on: "2026-08-08"), Sample.order(10, account: 5, on: "2026-11-08", status: "cancelled"),
        Sample.order(11, account: 6, on: "2026-11-08", status: "draft"),
    ]

    @Test("Q4 against Q3: retention 2/4, churn 2/4, repeat purchase 1/3")
    func quarter() throws {
        let q4 = try #require(ReportPeriod.quarter(4, of: 2026))
        let report = RetentionReport(CRMDataSet(records: Self.records), options: .init(period: q4))
        #expect(report.previousPeriod == ReportPeriod.quarter(3, of: 2026))
        #expect((report.previousCustomers, report.currentCustomers, report.retainedCustomers, report.newCustomers, report.repeatCustomers) == (4, 3, 2, 1, 1))
        #expect(report.retentionRate.value == 0.5)
        #expect(report.churnRate.value == 0.5)
        #expect(report.repeatPurchaseRate.value == 1.0 / 3.0)
        #expect(report.churnRate.target == KPITarget(0.05, .atMost))
        #expect(report.churnRate.isMet == false)
        #expect(report.retentionRate.isMet == false)
        #expect(report.repeatPurchaseRate.isMet == nil)
        #expect(report.churnedAccounts.map(\.name) == ["Cancelled only", "Churned"])
    }

    @Test("churn within target when every previous customer buys again")
    func allRetained() throws {
        let records = [Sample.order(1, account: 1, on: "2026-08-01"), Sample.order(2, account: 1, on: "2026-11-01")]
        let q4 = try #require(ReportPeriod.quarter(4, of: 2026))
        let report = RetentionReport(CRMDataSet(records: records), options: .init(period: q4))
        #expect(report.churnRate.value == 0)
        #expect(report.churnRate.isMet == true)
        #expect(report.retentionRate.isMet == true)
    }

    @Test("no previous customers: no rate, nothing to judge")
    func empty() throws {
        let q4 = try #require(ReportPeriod.quarter(4, of: 2026))
        let report = RetentionReport(CRMDataSet(records: []), options: .init(period: q4))
        #expect(report.retentionRate.value == nil)
        #expect(report.churnRate.isMet == nil)
        #expect(report.table.rows.count == 3)
    }

    @Test("an explicit previous period replaces the preceding one")
    func explicitPrevious() throws {
        let q4 = try #require(ReportPeriod.quarter(4, of: 2026))
        let report = RetentionReport(CRMDataSet(records: Self.records), options: .init(period: q4, previousPeriod: ReportPeriod.month(7, of: 2026)))
        // July buyers: accounts 2 and 3; account 3 bought again.
        #expect((report.previousCustomers, report.retainedCustomers) == (2, 1))
    }
}
