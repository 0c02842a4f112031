import SyncCore

/// One operation a person makes on a record, before it is stamped into a change.
public enum LocalOperation: Hashable, Sendable {
    case set(String, Value)
    /// Adds `by` (negative to subtract) to a counter field.
    case increment(String, by: Int64)
    case add(String, String)
    case remove(String, String)
    case delete
}

/// An edit of one record on this device: it becomes one change with one dot.
public struct LocalEdit: Hashable, Sendable {
    public var entity: String
    public var recordID: RecordID
    public var operations: [LocalOperation]
    /// True when the record is new: it must not exist yet and required fields must be given.
    public var isCreation: Bool
    /// Lets a rule move a finished record (a won opportunity) back on purpose.
    public var reopen: Bool
    /// When what the edit records happened, if not now (a ticket acknowledged this morning,
    /// logged at noon): the canonical UTC time `YYYY-MM-DDTHH:MM:SSZ` the domain rule stamps
    /// (`opened_at`, `first_response_at`, `resolved_at`, `closed_on`) instead of the clock's.
    /// The change's HLC still comes from the clock: merge order is not affected.
    public var time: String?

    public init(
        entity: String, recordID: RecordID, operations: [LocalOperation], isCreation: Bool = false, reopen: Bool = false,
        time: String? = nil
    ) {
        self.entity = entity
        self.recordID = recordID
        self.operations = operations
        self.isCreation = isCreation
        self.reopen = reopen
        self.time = time
    }

    /// This edit, recording something that happened at `time` (canonical UTC); nil keeps the clock's time.
    public func at(_ time: String?) -> LocalEdit {
        var edit = self
        edit.time = time
        return edit
    }

    public static func create(_ entity: String, id: RecordID = RecordIDs.make(), _ operations: [LocalOperation]) -> LocalEdit {
        LocalEdit(entity: entity, recordID: id, operations: operations, isCreation: true)
    }

    public static func update(_ entity: String, id: RecordID, _ operations: [LocalOperation], reopen: Bool = false) -> LocalEdit {
        LocalEdit(entity: entity, recordID: id, operations: operations, reopen: reopen)
    }

    public static func delete(_ entity: String, id: RecordID) -> LocalEdit {
        LocalEdit(entity: entity, recordID: id, operations: [.delete])
    }
}

/// What a domain rule sees of a local edit before it is written. Only valid during the rule's
/// call: `reader` reads inside the edit's write transaction.
public struct EditRuleInput {
    public var entity: EntitySchema
    /// The record's displayed values before the edit; nil when creating.
    public var current: [String: Value]?
    /// The register assignments of the edit.
    public var assignments: [String: Value]
    /// The edit's time, "YYYY-MM-DDTHH:MM:SSZ".
    public var now: String
    public var reopen: Bool
    /// The store's records inside the edit's transaction, for a rule that depends on reference
    /// data (the company's stage probabilities).
    public var reader: TransactionReader
}

/// A domain rule run on every local edit (stage transitions, derived timestamps…). It returns
/// the assignments to write, which may add derived fields, or throws to refuse the edit.
public typealias EditRule = @Sendable (EditRuleInput) throws -> [String: Value]
