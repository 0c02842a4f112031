import SyncCore

/// The server's decision about one pushed change, given what it already holds.
///
/// Pure: no storage, no clock. Every storage backend calls `decide` inside the transaction that
/// then stores the outcome, so the rules are written (and tested) once.
public enum ChangeAdmission: Sendable, Hashable {
    /// Already applied: the log holds the dot or the record's version covers it.
    case duplicate
    /// The change's context names writes the server does not have. Applying it would break
    /// causal order (its writer overwrote something this replica never saw), so the device must
    /// retry once the missing writes arrived.
    case missingDependency(Refusal)
    /// The change cannot be merged into the stored record at all.
    case rejected(code: String, Refusal)
    /// Apply: store `outcome.state`, append the change to the log, record the conflicts.
    case apply(MergeOutcome)

    /// Decides what to do with `change`.
    ///
    /// - Parameters:
    ///   - record: the server's current state of the change's record, nil if it has none.
    ///   - isLogged: whether the log already holds a change with this dot.
    public static func decide(_ change: Change, record: RecordState?, isLogged: Bool) -> ChangeAdmission {
        let state = record ?? RecordState(entity: change.entity, id: change.recordID)
        if isLogged || state.version.covers(change.dot) {
            return .duplicate
        }
        guard state.version.covers(change.context) else {
            let missing = change.context.counters
                .filter { state.version[$0.key] < $0.value }
                .sorted { $0.key < $1.key }
                .map { "\($0.key.short):\(state.version[$0.key] + 1)…\($0.value)" }
            return .missingDependency(Refusal(.missingDependency, ["record": "\(change.entity)/\(change.recordID)", "missing": missing.joined(separator: ", ")]))
        }
        do {
            return .apply(try state.merging(change))
        } catch {
            switch error {
            case .recordMismatch(let expected, let got):
                return .rejected(code: ValidationError.Code.malformedChange.rawValue, Refusal(.changeDoesNotFitRecord, ["got": got, "expected": expected]))
            case .kindMismatch(let field):
                return .rejected(code: ValidationError.Code.kindMismatch.rawValue, Refusal(.fieldOfOtherKind, ["field": field]))
            }
        }
    }
}

/// A record state with the columns the server indexes it by.
public struct MaterializedRecord: Sendable, Hashable {
    public var state: RecordState
    /// The territory deciding visibility, for entities that carry one (accounts, leads).
    public var territory: String?
    /// The account the record belongs to; an account's own id for accounts.
    public var accountID: RecordID?
    /// Whether a reader sees no record under the entity's deletion policy.
    public var isDeleted: Bool
    /// The record's days for choosing a bootstrap's priority accounts (`BootstrapPriority.days`).
    public var priorityDue: String?
    public var priorityDay: String?

    public init(state: RecordState, schema: Schema) {
        self.state = state
        let entity = schema.entity(state.entity)
        self.isDeleted = state.isDeleted(policy: entity?.deletionPolicy ?? .updateWins)
        switch entity?.scope {
        case .territory(let field):
            territory = state.value(of: field).stringValue
            // A record others hang off (an account) is its own account id, so one index
            // finds an account together with its children.
            accountID = schema.scopeRoots.contains(state.entity) ? state.id : nil
        case .account(let field):
            territory = nil
            accountID = state.value(of: field).stringValue
        case .global, nil:
            territory = nil
            accountID = nil
        }
        (priorityDue, priorityDay) = BootstrapPriority.crm.applicable(to: schema)?.days(of: state, isDeleted: isDeleted) ?? (nil, nil)
    }
}

extension Schema {
    /// The entities that `.account(field:)` scope rules point at (in the CRM: `account`).
    var scopeRoots: Set<String> {
        var roots = Set<String>()
        for entity in entities {
            guard case .account(let name) = entity.scope, case .reference(let target)? = entity.field(name)?.type else { continue }
            roots.insert(target)
        }
        return roots
    }
}
