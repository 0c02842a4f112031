import CRM
import Foundation
import SyncCore
import Testing

@Suite("ABC classification by revenue")
struct ABCClassificationTests {
    /// One account per revenue (account n has the n-th revenue), each with one delivered order.
    static func dataSet(_ revenues: [String], tiers: [String?] = []) -> CRMDataSet {
        var records: [CRMDataSet.Record] = []
        for (index, revenue) in revenues.enumerated() {
            let tier = index < tiers.count ? tiers[index] : nil
            records.append(Sample.account(index + 1, "account \(index + 1)", tier: tier))
            records.append(Sample.order(100 + index, account: index + 1, on: "2026-10-01", total: revenue))
        }
        return CRMDataSet(records: records)
    }

    static func classes(_ report: ABCClassification) -> [String] {
        // In account order, whatever the ranking.
        report.rows.sorted { $0.account < $1.account }.map(\.suggestedTier)
    }

    @Test("Pareto by revenue: A until 80% is reached, B until 95%, C after", arguments: [
        (["50", "30", "15", "5"], ["A", "A", "B", "C"]),  // A reaches exactly 80%
        (["79", "20", "1"], ["A", "A", "C"]),  // 79% before the second account: still A; 99% before the third
        (["80", "15", "5"], ["A", "B", "C"]),  // exactly 80% before the second: B
        (["40", "40", "20"], ["A", "A", "B"]),  // equal revenues share a class
        (["60", "20", "20"], ["A", "A", "A"]),  // the tie at the boundary goes up, not split
        (["100"], ["A"]),
        (["0.5", "0.3", "0.15", "0.05"], ["A", "A", "B", "C"]),  // exact decimals at the boundary
    ])
    func revenueShare(revenues: [String], expected: [String]) {
        #expect(Self.classes(ABCClassification(Self.dataSet(revenues))) == expected)
    }

    @Test("customer share: the top ⌈n × 20%⌉ accounts are A, up to ⌈n × 50%⌉ B", arguments: [
        (["10", "9", "8", "7", "6", "5", "4", "3", "2", "1"], ["A", "A", "B", "B", "B", "C", "C", "C", "C", "C"]),
        (["3", "2", "1"], ["A", "B", "C"]),
        (["5", "5", "1"], ["A", "A", "C"]),
    ])
    func customerShare(revenues: [String], expected: [String]) {
        let report = ABCClassification(Self.dataSet(revenues), options: .init(rule: .customerShare(aPercent: 20, bPercent: 50)))
        #expect(Self.classes(report) == expected)
    }

    @Test("cut-offs are configurable")
    func configurable() {
        let report = ABCClassification(Self.dataSet(["50", "30", "15", "5"]), options: .init(rule: .revenueShare(aPercent: 50, bPercent: 80)))
        #expect(Self.classes(report) == ["A", "B", "C", "C"])
    }

    @Test("ranks, shares, accounts without revenue, and changes against the stored tier")
    func rows() throws {
        var records = [Sample.account(9, "idle", tier: "A"), Sample.order(200, account: 9, on: "2026-10-01", total: "999", status: "draft")]
        for (index, revenue) in ["50", "30", "15", "5"].enumerated() {
            records.append(Sample.account(index + 1, "account \(index + 1)", tier: "B"))
            records.append(Sample.order(100 + index, account: index + 1, on: "2026-10-01", total: revenue))
        }
        let report = ABCClassification(CRMDataSet(records: records))
        #expect(report.totalRevenue == 100)
        #expect(report.rows.map(\.rank) == [1, 2, 3, 4, nil])
        #expect(report.rows.first?.share == 0.5)
        #expect(report.rows[1].cumulativeShare == 0.8)
        #expect(report.rows.last?.suggestedTier == "C")
        #expect(report.rows.last?.changed == true)
        #expect(report.rows[2].changed == false)
        #expect(report.classCounts == ["A": 2, "B": 1, "C": 2])
        #expect(report.suggestedTier(of: Sample.id(1)) == "A")
    }

    @Test("orders in another currency count with a rate and are left out without one")
    func currencies() throws {
        let records = [
            Sample.account(1, "cny"), Sample.order(1, account: 1, on: "2026-10-01", total: "700"),
            Sample.account(2, "usd"), Sample.order(2, account: 2, on: "2026-10-01", total: "100", currency: "USD"),
        ]
        let without = ABCClassification(CRMDataSet(records: records))
        #expect(without.excludedOrders == 1)
        #expect(without.totalRevenue == 700)
        let with = ABCClassification(CRMDataSet(records: records), options: .init(exchangeRates: ["USD": try Sample.amount("7.5")]))
        #expect(with.totalRevenue == 1450)
        #expect(with.rows.first?.name == "usd")
    }
}

@Suite("Lifecycle stage suggestions")
struct LifecycleReportTests {
    @Test("prospect, first purchase, repeat, loyal and churned from purchases and last contact")
    func stages() throws {
        var records: [CRMDataSet.Record] = (1...7).map { Sample.account($0, "account \($0)", lifecycle: "prospect") }
        records += [
            Sample.order(1, account: 2, on: "2026-11-01"),
            Sample.order(2, account: 3, on: "2026-10-01"), Sample.order(3, account: 3, on: "2026-11-01"),
            Sample.order(4, account: 4, on: "2026-08-01"), Sample.order(5, account: 4, on: "2026-09-01"),
            Sample.order(6, account: 4, on: "2026-10-01"), Sample.order(7, account: 4, on: "2026-11-01"),
            Sample.order(8, account: 5, on: "2026-04-01"), Sample.order(9, account: 5, on: "2026-05-01"),
            Sample.order(10, account: 6, on: "2026-04-01"), Sample.activity(1, account: 6, at: "2026-11-01T02:00:00Z"),
            Sample.order(11, account: 7, on: "2026-12-01"),
            Sample.order(12, account: 1, on: "2026-11-01", status: "cancelled"),
        ]
        let report = LifecycleReport(CRMDataSet(records: records), options: .init(asOf: try Sample.day("2026-11-23")))
        #expect(report.rows.map(\.suggestedLifecycle) == ["prospect", "first_purchase", "repeat", "loyal", "churned", "first_purchase", "prospect"])
        #expect(report.rows.map(\.purchases) == [0, 1, 2, 4, 2, 1, 0])
        #expect(report.rows[5].lastContactOn == (try Sample.day("2026-11-01")))
        #expect(report.rows.filter(\.changed).count == 5)
        #expect(report.suggestedLifecycle(of: Sample.id(4)) == "loyal")
    }

    @Test("churned from exactly the threshold of days without contact", arguments: [(180, "churned"), (179, "repeat")])
    func churnBoundary(daysAgo: Int, expected: String) throws {
        let asOf = try Sample.day("2026-11-23")
        let options = LifecycleReport.Options(asOf: asOf)
        #expect(LifecycleReport.suggestion(purchases: 2, lastContact: asOf.adding(days: -daysAgo), options: options) == expected)
    }
}
