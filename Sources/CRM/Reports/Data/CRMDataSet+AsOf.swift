import SyncCore

extension CRMDataSet {
    /// An open or closed opportunity as it stood at the end of a day.
    public struct StandingOpportunity: Hashable, Sendable {
        /// Its stage, amount, probability, expected close, currency and owner as of that day.
        public var opportunity: Opportunity
        /// The day it entered that stage; nil when the history does not say.
        public var inStageSince: CalendarDay?
    }

    /// The opportunities as they stood at the end of `day` (reports' calendar: `utcOffsetMinutes`),
    /// from the timeline, and how many existed then at a stage that cannot be told (a deal now
    /// won or lost that closed later, with no write of its stage by then in this replica's
    /// history: it was open, at a stage not known).
    ///
    /// An opportunity counts unless its `created_on` is later. Each field takes the last value
    /// written by then; a field with no write by then in the history reads as it is now (see
    /// `FieldTimeline`).
    public func opportunities(asOf day: CalendarDay, utcOffsetMinutes: Int) -> (standing: [StandingOpportunity], stageUnknown: Int) {
        var standing: [StandingOpportunity] = []
        var unknown = 0
        let entity = CRMSchema.opportunity.name
        for current in opportunities {
            if let created = current.createdOn, created > day { continue }
            func known(_ field: String) -> Value? {
                if case .value(let value, _) = timeline.known(entity, current.id, field, on: day, utcOffsetMinutes: utcOffsetMinutes) { return value }
                return nil
            }
            var opportunity = current
            var since: CalendarDay?
            if case .value(let value, let entered) = timeline.known(entity, current.id, "stage", on: day, utcOffsetMinutes: utcOffsetMinutes) {
                opportunity.stage = value.stringValue.flatMap(OpportunityStage.init(rawValue:))
                since = entered
            } else if current.stage?.isClosed == true {
                if let closed = current.closedOn, closed > day {
                    unknown += 1
                    continue
                }
                since = current.closedOn
            }
            if let amount = known("amount") { opportunity.amount = amount.stringValue.flatMap(Amount.init) }
            if let probability = known("probability") { opportunity.probability = probability.intValue }
            if let close = known("expected_close") { opportunity.expectedClose = close.stringValue.flatMap(CalendarDay.init) }
            if let currency = known("currency") { opportunity.currency = currency.stringValue }
            if let owner = known("owner") { opportunity.owner = owner.stringValue }
            if opportunity.stage?.isClosed != true { opportunity.closedOn = nil }
            standing.append(StandingOpportunity(opportunity: opportunity, inStageSince: since))
        }
        return (standing, unknown)
    }

    /// The leads as they stood at the end of `day`: those not created later (by `created_on`),
    /// with the status and converted opportunity written by then (as they are now when the
    /// history has no write of them by then).
    public func leads(asOf day: CalendarDay, utcOffsetMinutes: Int) -> [Lead] {
        let entity = CRMSchema.lead.name
        return leads.compactMap { current in
            if let created = current.createdOn, created > day { return nil }
            var lead = current
            if case .value(let value, _) = timeline.known(entity, current.id, "status", on: day, utcOffsetMinutes: utcOffsetMinutes) {
                lead.status = value.stringValue ?? ""
            }
            if case .value(let value, _) = timeline.known(entity, current.id, "converted_opportunity", on: day, utcOffsetMinutes: utcOffsetMinutes) {
                lead.convertedOpportunity = value.stringValue
            }
            return lead
        }
    }
}
