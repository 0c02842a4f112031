import CRM
import SyncCore
import Testing

/// `--as-of` moves the pipeline and conversion reports to that day (issue 16 item 6): each
/// deal and lead as its history says it stood then, the forecast by close month weighted by
/// the probability of then, and the stage ageing. Expectations are worked out by hand from the
/// story below, in China time (+08:00).
@Suite("Reports as of a past day")
struct ReportsAsOfTests {
    static let offset = 480
    static let replica = ReplicaID()

    /// A change written at `time` (UTC) assigning `fields`.
    static func change(_ entity: String, _ number: Int, at time: String, counter: UInt64, _ fields: [String: Value]) throws -> Change {
        let instant = try Sample.instant(time)
        return Change(
            entity: entity, recordID: Sample.id(number), dot: Dot(replica: replica, counter: counter),
            hlc: HLC(physical: instant.secondsSinceEpoch * 1000, logical: 0), context: VersionVector(),
            operations: fields.keys.sorted().map { FieldOperation(field: $0, operation: .assign(fields[$0] ?? .null)) }
        )
    }

    /// Deal 1 moves qualification (10-01) → proposal (10-15) → won, written on 11-05 with the
    /// close stamped 11-04. Deal 2 enters at negotiation on 10-20 (500, closing 11-30), its
    /// amount raised to 800 on 11-02. Deal 3 is created on 11-10. Deal 4 was imported on
    /// 12-01 as won on 11-20 (created 09-01): its stage before 11-20 is unknown. Deal 5 has no
    /// history (a snapshot): needs_analysis, 300, created 09-15.
    /// Lead 1 (created 10-01) is qualified on 10-10 and converted into deal 1 on 11-01; lead 2
    /// is created on 10-25 and stays new; lead 3 is created on 11-05.
    static func dataSet() throws -> CRMDataSet {
        var dataSet = CRMDataSet(records: [
            Sample.opportunity(1, stage: "won", amount: "1000", probability: 100, created: "2026-10-01", closed: "2026-11-04"),
            Sample.opportunity(2, stage: "negotiation", amount: "800", probability: 75, created: "2026-10-20", expectedClose: "2026-11-30"),
            Sample.opportunity(3, stage: "qualification", amount: "50", probability: 10, created: "2026-11-10"),
            Sample.opportunity(4, stage: "won", amount: "2000", probability: 100, created: "2026-09-01", closed: "2026-11-20"),
            Sample.opportunity(5, stage: "needs_analysis", amount: "300", created: "2026-09-15"),
            Sample.record("lead", 11, ["name": .string("n"), "company": .string("c"), "status": .string("converted"), "territory": .string("east"),
                                       "created_on": .string("2026-10-01"), "converted_opportunity": .string(Sample.id(1))]),
            Sample.record("lead", 12, ["name": .string("n"), "company": .string("c"), "status": .string("new"), "territory": .string("east"), "created_on": .string("2026-10-25")]),
            Sample.record("lead", 13, ["name": .string("n"), "company": .string("c"), "status": .string("new"), "territory": .string("east"), "created_on": .string("2026-11-05")]),
        ])
        dataSet.timeline = FieldTimeline(changes: [
            try change("opportunity", 1, at: "2026-10-01T02:00:00Z", counter: 1, ["stage": .string("qualification"), "amount": .string("1000"), "probability": .int(10)]),
            try change("opportunity", 1, at: "2026-10-15T02:00:00Z", counter: 2, ["stage": .string("proposal"), "probability": .int(50)]),
            try change("opportunity", 1, at: "2026-11-05T02:00:00Z", counter: 3, ["stage": .string("won"), "probability": .int(100), "closed_on": .string("2026-11-04")]),
            try change("opportunity", 2, at: "2026-10-20T02:00:00Z", counter: 4, [
                "stage": .string("negotiation"), "amount": .string("500"), "probability": .int(75), "expected_close": .string("2026-11-30"),
            ]),
            try change("opportunity", 2, at: "2026-11-02T02:00:00Z", counter: 5, ["amount": .string("800")]),
            try change("opportunity", 3, at: "2026-11-10T02:00:00Z", counter: 6, ["stage": .string("qualification"), "amount": .string("50"), "probability": .int(10)]),
            try change("opportunity", 4, at: "2026-12-01T02:00:00Z", counter: 7, [
                "stage": .string("won"), "amount": .string("2000"), "probability": .int(100), "closed_on": .string("2026-11-20"),
            ]),
            try change("lead", 11, at: "2026-10-01T02:00:00Z", counter: 8, ["status": .string("new")]),
            try change("lead", 11, at: "2026-10-10T02:00:00Z", counter: 9, ["status": .string("qualified")]),
            try change("lead", 11, at: "2026-11-01T02:00:00Z", counter: 10, ["status": .string("converted"), "converted_opportunity": .string(Sample.id(1))]),
            try change("lead", 12, at: "2026-10-25T02:00:00Z", counter: 11, ["status": .string("new")]),
        ])
        return dataSet
    }

