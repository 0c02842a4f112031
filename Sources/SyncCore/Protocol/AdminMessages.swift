/// The wire types of the admin API (`/v1/admin/conflicts…`, `/v1/admin/records/…/history`,
/// `/v1/admin/merge-duplicates`): shared by the server, the device's admin client and the CLI.

/// Where a conflict-log entry stands.
public enum ConflictStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// The competing values are still there.
    case open
    /// A later write (from a device or the server) covered every competing value.
    case resolvedByEdit = "resolved_by_edit"
    /// An admin chose the outcome; the resolution is a server change like any edit.
    case resolvedByAdmin = "resolved_by_admin"
    /// An admin decided it needs no action; the record's state was left alone.
    case dismissed

    public var isOpen: Bool { self == .open }
}

/// Who made a write, as the server log knows it.
public struct ChangeAuthorInfo: Hashable, Sendable, Codable {
    public var user: String?
    /// The writing replica's id (the server's own replica for server writes).
    public var device: String?
    /// The device's enrolled name; nil for the server replica or an unknown device.
    public var deviceName: String?
    /// Server clock when the change arrived, milliseconds since 1970.
    public var receivedAt: Int64?
    /// The change's place in the server log.
    public var sequence: LogSequence?

    public init(user: String? = nil, device: String? = nil, deviceName: String? = nil, receivedAt: Int64? = nil, sequence: LogSequence? = nil) {
        self.user = user
        self.device = device
        self.deviceName = deviceName
        self.receivedAt = receivedAt
        self.sequence = sequence
    }
}

/// One of the values competing in a conflict, with the write that made it.
public struct CompetingValue: Hashable, Sendable, Codable {
    /// The record the value lives on (for duplicates and orphans, not always the conflict's record).
    public var entity: String
    public var recordID: RecordID
    /// The field; empty for the record's existence (a delete or an edit).
    public var field: String
    public var value: Value
    /// The value as people read it ("deleted", "kept (edited phone)", "Acme · Shanghai · 138…").
    public var label: String
    public var dot: Dot
    public var hlc: HLC
    public var author: ChangeAuthorInfo
    /// While the entry is open (or dismissed): true for the value(s) a reader sees. Once it is
    /// resolved (`ConflictLogEntry.isSettled`): true for the value(s) the outcome kept, false
    /// for the rejected ones.
    public var isDisplayed: Bool

    public init(
        entity: String, recordID: RecordID, field: String, value: Value, label: String, dot: Dot, hlc: HLC,
        author: ChangeAuthorInfo, isDisplayed: Bool
    ) {
        self.entity = entity
        self.recordID = recordID
        self.field = field
        self.value = value
        self.label = label
        self.dot = dot
        self.hlc = hlc
        self.author = author
        self.isDisplayed = isDisplayed
    }

    enum CodingKeys: String, CodingKey {
        case entity, recordID = "id", field, value, label, dot, hlc, author, isDisplayed
    }
}

/// One entry of the server's conflict log.
public struct ConflictLogEntry: Hashable, Sendable, Codable {
    public var id: Int64
    public var key: ConflictKey
    public var status: ConflictStatus
    /// The other record involved: an orphan's missing target, a duplicate's twin.
    public var related: RecordReference?
    /// Why this is a conflict, in words ("same phone 13812345678", "account … was deleted").
    public var reason: String?
    /// The territory of the record (its account's, for child records).
    public var territory: String?
    /// A name people recognise the record by (an account's name, an opportunity's title).
    public var recordLabel: String?
    /// Every competing value, refreshed while the entry is open and kept as it was at closing.
    public var competitors: [CompetingValue]
    /// What a reader sees (the displayed winner), as text; once resolved, the outcome (the
    /// value kept or written, "kept", "deleted", "merged … into …", the words of the settling write).
    public var displayed: String?
    /// The users whose writes compete.
    public var users: [String]
    /// Server clock when the entry opened, milliseconds since 1970.
    public var openedAt: Int64
    /// The log sequence of the change that opened it.
    public var openedSequence: LogSequence
    public var openedBy: String?
    public var closedAt: Int64?
    public var closedSequence: LogSequence?
    /// The user whose write or decision closed it.
    public var closedBy: String?
    /// How it closed: the value kept, the admin's note, the dismissal reason.
    public var resolution: String?

