import CRM
import SyncCore
import Testing

@Suite("Complaint handling by severity")
struct ComplaintHandlingReportTests {
    static let records: [CRMDataSet.Record] = [
        Sample.account(1, "Apex"),
        Sample.ticket(1, opened: "2026-11-01T00:00:00Z", responded: "2026-11-01T02:00:00Z", resolved: "2026-11-02T00:00:00Z"),
        Sample.ticket(2, opened: "2026-11-02T00:00:00Z", responded: "2026-11-03T00:00:00Z", resolved: "2026-11-05T00:00:00Z"),
        Sample.ticket(3, status: "in_progress", opened: "2026-11-03T00:00:00Z", responded: "2026-11-04T06:00:00Z"),
        Sample.ticket(4, severity: "low", status: "open", opened: "2026-11-20T00:00:00Z"),
        Sample.ticket(5, severity: "low", status: "open", opened: "2026-11-23T00:00:00Z"),
        Sample.ticket(6, severity: "low", opened: "2026-11-10T00:00:00Z", responded: "2026-11-10T01:00:00Z", resolved: "2026-11-10T05:00:00Z"),
        Sample.ticket(7, severity: "low", status: "open", opened: "2026-11-24T00:00:00Z"),  // after the report time
    ]

    func report() throws -> ComplaintHandlingReport {
        ComplaintHandlingReport(CRMDataSet(records: Self.records), options: .init(asOf: try Sample.instant("2026-11-23T09:00:00Z")))
    }

    @Test("first-response and resolution times: average, median, 90th percentile")
    func times() throws {
        let high = try #require(try report().rows.first { $0.severity == "high" })
        #expect((high.count, high.open) == (3, 1))
        // 2 h, 24 h, 30 h
        #expect(high.firstResponseSeconds.average == 67_200)
        #expect(high.firstResponseSeconds.median == 86_400)
        #expect(high.firstResponseSeconds.percentile90 == 108_000)
        // 24 h, 72 h
        #expect(high.resolutionSeconds.average == 172_800)
        #expect(high.resolutionSeconds.percentile90 == 259_200)
        #expect(high.firstResponseSeconds.scaled(by: 3600).median == 24)
    }

    @Test("responded within 24 h (inclusive) of the tickets whose outcome is known")
    func withinTarget() throws {
        let report = try report()
        let high = try #require(report.rows.first { $0.severity == "high" })
        #expect((high.measured, high.respondedWithin) == (3, 2))
        let low = try #require(report.rows.first { $0.severity == "low" })
        // Ticket 5 has waited 9 h: pending, not measured. Ticket 4 has waited 81 h: missed.
        #expect((low.count, low.open, low.measured, low.respondedWithin, low.flagged) == (3, 2, 2, 1, 1))
        let all = try #require(report.all)
        #expect(all.severity == "all")
        #expect(all.respondedWithinRate.value == 0.6)
        #expect(all.respondedWithinRate.target == KPITarget(0.9))
        #expect(all.respondedWithinRate.isMet == false)
        #expect(report.rows.map(\.severity) == ["low", "high", "all"])
    }

    @Test("tickets past 24 h without a response are flagged")
    func flagged() throws {
        let report = try report()
        #expect(report.flagged.map(\.ticket) == [Sample.id(4)])
        #expect(report.flagged.first?.hoursWaiting == 81)
        #expect(report.flagged.first?.accountName == "Apex")
        #expect(report.tables.map(\.title).first == "Complaint handling by severity")
    }

    @Test("the 90% standard at its boundary", arguments: [(9, 10, true), (8, 10, false), (18, 20, true), (0, 1, false)])
    func boundary(within: Int, total: Int, met: Bool) throws {
        let records = (0..<total).map { index in
            let hours = index < within ? "10" : "30"
            let opened = "2026-11-01T00:00:00Z"
            let responded = hours == "10" ? "2026-11-01T10:00:00Z" : "2026-11-02T06:00:00Z"
            return Sample.ticket(index + 1, opened: opened, responded: responded, resolved: "2026-11-05T00:00:00Z")
        }
        let report = ComplaintHandlingReport(CRMDataSet(records: records), options: .init(asOf: try Sample.instant("2026-11-23T00:00:00Z")))
        #expect(report.all?.respondedWithinRate.isMet == met)
    }

