import CRM
import Foundation
import SyncCore
import Testing

@Suite("Reports over the whole demo data set")
struct FixtureReportsTests {
    func reports() throws -> (CRMDataSet, AllReports) {
        let dataSet = CRMDataSet(fixture: try Repository.demo.get())
        return (dataSet, try AllReports(dataSet))
    }

    @Test("the pipeline covers every opportunity and weights each stage plausibly")
    func pipeline() throws {
        let (dataSet, all) = try reports()
        let report = all.pipeline
        #expect(report.rows.map(\.count).reduce(0, +) + report.excludedCount == dataSet.opportunities.count)
        #expect(Set(report.totals.map(\.currency)) == ["CNY", "USD"])
        for row in report.rows {
            #expect(row.weightedAmount <= row.amount)
            if row.stage == .won { #expect(row.weightedAmount == row.amount) }
            if row.stage == .lost { #expect(row.weightedAmount == .zero) }
        }
        let cny = try #require(report.totals.first { $0.currency == "CNY" })
        #expect(cny.openCount > 50)
        #expect(cny.openWeightedAmount > .zero && cny.openWeightedAmount < cny.openAmount)
    }

    @Test("conversion and deals match the fixture's counts")
    func conversion() throws {
        let (dataSet, all) = try reports()
        #expect(all.conversion.leads.leads == dataSet.leads.count)
        #expect((all.conversion.won, all.conversion.lost) == (38, 32))
        #expect(all.conversion.winRate.value == 38.0 / 70.0)
        #expect(all.deals.wonCount == 38)
        #expect(all.deals.salesCycleDays.count > 0)
        #expect((all.deals.salesCycleDays.minimum ?? -1) >= 0)
        #expect(all.deals.byCurrency.allSatisfy { ($0.averageDealSize ?? .zero) > .zero })
    }

    @Test("follow-ups: 25 overdue and 10 due on 2026-11-23, as the fixture README says")
    func followUps() throws {
        let (_, all) = try reports()
        #expect(all.followUps.overdue.count == 25)
        #expect(all.followUps.dueToday.count == 10)
        #expect(all.followUps.overdue.allSatisfy { $0.daysOverdue > 0 && !$0.accountName.isEmpty })
    }

    @Test("visits, churn risk, lifecycle and ABC cover the reps and accounts")
    func accounts() throws {
        let (dataSet, all) = try reports()
        #expect(Set(all.visits.reps.map(\.owner)).isSubset(of: ["alice", "bob", "zhang-wei", "liu-yang", "carol", "li-na", "chen-jie"]))
        #expect(all.visits.reps.count >= 5)
        #expect(all.visits.weeks.count >= 20)
        #expect(all.churnRisk.atRisk.count > 0 && all.churnRisk.atRisk.count < dataSet.accounts.count)
        #expect(all.lifecycle.rows.count == dataSet.accounts.count)
        #expect(Set(all.lifecycle.rows.map(\.suggestedLifecycle)).isSubset(of: Set(CRMSchema.accountLifecycles)))
        #expect(all.abc.rows.count == dataSet.accounts.count)
        let ranked = all.abc.rows.filter { $0.rank != nil }
        #expect(ranked.count > 10)
        #expect(abs((ranked.last?.cumulativeShare ?? 0) - 1) < 1e-9)
        // The A accounts are the smallest top group reaching 80% of revenue.
        let a = ranked.filter { $0.suggestedTier == "A" }
        #expect(a.count > 0 && a.count < ranked.count)
        #expect((a.last?.cumulativeShare ?? 0) >= 0.8)
        #expect(a.count < 2 || a[a.count - 2].cumulativeShare < 0.8)
        #expect(Set(all.abc.rows.map(\.suggestedTier)) == ["A", "B", "C"])
    }

    @Test("service and satisfaction figures are in range")
    func service() throws {
        let (_, all) = try reports()
        let tickets = try #require(all.complaints.all)
        #expect(tickets.count == 72)
        let within = try #require(tickets.respondedWithinRate.value)
        #expect(within > 0.7 && within < 1)
        #expect(tickets.flagged > 0)
        #expect(all.complaints.flagged.count == tickets.flagged)
        #expect(all.satisfaction.csat.answers == 54)
        #expect(all.satisfaction.nps.answers == 36)
        let average = try #require(all.satisfaction.csat.average.value)
        #expect(average >= 1 && average <= 5)
        let nps = try #require(all.satisfaction.nps.score.value)
        #expect(nps >= -100 && nps <= 100)
        for rate in [all.retention.retentionRate, all.retention.churnRate, all.retention.repeatPurchaseRate] {
            if let value = rate.value { #expect(value >= 0 && value <= 1) }
        }
        #expect(all.retention.previousCustomers > 0)
    }

    @Test("every report renders as text and CSV, and its JSON decodes back to the same report")
    func rendering() throws {
        let (_, all) = try reports()
        for report in all.tabular {
            for table in report.tables {
                #expect(!table.text().isEmpty)
                let parsed = try CSVParser.parse(Data(table.csv().utf8))
                #expect(parsed.header == table.headers)
                #expect(parsed.rows.map(\.fields) == table.rows)
            }
        }
        let data = try JSONEncoder().encode(all)
        #expect(try JSONDecoder().decode(AllReports.self, from: data) == all)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("e+"))
    }

    @Test("charts of the fixture pipeline")
    func charts() throws {
        let (_, all) = try reports()
        let chart = all.pipeline.chart(currency: "CNY")
        let terminal = TerminalChartRenderer.render(chart, barWidth: 30)
        #expect(terminal.split(separator: "\n").count == 6)
        let svg = SVGChartRenderer.render(chart)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(!all.conversion.chart().bars.isEmpty)
    }
}
