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

    /// The unacknowledged local changes, in dot order.
    public func pendingChanges(limit: Int = 1000) throws -> [Change] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT change FROM outbox ORDER BY counter LIMIT ?", arguments: [limit])
                .map { try Self.decode(Change.self, $0) }
        }
    }

    public func outbox() throws -> [OutboxEntry] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT change, attempts, reject_code, reject_message FROM outbox ORDER BY counter").map { row in
                OutboxEntry(
                    change: try Self.decode(Change.self, row["change"]), attempts: row["attempts"],
                    rejectCode: row["reject_code"], rejectMessage: row["reject_message"]
                )
            }
        }
    }

    /// Takes the server's per-change results: accepted and duplicate changes leave the outbox,
    /// rejected ones stay with the server's reason, to be shown and retried.
    public func acknowledge(_ results: [ChangeResult]) throws {
        try database.write { db in
            for result in results where result.dot.replica == replicaID {
                switch result.status {
                case .accepted, .duplicate:
                    try db.execute(sql: "DELETE FROM outbox WHERE counter = ?", arguments: [result.dot.counter])
                case .rejected:
                    try db.execute(
                        sql: "UPDATE outbox SET attempts = attempts + 1, reject_code = ?, reject_message = ? WHERE counter = ?",
                        arguments: [result.code, result.message, result.dot.counter]
                    )
                }
            }
        }
    }

    /// Applies a page of log entries and moves the cursor, in one transaction.
    @discardableResult
    public func applyRemote(_ entries: [LogEntry], cursor: LogSequence?, evictions: [RecordReference] = []) throws -> RemoteApplyResult {
        try database.write { db in
            var result = RemoteApplyResult()
            var stored = try StoredClock.load(db)
            let physical = physicalClock() + stored.offset
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
            var stored = try StoredClock.load(db)
            let physical = physicalClock() + stored.offset
            for state in page.records {
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
                }
                stored.clock.receive(merged.lastModified, physical: physical)
                result.applied += 1
            }
            try stored.save(db)
            if let next = page.next {
                try Self.setMeta(db, "bootstrap", try Self.encode(next))
            } else {
                try Self.setMeta(db, "bootstrap", nil)
                try Self.setMeta(db, "cursor", String(page.highWater))
            }
            return result
        }
    }

    /// Drops records that left the device's scope, with their children. Changes still in the
    /// outbox are kept: they are pushed and the server decides.
    func evict(_ db: Database, _ references: [RecordReference]) throws -> Int {
        var count = 0
        for reference in references {
            try db.execute(sql: "DELETE FROM records WHERE (entity = ? AND id = ?) OR account = ?", arguments: [reference.entity, reference.id, reference.id])
            count += db.changesCount
            try db.execute(sql: "DELETE FROM conflicts WHERE record_id = ?", arguments: [reference.id])
        }
        return count
    }
}
