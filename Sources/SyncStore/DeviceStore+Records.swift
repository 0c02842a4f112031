import Foundation
import GRDB
import SyncCore

extension DeviceStore {
    static func loadState(_ db: Database, _ entity: String, _ id: RecordID) throws -> RecordState? {
        guard let text = try String.fetchOne(db, sql: "SELECT state FROM records WHERE entity = ? AND id = ?", arguments: [entity, id]) else {
            return nil
        }
        return try decode(RecordState.self, text)
    }

    func policy(for entity: String) -> DeletionPolicy {
        schema.entity(entity)?.deletionPolicy ?? .updateWins
    }

    /// The account a record belongs to for scope: itself for an account, its account
    /// reference for a child record.
    func accountID(of state: RecordState, snapshot: RecordSnapshot) -> String? {
        guard let entity = schema.entity(state.entity) else { return nil }
        switch entity.scope {
        case .global: return nil
        case .territory: return state.id
        case .account(let field): return snapshot.value(field).stringValue
        }
    }

    /// Writes a record's state with the columns that queries read.
    @discardableResult
    func saveState(_ db: Database, _ state: RecordState) throws -> RecordSnapshot {
        let snapshot = RecordSnapshot(state: state, policy: policy(for: state.entity))
        try db.execute(
            sql: """
                INSERT INTO records(entity, id, state, display, deleted, conflicted, account, modified)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(entity, id) DO UPDATE SET state = excluded.state, display = excluded.display,
                    deleted = excluded.deleted, conflicted = excluded.conflicted, account = excluded.account,
                    modified = excluded.modified
                """,
            arguments: [
                state.entity, state.id, try Self.encode(state), try Self.encode(snapshot.display),
                snapshot.deleted, snapshot.hasConflicts, accountID(of: state, snapshot: snapshot),
                state.lastModified.physical,
            ]
        )
        if !snapshot.deleted {
            // A record that arrives resolves the orphan conflicts of the records pointing at it.
            try db.execute(sql: "DELETE FROM conflicts WHERE kind = ? AND target = ?", arguments: [ConflictKind.orphanReference.rawValue, state.id])
        }
        return snapshot
    }

    /// Records what a merge did to the conflicts of one record, and checks its references.
    func recordConflicts(_ db: Database, outcome: MergeOutcome, change: Change, snapshot: RecordSnapshot, at time: Int64) throws {
        for key in outcome.opened {
            try db.execute(
                sql: "INSERT OR IGNORE INTO conflicts(entity, record_id, field, kind, opened_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [key.entity, key.recordID, key.field, key.kind.rawValue, time]
            )
        }
        for key in outcome.closed {
            try db.execute(
                sql: "DELETE FROM conflicts WHERE entity = ? AND record_id = ? AND field = ? AND kind = ?",
                arguments: [key.entity, key.recordID, key.field, key.kind.rawValue]
            )
        }
        guard let entity = schema.entity(change.entity) else { return }
        for field in entity.referenceFields where change.fields.contains(field.name) {
            try db.execute(
                sql: "DELETE FROM conflicts WHERE entity = ? AND record_id = ? AND field = ? AND kind = ?",
                arguments: [change.entity, change.recordID, field.name, ConflictKind.orphanReference.rawValue]
            )
            guard let target = snapshot.value(field.name).stringValue, let targetEntity = field.type.referencedEntity else { continue }
            let visible = try Bool.fetchOne(db, sql: "SELECT deleted = 0 FROM records WHERE entity = ? AND id = ?", arguments: [targetEntity, target]) ?? false
            if !visible {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO conflicts(entity, record_id, field, kind, target, opened_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [change.entity, change.recordID, field.name, ConflictKind.orphanReference.rawValue, target, time]
                )
            }
        }
    }

    /// Appends the change to the record's history with the displayed old → new of each field.
    func appendHistory(_ db: Database, change: Change, before: RecordSnapshot?, after: RecordSnapshot, origin: String, at time: Int64) throws {
        var diff: [String: FieldDiff] = [:]
        if change.isDelete {
            diff["_deleted"] = FieldDiff(old: .value(.bool(before?.deleted ?? false)), new: .value(.bool(after.deleted)))
        } else {
            let display = after.display
            let old = before?.display ?? [:]
            for field in Set(change.fields) {
                diff[field] = FieldDiff(old: old[field] ?? .value(.null), new: display[field] ?? .value(.null))
            }
        }
        try db.execute(
            sql: """
                INSERT INTO history(entity, record_id, replica, counter, hlc, origin, change, diff, applied_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                change.entity, change.recordID, change.dot.replica.rawValue, change.dot.counter, change.hlc.physical,
                origin, try Self.encode(change), try Self.encode(diff), time,
            ]
        )
    }
}

/// One field's displayed value before and after a change.
public struct FieldDiff: Hashable, Sendable, Codable {
    public var old: DisplayValue
    public var new: DisplayValue
}
