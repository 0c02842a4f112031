import Foundation
import GRDB
import SyncCore

/// What applying a pulled page did.
public struct RemoteApplyResult: Hashable, Sendable {
    public var applied = 0
    public var duplicates = 0
    public var conflictsOpened: [ConflictKey] = []
    public var conflictsClosed: [ConflictKey] = []
    public var evicted = 0
}

/// A local change waiting for the server, with the server's last rejection if any.
public struct OutboxEntry: Hashable, Sendable {
    public var change: Change
    public var attempts: Int
    public var rejectCode: String?
    public var rejectMessage: String?
}

extension DeviceStore {
    /// The log sequence the device has applied up to; nil before the first bootstrap.
    public func cursor() throws -> LogSequence? {
        try database.read { db in try Self.meta(db, "cursor").flatMap { LogSequence($0) } }
    }

    /// Where an interrupted bootstrap resumes, if one is under way.
    public func bootstrapCursor() throws -> BootstrapCursor? {
        try database.read { db in try Self.meta(db, "bootstrap").map { try Self.decode(BootstrapCursor.self, $0) } }
    }

    /// The pending history rows (the outbox): local changes not yet acknowledged. They sit at
    /// or after the clock row's `outbox_from` mark, so reading them scans only the history
    /// written since the oldest of them.
    static let outboxRows = "FROM history WHERE seq >= (SELECT outbox_from FROM replica_clock WHERE id = 1) AND pending = 1"

