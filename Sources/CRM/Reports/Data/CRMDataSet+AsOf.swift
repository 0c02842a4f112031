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
    /// from the timeline, and how many existed then at a stage the history cannot tell (a deal
    /// that closed later, known only from a snapshot or an import).
    ///
    /// An opportunity counts when it existed by then: its `created_on` is not later, and, without
    /// one, its first write is not later. Each field takes the last value written by then; a
    /// field first written later (an import, a snapshot) keeps its first known value, except a
    /// won or lost stage that closed later: the deal was open then, at a stage not known.
    public func opportunities(asOf day: CalendarDay, utcOffsetMinutes: Int) -> (standing: [StandingOpportunity], stageUnknown: Int) {
        var standing: [StandingOpportunity] = []
        var unknown = 0
        let entity = CRMSchema.opportunity.name
        for current in opportunities {
            if let created = current.createdOn, created > day { continue }
            func known(_ field: String) -> FieldTimeline.Known {
                timeline.known(entity, current.id, field, on: day, utcOffsetMinutes: utcOffsetMinutes)
            }
            var opportunity = current
            let stage = known("stage")
            var since: CalendarDay?
            switch stage {
            case .value(let value, let day):
                opportunity.stage = value.stringValue.flatMap(OpportunityStage.init(rawValue:))
                since = day
            case .writtenLater(let first):
                guard current.createdOn != nil else { continue }
                opportunity.stage = first.stringValue.flatMap(OpportunityStage.init(rawValue:))
                if opportunity.stage?.isClosed == true {
                    unknown += 1
                    continue
                }
            case .noHistory:
                if current.stage?.isClosed == true {
                    if let closed = current.closedOn, closed > day {
                        unknown += 1
                        continue
                    }
                    since = current.closedOn
                }
            }
            func value(_ field: String) -> Value? {
                switch known(field) {
                case .value(let value, _): return value
                case .writtenLater(let first): return first
                case .noHistory: return nil
                }
            }
            if let amount = value("amount") { opportunity.amount = amount.stringValue.flatMap(Amount.init) }
            if let probability = value("probability") { opportunity.probability = probability.intValue }
            if let close = value("expected_close") { opportunity.expectedClose = close.stringValue.flatMap(CalendarDay.init) }
            if let currency = value("currency") { opportunity.currency = currency.stringValue }
            if let owner = value("owner") { opportunity.owner = owner.stringValue }
            if opportunity.stage?.isClosed != true { opportunity.closedOn = nil }
            standing.append(StandingOpportunity(opportunity: opportunity, inStageSince: since))
        }
        return (standing, unknown)
    }

    /// The leads as they stood at the end of `day`: those created by then (by `created_on`, or
    /// by their first write without one), with the status and converted opportunity of then.
    public func leads(asOf day: CalendarDay, utcOffsetMinutes: Int) -> [Lead] {
        let entity = CRMSchema.lead.name
        return leads.compactMap { current in
            if let created = current.createdOn, created > day { return nil }
            var lead = current
            switch timeline.known(entity, current.id, "status", on: day, utcOffsetMinutes: utcOffsetMinutes) {
            case .value(let value, _): lead.status = value.stringValue ?? ""
            case .writtenLater(let first):
                guard current.createdOn != nil else { return nil }
                lead.status = first.stringValue ?? ""
            case .noHistory: break
            }
            switch timeline.known(entity, current.id, "converted_opportunity", on: day, utcOffsetMinutes: utcOffsetMinutes) {
            case .value(let value, _): lead.convertedOpportunity = value.stringValue
            case .writtenLater(let first): lead.convertedOpportunity = lead.status == "converted" ? first.stringValue : nil
            case .noHistory: break
            }
            return lead
        }
    }
}
