import SyncCore

/// The stage of an opportunity in the sales pipeline (销售阶段).
///
/// The pipeline runs qualification → needs_analysis → proposal → negotiation, then ends in
/// `won` or `lost`. The rules the field client enforces:
/// - an open stage moves forward one stage, or back one open stage;
/// - any open stage may go to `lost` (the caller checks that a lost reason is present);
/// - `won` is reachable from `proposal` and `negotiation` only;
/// - `won` and `lost` are final, unless the opportunity is reopened explicitly, which moves it
///   back to `negotiation`;
/// - moving a stage to itself is a no-op and always allowed.
public enum OpportunityStage: String, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    case qualification
    case needsAnalysis = "needs_analysis"
    case proposal
    case negotiation
    case won
    case lost

    /// The stage a reopened opportunity returns to.
    public static let reopenedStage = OpportunityStage.negotiation

    /// The open stages in pipeline order.
    public static let openStages: [OpportunityStage] = [.qualification, .needsAnalysis, .proposal, .negotiation]

    public var description: String { rawValue }

    /// True for the stages of a deal still being worked.
    public var isOpen: Bool { !isClosed }

    /// True for `won` and `lost`, which only an explicit reopen leaves.
    public var isClosed: Bool { self == .won || self == .lost }

    /// The win probability in percent a stage implies when the rep gives none.
    public var defaultProbability: Int64 {
        switch self {
        case .qualification: return 10
        case .needsAnalysis: return 25
        case .proposal: return 50
        case .negotiation: return 75
        case .won: return 100
        case .lost: return 0
        }
    }

    /// The stages an ordinary edit may move to from this one, in pipeline order (the stage
    /// itself, a no-op, is not listed). Empty for `won` and `lost`.
    public var allowedNextStages: [OpportunityStage] {
        switch self {
        case .qualification: return [.needsAnalysis, .lost]
        case .needsAnalysis: return [.qualification, .proposal, .lost]
        case .proposal: return [.needsAnalysis, .negotiation, .won, .lost]
        case .negotiation: return [.proposal, .won, .lost]
        case .won, .lost: return []
        }
    }

    /// True when an ordinary edit (not a reopen) may move from this stage to `target`.
    public func canMove(to target: OpportunityStage) -> Bool {
        target == self || allowedNextStages.contains(target)
    }

    /// Checks an ordinary move from this stage to `target`.
    ///
    /// - Throws: `ValidationError` with code `.invalidTransition` and a message naming the
    ///   allowed stages.
    public func checkMove(to target: OpportunityStage) throws(ValidationError) {
        guard !canMove(to: target) else { return }
        if isClosed {
            throw ValidationError(
                .invalidTransition,
                .opportunityClosedIsFinal, ["stage": rawValue, "reopened": Self.reopenedStage.rawValue]
            )
        }
        let allowed = allowedNextStages.map(\.rawValue).joined(separator: ", ")
        throw ValidationError(
            .invalidTransition,
            .cannotMoveOpportunity, ["from": rawValue, "to": target.rawValue, "allowed": allowed]
        )
    }

    /// Checks an explicit reopen of an opportunity at this stage towards `target` (nil when
    /// the edit names no stage) and returns the stage it lands on.
    ///
    /// - Throws: `.invalidTransition` when this stage is open, or when `target` is not the
    ///   reopened stage.
    public func reopened(to target: OpportunityStage? = nil) throws(ValidationError) -> OpportunityStage {
        guard isClosed else {
            throw ValidationError(
                .invalidTransition,
                .reopenNeedsWonOrLost, ["stage": rawValue]
            )
        }
        if let target, target != Self.reopenedStage {
            throw ValidationError(
                .invalidTransition,
                .reopenOpportunityTarget, ["stage": rawValue, "reopened": Self.reopenedStage.rawValue, "target": target.rawValue]
            )
        }
        return Self.reopenedStage
    }
}
