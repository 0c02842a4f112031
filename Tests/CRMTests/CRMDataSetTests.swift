import CRM
import Foundation
import SyncCore
import Testing

@Suite("The report input model")
struct CRMDataSetTests {
    @Test("built from record states: displayed values, sets and counters; deleted records left out")
    func fromStates() throws {
        var account = Sample.account(1, "Apex", city: "上海")
        account.values["loyalty_points"] = .int(120)
        account.sets["tags"] = ["vip", "electronics"]
        let records = [account, Sample.account(2, "Gone"), Sample.survey(3, kind: "csat", score: 5)]
        var states = try StateBuilder.states(records)
        states[1] = try StateBuilder.deleted(states[1], counter: 10)
        states[2] = try StateBuilder.deleted(states[2], counter: 11)
        let dataSet = CRMDataSet(states: states)
        #expect(dataSet.accounts.map(\.name) == ["Apex"])
        #expect(dataSet.accounts.first?.loyaltyPoints == 120)
        #expect(dataSet.accounts.first?.tags == ["electronics", "vip"])
        #expect(dataSet.surveys.isEmpty)
        #expect(dataSet.records(of: "account").first == CRMDataSet.Record(state: states[0]))
    }

    @Test("orders carry their lines; a missing total is the sum of the lines")
    func orderLines() throws {
        let records = [
            Sample.record("order", 1, ["account": .string(Sample.id(9)), "status": .string("submitted")]),
            Sample.record("order_line", 2, ["order": .string(Sample.id(1)), "account": .string(Sample.id(9)), "quantity": .int(3), "unit_price": .string("19.99")]),
            Sample.record("order_line", 3, ["order": .string(Sample.id(1)), "account": .string(Sample.id(9)), "quantity": .int(1), "unit_price": .string("0.03")]),
        ]
        let order = try #require(CRMDataSet(records: records).orders.first)
        #expect(order.lines.count == 2)
        #expect(order.total == (try Sample.amount("60")))
        #expect(order.isPurchase)
    }

    @Test("unsynced local edits are counted among the visible records only")
    func unsynced() throws {
        let records = [Sample.account(1, "Apex"), Sample.account(2, "Gone"), Sample.opportunity(3, stage: "proposal", amount: "10")]
        var states = try StateBuilder.states(records)
        states[1] = try StateBuilder.deleted(states[1], counter: 10)
        let dataSet = CRMDataSet(states: states, unsyncedRecordIDs: [Sample.id(2), Sample.id(3)])
        #expect(dataSet.unsyncedRecordCount == 1)
        #expect(dataSet.unsyncedRecordCount(in: ["account"]) == 0)
        #expect(dataSet.opportunities.first?.isUnsynced == true)
        let report = PipelineReport(dataSet)
        #expect(report.unsyncedLocalEdits == 1)
        #expect(report.text().contains("includes 1 unsynced local edit"))
        #expect(!PipelineReport(CRMDataSet(states: states)).text().contains("unsynced"))
    }
}

/// Every report of a data set, as one comparable value.
struct AllReports: Hashable, Codable {
    var pipeline: PipelineReport
    var conversion: ConversionReport
    var deals: DealReport
    var visits: VisitReport
    var followUps: FollowUpReport
    var churnRisk: ChurnRiskReport
    var retention: RetentionReport
    var complaints: ComplaintHandlingReport
    var satisfaction: SatisfactionReport
    var abc: ABCClassification
    var lifecycle: LifecycleReport
    var receivables: ReceivablesReport

    static let today = CalendarDay(year: 2026, month: 11, day: 23) ?? CalendarDay(daysSinceEpoch: 0)

    init(_ dataSet: CRMDataSet) throws {
        pipeline = PipelineReport(dataSet)
        conversion = ConversionReport(dataSet)
        deals = DealReport(dataSet)
        visits = VisitReport(dataSet)
        followUps = FollowUpReport(dataSet, options: .init(asOf: Self.today))
        churnRisk = ChurnRiskReport(dataSet, options: .init(asOf: Self.today))
        retention = RetentionReport(dataSet, options: .init(period: try #require(ReportPeriod.quarter(4, of: 2026))))
        complaints = ComplaintHandlingReport(dataSet, options: .init(asOf: try Sample.instant("2026-11-23T09:00:00Z")))
        satisfaction = SatisfactionReport(dataSet)
        abc = ABCClassification(dataSet)
        lifecycle = LifecycleReport(dataSet, options: .init(asOf: Self.today))
        receivables = ReceivablesReport(dataSet, options: .init(asOf: Self.today))
    }

    var tabular: [any TabularReport] {
        [pipeline, conversion, deals, visits, followUps, churnRisk, retention, complaints, satisfaction, abc, lifecycle, receivables]
    }
}

@Suite("Reports do not depend on record order or storage form")
struct ReportOrderTests {
    func fixtureRecords() throws -> [CRMDataSet.Record] {
        CRMDataSet(fixture: try Repository.demo.get()).recordsOfAllEntities
    }

    @Test("the same records in a different order give identical reports", arguments: [UInt64(1), 2, 3])
    func shuffled(seed: UInt64) throws {
        let records = try fixtureRecords()
        var generator = SeededGenerator(state: seed)
        let shuffled = records.shuffled(using: &generator)
        #expect(shuffled != records)
        #expect(try AllReports(CRMDataSet(records: shuffled)) == AllReports(CRMDataSet(records: records)))
        #expect(try AllReports(CRMDataSet(records: records.reversed())) == AllReports(CRMDataSet(records: records)))
    }

    @Test("merged record states and displayed values give identical reports")
    func statesAndValues() throws {
        let fixture = try Repository.demo.get()
        var states: [RecordState] = []
        for (index, record) in fixture.records.enumerated() {
            let change = Change(
                entity: record.entity, recordID: record.id, dot: Dot(replica: StateBuilder.replica, counter: UInt64(index + 1)),
                hlc: HLC(physical: 1_795_000_000_000 + Int64(index)), context: VersionVector(),
                operations: try record.operations(in: CRMSchema.schema)
            )
            states.append(try RecordState(entity: record.entity, id: record.id).merging(change).state)
        }
        #expect(try AllReports(CRMDataSet(states: states.reversed())) == AllReports(CRMDataSet(fixture: fixture)))
    }
}

extension CRMDataSet {
    /// Every record of every entity, for tests.
    var recordsOfAllEntities: [Record] {
        CRMSchema.schema.entityNames.flatMap { records(of: $0) }
    }
}
