import CRM
import SyncCore
import Testing

@Suite("CSAT and NPS")
struct SatisfactionReportTests {
    static func surveys(kind: String, _ scores: [Int64]) -> [CRMDataSet.Record] {
        scores.enumerated().map { Sample.survey($0.offset + (kind == "nps" ? 1000 : 1), kind: kind, score: $0.element) }
    }

    @Test("NPS = % promoters (9–10) − % detractors (0–6)", arguments: [
        ([Int64(10), 10, 9, 8, 7, 6, 3], 3, 2, 2, 100.0 / 7.0),
        ([9, 8, 6], 1, 1, 1, 0.0),
        ([10, 9, 10], 3, 0, 0, 100.0),
        ([0, 6, 5, 1], 0, 0, 4, -100.0),
        ([7, 8], 0, 2, 0, 0.0),
        ([10, 9, 9, 8, 7, 6, 0, 3, 10, 5], 4, 2, 4, 0.0),
        ([10, 10, 10, 8, 6], 3, 1, 1, 40.0),
    ])
    func nps(scores: [Int64], promoters: Int, passives: Int, detractors: Int, score: Double) throws {
        let report = SatisfactionReport(CRMDataSet(records: Self.surveys(kind: "nps", scores)))
        #expect((report.nps.promoters, report.nps.passives, report.nps.detractors) == (promoters, passives, detractors))
        let value = try #require(report.nps.score.value)
        #expect(abs(value - score) < 1e-9)
    }

    @Test("CSAT average and satisfied share against the 85% target")
    func csat() {
        let report = SatisfactionReport(CRMDataSet(records: Self.surveys(kind: "csat", [5, 5, 4, 4, 4, 3, 2, 1])))
        #expect(report.csat.answers == 8)
        #expect(report.csat.average.value == 3.5)
        #expect(report.csat.satisfied == 5)
        #expect(report.csat.satisfiedShare.value == 0.625)
        #expect(report.csat.satisfiedShare.target == KPITarget(0.85))
        #expect(report.csat.satisfiedShare.isMet == false)
        #expect(report.csat.distribution == [1, 1, 1, 3, 2])
    }

    @Test("the 85% target at its boundary", arguments: [(17, 20, true), (16, 20, false), (6, 7, true), (5, 6, false)])
    func csatBoundary(satisfied: Int, total: Int, met: Bool) {
        let scores = (0..<total).map { Int64($0 < satisfied ? 4 : 3) }
        let report = SatisfactionReport(CRMDataSet(records: Self.surveys(kind: "csat", scores)))
        #expect(report.csat.satisfiedShare.isMet == met)
    }

    @Test("scores off their scale are left out and counted")
    func invalid() {
        let records = Self.surveys(kind: "csat", [0, 5]) + Self.surveys(kind: "nps", [11, 10])
        let report = SatisfactionReport(CRMDataSet(records: records))
        #expect(report.invalidAnswers == 2)
        #expect(report.csat.answers == 1)
        #expect(report.nps.answers == 1)
    }

    @Test("no answers: no values, nothing to judge")
    func empty() {
        let report = SatisfactionReport(CRMDataSet(records: []))
        #expect(report.csat.average.value == nil)
        #expect(report.nps.score.value == nil)
        #expect(report.csat.satisfiedShare.isMet == nil)
    }

    @Test("a period counts answers by their local day")
    func period() throws {
        let records = [
            Sample.survey(1, kind: "csat", score: 5, at: "2026-10-31T17:00:00Z"),  // 2026-11-01 in Beijing
            Sample.survey(2, kind: "csat", score: 1, at: "2026-10-31T15:00:00Z"),  // 2026-10-31 in Beijing
        ]
        let november = try #require(ReportPeriod.month(11, of: 2026))
        let report = SatisfactionReport(CRMDataSet(records: records), options: .init(period: november))
        #expect(report.csat.answers == 1)
        #expect(report.csat.average.value == 5)
    }
}
