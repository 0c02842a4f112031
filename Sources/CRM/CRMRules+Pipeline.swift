import SyncCore

extension CRMRules {
    /// The derived assignments of an opportunity edit: stage transition checks, the
    /// probability of a new stage (the company's table), `closed_on` for won and lost, and the
    /// clean-up of a reopen.
    static func opportunityAssignments(
        current: [String: Value]?,
        proposed: [String: Value],
        now: String,
        reopen: Bool,
        probabilities: StageProbabilities
    ) throws(ValidationError) -> [String: Value] {
        let from = current?["stage"]?.stringValue.flatMap(OpportunityStage.init(rawValue:))
        let target = proposed["stage"]?.stringValue.flatMap(OpportunityStage.init(rawValue:))
        var derived: [String: Value] = [:]
        let landing: OpportunityStage?
        if reopen {
            guard let from else {
                throw ValidationError(.invalidTransition, .reopenNeedsClosedOpportunity)
            }
            let stage = try from.reopened(to: target)
            derived["stage"] = .string(stage.rawValue)
            // A reopened deal is open again: it has no close date and no reason for a loss.
            derived["closed_on"] = .null
            derived["lost_reason"] = .null
            landing = stage
        } else if let target {
            if let from {
                try from.checkMove(to: target)
                landing = from == target ? nil : target
            } else {
                // A creation may start at any stage: deals are also recorded after the fact.
                landing = target
            }
        } else {
            landing = nil
        }
        if let landing {
            derived["probability"] = .int(probabilities[landing])
            if landing.isClosed {
                derived["closed_on"] = .string(String(now.prefix(10)))
            }
        }
        return derived
    }

    /// The derived assignments of a ticket edit: status transition checks and the opened,
    /// first-response and resolution timestamps.
    static func ticketAssignments(
        current: [String: Value]?,
        proposed: [String: Value],
        now: String,
        reopen: Bool
    ) throws(ValidationError) -> [String: Value] {
        let from = current?["status"]?.stringValue.flatMap(TicketStatus.init(rawValue:))
        var target = proposed["status"]?.stringValue.flatMap(TicketStatus.init(rawValue:))
        if reopen {
            guard let from, from == .resolved else {
                let state = from.map { "is \($0.rawValue)" } ?? "does not exist yet"
                throw ValidationError(.invalidTransition, .reopenNeedsResolvedTicket, ["state": state])
            }
            if let target, target != .inProgress {
                throw ValidationError(.invalidTransition, .reopenTicketTarget, ["target": target.rawValue])
            }
            target = .inProgress
        }
        guard let target else { return [:] }
        guard let current else { return target.creationFields(now: now) }
        // A stored status this build does not know gives nothing to check against.
        guard let from else { return [:] }
        var derived = try from.transition(to: target, current: current, now: now)
        if reopen { derived["status"] = .string(target.rawValue) }
        return derived
    }
}
