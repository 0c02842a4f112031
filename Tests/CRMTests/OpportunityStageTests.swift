import CRM
import SyncCore
import Testing

@Suite("Opportunity stage transitions")
struct OpportunityStageTests {
    /// The pipeline as CRM-DOMAIN.md states it, written out independently of the implementation.
    static let allowed: Set<String> = [
        "qualification>needs_analysis", "qualification>lost",
        "needs_analysis>qualification", "needs_analysis>proposal", "needs_analysis>lost",
        "proposal>needs_analysis", "proposal>negotiation", "proposal>won", "proposal>lost",
        "negotiation>proposal", "negotiation>won", "negotiation>lost",
    ]

    static let allPairs: [(OpportunityStage, OpportunityStage)] = OpportunityStage.allCases.flatMap { from in
        OpportunityStage.allCases.map { (from, $0) }
    }

    @Test("every pair of stages is allowed or rejected as the pipeline says", arguments: allPairs)
    func transition(from: OpportunityStage, to target: OpportunityStage) throws {
        let expected = from == target || Self.allowed.contains("\(from.rawValue)>\(target.rawValue)")
        #expect(from.canMove(to: target) == expected)
        if expected {
            try from.checkMove(to: target)
        } else {
            let error = #expect(throws: ValidationError.self) { try from.checkMove(to: target) }
            #expect(error?.code == .invalidTransition)
        }
    }

    @Test("a rejected move from an open stage names the allowed stages")
    func rejectionMessageNamesAllowedStages() {
        let error = #expect(throws: ValidationError.self) { try OpportunityStage.qualification.checkMove(to: .won) }
        #expect(error?.message == "cannot move opportunity from qualification to won; from qualification it may go to needs_analysis, lost")
    }

    @Test("won and lost are final and the message says how to reopen", arguments: [OpportunityStage.won, .lost])
    func closedStagesAreFinal(stage: OpportunityStage) {
        #expect(stage.allowedNextStages.isEmpty)
        let error = #expect(throws: ValidationError.self) { try stage.checkMove(to: .negotiation) }
        #expect(error?.code == .invalidTransition)
        #expect(error?.message.contains("final; reopen it explicitly") == true)
    }

    @Test("reopening moves won or lost back to negotiation", arguments: [OpportunityStage.won, .lost])
    func reopen(stage: OpportunityStage) throws {
        #expect(try stage.reopened() == .negotiation)
        #expect(try stage.reopened(to: .negotiation) == .negotiation)
        let error = #expect(throws: ValidationError.self) { try stage.reopened(to: .proposal) }
        #expect(error?.code == .invalidTransition)
    }

    @Test("an open stage cannot be reopened", arguments: OpportunityStage.openStages)
    func reopenOpenStage(stage: OpportunityStage) {
        let error = #expect(throws: ValidationError.self) { try stage.reopened() }
        #expect(error?.code == .invalidTransition)
    }

    @Test("default probabilities per stage", arguments: zip(OpportunityStage.allCases, [10, 25, 50, 75, 100, 0] as [Int64]))
    func defaultProbability(stage: OpportunityStage, probability: Int64) {
        #expect(stage.defaultProbability == probability)
    }

    @Test("the stages match the schema's enumeration")
    func matchesSchema() {
        #expect(OpportunityStage.allCases.map(\.rawValue) == CRMSchema.opportunityStages)
    }
}

@Suite("Stage probabilities set per company")
struct StageProbabilitiesTests {
    static let table = [
        Sample.record("target", 1, ["kpi": .string("stage_probability_proposal"), "value": .string("40")]),
        Sample.record("target", 2, ["kpi": .string("stage_probability_negotiation"), "value": .string("82.6")]),
        // A rep's or a period's record is not the company's table; a larger id loses to a smaller one.
        Sample.record("target", 3, ["kpi": .string("stage_probability_qualification"), "value": .string("5"), "rep": .string("alice")]),
        Sample.record("target", 4, ["kpi": .string("stage_probability_needs_analysis"), "value": .string("30"), "period": .string("2026-Q4")]),
        Sample.record("target", 5, ["kpi": .string("stage_probability_proposal"), "value": .string("90")]),
        Sample.record("target", 6, ["kpi": .string("won_amount"), "value": .string("600000")]),
    ]

    @Test("the company's target records set stages; the rest keep the defaults")
    func table() {
        let probabilities = StageProbabilities(targets: Self.table)
        let expected: [OpportunityStage: Int64] = [.qualification: 10, .needsAnalysis: 25, .proposal: 40, .negotiation: 83, .won: 100, .lost: 0]
        for stage in OpportunityStage.allCases {
            #expect(probabilities[stage] == expected[stage], "\(stage)")
        }
        #expect(StageProbabilities.standard.summary() == "qualification 10 %, needs_analysis 25 %, proposal 50 %, negotiation 75 %, won 100 %, lost 0 %")
        #expect(StageProbabilities.standard.summary(.chinese) == "qualification 10 %，needs_analysis 25 %，proposal 50 %，negotiation 75 %，won 100 %，lost 0 %")
        #expect(StageProbabilities.settings.allSatisfy(CRMSchema.targetKPIs.contains))
    }

    @Test("a stage move writes the table's probability, and the pipeline weights a deal without one by it")
    func rulesAndPipeline() throws {
        let probabilities = StageProbabilities(targets: Self.table)
        let moved = try CRMRules.assignments(
            for: CRMSchema.opportunity, current: ["stage": .string("needs_analysis"), "title": .string("t"), "account": .string(Sample.id(9))],
            proposed: ["stage": .string("proposal")], now: "2026-11-20T01:00:00Z", probabilities: probabilities
        )
        #expect(moved["probability"] == .int(40))
        let standard = try CRMRules.assignments(
            for: CRMSchema.opportunity, current: ["stage": .string("needs_analysis"), "title": .string("t"), "account": .string(Sample.id(9))],
            proposed: ["stage": .string("proposal")], now: "2026-11-20T01:00:00Z"
        )
        #expect(standard["probability"] == .int(50))

        let deal = Sample.opportunity(30, stage: "proposal", amount: "1000")
        #expect(PipelineReport(CRMDataSet(records: [deal])).row(.proposal, currency: "CNY")?.weightedAmount == 500)
        #expect(PipelineReport(CRMDataSet(records: [deal] + Self.table)).row(.proposal, currency: "CNY")?.weightedAmount == 400)
    }
}
