import SyncCore

/// The CRM domain rules every local edit passes before it becomes a change.
///
/// A pure function of the entity, the record's displayed values, the proposed assignments and
/// the time the caller passes in: the device store calls it inside its write transaction, and
/// tests call it directly. It checks what a single change cannot express on its own (stage
/// and status transitions, conditionally required fields, score ranges) and adds the values an
/// edit implies (probability defaults, `closed_on`, ticket response and resolution times).
///
/// Schema-level checks that need the change itself (read-only entities, record ids, operation
/// counts) stay in `Schema.validate(_:)`, which the store runs on the resulting change.
public enum CRMRules {
    /// Checks a local edit and returns the assignments to write.
    ///
    /// - Parameters:
    ///   - entity: the schema of the edited record's entity.
    ///   - current: the record's displayed values before the edit; nil when creating it.
    ///     A missing key and `.null` both mean "unset".
    ///   - proposed: the register fields the person assigns, in canonical wire form. Set and
    ///     counter fields are edited with their own operations and may not appear here.
    ///   - now: the time of the edit, `YYYY-MM-DDTHH:MM:SSZ`; derived dates and timestamps use it.
    ///   - reopen: moves a won or lost opportunity back to negotiation, or a resolved ticket
    ///     back to in_progress. Other entities cannot be reopened.
    ///   - probabilities: the company's stage probabilities, which a stage move writes.
    /// - Returns: `proposed` plus the derived assignments it implies. A value the person gave
    ///   explicitly is never replaced by a derived one.
    /// - Throws: `ValidationError`: `.unknownField`, `.kindMismatch` and the type codes for
    ///   malformed assignments; `.missingRequiredField` for a creation without its required
    ///   fields or a lost opportunity without a lost reason; `.invalidTransition` for a stage or
    ///   status jump the pipeline does not allow; `.invalidValue` for other domain violations.
    public static func assignments(
        for entity: EntitySchema,
        current: [String: Value]?,
        proposed: [String: Value],
        now: String,
        reopen: Bool = false,
        probabilities: StageProbabilities = .standard
    ) throws(ValidationError) -> [String: Value] {
        guard Dates.isValidTimestamp(now) else {
            throw ValidationError(.invalidValue, .editTimeNotUTC, ["now": now])
        }
        try checkAssignments(proposed, of: entity)
        if current == nil {
            try checkRequiredFields(proposed, of: entity)
        }
        if reopen && entity.name != CRMSchema.opportunity.name && entity.name != CRMSchema.ticket.name {
            throw ValidationError(.invalidTransition, .reopenWrongEntity, ["entity": entity.name])
        }
        let derived: [String: Value]
        switch entity.name {
        case CRMSchema.opportunity.name:
            derived = try opportunityAssignments(current: current, proposed: proposed, now: now, reopen: reopen, probabilities: probabilities)
        case CRMSchema.ticket.name:
            derived = try ticketAssignments(current: current, proposed: proposed, now: now, reopen: reopen)
        case CRMSchema.order.name, CRMSchema.quote.name, CRMSchema.contract.name:
            derived = try statusAssignments(of: entity.name, current: current, proposed: proposed, now: now)
        case CRMSchema.invoice.name:
            derived = invoiceAssignments(current: current, proposed: proposed)
        default:
            derived = [:]
        }
        let result = derived.merging(proposed) { _, given in given }
        let merged = (current ?? [:]).merging(result) { _, new in new }
        var touched = Set(proposed.keys)
        if reopen { touched.formUnion(derived.keys) }
        try checkInvariants(merged, of: entity, touching: touched)
        return result
    }

    /// Checks the domain invariants of a whole record (every field counts as touched): used
    /// for imported data and fixtures, which arrive as complete records rather than edits.
    public static func checkRecord(_ values: [String: Value], of entity: EntitySchema) throws(ValidationError) {
        try checkInvariants(values, of: entity, touching: Set(values.keys))
    }

    /// True when `value` is absent, null, or an empty or blank string.
    static func isBlank(_ value: Value?) -> Bool {
        switch value {
        case nil, .null?: return true
        case .string(let text)?: return text.allSatisfy(\.isWhitespace)
        default: return false
        }
    }

    private static func checkAssignments(_ proposed: [String: Value], of entity: EntitySchema) throws(ValidationError) {
        for name in proposed.keys.sorted() {
            guard let field = entity.field(name) else {
                throw ValidationError(.unknownField, .noField, ["entity": entity.name, "field": name])
            }
            guard field.kind == .register else {
                throw ValidationError(.kindMismatch, field.kind == .set ? .setNotAssigned : .counterNotAssigned, ["field": name])
            }
            try field.validate(.assign(proposed[name] ?? .null))
        }
    }

    private static func checkRequiredFields(_ proposed: [String: Value], of entity: EntitySchema) throws(ValidationError) {
        let missing = entity.requiredFields.map(\.name).filter { (proposed[$0] ?? .null) == .null }
        guard missing.isEmpty else {
            throw ValidationError(.missingRequiredField, .newRecordNeeds, ["entity": entity.name, "missing": missing.joined(separator: ", ")])
        }
    }
}
