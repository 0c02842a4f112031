import Foundation
import GRDB
import SyncCore

extension DeviceStore {
    static func loadState(_ db: Database, _ entity: String, _ id: RecordID) throws -> RecordState? {
        try db.first("SELECT state FROM records WHERE entity = ?1 AND id = ?2", [entity.databaseValue, id.databaseValue]) { row in
            try row.withBytes(0, decodeState)
        }
    }

    /// Reads a stored state: the binary form, or JSON text as the first schema kept it.
    static func decodeState(_ data: Data) throws -> RecordState {
        try data.withUnsafeBytes(decodeState)
    }

    static func decodeState(_ bytes: UnsafeRawBufferPointer) throws -> RecordState {
        if bytes.first == UInt8(ascii: "{") {
            return try JSONDecoder().decode(RecordState.self, from: Data(bytes))
        }
        return try RecordState(binary: bytes)
    }

    func policy(for entity: String) -> DeletionPolicy {
        schema.entity(entity)?.deletionPolicy ?? .updateWins
    }

    /// The account a record belongs to for scope: itself for an account, its account
    /// reference for a child record.
    func accountID(of state: RecordState, snapshot: RecordSnapshot) -> String? {
        accountID(of: state)
    }

    func accountID(of state: RecordState) -> String? {
        guard let entity = schema.entity(state.entity) else { return nil }
        switch entity.scope {
        case .global: return nil
        case .territory: return state.id
        case .account(let field): return state.value(of: field).stringValue
        }
    }

    /// Writes a record's state with the columns that queries read.
    @discardableResult
    func saveState(_ db: Database, _ state: RecordState) throws -> RecordSnapshot {
        try saveRecord(db, state, wasVisible: false)
        return RecordSnapshot(state: state, policy: policy(for: state.entity))
    }

    /// Writes a record's state with the columns that queries read, and returns whether a
    /// reader now sees it. `wasVisible`: a reader saw the record before this write.
    @discardableResult
    func saveRecord(_ db: Database, _ state: RecordState, wasVisible: Bool) throws -> Bool {
        try saveRecord(db, state, previous: nil, wasVisible: wasVisible)
    }

    /// What a store row held before a write, when the writer read it.
    struct StoredRow {
        var visible: Bool
        var account: String?
    }

    /// Writes a record's state with the columns that queries read, and returns whether a
    /// reader now sees it. `previous`: the row as it was, when the caller read it; a row whose
    /// account stays the same is updated without touching the account index. `historyHead`:
    /// the record's newest history row, just written (see `insertHistory`); nil keeps the one
    /// the row names.
    @discardableResult
    func saveRecord(_ db: Database, _ state: RecordState, previous: StoredRow?, wasVisible: Bool? = nil, historyHead: Int64? = nil) throws -> Bool {
        let row = RecordRow(state, store: self)
        let head = historyHead?.databaseValue ?? .null
        if let previous, previous.account == row.account {
            try db.run("""
                UPDATE records SET state = ?1, display = ?2, deleted = ?3, conflicted = ?4, modified = ?5,
                    history_head = IFNULL(?6, history_head)
                WHERE entity = ?7 AND id = ?8
                """, [
                row.state.databaseValue, row.display.databaseValue, row.deleted.databaseValue, row.conflicted.databaseValue,
                row.modified.databaseValue, head, state.entity.databaseValue, state.id.databaseValue,
            ])
        } else {
            var values: [DatabaseValue] = []
            values.reserveCapacity(9)
            row.appendInsertValues(state, to: &values)
            values.append(head)
            try db.run("""
                INSERT INTO records(entity, id, state, display, deleted, conflicted, account, modified, history_head)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                ON CONFLICT(entity, id) DO UPDATE SET state = excluded.state, display = excluded.display,
                    deleted = excluded.deleted, conflicted = excluded.conflicted, account = excluded.account,
                    modified = excluded.modified, history_head = IFNULL(excluded.history_head, history_head)
                """, values)
        }
        return !row.deleted
    }

    /// The columns of a record's row: its state's binary form and what queries read of it.
    struct RecordRow {
        var state: Data
        var display: String
        var deleted: Bool
        var conflicted: Bool
        var account: String?
        var modified: Int64