    static func pipeline(asOf day: String?) throws -> PipelineReport {
        PipelineReport(try dataSet(), options: .init(asOf: try day.map(Sample.day), utcOffsetMinutes: offset))
    }

    @Test("the pipeline as of 10-31: each deal at its stage and amount of then, later deals left out, an unknown stage counted")
    func pipelineBeforeTheCloses() throws {
        let report = try Self.pipeline(asOf: "2026-10-31")
        #expect(report.row(.qualification, currency: "CNY")?.count == 0, "deal 3 was created on 11-10")
        #expect(report.row(.proposal, currency: "CNY")?.amount == 1000)
        #expect(report.row(.proposal, currency: "CNY")?.weightedAmount == 500, "deal 1 at 50 % then, not its 100 % of now")
        #expect(report.row(.negotiation, currency: "CNY")?.amount == 500, "the raise to 800 came on 11-02")
        #expect(report.row(.negotiation, currency: "CNY")?.weightedAmount == 375)
        #expect(report.row(.needsAnalysis, currency: "CNY")?.amount == 300, "no history: as the record is")
        #expect(report.row(.won, currency: "CNY")?.count == 0)
        #expect(report.stageUnknownCount == 1, "deal 4 closed on 11-20, its stage before is unknown")
        #expect(report.totals.first?.openAmount == 1800)

        // Forecast by expected close month, weighted: deal 2 in 2026-11; deals 1 and 5 unscheduled.
        let november = try #require(report.forecast.first { $0.month == "2026-11" })
        #expect(november.count == 1 && november.amount == 500 && november.weightedAmount == 375)
        let unscheduled = try #require(report.forecast.first { $0.month == "unscheduled" })
        #expect(unscheduled.count == 2 && unscheduled.amount == 1300)
        #expect(unscheduled.weightedAmount == 575, "1000 × 50 % + 300 × 25 %")

        // Ageing: deal 1 in proposal since 10-15 (16 days), deal 2 in negotiation since 10-20 (11).
        let ageing = try #require(report.ageing)
        let proposal = try #require(ageing.rows.first { $0.stage == .proposal })
        #expect(proposal.buckets == [0, 1, 0, 0] && proposal.averageDays == 16)
        let negotiation = try #require(ageing.rows.first { $0.stage == .negotiation })
        #expect(negotiation.buckets == [0, 1, 0, 0] && negotiation.averageDays == 11)
        let needs = try #require(ageing.rows.first { $0.stage == .needsAnalysis })
        #expect(needs.count == 1 && needs.unknown == 1 && needs.averageDays == nil)
    }

    @Test("the pipeline moves with the day: the close stamped 11-04 counts on 11-04, the import's on 11-20")
    func pipelineMovesWithTheDay() throws {
        let dayBefore = try Self.pipeline(asOf: "2026-11-03")
        #expect(dayBefore.row(.won, currency: "CNY")?.count == 0, "written on 11-05, stamped 11-04")
        #expect(dayBefore.row(.negotiation, currency: "CNY")?.amount == 800)
        let closeDay = try Self.pipeline(asOf: "2026-11-04")
        #expect(closeDay.row(.won, currency: "CNY")?.amount == 1000)
        #expect(closeDay.stageUnknownCount == 1)
        let late = try Self.pipeline(asOf: "2026-11-30")
        #expect(late.row(.won, currency: "CNY")?.amount == 3000)
        #expect(late.stageUnknownCount == 0)
        #expect(late.row(.qualification, currency: "CNY")?.count == 1)
        // Ageing in buckets: deal 3 in qualification since 11-10 (20 days); deal 2 since 10-20 (41).
        let ageing = try #require(late.ageing)
        #expect(ageing.rows.first { $0.stage == .qualification }?.buckets == [0, 1, 0, 0])
        #expect(ageing.rows.first { $0.stage == .negotiation }?.buckets == [0, 0, 1, 0])
        // Without a day, the records as they are.
        let now = try Self.pipeline(asOf: nil)
        #expect(now.row(.won, currency: "CNY")?.count == 2 && now.ageing == nil)
    }

