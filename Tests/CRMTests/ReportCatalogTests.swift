import CRM
import Foundation
import SyncCore
import Testing

@Suite("Report catalog: parameters, computation by name, documents")
struct ReportCatalogTests {
    static let now = Instant("2026-11-23T09:00:00Z") ?? Instant(secondsSinceEpoch: 0)

    @Test("parameters parse into typed values and echo what was asked")
    func parsesParameters() throws {
        let parameters = try ReportParameters(query: ["as_of": "2026-11-23", "period": "2026-Q3", "owner": "alice", "currency": "usd"])
        #expect(parameters.asOf == CalendarDay("2026-11-23"))
        let quarter = ReportPeriod(start: try #require(CalendarDay("2026-07-01")), end: try #require(CalendarDay("2026-09-30")))
        #expect(parameters.period == .fixed(quarter))
        #expect(parameters.owner == "alice")
        #expect(parameters.currency == "USD")
        #expect(parameters.query["owner"] == "alice")
        #expect(try ReportParameters(query: ["owner": "  "]).query.isEmpty, "blank values count as absent")
    }

    @Test("periods: year, quarter, month, explicit span, trailing days", arguments: [
        ("2026", "2026-01-01", "2026-12-31"),
        ("2026-Q4", "2026-10-01", "2026-12-31"),
        ("2026-02", "2026-02-01", "2026-02-28"),
        ("2026-11-30..2026-11-01", "2026-11-01", "2026-11-30"),
        ("30d", "2026-10-25", "2026-11-23"),
    ])
    func periods(text: String, start: String, end: String) throws {
        let parameters = try ReportParameters(query: ["period": text])
        let asOf = try #require(CalendarDay("2026-11-23"))
        let period = try #require(parameters.period?.resolved(asOf: asOf))
        #expect(period.start.description == start)
        #expect(period.end.description == end)
    }

    @Test("bad values are refused with the parameter named", arguments: [
        ["as_of": "23/11/2026"], ["period": "2026-Q5"], ["period": "last week"], ["currency": "XYZ"],
        ["days": "0"], ["cutoffs": "95,80"], ["cutoffs": "80"], ["rule": "pareto"], ["types": "visit,lunch"],
        ["utc_offset": "9999"],
    ])
    func refusesBadValues(query: [String: String]) throws {
        let key = try #require(query.keys.first)
        let error = #expect(throws: ReportParameterError.self) { try ReportParameters(query: query) }
        #expect(error?.code == .invalidParameter)
        #expect(error?.message.hasPrefix(key) == true, "\(error?.message ?? "")")
    }

    @Test("a report refuses parameters it does not read, so a typo never goes unnoticed")
    func refusesForeignParameters() throws {
        #expect(throws: ReportParameterError.self) { try ReportParameters(query: ["days": "30"], for: .pipeline) }
        #expect(throws: ReportParameterError.self) { try ReportParameters(query: ["ownr": "alice"], for: .pipeline) }
        for name in ReportName.allCases {
            let accepted = Dictionary(uniqueKeysWithValues: name.parameters.map { ($0.rawValue, Self.sampleValue($0)) })
            _ = try ReportParameters(query: accepted, for: name)
        }
    }

    @Test("ABC rule and cut-offs combine: customers default to 20,50, revenue to 80,95")
    func abcRule() throws {
        #expect(try ReportParameters(query: ["rule": "customers"]).abcRule == .customerShare(aPercent: 20, bPercent: 50))
        #expect(try ReportParameters(query: ["cutoffs": "70,90"]).abcRule == .revenueShare(aPercent: 70, bPercent: 90))
        #expect(try ReportParameters(query: ["cutoffs": "10,30", "rule": "customers"]).abcRule == .customerShare(aPercent: 10, bPercent: 30))
        #expect(try ReportParameters(query: [:]).abcRule == nil)
    }

    @Test("every report computed by name equals the report computed directly, and its document survives JSON", arguments: ReportName.allCases)
    func documentsRoundTrip(name: ReportName) throws {
        let dataSet = CRMDataSet(fixture: try Repository.demo.get())
        let parameters = try ReportParameters(query: ["as_of": "2026-11-23"], for: name)
        let document = ReportDocument.compute(name, over: dataSet, parameters: parameters, now: Self.now, source: .server, scope: "everything")
        #expect(document.report == name)
        #expect(document.asOf == CalendarDay("2026-11-23"))
        #expect(document.recordCount == (try Repository.demo.get()).records.count, "every record of the data set")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(document)
        let decoded = try JSONDecoder().decode(ReportDocument.self, from: data)
        #expect(decoded.report == name)
        #expect(try encoder.encode(decoded) == data, "decoding and encoding again gives the same JSON")
        #expect(decoded.text() == document.text())
        #expect(!document.result.csv().isEmpty)
        #expect((document.result.chart() != nil) == name.hasChart)
    }

    @Test("the catalog's pipeline is PipelineReport with the request's options")
    func pipelineMatchesDirect() throws {
        let dataSet = CRMDataSet(fixture: try Repository.demo.get())
        let parameters = try ReportParameters(query: ["currency": "CNY", "owner": "alice"], for: .pipeline)
        guard case .pipeline(let report) = ReportCatalog.compute(.pipeline, over: dataSet, parameters: parameters, now: Self.now) else {
            Issue.record("not a pipeline report")
            return
        }
        #expect(report == PipelineReport(dataSet, options: .init(currency: "CNY", owner: "alice", asOf: ReportCatalog.asOf(parameters, now: Self.now))))
    }

    @Test("a device document says how many records it read have unsynced local edits")
    func unsyncedOrigin() throws {
        let fixture = try Repository.demo.get()
        let opportunity = try #require(fixture.records.first { $0.entity == "opportunity" })
        let dataSet = CRMDataSet(fixture: fixture, unsyncedRecordIDs: [opportunity.id])
        let document = ReportDocument.compute(.pipeline, over: dataSet, parameters: ReportParameters(), now: Self.now, source: .device)
        #expect(document.unsyncedLocalEdits == 1)
        #expect(document.text().contains("includes 1 unsynced local edit"))
        #expect(document.origin.contains("local edits not synced yet are included"))
        let synced = ReportDocument.compute(.pipeline, over: CRMDataSet(fixture: fixture), parameters: ReportParameters(), now: Self.now, source: .device)
        #expect(synced.unsyncedLocalEdits == 0)
        #expect(!synced.text().contains("unsynced"))
    }

    @Test("retention defaults to the 90 days up to as-of against the 90 days before")
    func retentionDefault() throws {
        let dataSet = CRMDataSet(fixture: try Repository.demo.get())
        let parameters = try ReportParameters(query: ["as_of": "2026-11-23"], for: .retention)
        guard case .retention(let report) = ReportCatalog.compute(.retention, over: dataSet, parameters: parameters, now: Self.now) else {
            Issue.record("not a retention report")
            return
        }
        #expect(report.options.period.description == "2026-08-26…2026-11-23")
        #expect(report.previousPeriod.description == "2026-05-28…2026-08-25")
    }

    static func sampleValue(_ key: ReportParameters.Key) -> String {
        switch key {
        case .asOf: return "2026-11-23"
        case .utcOffset: return "480"
        case .period: return "2026-Q4"
        case .owner: return "alice"
        case .currency: return "CNY"
        case .days, .responseHours, .churnedAfter: return "30"
        case .cutoffs: return "80,95"
        case .rule: return "revenue"
        case .loyalPurchases: return "4"
        case .types: return "visit,call"
        }
    }

    @Test("targets come from target records: the rep's for the period, the rep's, the company's, else the handbook's default; shown beside each KPI")
    func targetsFromRecords() throws {
        func target(_ number: Int, _ kpi: String, _ value: String, rep: String? = nil, period: String? = nil) -> CRMDataSet.Record {
            var values: [String: Value] = ["kpi": .string(kpi), "value": .string(value)]
            if let rep { values["rep"] = .string(rep) }
            if let period { values["period"] = .string(period) }
            return Sample.record("target", number, values)
        }
        let deals = [
            Sample.opportunity(1, stage: "won", amount: "80000", closed: "2026-11-10", owner: "alice"),
            Sample.opportunity(2, stage: "won", amount: "30000", closed: "2026-11-12", owner: "bob"),
            Sample.ticket(1, opened: "2026-11-01T00:00:00Z", responded: "2026-11-01T02:00:00Z", resolved: "2026-11-01T05:00:00Z"),
        ]
        func compute(_ name: ReportName, _ records: [CRMDataSet.Record], _ query: [String: String] = [:]) throws -> ReportResult {
            ReportCatalog.compute(name, over: CRMDataSet(records: records), parameters: try ReportParameters(query: query, for: name), now: Self.now)
        }
        // No target records: the handbook's 90 % response standard, no quota.
        guard case .complaints(let plain) = try compute(.complaints, deals) else { Issue.record("not complaints"); return }
        #expect(plain.all?.respondedWithinRate.target == KPITarget(0.9))
        guard case .deals(let noQuota) = try compute(.deals, deals, ["owner": "alice"]) else { Issue.record("not deals"); return }
        #expect(noQuota.quotaAttainment == nil)

        let targets = deals + [
            target(1, "responded_within", "95"),
            target(2, "won_amount", "200000"),
            target(3, "won_amount", "100000", rep: "alice"),
            target(4, "won_amount", "75000", rep: "alice", period: "2026-11"),
            target(5, "nps", "50"),
        ]
        guard case .complaints(let company) = try compute(.complaints, targets) else { Issue.record("not complaints"); return }
        #expect(company.all?.respondedWithinRate.target == KPITarget(0.95, source: "company"))
        #expect(company.table.notes.first == "responded within 24 h: target ≥ 95.0% (company): met")
        guard case .satisfaction(let satisfaction) = try compute(.satisfaction, targets) else { Issue.record("not satisfaction"); return }
        #expect(satisfaction.options.npsTarget == KPITarget(50, source: "company"))

        // Alice: her quota for the month when the report is for that month, else her standing quota.
        guard case .deals(let november) = try compute(.deals, targets, ["owner": "alice", "period": "2026-11"]) else { Issue.record("not deals"); return }
        #expect(november.quotaAttainment?.target == KPITarget(75000, source: "rep alice"))
        #expect(november.quotaAttainment?.value == 80000)
        #expect(november.quotaAttainment?.isMet == true)
        guard case .deals(let anyTime) = try compute(.deals, targets, ["owner": "alice"]) else { Issue.record("not deals"); return }
        #expect(anyTime.quotaAttainment?.target == KPITarget(100000, source: "rep alice"))
        #expect(anyTime.quotaAttainment?.isMet == false)
        #expect(anyTime.table.rows.last == ["won against quota (CNY)", "80000.00", "target ≥ 100000.0 (rep alice): not met"])
        // Bob has none of his own: the company's.
        guard case .deals(let bob) = try compute(.deals, targets, ["owner": "bob"]) else { Issue.record("not deals"); return }
        #expect(bob.quotaAttainment?.target == KPITarget(200000, source: "company"))
        #expect(bob.quotaAttainment?.value == 30000)
    }
}

