import SyncCore

/// Who may write what: the scope rules of a push, as a pure function of what the server holds.
///
/// A device may store a change when
/// 1. the record, as the server holds it now, is in the device's scope (or does not exist yet),
/// 2. the record after the change is still in the device's scope — so a new account must name
///    one of the device's territories, a new contact an account the device sees, and a move
///    (an edit of `territory`) must go to a territory the device also covers, and
/// 3. every record the change names in a reference field (an activity's contact, an order
///    line's order, a lead's converted account) is in the device's scope too, when the server
///    has it — a reference never crosses into territories the writer does not work in, and
/// 4. the change does not move a child record (a contact, an order…) to another account. The
///    account a child belongs to is fixed when it is created: that is what lets a device drop an
///    account "with its children" using only what it holds itself (see SyncServer/README.md,
///    "Scope"). Admins may still re-parent records; the log handles that as a move.
///
/// Admins (and the server's own writes) have `.everything` and pass all four.
public enum ScopeRules {
    /// The refusal of `change`, or nil when the device may store it.
    ///
    /// - Parameters:
    ///   - before: where the record sits now; nil when the server does not have it.
    ///   - after: where it would sit once the change is merged; nil when it cannot be merged
    ///     (the other rejections then apply).
    ///   - reparents: the change gives an existing child record another account.
    ///   - references: where the records sit that the change names in its reference fields
    ///     (other than the account that places the record itself), for those the server has.
    public static func refusal(
        of change: Change, before: ScopeKey?, after: ScopeKey?, reparents: Bool,
        references: [(field: String, place: ScopeKey)] = [], scope: AccessScope
    ) -> (code: RejectionCode, refusal: Refusal)? {
        if scope.isEverything { return nil }
        let record = "\(change.entity) \(change.recordID)"
        if let before, !scope.covers(before) {
            return (.outOfScope, Refusal(.outsideTerritories, ["record": record]))
        }
        if reparents {
            return (.immutableField, Refusal(.accountIsFixed, ["record": record]))
        }
        if let after, !scope.covers(after) {
            switch after {
            case .unassigned where before == nil:
                return (.outOfScope, Refusal(.needsYourAccount, ["record": record]))
            default:
                return (.outOfScope, Refusal(.wouldLeaveTerritories, ["record": record, "territories": scope.sortedTerritories?.joined(separator: ", ") ?? ""]))
            }
        }
        if let outside = references.first(where: { !scope.covers($0.place) }) {
            return (.outOfScope, Refusal(.referenceOutsideTerritories, ["record": record, "field": outside.field]))
        }
        return nil
    }

    /// The reference fields a change assigns, with the records they name, except the field that
    /// places an account-scoped record (its account, which `after` already checks).
    public static func namedRecords(by change: Change, entity: EntitySchema?) -> [(field: String, entity: String, id: RecordID)] {
        guard let entity else { return [] }
        var placing: String?
        if case .account(let field) = entity.scope { placing = field }
        var named: [(field: String, entity: String, id: RecordID)] = []
        for operation in change.operations where operation.field != placing {
            guard case .assign(.string(let id)) = operation.operation,
                  let target = entity.field(operation.field)?.type.referencedEntity else { continue }
            named.append((operation.field, target, id))
        }
        return named
    }

    /// Whether `change` gives an existing record of an account-scoped entity another account.
    public static func reparents(_ change: Change, current: RecordState?, entity: EntitySchema?) -> Bool {
        guard let current, case .account(let field)? = entity?.scope else { return false }
        for operation in change.operations where operation.field == field {
            if case .assign(let value) = operation.operation, value != current.value(of: field) {
                return true
            }
        }
        return false
    }

    /// The required fields a change that creates a record leaves out; empty when the record
    /// exists already, the change is a delete, or nothing is missing.
    public static func missingRequiredFields(of change: Change, current: RecordState?, entity: EntitySchema?) -> [String] {
        guard current == nil, !change.isDelete, let entity else { return [] }
        var assigned = Set<String>()
        for operation in change.operations {
            if case .assign(let value) = operation.operation, value != .null { assigned.insert(operation.field) }
        }
        return entity.requiredFields.map(\.name).filter { !assigned.contains($0) }
    }
}
