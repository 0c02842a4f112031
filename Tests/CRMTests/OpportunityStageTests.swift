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
