import CRM
import SyncCore
import Testing

@Suite("Pipeline by stage")
struct PipelineReportTests {
    static let records: [CRMDataSet.Record] = [
        Sample.opportunity(1, stage: "qualification", amount: "1000.5"),
        Sample.opportunity(2, stage: "qualification", amount: "200.25", probability: 15),
        Sample.opportunity(3, stage: "proposal", amount: "12345.67"),
        Sample.opportunity(4, stage: "negotiation", amount: "0.01", probability: 75),
        Sample.opportunity(5, stage: "won", amount: "5000", probability: 100),
        Sample.opportunity(6, stage: "lost", amount: "999", probability: 0),
        Sample.opportunity(7, stage: "proposal"),
        Sample.opportunity(8, stage: "proposal", amount: "100", currency: "USD"),
        Sample.opportunity(9, stage: "needs_analysis", amount: "40", currency: nil),
    ]

    @Test("count, amount and weighted amount per stage, with the stage default probability when unset")
    func stages() throws {
        let report = PipelineReport(CRMDataSet(records: Self.records))
        let qualification = try #require(report.row(.qualification, currency: "CNY"))
        #expect(qualification.count == 2)
        #expect(qualification.amount == (try Sample.amount("1200.75")))
        // 1000.5 × 10% + 200.25 × 15% = 100.05 + 30.0375
        #expect(qualification.weightedAmount == (try Sample.amount("130.0875")))
        let proposal = try #require(report.row(.proposal, currency: "CNY"))
        #expect(proposal.count == 2)
        #expect(proposal.withoutAmount == 1)
        #expect(proposal.weightedAmount == (try Sample.amount("6172.835")))
        #expect(report.row(.won, currency: "CNY")?.weightedAmount == 5000)
        #expect(report.row(.lost, currency: "CNY")?.weightedAmount == .zero)
        // No currency counts as the default currency.
        #expect(report.row(.needsAnalysis, currency: "CNY")?.weightedAmount == 10)
        #expect(report.row(.proposal, currency: "USD")?.amount == 100)
        #expect(report.rows.count == 12)
    }

    @Test("the open pipeline sums the open stages exactly")
    func openTotal() throws {
        let report = PipelineReport(CRMDataSet(records: Self.records))
        let total = try #require(report.totals.first { $0.currency == "CNY" })
        #expect(total.openCount == 6)
        // 1200.75 + 40 + 12345.67 + 0.01
        #expect(total.openAmount == (try Sample.amount("13586.43")))
        // 130.0875 + 10 + 6172.835 + 0.0075
        #expect(total.openWeightedAmount == (try Sample.amount("6312.93")))
    }

    @Test("one currency: others are converted with a rate or left out")
    func chosenCurrency() throws {
        let rates = PipelineReport(CRMDataSet(records: Self.records), options: .init(currency: "CNY", exchangeRates: ["USD": try Sample.amount("7.1")]))
        #expect(rates.totals.map(\.currency) == ["CNY"])
        #expect(rates.row(.proposal, currency: "CNY")?.amount == (try Sample.amount("13055.67")))
        #expect(rates.row(.proposal, currency: "CNY")?.weightedAmount == (try Sample.amount("6527.835")))
        #expect(rates.excludedCount == 0)
        let noRate = PipelineReport(CRMDataSet(records: Self.records), options: .init(currency: "CNY"))
        #expect(noRate.excludedCount == 1)
        #expect(noRate.row(.proposal, currency: "CNY")?.count == 2)
    }

    @Test("a rep's pipeline only counts their deals")
    func owner() {
        let records = [Sample.opportunity(1, stage: "proposal", amount: "10", owner: "alice"), Sample.opportunity(2, stage: "proposal", amount: "20", owner: "bob")]
        let report = PipelineReport(CRMDataSet(records: records), options: .init(owner: "bob"))
        #expect(report.row(.proposal, currency: "CNY")?.amount == 20)
    }

    @Test("the table lists every stage and the open pipeline; unsynced edits are counted and noted")
    func table() {
        let dataSet = CRMDataSet(records: Self.records, unsyncedRecordIDs: [Sample.id(1), Sample.id(5), Sample.id(999)])
        let report = PipelineReport(dataSet, options: .init(currency: "CNY"))
        #expect(report.unsyncedLocalEdits == 2)
        let table = report.table
        #expect(table.rows.count == 7)
        #expect(table.rows[0] == ["CNY", "qualification", "2", "1200.75", "130.09"])
        #expect(table.notes.contains("includes 2 unsynced local edits"))
    }

    @Test("the forecast puts open deals by expected close month: overdue first, unscheduled last, won and lost left out")
    func forecast() throws {
        let records = [
            Sample.opportunity(1, stage: "proposal", amount: "1000", expectedClose: "2026-12-15"),
            Sample.opportunity(2, stage: "negotiation", amount: "3000", probability: 80, expectedClose: "2026-12-31"),
            Sample.opportunity(3, stage: "qualification", amount: "500", expectedClose: "2027-01-10"),
            Sample.opportunity(4, stage: "proposal", amount: "700", expectedClose: "2026-11-30"),  // before the as-of day
            Sample.opportunity(5, stage: "needs_analysis", amount: "100"),
            Sample.opportunity(6, stage: "won", amount: "9000", expectedClose: "2026-12-01"),
            Sample.opportunity(7, stage: "proposal", amount: "200", currency: "USD", expectedClose: "2026-12-02"),
        ]
        let report = PipelineReport(CRMDataSet(records: records), options: .init(asOf: try Sample.day("2026-12-01")))
        #expect(report.forecast.map { "\($0.month) \($0.currency) \($0.count)" } == [
            "overdue CNY 1", "2026-12 CNY 2", "2026-12 USD 1", "2027-01 CNY 1", "unscheduled CNY 1",
        ])
        let december = try #require(report.forecast.first { $0.month == "2026-12" && $0.currency == "CNY" })
        #expect(december.amount == 4000)
        // 1000 × 50 % + 3000 × 80 %
        #expect(december.weightedAmount == 2900)
        #expect(report.tables.map(\.title) == [
            "Pipeline by stage as of 2026-12-01", "Forecast by expected close month (overdue: expected before 2026-12-01)",
            "Stage ageing as of 2026-12-01: days in the current stage",
        ])
        let undated = PipelineReport(CRMDataSet(records: records))
        #expect(undated.forecast.first?.month == "2026-11", "without a day nothing is overdue")
    }
}