    @Test("conversion as of a day: leads created by then, with their status of then, and deals won by then")
    func conversionMovesWithTheDay() throws {
        func conversion(_ day: String) throws -> ConversionReport {
            ConversionReport(try Self.dataSet(), options: .init(asOf: try Sample.day(day), utcOffsetMinutes: Self.offset))
        }
        let october = try conversion("2026-10-31")
        #expect(october.leads.leads == 2)
        #expect(october.leads.qualified == 1)
        #expect(october.leads.converted == 0)
        #expect(october.won == 0 && october.lost == 0)
        #expect(october.open == 3, "deals 1, 2 and 5")
        let november = try conversion("2026-11-30")
        #expect(november.leads.leads == 3)
        #expect(november.leads.converted == 1)
        #expect(november.leads.won == 1, "lead 1's deal was won on 11-04")
        #expect(november.won == 2)
        #expect(november.winRate.value == 1)
        #expect(november.table.title.hasPrefix("Conversion as of 2026-11-30"))
    }

    @Test("a replica holding only the records (a snapshot) and one holding their history agree where the records' own writes tell")
    func snapshotAndHistoryAgree() throws {
        let changes = [
            try Self.change("opportunity", 1, at: "2026-10-01T02:00:00Z", counter: 1, [
                "account": .string(Sample.id(9)), "title": .string("deal 1"), "created_on": .string("2026-10-01"),
                "stage": .string("qualification"), "amount": .string("1000"), "probability": .int(10),
            ]),
            try Self.change("opportunity", 1, at: "2026-10-15T02:00:00Z", counter: 2, ["stage": .string("proposal"), "probability": .int(50)]),
            try Self.change("opportunity", 2, at: "2026-10-20T02:00:00Z", counter: 3, [
                "account": .string(Sample.id(9)), "title": .string("deal 2"), "created_on": .string("2026-10-20"),
                "stage": .string("won"), "amount": .string("500"), "probability": .int(100), "closed_on": .string("2026-10-18"),
            ]),
        ]
        var states: [String: RecordState] = [:]
        for change in changes {
            var context = change
            context.context = states[change.recordID]?.version ?? VersionVector()
            states[change.recordID] = try (states[change.recordID] ?? RecordState(entity: change.entity, id: change.recordID)).merging(context).state
        }
        var snapshot = CRMDataSet(states: Array(states.values))
        snapshot.timeline = FieldTimeline(changes: [Change](), states: states.values)
        var full = CRMDataSet(states: Array(states.values))
        full.timeline = FieldTimeline(changes: changes, states: states.values)
        let options = PipelineReport.Options(asOf: try Sample.day("2026-10-31"), utcOffsetMinutes: Self.offset)
        let fromSnapshot = PipelineReport(snapshot, options: options)
        #expect(fromSnapshot == PipelineReport(full, options: options))
        #expect(fromSnapshot.ageing?.rows.first { $0.stage == .proposal }?.averageDays == 16, "in proposal since the write of 10-15, which the record itself holds")
        #expect(fromSnapshot.row(.won, currency: "CNY")?.amount == 500, "closed on 10-18 as stamped")
        // Before its proposal write, only the history knows deal 1 was in qualification.
        let early = PipelineReport.Options(asOf: try Sample.day("2026-10-10"), utcOffsetMinutes: Self.offset)
        #expect(PipelineReport(full, options: early).row(.qualification, currency: "CNY")?.count == 1)
    }

    @Test("stage ageing and the as-of titles are in Chinese")
    func chinese() throws {
        let report = try Self.pipeline(asOf: "2026-10-31")
        for table in report.tables {
            let rendered = table.localized(.chinese)
            #expect(!rendered.title.contains("as of") && !rendered.title.contains("ageing"), "\(rendered.title)")
            #expect(rendered.headers.allSatisfy { !$0.contains(" d") && $0 != "unknown" && $0 != "average days" }, "\(rendered.headers)")
        }
    }
}