        init(_ state: RecordState, store: DeviceStore) {
            self.state = Data(state.binaryEncoded())
            var display = JSONText()
            display.display(of: state)
            self.display = display.text
            deleted = state.isDeleted(policy: store.policy(for: state.entity))
            conflicted = state.hasDeleteConflict || state.fields.values.contains { $0.register?.isConflicted ?? false }
            account = store.accountID(of: state)
            modified = state.lastModified.physical
        }

        /// Appends the values of `INSERT INTO records(entity, id, state, display, deleted,
        /// conflicted, account, modified)`, in that order: a snapshot page binds 128 rows' values
        /// at once.
        func appendInsertValues(_ record: RecordState, to values: inout [DatabaseValue]) {
            values.append(record.entity.databaseValue)
            values.append(record.id.databaseValue)
            values.append(state.databaseValue)
            values.append(display.databaseValue)
            values.append(deleted.databaseValue)
            values.append(conflicted.databaseValue)
            values.append(account?.databaseValue ?? .null)
            values.append(modified.databaseValue)
        }
    }

    /// Records what a merge did to the conflicts of one record (orphan references are derived
    /// when conflicts are read: see `orphanConflicts`).
    func recordConflicts(_ db: Database, outcome: MergeOutcome, change: Change, snapshot: RecordSnapshot, at time: Int64) throws {
        try recordConflicts(db, outcome: outcome, change: change, state: outcome.state, at: time)
    }