    public init(
        id: Int64, key: ConflictKey, status: ConflictStatus, related: RecordReference? = nil, reason: String? = nil,
        territory: String? = nil, recordLabel: String? = nil, competitors: [CompetingValue] = [], displayed: String? = nil,
        users: [String] = [], openedAt: Int64, openedSequence: LogSequence, openedBy: String? = nil,
        closedAt: Int64? = nil, closedSequence: LogSequence? = nil, closedBy: String? = nil, resolution: String? = nil
    ) {
        self.id = id
        self.key = key
        self.status = status
        self.related = related
        self.reason = reason
        self.territory = territory
        self.recordLabel = recordLabel
        self.competitors = competitors
        self.displayed = displayed
        self.users = users
        self.openedAt = openedAt
        self.openedSequence = openedSequence
        self.openedBy = openedBy
        self.closedAt = closedAt
        self.closedSequence = closedSequence
        self.closedBy = closedBy
        self.resolution = resolution
    }
}

extension ConflictLogEntry {
    /// Whether the entry was resolved (by an edit or an admin), so that its competing values
    /// are marked kept or rejected by the outcome rather than displayed or not.
    public var isSettled: Bool {
        status == .resolvedByEdit || status == .resolvedByAdmin
    }
}

/// Which conflict-log entries to list. Every condition given must hold.
public struct ConflictFilter: Hashable, Sendable, Codable {
    /// nil lists every status.
    public var statuses: Set<ConflictStatus>?
    public var entity: String?
    public var kind: ConflictKind?
    public var territory: String?
    /// A user whose write competes in the conflict.
    public var user: String?
    /// Text found, letter case ignored, in the record's label or id, a competing value or the reason.
    public var query: String?
    /// Opened at least this long ago (milliseconds).
    public var olderThan: Int64?
    /// Opened at most this long ago (milliseconds).
    public var newerThan: Int64?
    public var limit: Int
    public var offset: Int

    public init(
        statuses: Set<ConflictStatus>? = [.open], entity: String? = nil, kind: ConflictKind? = nil, territory: String? = nil,
        user: String? = nil, query: String? = nil, olderThan: Int64? = nil, newerThan: Int64? = nil, limit: Int = 100, offset: Int = 0
    ) {
        self.query = query
        self.statuses = statuses
        self.entity = entity
        self.kind = kind
        self.territory = territory
        self.user = user
        self.olderThan = olderThan
        self.newerThan = newerThan
        self.limit = limit
        self.offset = offset
    }
}

/// `GET /v1/admin/conflicts`: one page of entries and the counts admins filter by.
public struct ConflictList: Hashable, Sendable, Codable {
    public var conflicts: [ConflictLogEntry]
    /// Entries matching the filter (all pages).
    public var total: Int
    /// Entries by status, with the other filters applied.
    public var byStatus: [String: Int]
    /// Entries by entity, with every filter applied.
    public var byEntity: [String: Int]
    /// Entries by kind, with every filter applied.
    public var byKind: [String: Int]
    /// Entries by territory (the known territories to filter by), with the other filters applied.
    public var byTerritory: [String: Int]

    public init(
        conflicts: [ConflictLogEntry], total: Int, byStatus: [String: Int], byEntity: [String: Int], byKind: [String: Int],
        byTerritory: [String: Int] = [:]
    ) {
        self.conflicts = conflicts
        self.total = total
        self.byStatus = byStatus
        self.byEntity = byEntity
        self.byKind = byKind
        self.byTerritory = byTerritory
    }
}

/// What a record showed at one point of the log.
public struct RecordView: Hashable, Sendable, Codable {
    public var entity: String
    public var id: RecordID
    /// The last log sequence included.
    public var sequence: LogSequence?
    public var deleted: Bool
    public var deleteConflict: Bool
    /// Displayed values by field (registers' winners, counters' totals, sets' members joined by commas).
    public var values: [String: Value]
    /// Fields whose register holds more than one value.
    public var conflictedFields: [String]

