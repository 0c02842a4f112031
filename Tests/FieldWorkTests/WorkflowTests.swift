import CRM
import FieldWork
import SyncCore
import SyncStore
import Testing

/// The workflows driven through the library alone: each test checks the edits returned and
/// the records stored.
struct WorkflowTests {
    static let shanghaiMidnight = "2026-11-20T00:30+08:00"

    @Test func leadConversionCreatesAccountContactAndOpportunityAndMarksTheLead() throws {
        let fixture = try FieldWorkFixture()
        let lead = try fixture.seed("lead", [
            "name": .string("王芳"), "company": .string("苏州精工"), "status": .string("qualified"), "territory": .string("east"),
            "city": .string("苏州"), "phone": .string("+86 512 5555 0101"),
        ])
        let at = try FieldTime.parse(Self.shanghaiMidnight)
        let edits = try fixture.work.convertLead(FieldWork.LeadConversion(
            lead: String(lead.prefix(8)), opportunityTitle: "Line 2 retrofit", amount: Amount("380000"), currency: "CNY",
            expectedClose: CalendarDay("2026-12-31"), at: at
        ))

        #expect(edits.map(\.entity) == ["account", "contact", "opportunity", "lead"])
        #expect(edits.map(\.created) == [true, true, true, false])
        let account = try #require(edits.first("account")), opportunity = try #require(edits.first("opportunity"))
        let storedAccount = try #require(try fixture.record("account", account.recordID))
        #expect(storedAccount.value("name") == .string("苏州精工"))
        #expect(storedAccount.value("territory") == .string("east"))
        #expect(storedAccount.value("owner") == .string("rep1"))
        let contactEdit = try #require(edits.first("contact"))
        let contact = try #require(try fixture.record("contact", contactEdit.recordID))
        #expect(contact.value("account") == .string(account.recordID))
        #expect(contact.value("phone") == .string("+86 512 5555 0101"))
        let storedOpportunity = try #require(try fixture.record("opportunity", opportunity.recordID))
        #expect(storedOpportunity.value("stage") == .string("qualification"))
        #expect(storedOpportunity.value("probability") == .int(10))
        #expect(storedOpportunity.value("amount") == .string("380000"))
        #expect(storedOpportunity.value("expected_close") == .string("2026-12-31"))
        // Converted at 00:30 in Shanghai: created on that Shanghai day, not the UTC one (11-19).
        #expect(storedOpportunity.value("created_on") == .string("2026-11-20"))
        let storedLead = try #require(try fixture.record("lead", lead))
        #expect(storedLead.value("status") == .string("converted"))
        #expect(storedLead.value("converted_account") == .string(account.recordID))
        #expect(storedLead.value("converted_opportunity") == .string(opportunity.recordID))
        #expect(edits[3].after == storedLead)

        // A second conversion is refused with a stable code, and writes nothing.
        let before = try fixture.store.records("account", limit: Int.max).count
        #expect { try fixture.work.convertLead(FieldWork.LeadConversion(lead: lead)) } throws: { FieldWorkFixture.code(of: $0) == "invalid_transition" }
        #expect(try fixture.store.records("account", limit: Int.max).count == before)
    }

    @Test func aStageMoveWritesItsCoupledFieldsAndClosesOnTheLocalDay() throws {
        let fixture = try FieldWorkFixture()
        let deal = try fixture.seed("opportunity", [
            "account": .string(fixture.account), "title": .string("Pumps 2027"), "stage": .string("negotiation"), "probability": .int(75),
        ])
        // Lost needs a reason: refused before anything is written.
        #expect { try fixture.work.moveStage(FieldWork.StageMove(opportunity: deal, to: .lost)) } throws: {
            FieldWorkFixture.code(of: $0) == "missing_required_field"
        }
        let won = try fixture.work.moveStage(FieldWork.StageMove(
            opportunity: deal, to: .won, amount: Amount("125000.50"), at: try FieldTime.parse(Self.shanghaiMidnight)
        ))
        #expect(won.recordID == deal && !won.created)
        #expect(Set(won.fields) == ["stage", "probability", "closed_on", "amount"])
        #expect(won.before?.value("stage") == .string("negotiation"))
        let stored = try #require(try fixture.record("opportunity", deal))
        #expect(stored == won.after)
        #expect(stored.value("stage") == .string("won"))
        #expect(stored.value("probability") == .int(100))
        #expect(stored.value("amount") == .string("125000.5"))
        #expect(stored.value("closed_on") == .string("2026-11-20"))