    func recordConflicts(_ db: Database, outcome: MergeOutcome, change: Change, state: RecordState, at time: Int64) throws {
        for key in outcome.opened {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO conflicts(entity, record_id, field, kind, opened_at) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [key.entity, key.recordID, key.field, key.kind.rawValue, time])
        }
        for key in outcome.closed {
            try db.cachedStatement(sql: "DELETE FROM conflicts WHERE entity = ? AND record_id = ? AND field = ? AND kind = ?")
                .execute(arguments: [key.entity, key.recordID, key.field, key.kind.rawValue])
        }
    }

    /// The orphan references among the records the device holds: a record a reader sees whose
    /// displayed reference names a record no reader sees here (deleted, or never received).
    ///
    /// Derived from the records alone when conflicts are read, so two devices holding the same
    /// records list the same orphans whatever order the changes arrived in (a reference written
    /// before or after its target's deletion, a record joined from a snapshot). Each is dated
    /// by its referring record's last change.
    func orphanConflicts(_ db: Database) throws -> [ConflictEntry] {
        var orphans: [ConflictEntry] = []
        for name in schema.entityNames {
            guard let entity = schema.entity(name) else { continue }
            for field in entity.referenceFields {
                guard let target = field.type.referencedEntity else { continue }
                let path = "$.\"\(field.name)\""
                let rows = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT r.id, json_extract(r.display, ?1) AS target, r.modified FROM records r
                    WHERE r.entity = ?2 AND r.deleted = 0 AND json_extract(r.display, ?1) IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM records t WHERE t.entity = ?3 AND t.id = json_extract(r.display, ?1) AND t.deleted = 0)
                    """), arguments: [path, name, target])
                for row in rows {
                    orphans.append(ConflictEntry(
                        key: ConflictKey(entity: name, recordID: row["id"], field: field.name, kind: .orphanReference),
                        openedAt: row["modified"], target: row["target"]
                    ))
                }
            }
        }
        return orphans
    }

    /// True when a reader sees the record: it is on this device and not deleted.
    static func isVisible(_ db: Database, _ entity: String, _ id: RecordID) throws -> Bool {
        try db.first("SELECT deleted = 0 FROM records WHERE entity = ?1 AND id = ?2", [entity.databaseValue, id.databaseValue]) { row in
            row.int64(0) != 0
        } ?? false
    }

    /// Appends the change to its record's history with the displayed old → new of each field,
    /// and returns the row's `seq`, which the caller then writes as the record row's
    /// `history_head`. The history has no index (schema v7): a record's rows are a chain from
    /// its record row's `history_head` through each row's `prev_seq` (see `recordHistory`), so
    /// an edit writes the history's last page and the record's page, both written anyway.
    func insertHistory(
        _ db: Database, change: Change, changeJSON: String, diff: [(field: String, diff: FieldDiff)], origin: String, at time: Int64,
        outbox: OutboxStamp? = nil
    ) throws -> Int64 {
        var diffJSON = JSONText(capacity: 64)
        diffJSON.diff(diff)
        try db.run("""
            INSERT INTO history(entity, record_id, replica, counter, hlc, hlc_logical, origin, change, diff, applied_at,
                pending, stamped_at, clock_offset, prev_seq)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
                (SELECT history_head FROM records WHERE entity = ?1 AND id = ?2))
            """, [
            change.entity.databaseValue, change.recordID.databaseValue, change.dot.replica.rawValue.databaseValue,
            change.dot.counter.databaseValue, change.hlc.physical.databaseValue, Int64(change.hlc.logical).databaseValue,
            origin.databaseValue, changeJSON.databaseValue, diffJSON.text.databaseValue, time.databaseValue,
            outbox == nil ? .null : 1.databaseValue, outbox?.stampedAt.databaseValue ?? .null, outbox?.clockOffset.databaseValue ?? .null,
        ])
        return db.lastInsertedRowID
    }

    /// The `seq`s of one record's history rows (`?1` its entity, `?2` its id), newest first,
    /// as a subquery: the record row names the newest and each row the one before it. A query
    /// reading them also filters on `entity = ?1 AND record_id = ?2`.
    static let recordHistory = """
        WITH RECURSIVE chain(seq) AS (
            SELECT history_head FROM records WHERE entity = ?1 AND id = ?2
            UNION ALL
            SELECT h.prev_seq FROM chain JOIN history h ON h.seq = chain.seq AND h.entity = ?1 AND h.record_id = ?2
        )
        SELECT seq FROM chain WHERE seq IS NOT NULL
        """
}

/// When a local change waiting for the server was stamped: the corrected time and the server
/// clock offset then, from which `restampRefused` recovers the device clock's reading.
struct OutboxStamp {
    var stampedAt: Int64
    var clockOffset: Int64
}

extension RecordState {
    /// What a reader sees of one field: the register's or counter's value, or the set's
    /// members; `.value(.null)` for a field never written.
    func displayed(_ field: String) -> DisplayValue {
        switch fields[field] {
        case nil: return .value(.null)
        case .register(let register): return .value(register.value)
        case .counter(let counter): return .value(.int(counter.value))
        case .set(let set): return .members(set.members)
        }
    }
}

extension JSONText {
    mutating func displayValue(_ display: DisplayValue) {
        switch display {
        case .value(let value): self.value(value)
        case .members(let members):
            array(members) { $0.string($1) }
        }
    }

    /// `{"field":display,…}`, fields in order.
    mutating func display(_ display: [String: DisplayValue]) {
        object(display.sorted(by: { $0.key < $1.key })) { text, member in
            text.key(member.key)
            text.displayValue(member.value)
        }
    }

    /// `{"field":{"new":…,"old":…},…}`, fields in order.
    mutating func diff(_ diff: [(field: String, diff: FieldDiff)]) {
        object(diff.sorted(by: { $0.field < $1.field })) { text, entry in
            text.key(entry.field)
            text.raw("{\"new\":")
            text.displayValue(entry.diff.new)
            text.raw(",\"old\":")
            text.displayValue(entry.diff.old)
            text.byte(UInt8(ascii: "}"))
        }
    }

    /// A record's displayed values as `RecordSnapshot.display` holds them, fields in order.
    ///
    /// Written member by member, not through the generic `object`: it runs for every record an
    /// edit or a snapshot page writes, and a generic call across modules is not specialized.
    mutating func display(of state: RecordState) {
        byte(UInt8(ascii: "{"))
        var first = true
        for (name, field) in state.fields.sorted(by: { $0.key < $1.key }) {
            if !first { byte(UInt8(ascii: ",")) }
            first = false
            key(name)
            switch field {
            case .register(let register): value(register.value)
            case .counter(let counter): integer(counter.value)
            case .set(let set):
                byte(UInt8(ascii: "["))
                for (index, member) in set.members.enumerated() {
                    if index > 0 { byte(UInt8(ascii: ",")) }
                    string(member)
                }
                byte(UInt8(ascii: "]"))
            }
        }
        byte(UInt8(ascii: "}"))
    }
}

/// One field's displayed value before and after a change.
public struct FieldDiff: Hashable, Sendable, Codable {
    public var old: DisplayValue
    public var new: DisplayValue
}
