import GRDB
import SyncCore

/// What a history compaction did.
public struct HistoryCompactionResult: Hashable, Sendable {
    public var recordsExamined = 0
    public var rowsRemoved = 0
}

extension DeviceStore {
    /// Drops history rows that are acknowledged and stable: the change is not waiting in the
    /// outbox (the server has it, or it came from the server), and nothing of it is left in
    /// the record's current state (`LogCompaction`: every value it wrote was overwritten by a
    /// write that saw it). The device never reads history to merge — it is the record's audit
    /// trail for `fieldsync history` — so what remains is the trail of the values still shown,
    /// proportional to the live state rather than to the number of edits. A record's newest row is
    /// always live, so rows are never deleted from the top of the table and new rows still sort last.
    ///
    /// Only records with history rows newer than the last run (or still pending then) are examined. Tombstones (deleted
    /// records) are kept: a delete is the existence register's state, and without it a stale
    /// concurrent edit arriving later would bring back a record with only that edit's fields —
    /// the server, which keeps the tombstone, would hold the whole record (see
    /// SyncServer/README.md, "Log compaction").
    @discardableResult
    public func compactHistory() throws -> HistoryCompactionResult {
        try database.write { db in
            var result = HistoryCompactionResult()
            let mark = try Self.meta(db, "history_compacted_through").flatMap { Int64($0) } ?? 0
            let latest = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM history") ?? 0
            let records = try Row.fetchAll(
                db, sql: "SELECT DISTINCT entity, record_id FROM history WHERE seq > ?", arguments: [mark]
            )
            let pending = Set(try UInt64.fetchAll(db, sql: "SELECT counter FROM outbox"))
            for record in records {
                let entity: String = record["entity"]
                let id: String = record["record_id"]
                guard let state = try Self.loadState(db, entity, id) else { continue }
                let rows = try Row.fetchAll(
                    db, sql: "SELECT seq, change FROM history WHERE entity = ? AND record_id = ? ORDER BY seq", arguments: [entity, id]
                )
                guard rows.count > 1 else { continue }
                result.recordsExamined += 1
                let changes = try rows.map { try Self.decode(Change.self, $0["change"]) }
                let live = LogCompaction.liveChanges(changes, state: state)
                for (index, change) in changes.enumerated() where !live.contains(index) {
                    if change.dot.replica == replicaID && pending.contains(change.dot.counter) { continue }
                    let sequence: Int64 = rows[index]["seq"]
                    try db.execute(sql: "DELETE FROM history WHERE seq = ?", arguments: [sequence])
                    result.rowsRemoved += 1
                }
            }
            // Rows still waiting in the outbox are looked at again next time: the mark stops
            // just before the oldest of them.
            let oldestPending = try Int64.fetchOne(
                db,
                sql: "SELECT MIN(h.seq) FROM history h JOIN outbox o ON o.counter = h.counter WHERE h.replica = ?",
                arguments: [replicaID.rawValue]
            )
            try Self.setMeta(db, "history_compacted_through", String(min(latest, (oldestPending ?? latest + 1) - 1)))
            return result
        }
    }
}