    @Test("by category: responded and resolved within their windows, escalation before a window ends, call-backs after a resolution")
    func categoriesEscalationsCallBacks() throws {
        func ticket(_ number: Int, _ category: String, opened: String, responded: String? = nil, resolved: String? = nil, calledBack: String? = nil) -> CRMDataSet.Record {
            var values: [String: Value] = [
                "account": .string(Sample.id(1)), "title": .string("t\(number)"), "category": .string(category),
                "severity": .string("high"), "status": .string(resolved == nil ? "open" : "resolved"), "opened_at": .string(opened),
            ]
            if let responded { values["first_response_at"] = .string(responded) }
            if let resolved { values["resolved_at"] = .string(resolved) }
            if let calledBack { values["called_back_at"] = .string(calledBack) }
            return Sample.record("ticket", number, values)
        }
        let records = [
            Sample.account(1, "Apex"),
            // Answered in 1 h, resolved in 20 h, called back two days later.
            ticket(1, "complaint", opened: "2026-11-10T00:00:00Z", responded: "2026-11-10T01:00:00Z", resolved: "2026-11-10T20:00:00Z", calledBack: "2026-11-12T00:00:00Z"),
            // Answered in 30 h, resolved in 48 h, never called back.
            ticket(2, "complaint", opened: "2026-11-12T00:00:00Z", responded: "2026-11-13T06:00:00Z", resolved: "2026-11-14T00:00:00Z"),
            // Unanswered, both windows end in 3 h: escalate.
            ticket(3, "service_request", opened: "2026-11-22T12:00:00Z"),
            // Answered; 21 h left to resolve: not yet.
            ticket(4, "inquiry", opened: "2026-11-23T06:00:00Z", responded: "2026-11-23T07:00:00Z"),
            // Answered; the resolution window ended an hour ago: missed, too late to escalate.
            ticket(5, "complaint", opened: "2026-11-22T08:00:00Z", responded: "2026-11-22T09:00:00Z"),
        ]
        let report = ComplaintHandlingReport(CRMDataSet(records: records), options: .init(asOf: try Sample.instant("2026-11-23T09:00:00Z")))
        #expect(report.byCategory.map { $0.category } == ["complaint", "service_request", "inquiry"])
        let complaints = try #require(report.byCategory.first)
        #expect((complaints.count, complaints.measured, complaints.respondedWithin) == (3, 3, 2))
        #expect((complaints.resolutionMeasured, complaints.resolvedWithin) == (3, 1))
        #expect(report.byCategory[1].resolutionMeasured == 0, "21 h into its window: pending")
        let all = try #require(report.all)
        #expect(all.resolvedWithinRate.value == 1.0 / 3.0)
        #expect(report.escalations.map { "\($0.ticket) \($0.deadline.rawValue) \($0.minutesLeft)" } == [
            "\(Sample.id(3)) resolution 180", "\(Sample.id(3)) response 180",
        ])
        #expect(report.awaitingCallBack.map(\.ticket) == [Sample.id(2)])
        #expect(report.awaitingCallBack.first?.daysSinceResolution == 9)
        #expect(report.calledBackRate.value == 0.5)
        #expect(report.tables.map(\.title) == [
            "Complaint handling by severity", "Complaint handling by category", "Tickets without a response after 24 h",
            "Escalate: windows ending within 4 h", "Call-backs due (回访): complaints resolved 3+ days ago",
        ])

        // Four hours earlier nothing is close to a deadline yet; a wider escalation window catches the inquiry.
        let earlier = ComplaintHandlingReport(CRMDataSet(records: records), options: .init(asOf: try Sample.instant("2026-11-23T05:00:00Z")))
        #expect(earlier.escalations.map(\.ticket) == [Sample.id(5)], "ticket 5's resolution window ends in 3 h then")
        let wide = ComplaintHandlingReport(CRMDataSet(records: records), options: .init(asOf: try Sample.instant("2026-11-23T09:00:00Z"), escalateWithinHours: 24))
        #expect(wide.escalations.map(\.ticket).contains(Sample.id(4)))
    }
}