    /// The unacknowledged local changes, in dot order.
    public func pendingChanges(limit: Int = 1000) throws -> [Change] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT change \(Self.outboxRows) ORDER BY counter LIMIT ?", arguments: [limit])
                .map { try Self.decode(Change.self, $0) }
        }
    }

    /// The dot counter of the newest change in the outbox, nil when it is empty: it grows with
    /// every local edit, and a change the server refused (which stays in the outbox) does not
    /// move it, so a watching device pushes when it grows (`SyncClient.watch`).
    public func newestPendingCounter() throws -> UInt64? {
        try database.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(counter) \(Self.outboxRows)").map { UInt64($0) } }
    }

    public func outbox() throws -> [OutboxEntry] {
        try outboxEntries(rejectedOnly: false)
    }

    /// The local changes the server refused, with its reason, in dot order. They stay in the
    /// outbox and are pushed again on the next sync.
    public func rejectedChanges() throws -> [OutboxEntry] {
        try outboxEntries(rejectedOnly: true)
    }

    private func outboxEntries(rejectedOnly: Bool) throws -> [OutboxEntry] {
        try database.read { db in
            let filter = rejectedOnly ? " AND reject_code IS NOT NULL" : ""
            return try Row.fetchAll(db, sql: "SELECT change, attempts, reject_code, reject_message \(Self.outboxRows)\(filter) ORDER BY counter").map { row in
                OutboxEntry(
                    change: try Self.decode(Change.self, row["change"]), attempts: row["attempts"],
                    rejectCode: row["reject_code"], rejectMessage: row["reject_message"]
                )
            }
        }
    }

    /// Takes the server's per-change results: accepted and duplicate changes leave the outbox,
    /// rejected ones stay with the server's reason, to be shown and retried. Changes refused
    /// for `clock_skew` are stamped again from the corrected clock in the same transaction
    /// (see `restampRefused`), so the next push can be accepted.
    ///
    /// A change the server holds with another stamp than the device's takes the server's
    /// (`ChangeResult.hlc`): a copy of a request refused for clock skew can reach the server
    /// after the device stamped the change again, once the server's clock has caught up with
    /// the first stamp, and every other replica receives the change as the server holds it.
    public func acknowledge(_ results: [ChangeResult]) throws {
        try database.write { db in
            var stored = try StoredClock.load(db, replica: replicaID)
            var pending: [UInt64: (seq: Int64, hlc: HLC)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT counter, seq, hlc, hlc_logical \(Self.outboxRows)") {
                pending[row[0]] = (row[1], HLC(physical: row[2], logical: UInt32(clamping: row[3] as Int64)))
            }
            var skewed: [UInt64] = []
            var adopted: [HLC] = []
            for result in results where result.dot.replica == replicaID {
                guard let row = pending[result.dot.counter] else { continue }
                let seq = row.seq
                switch result.status {
                case .accepted, .duplicate:
                    if let held = result.hlc, held != row.hlc {
                        try adoptStamp(db, seq: seq, held)
                        adopted.append(held)
                    }
                    // A row whose record left the device was only an outbox entry: it goes.
                    try db.run("DELETE FROM history WHERE seq = ?1 AND dropped = 1", [seq.databaseValue])
                    try db.run("UPDATE history SET pending = NULL WHERE seq = ?1", [seq.databaseValue])
                case .rejected:
                    try db.cachedStatement(sql: "UPDATE history SET attempts = attempts + 1, reject_code = ?, reject_message = ? WHERE seq = ?")
                        .execute(arguments: [result.code, result.message, seq])
                    if result.code == ChangeResult.clockSkewCode { skewed.append(result.dot.counter) }
                }
            }
            if !skewed.isEmpty { try restampRefused(db, counters: skewed, rows: pending.mapValues(\.seq), clock: &stored) }
            // After any restart: later local stamps order after the stamps the device now holds.
            for held in adopted { stored.clock.receive(held, physical: physicalClock() + stored.offset) }
            // Rows that left the outbox are folded into the clock row, which moves both marks.
            try stored.save(db)
            try Self.moveOutboxMark(db)
        }
    }

    /// Moves `outbox_from` up to the oldest pending row (or the end of the history).
    static func moveOutboxMark(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE replica_clock SET outbox_from = IFNULL(
                (SELECT MIN(seq) FROM history WHERE seq >= outbox_from AND pending = 1),
                (SELECT IFNULL(MAX(seq), 0) + 1 FROM history)) WHERE id = 1
            """)
    }

    /// Deletes history rows (`condition` on the history table) without losing a dot counter or
    /// an unsent change: pending rows stay as outbox entries only (`dropped`: no longer shown
    /// as history, deleted when acknowledged), the clock is folded into its row first, and the
    /// marks move back to the end when rows at the end go (SQLite may give a new row the
    /// `seq` of a deleted last row).
    static func deleteHistory(_ db: Database, replica: ReplicaID, where condition: String, arguments: StatementArguments = []) throws {
        try StoredClock.load(db, replica: replica).save(db)
        try db.execute(sql: "DELETE FROM history WHERE pending IS NULL AND (\(condition))", arguments: arguments)
        try db.execute(sql: "UPDATE history SET dropped = 1 WHERE pending = 1 AND (\(condition))", arguments: arguments)
        try db.execute(sql: """
            UPDATE replica_clock SET
                clock_from = MIN(clock_from, (SELECT IFNULL(MAX(seq), 0) + 1 FROM history)),
                outbox_from = MIN(outbox_from, (SELECT IFNULL(MAX(seq), 0) + 1 FROM history))
            WHERE id = 1
            """)
    }

    /// Stamps again, from the corrected clock, the changes the server refused because this
    /// device's clock ran ahead when they were made, and restarts the replica's clock there.
    ///
    /// The server stores nothing of a change it refuses (and answers `duplicate`, not
    /// `clock_skew`, for a dot it already has), so no other replica holds these stamps: giving
    /// the same dots new stamps changes no state anyone else has. Should a copy of the refused
    /// request still be accepted later (a network that delivers a request twice), the server
    /// answers the device's next push of the dot with the stamp it kept, and the device adopts
    /// it (`acknowledge`): one stamp per dot everywhere. The dots, contexts and
    /// operations stay as they are, so the change is the same write (idempotence and the
    /// no-lost-write property are about dots and contexts); only the time that orders it
    /// among concurrent writes changes, in the outbox (its history row) and the record's state
    /// together. The clock offset was corrected from the same answer before this runs.
    ///
    /// The new stamp is the best estimate of when the change was made, never later than now:
    /// the device clock's reading then (the corrected time then less the offset then) plus
    /// the offset now. When the device clock is still as wrong as it was when the change was
    /// made, that is the true time of the edit, so a write made elsewhere after it still
    /// orders after it; when the clock was put right before this sync, the reading then was
    /// wrong by an amount no one knows, and the change is stamped now.
    ///
    /// `rows`: the pending rows' `seq` by dot counter. The caller saves `clock`, whose restart
    /// then outranks the old stamps still in the history.
    func restampRefused(_ db: Database, counters: [UInt64], rows: [UInt64: Int64], clock stored: inout StoredClock) throws {
        let corrected = physicalClock() + stored.offset
        stored.clock.restart(at: corrected)
        for counter in counters.sorted() {
            guard let seq = rows[counter],
                  let row = try Row.fetchOne(db, sql: "SELECT change, stamped_at, clock_offset FROM history WHERE seq = ?", arguments: [seq])
            else { continue }
            let change = try Self.decode(Change.self, row["change"] as String)
            let stampedAt: Int64? = row["stamped_at"]
            let offsetThen: Int64? = row["clock_offset"]
            let made = stampedAt.flatMap { stampedAt in offsetThen.map { stampedAt - $0 + stored.offset } } ?? corrected
            let hlc = HLC(physical: min(made, corrected), logical: change.hlc.logical)
            try restamp(db, seq: seq, change, to: hlc)
            try db.execute(sql: "UPDATE history SET stamped_at = ?, clock_offset = ? WHERE seq = ?", arguments: [hlc.physical, stored.offset, seq])
        }
    }

    /// Gives the local change of history row `seq` the stamp the server holds for its dot.
    func adoptStamp(_ db: Database, seq: Int64, _ held: HLC) throws {
        guard let text = try String.fetchOne(db, sql: "SELECT change FROM history WHERE seq = ?", arguments: [seq]) else { return }
        try restamp(db, seq: seq, try Self.decode(Change.self, text), to: held)
    }

    /// Gives `change` (history row `seq`) the stamp `hlc`, in its history row and in the
    /// values it left in its record's state together.
    private func restamp(_ db: Database, seq: Int64, _ change: Change, to hlc: HLC) throws {
        var change = change
        change.hlc = hlc
        var json = JSONText()
        json.change(change)
        try db.execute(
            sql: "UPDATE history SET change = ?, hlc = ?, hlc_logical = ? WHERE seq = ?",
            arguments: [json.text, hlc.physical, Int64(hlc.logical), seq]
        )
        if var state = try Self.loadState(db, change.entity, change.recordID) {
            state.restamp(change.dot, to: hlc)
            try saveState(db, state)
        }
    }

    /// Applies a page of the log and moves the cursor, in one transaction: first the current
    /// states of records that entered the device's scope (`arrivals`, joined like snapshot
    /// records), then the log entries, then the evictions of records that left it.
    @discardableResult
    public func applyRemote(
        _ entries: [LogEntry], cursor: LogSequence?, evictions: [RecordReference] = [], arrivals: [RecordState] = []
    ) throws -> RemoteApplyResult {
        try database.write { db in
            var result = RemoteApplyResult()
            var stored = try StoredClock.load(db, replica: replicaID)
            let physical = physicalClock() + stored.offset
            for state in arrivals {
                try join(state, db: db, clock: &stored.clock, physical: physical, into: &result)
            }
            for entry in entries {
                let outcome = try write(entry.change, db: db, origin: "remote", at: physical)
                if outcome.applied {
                    result.applied += 1
                    result.conflictsOpened += outcome.opened
                    result.conflictsClosed += outcome.closed
                } else {
                    result.duplicates += 1
                }
                stored.clock.receive(entry.change.hlc, physical: physical)
            }
            result.evicted = try evict(db, evictions)
            try stored.save(db)
            if let cursor { try Self.setMeta(db, "cursor", String(cursor)) }
            return result
        }
    }

    /// Applies one snapshot page (record states joined with what the device holds) and moves
    /// the bootstrap cursor, in one transaction. The last page sets the log cursor.
    @discardableResult
    public func applySnapshot(_ page: SnapshotPage) throws -> RemoteApplyResult {
        try database.write { db in
            var result = RemoteApplyResult()
            var stored = try StoredClock.load(db, replica: replicaID)
            let physical = physicalClock() + stored.offset
            // Records the device does not hold are inserted as they came, in batches; the few
            // it holds already (edited or received during the bootstrap) are joined.
            for start in stride(from: 0, to: page.records.count, by: Self.snapshotBatch) {
                let batch = page.records[start..<min(start + Self.snapshotBatch, page.records.count)]
                let inserted = try insertNew(batch, db: db)
                for state in batch {
                    if inserted.contains(RecordKey(entity: state.entity, id: state.id)) {
                        for key in state.openConflicts {
                            try db.cachedStatement(sql: "INSERT OR IGNORE INTO conflicts(entity, record_id, field, kind, opened_at) VALUES (?, ?, ?, ?, ?)")
                                .execute(arguments: [key.entity, key.recordID, key.field, key.kind.rawValue, physical])
                            result.conflictsOpened.append(key)
                        }
                        stored.clock.receive(state.lastModified, physical: physical)
                        result.applied += 1
                    } else {
                        try join(state, db: db, clock: &stored.clock, physical: physical, into: &result)
                    }
                }
            }
            try stored.save(db)
            if let next = page.next {
                try Self.setMeta(db, "bootstrap", try Self.encode(next))
                let progress = try Self.bootstrapProgress(db)
                try Self.setMeta(db, "bootstrap_received", String((progress?.received ?? 0) + page.records.count))
                if let total = page.total ?? progress?.total { try Self.setMeta(db, "bootstrap_total", String(total)) }
            } else {
                try Self.endBootstrap(db)
                try Self.setMeta(db, "cursor", String(page.highWater))
            }
            return result
        }
    }

    /// Snapshot records inserted by one statement: 8 values each, well under SQLite's limit of
    /// bound values.
    static let snapshotBatch = 128

    struct RecordKey: Hashable {
        var entity: String
        var id: RecordID
    }

    /// Inserts, with one prepared statement, the states of records the device does not hold,
    /// and returns the keys of those it inserted (`RETURNING` names only rows written).
    private func insertNew(_ states: ArraySlice<RecordState>, db: Database) throws -> Set<RecordKey> {
        guard !states.isEmpty else { return [] }
        let rowsSQL = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: states.count).joined(separator: ", ")
        var values: [DatabaseValue] = []
        values.reserveCapacity(8 * states.count)
        for state in states {
            RecordRow(state, store: self).appendInsertValues(state, to: &values)
        }
        let inserted = try db.rows("""
            INSERT INTO records(entity, id, state, display, deleted, conflicted, account, modified) VALUES \(rowsSQL)
            ON CONFLICT(entity, id) DO NOTHING RETURNING entity, id
            """, values) { row in
            RecordKey(entity: row.text(0) ?? "", id: row.text(1) ?? "")
        }
        return Set(inserted)
    }

    /// Joins a record state from the server with what the device holds, and records the
    /// conflicts that opened or closed.
    private func join(_ state: RecordState, db: Database, clock: inout HybridClock, physical: Int64, into result: inout RemoteApplyResult) throws {
        let existing = try Self.loadState(db, state.entity, state.id)
        let merged = existing.map { $0.joined(state) } ?? state
        let before = existing?.openConflicts ?? []
        try saveState(db, merged)
        for key in merged.openConflicts.subtracting(before) {
            try db.execute(
                sql: "INSERT OR IGNORE INTO conflicts(entity, record_id, field, kind, opened_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [key.entity, key.recordID, key.field, key.kind.rawValue, physical]
            )
            result.conflictsOpened.append(key)
        }
        for key in before.subtracting(merged.openConflicts) {
            try db.execute(
                sql: "DELETE FROM conflicts WHERE entity = ? AND record_id = ? AND field = ? AND kind = ?",
                arguments: [key.entity, key.recordID, key.field, key.kind.rawValue]
            )
            result.conflictsClosed.append(key)
        }
        clock.receive(merged.lastModified, physical: physical)
        result.applied += 1
    }

    /// Drops records that left the device's scope, each with the records that belong to it
    /// here (an account's children: every record whose account column names it), together with
    /// their conflicts and history: the data leaves the device. The outbox (the pending history
    /// rows) is not touched: pending changes of these records are still pushed, and the server accepts them or
    /// rejects them (`out_of_scope`), so none is lost.
    func evict(_ db: Database, _ references: [RecordReference]) throws -> Int {
        var count = 0
        for reference in references {
            let doomed = try Row.fetchAll(
                db,
                sql: "SELECT entity, id FROM records WHERE (entity = ? AND id = ?) OR account = ?",
                arguments: [reference.entity, reference.id, reference.id]
            )
            for row in doomed {
                let entity: String = row["entity"]
                let id: String = row["id"]
                // The history first: the record row is where its chain starts.
                let seqs = try Int64.fetchAll(db, sql: """
                    SELECT seq FROM history WHERE seq IN (\(Self.recordHistory)) AND entity = ?1 AND record_id = ?2
                    """, arguments: [entity, id])
                for chunk in stride(from: 0, to: seqs.count, by: 500) {
                    let part = Array(seqs[chunk..<min(chunk + 500, seqs.count)])
                    try Self.deleteHistory(
                        db, replica: replicaID, where: "seq IN (\(databaseQuestionMarks(count: part.count)))", arguments: StatementArguments(part)
                    )
                }
                try db.execute(sql: "DELETE FROM records WHERE entity = ? AND id = ?", arguments: [entity, id])
                try db.execute(sql: "DELETE FROM conflicts WHERE entity = ? AND record_id = ?", arguments: [entity, id])
                count += 1
            }
        }
        return count
    }

    /// Drops every record (with conflicts and history) and both cursors, keeping the outbox,
    /// the replica's identity, its dot counter and clock, and the settings: the server said the
    /// device's scope changed, and the device bootstraps again under the new one.
    public func resetForResync() throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM records")
            try db.execute(sql: "DELETE FROM conflicts")
            try Self.deleteHistory(db, replica: replicaID, where: "1")
            try Self.setMeta(db, "cursor", nil)
            try Self.endBootstrap(db)
        }
    }

    /// How far an interrupted bootstrap got: the snapshot records received in the pages
    /// written so far, of the total the server counted on the first page. A sync that resumes
    /// it reports progress from there; nil when no bootstrap is under way.
    public func bootstrapProgress() throws -> (received: Int, total: Int?)? {
        try database.read { db in try Self.bootstrapProgress(db) }
    }

    static func bootstrapProgress(_ db: Database) throws -> (received: Int, total: Int?)? {
        guard try meta(db, "bootstrap") != nil else { return nil }
        return (try meta(db, "bootstrap_received").flatMap { Int($0) } ?? 0, try meta(db, "bootstrap_total").flatMap { Int($0) })
    }

    private static func endBootstrap(_ db: Database) throws {
        for key in ["bootstrap", "bootstrap_received", "bootstrap_total"] { try setMeta(db, key, nil) }
    }
}
