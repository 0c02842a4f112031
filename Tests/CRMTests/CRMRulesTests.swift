import CRM
import SyncCore
import Testing

@Suite("CRM rules for local edits")
struct CRMRulesTests {
    static let now = "2026-11-23T09:30:00Z"
    static let accountID = "0192f0c4-0000-7000-8000-000000000001"

    static func opportunity(_ stage: OpportunityStage, _ extra: [String: Value] = [:]) -> [String: Value] {
        var values: [String: Value] = [
            "account": .string(accountID), "title": .string("MES upgrade"), "stage": .string(stage.rawValue),
            "probability": .int(stage.defaultProbability),
        ]
        values.merge(extra) { _, new in new }
        return values
    }

    static func edit(
        _ entity: EntitySchema, current: [String: Value]?, _ proposed: [String: Value], reopen: Bool = false
    ) throws(ValidationError) -> [String: Value] {
        try CRMRules.assignments(for: entity, current: current, proposed: proposed, now: now, reopen: reopen)
    }

    // MARK: creation

    @Test("a creation without its required fields names every missing one")
    func missingRequiredFields() {
        let error = #expect(throws: ValidationError.self) {
            try Self.edit(CRMSchema.account, current: nil, ["city": .string("上海")])
        }
        #expect(error?.code == .missingRequiredField)
        #expect(error?.message == "a new account needs name, territory")
    }

    @Test("a required field given as null counts as missing")
    func requiredNull() {
        let error = #expect(throws: ValidationError.self) {
            try Self.edit(CRMSchema.account, current: nil, ["name": .null, "territory": .string("east")])
        }
        #expect(error?.code == .missingRequiredField)
    }

    @Test("an update may leave required fields alone but not clear them")
    func updateRequired() throws {
        let current: [String: Value] = ["name": .string("杭州恒信科技有限公司"), "territory": .string("east")]
        #expect(try Self.edit(CRMSchema.account, current: current, ["city": .string("杭州")]) == ["city": .string("杭州")])
        let error = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.account, current: current, ["name": .null]) }
        #expect(error?.code == .missingRequiredField)
    }

    @Test("unknown fields, set and counter fields, and ill-typed values are refused", arguments: [
        ("nickname", Value.string("x"), ValidationError.Code.unknownField),
        ("tags", .string("vip"), .kindMismatch),
        ("loyalty_points", .int(5), .kindMismatch),
        ("tier", .string("D"), .invalidValue),
        ("credit_limit", .string("1,000"), .typeMismatch),
        ("credit_limit", .string("-5"), .invalidValue),
    ])
    func malformedAssignments(field: String, value: Value, code: ValidationError.Code) {
        let current: [String: Value] = ["name": .string("Northwind Trading Ltd."), "territory": .string("east")]
        let error = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.account, current: current, [field: value]) }
        #expect(error?.code == code)
    }

    @Test("the edit time must be a canonical timestamp")
    func invalidNow() {
        let error = #expect(throws: ValidationError.self) {
            try CRMRules.assignments(for: CRMSchema.account, current: [:], proposed: [:], now: "2026-11-23 09:30")
        }
        #expect(error?.code == .invalidValue)
    }

    // MARK: opportunities

    @Test("a new opportunity gets the probability of its stage", arguments: OpportunityStage.openStages)
    func creationProbability(stage: OpportunityStage) throws {
        let proposed: [String: Value] = ["account": .string(Self.accountID), "title": .string("Retrofit"), "stage": .string(stage.rawValue)]
        let result = try Self.edit(CRMSchema.opportunity, current: nil, proposed)
        #expect(result["probability"] == .int(stage.defaultProbability))
        #expect(result["closed_on"] == nil)
    }

    @Test("a probability given explicitly is kept")
    func explicitProbability() throws {
        let result = try Self.edit(CRMSchema.opportunity, current: Self.opportunity(.proposal), ["stage": .string("negotiation"), "probability": .int(60)])
        #expect(result == ["stage": .string("negotiation"), "probability": .int(60)])
    }

    @Test("each allowed move writes the stage's default probability", arguments: [
        (OpportunityStage.qualification, OpportunityStage.needsAnalysis), (.needsAnalysis, .proposal), (.proposal, .negotiation),
        (.negotiation, .proposal), (.proposal, .needsAnalysis), (.needsAnalysis, .qualification),
    ])
    func openMoves(from: OpportunityStage, to target: OpportunityStage) throws {
        let result = try Self.edit(CRMSchema.opportunity, current: Self.opportunity(from), ["stage": .string(target.rawValue)])
        #expect(result == ["stage": .string(target.rawValue), "probability": .int(target.defaultProbability)])
    }

    @Test("winning from proposal or negotiation closes the deal today", arguments: [OpportunityStage.proposal, .negotiation])
    func win(from: OpportunityStage) throws {
        let result = try Self.edit(CRMSchema.opportunity, current: Self.opportunity(from), ["stage": .string("won")])
        #expect(result == ["stage": .string("won"), "probability": .int(100), "closed_on": .string("2026-11-23")])
    }

    @Test("every rejected stage jump is an invalid transition", arguments: [
        (OpportunityStage.qualification, OpportunityStage.proposal), (.qualification, .negotiation), (.qualification, .won),
        (.needsAnalysis, .negotiation), (.needsAnalysis, .won), (.proposal, .qualification), (.negotiation, .needsAnalysis),
        (.negotiation, .qualification), (.won, .negotiation), (.won, .lost), (.won, .qualification), (.lost, .won),
        (.lost, .negotiation), (.lost, .proposal),
    ])
    func rejectedJumps(from: OpportunityStage, to target: OpportunityStage) {
        let current = Self.opportunity(from, from == .lost ? ["lost_reason": .string("Budget frozen")] : [:])
        let error = #expect(throws: ValidationError.self) {
            try Self.edit(CRMSchema.opportunity, current: current, ["stage": .string(target.rawValue), "lost_reason": .string("late")])
        }
        #expect(error?.code == .invalidTransition)
    }

    @Test("losing needs a lost reason, given now or already set", arguments: OpportunityStage.openStages)
    func lostNeedsReason(from: OpportunityStage) throws {
        let missing = #expect(throws: ValidationError.self) {
            try Self.edit(CRMSchema.opportunity, current: Self.opportunity(from), ["stage": .string("lost")])
        }
        #expect(missing?.code == .missingRequiredField)
        #expect(missing?.message.contains("lost_reason") == true)
        let blank = #expect(throws: ValidationError.self) {
            try Self.edit(CRMSchema.opportunity, current: Self.opportunity(from), ["stage": .string("lost"), "lost_reason": .string("  ")])
        }
        #expect(blank?.code == .missingRequiredField)

        let given = try Self.edit(CRMSchema.opportunity, current: Self.opportunity(from), ["stage": .string("lost"), "lost_reason": .string("Chose a competitor")])
        #expect(given == ["stage": .string("lost"), "lost_reason": .string("Chose a competitor"), "probability": .int(0), "closed_on": .string("2026-11-23")])

        let earlier = try Self.edit(CRMSchema.opportunity, current: Self.opportunity(from, ["lost_reason": .string("Budget frozen")]), ["stage": .string("lost")])
        #expect(earlier["stage"] == .string("lost"))
    }

    @Test("a lost opportunity cannot lose its reason")
    func clearLostReason() {
        let current = Self.opportunity(.lost, ["lost_reason": .string("Budget frozen")])
        let error = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.opportunity, current: current, ["lost_reason": .null]) }
        #expect(error?.code == .missingRequiredField)
    }

    @Test("a new lost opportunity needs a reason too")
    func createLost() {
        let proposed: [String: Value] = ["account": .string(Self.accountID), "title": .string("Retrofit"), "stage": .string("lost")]
        let error = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.opportunity, current: nil, proposed) }
        #expect(error?.code == .missingRequiredField)
    }

    @Test("setting a stage to itself is a no-op: nothing is derived", arguments: OpportunityStage.allCases)
    func sameStage(stage: OpportunityStage) throws {
        let current = Self.opportunity(stage, ["probability": .int(42), "lost_reason": .string("Budget frozen")])
        let result = try Self.edit(CRMSchema.opportunity, current: current, ["stage": .string(stage.rawValue)])
        #expect(result == ["stage": .string(stage.rawValue)])
    }

    @Test("edits that do not touch the stage pass on a closed deal")
    func editClosedDeal() throws {
        let result = try Self.edit(CRMSchema.opportunity, current: Self.opportunity(.won), ["amount": .string("125000.5")])
        #expect(result == ["amount": .string("125000.5")])
    }

    @Test("reopening a won or lost deal moves it to negotiation and clears its close", arguments: [OpportunityStage.won, .lost])
    func reopen(stage: OpportunityStage) throws {
        let current = Self.opportunity(stage, ["closed_on": .string("2026-10-01"), "lost_reason": .string("Budget frozen")])
        let result = try Self.edit(CRMSchema.opportunity, current: current, [:], reopen: true)
        #expect(result == ["stage": .string("negotiation"), "probability": .int(75), "closed_on": .null, "lost_reason": .null])
        let named = try Self.edit(CRMSchema.opportunity, current: current, ["stage": .string("negotiation"), "probability": .int(60)], reopen: true)
        #expect(named["probability"] == .int(60))
    }

    @Test("reopen is refused for open deals, other targets, new records and other entities")
    func reopenRefused() {
        let open = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.opportunity, current: Self.opportunity(.proposal), [:], reopen: true) }
        #expect(open?.code == .invalidTransition)
        let target = #expect(throws: ValidationError.self) {
            try Self.edit(CRMSchema.opportunity, current: Self.opportunity(.won), ["stage": .string("proposal")], reopen: true)
        }
        #expect(target?.code == .invalidTransition)
        let new = #expect(throws: ValidationError.self) {
            try Self.edit(CRMSchema.opportunity, current: nil, ["account": .string(Self.accountID), "title": .string("x"), "stage": .string("won")], reopen: true)
        }
        #expect(new?.code == .invalidTransition)
        let account = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.account, current: [:], [:], reopen: true) }
        #expect(account?.code == .invalidTransition)
    }

    // MARK: tickets

    static func ticket(_ status: TicketStatus, _ extra: [String: Value] = [:]) -> [String: Value] {
        var values: [String: Value] = [
            "account": .string(accountID), "title": .string("HMI blank screen"), "category": .string("service_request"),
            "severity": .string("high"), "status": .string(status.rawValue), "opened_at": .string("2026-11-20T02:00:00Z"),
        ]
        values.merge(extra) { _, new in new }
        return values
    }

    @Test("a new ticket is stamped opened now")
    func createTicket() throws {
        var proposed = Self.ticket(.open)
        proposed["opened_at"] = nil
        let result = try Self.edit(CRMSchema.ticket, current: nil, proposed)
        #expect(result["opened_at"] == .string(Self.now))
        #expect(result["first_response_at"] == nil)
        let given = try Self.edit(CRMSchema.ticket, current: nil, Self.ticket(.open))
        #expect(given["opened_at"] == .string("2026-11-20T02:00:00Z"))
    }

    @Test("acknowledging stamps the first response once", arguments: [TicketStatus.acknowledged, .inProgress])
    func acknowledge(target: TicketStatus) throws {
        let result = try Self.edit(CRMSchema.ticket, current: Self.ticket(.open), ["status": .string(target.rawValue)])
        #expect(result == ["status": .string(target.rawValue), "first_response_at": .string(Self.now)])
    }

    @Test("resolving stamps resolved_at; reopening with the flag or by status clears it")
    func resolveAndReopen() throws {
        let answered = Self.ticket(.inProgress, ["first_response_at": .string("2026-11-20T03:00:00Z")])
        #expect(try Self.edit(CRMSchema.ticket, current: answered, ["status": .string("resolved")]) == ["status": .string("resolved"), "resolved_at": .string(Self.now)])
        let resolved = Self.ticket(.resolved, ["first_response_at": .string("2026-11-20T03:00:00Z"), "resolved_at": .string("2026-11-21T03:00:00Z")])
        let reopened: [String: Value] = ["status": .string("in_progress"), "resolved_at": .null]
        #expect(try Self.edit(CRMSchema.ticket, current: resolved, ["status": .string("in_progress")]) == reopened)
        #expect(try Self.edit(CRMSchema.ticket, current: resolved, [:], reopen: true) == reopened)
        let closed = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.ticket, current: Self.ticket(.closed), [:], reopen: true) }
        #expect(closed?.code == .invalidTransition)
    }

    @Test("every rejected ticket jump is an invalid transition", arguments: [
        (TicketStatus.open, TicketStatus.resolved), (.open, .closed), (.acknowledged, .open), (.acknowledged, .resolved),
        (.acknowledged, .closed), (.inProgress, .open), (.inProgress, .acknowledged), (.inProgress, .closed),
        (.resolved, .open), (.resolved, .acknowledged), (.closed, .open), (.closed, .inProgress), (.closed, .resolved),
    ])
    func rejectedTicketJumps(from: TicketStatus, to target: TicketStatus) {
        let error = #expect(throws: ValidationError.self) {
            try Self.edit(CRMSchema.ticket, current: Self.ticket(from), ["status": .string(target.rawValue)])
        }
        #expect(error?.code == .invalidTransition)
        #expect(error?.message.contains("ticket") == true)
    }

    @Test("explicit ticket times may not run backwards")
    func ticketTimeOrder() {
        let error = #expect(throws: ValidationError.self) {
            try Self.edit(CRMSchema.ticket, current: Self.ticket(.open), ["first_response_at": .string("2026-11-19T00:00:00Z")])
        }
        #expect(error?.code == .invalidValue)
    }

    // MARK: surveys, leads, coordinates

    @Test("survey scores follow their scale", arguments: [
        ("csat", Int64(1), true), ("csat", 5, true), ("csat", 0, false), ("csat", 6, false), ("csat", 10, false),
        ("nps", 0, true), ("nps", 10, true), ("nps", 6, true),
    ])
    func surveyScore(kind: String, score: Int64, valid: Bool) throws {
        let proposed: [String: Value] = ["account": .string(Self.accountID), "kind": .string(kind), "score": .int(score)]
        if valid {
            #expect(try Self.edit(CRMSchema.survey, current: nil, proposed) == proposed)
        } else {
            let error = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.survey, current: nil, proposed) }
            #expect(error?.code == .invalidValue)
            #expect(error?.message == "a csat score is from 1 to 5, got \(score)")
        }
    }

    @Test("turning an NPS answer into CSAT checks the stored score")
    func surveyKindChange() {
        let current: [String: Value] = ["account": .string(Self.accountID), "kind": .string("nps"), "score": .int(9)]
        let error = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.survey, current: current, ["kind": .string("csat")]) }
        #expect(error?.code == .invalidValue)
    }

    @Test("a converted lead names its account")
    func convertedLead() throws {
        let current: [String: Value] = [
            "name": .string("王伟"), "company": .string("苏州瑞达精密机械有限公司"), "status": .string("qualified"), "territory": .string("east"),
        ]
        let error = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.lead, current: current, ["status": .string("converted")]) }
        #expect(error?.code == .missingRequiredField)
        let result = try Self.edit(CRMSchema.lead, current: current, ["status": .string("converted"), "converted_account": .string(Self.accountID)])
        #expect(result["status"] == .string("converted"))
    }

    @Test("coordinates stay on the globe", arguments: [("latitude", "91"), ("latitude", "-90.5"), ("longitude", "180.01")])
    func coordinates(field: String, value: String) {
        let current: [String: Value] = ["account": .string(Self.accountID), "type": .string("visit"), "at": .string(Self.now)]
        let error = #expect(throws: ValidationError.self) { try Self.edit(CRMSchema.activity, current: current, [field: .string(value)]) }
        #expect(error?.code == .invalidValue)
    }

    @Test("an unrelated edit does not fail on older inconsistent data")
    func legacyData() throws {
        let current = Self.opportunity(.lost)  // lost without a reason, from before the rule
        #expect(try Self.edit(CRMSchema.opportunity, current: current, ["notes": .string("called back")]) == ["notes": .string("called back")])
    }
}
