import GRDB
import SyncCore

/// What a history compaction did.
public struct HistoryCompactionResult: Hashable, Sendable {
    public var recordsExamined = 0
    public var rowsRemoved = 0
}

extension DeviceStore {
    /// Drops history rows that are acknowledged and stable: the change is not waiting in the
    /// outbox, i.e. the row is not pending (the server has it, or it came from the server), and nothing of it is left in
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
            var doomed: [Int64] = []
            for record in records {
                let entity: String = record["entity"]
                let id: String = record["record_id"]
                guard let state = try Self.loadState(db, entity, id) else { continue }
                let rows = try Row.fetchAll(db, sql: """
                    SELECT seq, change, pending FROM history
                    WHERE seq IN (\(Self.recordHistory)) AND entity = ?1 AND record_id = ?2 AND dropped IS NULL ORDER BY seq
                    """, arguments: [entity, id])
                guard rows.count > 1 else { continue }
                result.recordsExamined += 1
                let changes = try rows.map { try Self.decode(Change.self, $0["change"]) }
                let live = LogCompaction.liveChanges(changes, state: state)
                // The rows that stay are chained again past the ones that go.
                var kept: Int64?
                var skipped = false
                for (index, row) in rows.enumerated() {
                    let seq: Int64 = row["seq"]
                    let pending: Int64? = row["pending"]
                    if !live.contains(index) && pending == nil {
                        doomed.append(seq)
                        skipped = true
                        continue
                    }
                    if skipped {
                        try db.cachedStatement(sql: "UPDATE history SET prev_seq = ? WHERE seq = ?").execute(arguments: [kept, seq])
                        skipped = false
                    }
                    kept = seq
                }
                if skipped {
                    try db.cachedStatement(sql: "UPDATE records SET history_head = ? WHERE entity = ? AND id = ?").execute(arguments: [kept, entity, id])
                }
            }
            for chunk in stride(from: 0, to: doomed.count, by: 500) {
                let seqs = doomed[chunk..<min(chunk + 500, doomed.count)]
                try Self.deleteHistory(
                    db, replica: replicaID, where: "seq IN (\(databaseQuestionMarks(count: seqs.count)))", arguments: StatementArguments(Array(seqs))
                )
                result.rowsRemoved += seqs.count
            }
            // Rows still waiting in the outbox are looked at again next time: the mark stops
            // just before the oldest of them.
            let oldestPending = try Int64.fetchOne(db, sql: "SELECT MIN(seq) \(Self.outboxRows)")
            try Self.setMeta(db, "history_compacted_through", String(min(latest, (oldestPending ?? latest + 1) - 1)))
            return result
        }
    }
}