    public init(entity: String, id: RecordID, sequence: LogSequence?, deleted: Bool, deleteConflict: Bool, values: [String: Value], conflictedFields: [String]) {
        self.entity = entity
        self.id = id
        self.sequence = sequence
        self.deleted = deleted
        self.deleteConflict = deleteConflict
        self.values = values
        self.conflictedFields = conflictedFields
    }
}

/// `GET /v1/admin/conflicts/{id}`: an entry with its full context.
public struct ConflictDetail: Hashable, Sendable, Codable {
    public var conflict: ConflictLogEntry
    /// Before the conflict: for competing writes (concurrent values, delete vs edit), the record
    /// as every competing writer had seen it (their common ancestor); for the other kinds, just
    /// before the change that opened the entry. nil when it did not exist yet.
    public var before: RecordView?
    /// The record now.
    public var after: RecordView?
    /// The related record now (orphan target, duplicate twin).
    public var related: RecordView?
    /// The resolutions that fit this entry.
    public var actions: [ResolutionAction]
    /// For a probable duplicate: each field whose values differ, with the record whose value a
    /// merge keeps unless the admin picks the other (the newer non-empty one).
    public var mergeDefaults: [String: RecordID]?

    public init(
        conflict: ConflictLogEntry, before: RecordView?, after: RecordView?, related: RecordView?, actions: [ResolutionAction],
        mergeDefaults: [String: RecordID]? = nil
    ) {
        self.conflict = conflict
        self.before = before
        self.after = after
        self.related = related
        self.actions = actions
        self.mergeDefaults = mergeDefaults
    }
}

/// How an admin settles a conflict. Every action is a server change whose context covers the
/// competing writes, so it reaches devices like any edit.
public enum ResolutionAction: String, Hashable, Sendable, Codable, CaseIterable {
    /// Keep one competing value (`sibling` names its dot).
    case choose
    /// Write a new value (`value`, or `text` typed by a person).
    case value
    /// Keep a record a delete met (delete vs edit).
    case keep
    /// Delete the record (delete vs edit; an orphan's record).
    case delete
    /// Bring an orphan's deleted target back.
    case restoreTarget = "restore_target"
    /// Merge duplicate customers: children move to `survivor`, the other record is deleted.
    case merge
}

/// `POST /v1/admin/conflicts/{id}/resolve`.
public struct ConflictResolution: Hashable, Sendable, Codable {
    public var action: ResolutionAction
    /// For `choose`: the dot of the competing value to keep.
    public var sibling: Dot?
    /// For `value`: the new value as JSON.
    public var value: Value?
    /// For `value`: the new value as typed, parsed by the field's type.
    public var text: String?
    /// For `merge`: the record that stays.
    public var survivor: RecordID?
    /// For `merge`: per field, the record whose value the survivor keeps; fields not named
    /// keep the newer non-empty value.
    public var fields: [String: RecordID]?
    public var note: String?

    public init(
        action: ResolutionAction, sibling: Dot? = nil, value: Value? = nil, text: String? = nil, survivor: RecordID? = nil,
        fields: [String: RecordID]? = nil, note: String? = nil
    ) {
        self.action = action
        self.sibling = sibling
        self.value = value
        self.text = text
        self.survivor = survivor
        self.fields = fields
        self.note = note
    }
}

/// `POST /v1/admin/conflicts/{id}/dismiss`.
public struct ConflictDismissal: Hashable, Sendable, Codable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

/// The answer to a resolution or a dismissal.
public struct ConflictResolutionResult: Hashable, Sendable, Codable {
    public var conflict: ConflictLogEntry
    /// The log sequences of the server changes written.
    public var sequences: [LogSequence]

    public init(conflict: ConflictLogEntry, sequences: [LogSequence]) {
        self.conflict = conflict
        self.sequences = sequences
    }
}

/// `POST /v1/admin/merge-duplicates`.
public struct DuplicateMergeRequest: Hashable, Sendable, Codable {
    public var entity: String
    public var survivor: RecordID
    public var duplicate: RecordID
    /// Per field, the record whose value the survivor keeps (`survivor` or `duplicate`); fields
    /// not named keep the newer non-empty value.
    public var fields: [String: RecordID]?
    public var note: String?

