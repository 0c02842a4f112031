import CRM
import SyncCore
import Testing

@Suite("Conversion, win rate, deal size and sales cycle")
struct ConversionAndDealReportTests {
    static let records: [CRMDataSet.Record] = [
        Sample.lead(1, status: "new"), Sample.lead(2, status: "new", source: "referral"), Sample.lead(3, status: "contacted"),
        Sample.lead(4, status: "qualified"), Sample.lead(5, status: "qualified", source: "referral"), Sample.lead(6, status: "disqualified"),
        Sample.lead(7, status: "converted", opportunity: 101), Sample.lead(8, status: "converted", source: "referral", opportunity: 104),
        Sample.opportunity(101, stage: "won", amount: "1000", created: "2026-01-01", closed: "2026-01-11"),
        Sample.opportunity(102, stage: "won", amount: "2000.5", created: "2026-02-01", closed: "2026-03-03"),
        Sample.opportunity(103, stage: "won", amount: "3000", created: "2026-03-01", closed: "2026-03-21"),
        Sample.opportunity(104, stage: "proposal", amount: "10"),
        Sample.opportunity(105, stage: "lost", amount: "50", created: "2026-01-01", closed: "2026-02-01"),
        Sample.opportunity(106, stage: "won", created: "2026-04-01", closed: "2026-06-10"),
        Sample.opportunity(107, stage: "negotiation", amount: "10"),
    ]

    @Test("leads → qualified → converted → won")
    func leadFunnel() {
        let report = ConversionReport(CRMDataSet(records: Self.records))
        let funnel = report.leads
        #expect((funnel.leads, funnel.qualified, funnel.converted, funnel.disqualified, funnel.won) == (8, 4, 2, 1, 1))
        #expect(funnel.qualificationRate.value == 0.5)
        #expect(funnel.conversionRate.value == 0.25)
        #expect(funnel.qualifiedToConvertedRate.value == 0.5)
        #expect(funnel.leadToWonRate.value == 0.125)
        #expect(report.bySource.map(\.group) == ["referral", "web"])
        #expect(report.bySource.first?.converted == 1)
    }

    @Test("win rate = won / (won + lost), open deals left out")
    func winRate() {
        let report = ConversionReport(CRMDataSet(records: Self.records), options: .init(winRateTarget: KPITarget(0.7)))
        #expect((report.won, report.lost, report.open) == (4, 1, 2))
        #expect(report.winRate.value == 0.8)
        #expect(report.winRate.isMet == true)
        #expect(ConversionReport(CRMDataSet(records: [])).winRate == KPI(value: nil))
    }

    @Test("a period counts deals closed in it")
    func period() throws {
        let q1 = try #require(ReportPeriod.quarter(1, of: 2026))
        let report = ConversionReport(CRMDataSet(records: Self.records), options: .init(period: q1))
        #expect((report.won, report.lost) == (3, 1))
        #expect(report.winRate.value == 0.75)
    }

    @Test("average deal size of won deals with an amount, rounded to cents")
    func averageDealSize() throws {
        let report = DealReport(CRMDataSet(records: Self.records))
        #expect(report.wonCount == 4)
        let cny = try #require(report.byCurrency.first)
        #expect(cny.wonAmount == (try Sample.amount("6000.5")))
        // 6000.5 / 3 = 2000.1666…
        #expect(cny.averageDealSize == (try Sample.amount("2000.17")))
    }

    @Test("sales cycle in days: average, median of an even count, nearest-rank 90th percentile")
    func salesCycle() {
        let cycle = DealReport(CRMDataSet(records: Self.records)).salesCycleDays
        // 10, 30, 20 and 70 days.
        #expect(cycle.count == 4)
        #expect(cycle.average == 32.5)
        #expect(cycle.median == 25)
        #expect(cycle.percentile90 == 70)
        #expect((cycle.minimum, cycle.maximum) == (10, 70))
    }

    @Test("median and 90th percentile by hand", arguments: [
        ([Int64(5)], 5.0, 5.0), ([3, 1, 2], 2.0, 3.0), ([4, 1, 3, 2], 2.5, 4.0),
        (Array(Int64(1)...10), 5.5, 9.0), (Array(Int64(1)...11), 6.0, 10.0),
    ])
    func statistics(values: [Int64], median: Double, percentile90: Double) {
        let statistics = DurationStatistics(values)
        #expect(statistics.median == median)
        #expect(statistics.percentile90 == percentile90)
        #expect(DurationStatistics(values.reversed()) == statistics)
    }
}