        // Won is final: a plain move is refused; a reopen goes back to negotiation and clears the close.
        #expect { try fixture.work.moveStage(FieldWork.StageMove(opportunity: deal, to: .proposal)) } throws: {
            FieldWorkFixture.code(of: $0) == "invalid_transition"
        }
        let reopened = try fixture.work.moveStage(FieldWork.StageMove(opportunity: deal, reopen: true))
        #expect(reopened.after?.value("stage") == .string("negotiation"))
        #expect(reopened.after?.value("probability") == .int(75))
        #expect(reopened.after?.value("closed_on") == .null)
    }

    /// The rule reads only the targets that set a stage's probability, not every rep's KPI
    /// targets; which ones count is unchanged: the company's (no rep, no period), live ones.
    @Test func aStageMoveReadsTheCompanysProbabilitiesAmongManyKPITargets() throws {
        let fixture = try FieldWorkFixture()
        for index in 0..<300 {
            try fixture.seed("target", [
                "kpi": .string(["won_amount", "nps", "churn_rate"][index % 3]), "value": .string("\(index)"),
                "rep": .string("rep\(index % 40)"), "period": .string("2026-Q\(index % 4 + 1)"),
            ])
        }
        try fixture.seed("target", ["kpi": .string("stage_probability_proposal"), "value": .string("40")])
        // A rep's own or a period's table is not the company's: ignored, as before.
        try fixture.seed("target", ["kpi": .string("stage_probability_negotiation"), "value": .string("90"), "rep": .string("rep1")])
        try fixture.seed("target", ["kpi": .string("stage_probability_negotiation"), "value": .string("91"), "period": .string("2026")])
        // A deleted one does not count either.
        let deleted = try fixture.seed("target", ["kpi": .string("stage_probability_won"), "value": .string("95")])
        _ = try fixture.store.applyRemote([LogEntry(sequence: 1, change: Change(
            entity: "target", recordID: deleted, dot: Dot(replica: ReplicaID(), counter: 1), hlc: HLC(physical: 1, logical: 0),
            context: try #require(try fixture.store.allStates().first { $0.id == deleted }).version, operations: [FieldOperation(field: "", operation: .delete)]
        ))], cursor: nil)
        let deal = try fixture.seed("opportunity", [
            "account": .string(fixture.account), "title": .string("Pumps 2027"), "stage": .string("needs_analysis"), "probability": .int(25),
        ])
        _ = try fixture.work.moveStage(FieldWork.StageMove(opportunity: deal, to: .proposal))
        #expect(try fixture.record("opportunity", deal)?.value("probability") == .int(40))
        _ = try fixture.work.moveStage(FieldWork.StageMove(opportunity: deal, to: .negotiation))
        #expect(try fixture.record("opportunity", deal)?.value("probability") == .int(75))
        _ = try fixture.work.moveStage(FieldWork.StageMove(opportunity: deal, to: .won, at: try FieldTime.parse(Self.shanghaiMidnight)))
        #expect(try fixture.record("opportunity", deal)?.value("probability") == .int(100))
    }

    @Test func anOrderFromLinesToSubmit() throws {
        let fixture = try FieldWorkFixture()
        let created = try fixture.work.createOrder(FieldWork.NewOrder(account: "华东机械", number: "SO-2026-0142"))
        #expect(created.created && created.entity == "order")
        let order = created.recordID
        #expect(created.after?.value("status") == .string("draft"))
        #expect(created.after?.value("owner") == .string("rep1"))

        // A submit without lines is refused.
        #expect { try fixture.work.submitOrder(order) } throws: { FieldWorkFixture.code(of: $0) == "invalid_value" }

        let first = try fixture.work.addOrderLine("SO-2026-0142", FieldWork.LinePricing(product: "VALVE-20", quantity: 4))
        #expect(first.map(\.entity) == ["order_line", "order"])
        let line = try #require(try fixture.record("order_line", first[0].recordID))
        #expect(line.value("order") == .string(order))
        #expect(line.value("account") == .string(fixture.account))
        #expect(line.value("unit_price") == .string("12.5"))
        #expect(line.value("sku") == .string("VALVE-20"))
        #expect(first[1].after?.value("total") == .string("50"))
        #expect(first[1].after?.value("currency") == .string("CNY"))
        let second = try fixture.work.addOrderLine(order, FieldWork.LinePricing(product: "VALVE-20", quantity: 3, unitPrice: Amount("11")))
        #expect(second[1].after?.value("total") == .string("83"))

        let submitted = try fixture.work.submitOrder(order, at: try FieldTime.parse(Self.shanghaiMidnight))
        #expect(submitted.recordID == order)
        #expect(Set(submitted.fields) == ["status", "total", "ordered_on"])
        let stored = try #require(try fixture.record("order", order))
        #expect(stored.value("status") == .string("submitted"))
        #expect(stored.value("total") == .string("83"))
        #expect(stored.value("ordered_on") == .string("2026-11-20"))
        #expect(try fixture.store.records("order_line", matching: [.equals("order", .string(order))]).count == 2)

        // A submitted order takes no more lines.
        #expect { try fixture.work.addOrderLine(order, FieldWork.LinePricing(product: "VALVE-20", quantity: 1)) } throws: { FieldWorkFixture.code(of: $0) == "invalid_value" }
    }

    @Test func aTicketsSLAStampsComeFromTheTimesGiven() throws {
        let fixture = try FieldWorkFixture()
        let opened = try fixture.work.openTicket(FieldWork.NewTicket(
            account: fixture.account, title: "发票错误", category: .complaint, severity: .high,
            at: try FieldTime.parse("2026-11-20T09:00+08:00")
        ))
        let ticket = opened.recordID
        #expect(opened.created)
        #expect(opened.after?.value("opened_at") == .string("2026-11-20T01:00:00Z"))
        #expect(opened.after?.value("status") == .string("open"))
        #expect(opened.after?.value("assignee") == .string("rep1"))

        // An acknowledgement before the ticket was opened is refused and writes nothing.
        #expect { try fixture.work.ticket(ticket, .acknowledge, at: try FieldTime.parse("2026-11-20T08:00+08:00")) } throws: {
            FieldWorkFixture.code(of: $0) == "invalid_value"
        }
        let acknowledged = try fixture.work.ticket(ticket, .acknowledge, at: try FieldTime.parse("2026-11-20T01:45:00Z"))
        #expect(Set(acknowledged.fields) == ["status", "first_response_at"])
        let started = try fixture.work.ticket(ticket, .start, at: try FieldTime.parse("2026-11-20T10:00+08:00"))
        #expect(started.fields == ["status"], "the first response is stamped once")
        let resolved = try fixture.work.ticket(ticket, .resolve, resolution: "credit note issued", at: try FieldTime.parse("2026-11-21T10:00+08:00"))
        #expect(Set(resolved.fields) == ["status", "resolution", "resolved_at"])
        let stored = try #require(try fixture.record("ticket", ticket))
        #expect(stored.value("status") == .string("resolved"))
        #expect(stored.value("opened_at") == .string("2026-11-20T01:00:00Z"))
        #expect(stored.value("first_response_at") == .string("2026-11-20T01:45:00Z"))
        #expect(stored.value("resolved_at") == .string("2026-11-21T02:00:00Z"))

        // The complaint report measures the SLA from those stamps: 45 minutes to respond.
        let report = ComplaintHandlingReport(
            try DeviceReports(store: fixture.store).dataSet(), options: .init(asOf: try #require(Instant("2026-11-22T00:00:00Z")))
        )
        let all = try #require(report.rows.last)
        #expect(all.severity == "all" && all.count == 1)
        #expect(all.firstResponseSeconds.median == 2700)
        #expect(all.resolutionSeconds.median == 90_000)
    }

    @Test func aStampAtHalfPastMidnightInShanghaiCountsOnThatShanghaiDay() throws {
        let fixture = try FieldWorkFixture()
        let visit = try fixture.work.logVisit(FieldWork.Visit(
            account: fixture.account, type: .visit, outcome: "wants a quote", nextFollowUp: CalendarDay("2026-11-27"),
            at: try FieldTime.parse(Self.shanghaiMidnight)
        ))
        #expect(visit.after?.value("at") == .string("2026-11-19T16:30:00Z"))
        #expect(visit.after?.value("next_follow_up") == .string("2026-11-27"))
        #expect(visit.after?.value("owner") == .string("rep1"))
        let dataSet = try DeviceReports(store: fixture.store).dataSet()
        func visits(on day: String) throws -> Int {
            let day = try #require(CalendarDay(day))
            return VisitReport(dataSet, options: .init(period: ReportPeriod(start: day, end: day), utcOffsetMinutes: 480)).reps.map(\.total).reduce(0, +)
        }
        #expect(try visits(on: "2026-11-20") == 1)
        #expect(try visits(on: "2026-11-19") == 0)
    }
}