    public init(entity: String = "account", survivor: RecordID, duplicate: RecordID, fields: [String: RecordID]? = nil, note: String? = nil) {
        self.entity = entity
        self.survivor = survivor
        self.duplicate = duplicate
        self.fields = fields
        self.note = note
    }
}

/// What a merge of duplicates wrote.
public struct DuplicateMergeResult: Hashable, Sendable, Codable {
    public var survivor: RecordReference
    public var duplicate: RecordReference
    /// Child records now pointing at the survivor.
    public var repointed: [RecordReference]
    /// Survivor fields that took the duplicate's value.
    public var filledFields: [String]
    /// Conflict-log entries the merge closed.
    public var closedConflicts: [Int64]
    public var sequences: [LogSequence]

    public init(
        survivor: RecordReference, duplicate: RecordReference, repointed: [RecordReference], filledFields: [String],
        closedConflicts: [Int64], sequences: [LogSequence]
    ) {
        self.survivor = survivor
        self.duplicate = duplicate
        self.repointed = repointed
        self.filledFields = filledFields
        self.closedConflicts = closedConflicts
        self.sequences = sequences
    }
}

/// One field a change wrote, with the displayed value before and after.
public struct FieldChange: Hashable, Sendable, Codable {
    public var field: String
    public var old: Value
    public var new: Value
    /// For an assignment: the values its writer had seen (from the change's context), which
    /// `old` is not when another write arrived first.
    public var seen: [Value]?
    /// For an assignment: the value it wrote (`new` is what readers saw after, which is another
    /// value when a concurrent write wins).
    public var wrote: Value?
    /// For an assignment: the writes of the field made concurrently with it.
    public var concurrentWith: [Dot]?

    public init(field: String, old: Value, new: Value, seen: [Value]? = nil, wrote: Value? = nil, concurrentWith: [Dot]? = nil) {
        self.field = field
        self.old = old
        self.new = new
        self.seen = seen
        self.wrote = wrote
        self.concurrentWith = concurrentWith
    }
}

/// One change of a record's history, from the server log.
public struct RecordHistoryEntry: Hashable, Sendable, Codable {
    public var sequence: LogSequence
    public var dot: Dot
    public var hlc: HLC
    public var author: ChangeAuthorInfo
    /// The change created the record (the first write the server saw).
    public var created: Bool
    public var deleted: Bool
    /// Every field written, old → new as a reader saw it on the server.
    public var fields: [FieldChange]
    /// Siblings the change did not cover: it made or kept a conflict.
    public var conflicted: Bool

    public init(sequence: LogSequence, dot: Dot, hlc: HLC, author: ChangeAuthorInfo, created: Bool, deleted: Bool, fields: [FieldChange], conflicted: Bool) {
        self.sequence = sequence
        self.dot = dot
        self.hlc = hlc
        self.author = author
        self.created = created
        self.deleted = deleted
        self.fields = fields
        self.conflicted = conflicted
    }
}

/// `GET /v1/admin/records/{entity}/{id}/history`.
public struct RecordHistory: Hashable, Sendable, Codable {
    public var entity: String
    public var id: RecordID
    public var current: RecordView?
    public var entries: [RecordHistoryEntry]

    public init(entity: String, id: RecordID, current: RecordView?, entries: [RecordHistoryEntry]) {
        self.entity = entity
        self.id = id
        self.current = current
        self.entries = entries
    }
}

extension RecordView {
    /// What a reader of `state` sees under `policy`.
    public init(state: RecordState, policy: DeletionPolicy, sequence: LogSequence?) {
        var values: [String: Value] = [:]
        var conflicted: [String] = []
        for (name, field) in state.fields {
            values[name] = field.displayValue
            if field.register?.isConflicted == true { conflicted.append(name) }
        }
        self.init(
            entity: state.entity, id: state.id, sequence: sequence, deleted: state.isDeleted(policy: policy),
            deleteConflict: state.hasDeleteConflict, values: values, conflictedFields: conflicted.sorted()
        )
    }
}
