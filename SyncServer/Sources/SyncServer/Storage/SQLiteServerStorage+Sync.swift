import GRDB
import SyncCore

extension SQLiteServerStorage {
    public func latestSequence() async throws -> LogSequence {
        try await pool.read { db in try Self.latestSequence(db) }
    }

    public func applyChanges(_ changes: [Change], author: ChangeAuthor) async throws -> [ChangeResult] {
        guard !changes.isEmpty else { return [] }
        let schema = self.schema
        // One write transaction: a failure anywhere rolls back every change of the batch.
        return try await pool.write { db in
            var results: [ChangeResult] = []
            results.reserveCapacity(changes.count)
            var latestHLC: HLC?
            for change in changes {
                let isLogged =
                    try Bool.fetchOne(
                        db,
                        sql: "SELECT EXISTS (SELECT 1 FROM change_log WHERE replica = ? AND counter = ?)",
                        arguments: [change.dot.replica.rawValue, Int64(clamping: change.dot.counter)]
                    ) ?? false
                let record = try Self.loadRecord(db, entity: change.entity, id: change.recordID)
                switch ChangeAdmission.decide(change, record: record, isLogged: isLogged) {
                case .duplicate:
                    results.append(ChangeResult(dot: change.dot, status: .duplicate))
                case .missingDependency(let message):
                    results.append(ChangeResult(dot: change.dot, status: .rejected, code: RejectionCode.missingDependency.rawValue, message: message))
                case .rejected(let code, let message):
                    results.append(ChangeResult(dot: change.dot, status: .rejected, code: code, message: message))
                case .apply(let outcome):
                    let sequence = try Self.store(outcome, of: change, author: author, schema: schema, db)
                    results.append(ChangeResult(dot: change.dot, status: .accepted, sequence: sequence))
                    latestHLC = max(latestHLC ?? change.hlc, change.hlc)
                }
            }
            // The server's clock observes what it accepted, so its own later writes order after.
            if let latestHLC {
                var meta = try Self.meta(db)
                if latestHLC > meta.hlc {
                    meta.hlc = latestHLC
                    try Self.saveMeta(meta, db)
                }
            }
            return results
        }
    }

    public func applyServerWrites(_ writes: [RecordWrite], physicalTime: Int64) async throws -> ServerWriteSummary {
        let schema = self.schema
        return try await pool.write { db in
            var meta = try Self.meta(db)
            var clock = HybridClock(last: meta.hlc)
            var summary = ServerWriteSummary()
            for (index, write) in writes.enumerated() {
                let record = try Self.loadRecord(db, entity: write.entity, id: write.id)
                var nextClock = clock
                let dot = Dot(replica: meta.replica, counter: meta.dotCounter + 1)
                let hlc = nextClock.tick(physical: physicalTime)
                let change: Change?
                do throws(ValidationError) {
                    change = try write.change(from: record, schema: schema, dot: dot, hlc: hlc)
                } catch {
                    throw ServerError(.invalidImport, "record \(index + 1) (\(write.entity)/\(write.id)): \(error.message)")
                }
                guard let change else {
                    summary.unchanged += 1
                    continue
                }
                guard case .apply(let outcome) = ChangeAdmission.decide(change, record: record, isLogged: false) else {
                    throw ServerError(.internalError, "record \(index + 1) (\(write.entity)/\(write.id)): the server could not merge its own write")
                }
                meta.dotCounter += 1
                clock = nextClock
                let author = ChangeAuthor(user: "server", device: meta.replica.rawValue, receivedAt: physicalTime)
                summary.sequences.append(try Self.store(outcome, of: change, author: author, schema: schema, db))
            }
            meta.hlc = clock.last
            try Self.saveMeta(meta, db)
            return summary
        }
    }

    public func logPage(after cursor: LogSequence, limit: Int, maxBytes: Int, scope: ReadScope) async throws -> LogPage {
        try await pool.read { db in
            // `scope` is `.everything` until scopes exist; the filter will join `records` on
            // (entity, record_id) here.
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT seq, change FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [cursor, limit + 1]
            )
            var entries: [LogEntry] = []
            var bytes = 0
            var hasMore = rows.count > limit
            for row in rows.prefix(limit) {
                let json: String = row["change"]
                if !entries.isEmpty && bytes + json.utf8.count > maxBytes {
                    hasMore = true
                    break
                }
                bytes += json.utf8.count
                entries.append(LogEntry(sequence: row["seq"], change: try ServerJSON.decode(Change.self, from: json)))
            }
            return LogPage(entries: entries, hasMore: hasMore)
        }
    }

    public func snapshotPage(_ position: SnapshotPosition, limit: Int, maxBytes: Int, scope: ReadScope) async throws -> SnapshotPage {
        // One read transaction: on the first page the high-water mark and the records come from
        // the same database snapshot, so every change up to it is in the states sent.
        try await pool.read { db in
            let highWater = try position.highWater ?? Self.latestSequence(db)
            let rows: [Row]
            if let after = position.after {
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT entity, id, state FROM records
                        WHERE entity > ? OR (entity = ? AND id > ?)
                        ORDER BY entity, id LIMIT ?
                        """,
                    arguments: [after.entity, after.entity, after.id, limit + 1]
                )
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT entity, id, state FROM records ORDER BY entity, id LIMIT ?", arguments: [limit + 1])
            }
            var records: [RecordState] = []
            var bytes = 0
            var hasMore = rows.count > limit
            for row in rows.prefix(limit) {
                let json: String = row["state"]
                if !records.isEmpty && bytes + json.utf8.count > maxBytes {
                    hasMore = true
                    break
                }
                bytes += json.utf8.count
                records.append(try ServerJSON.decode(RecordState.self, from: json))
            }
            let next = hasMore ? records.last.map { BootstrapCursor(highWater: highWater, afterEntity: $0.entity, afterID: $0.id) } : nil
            return SnapshotPage(records: records, next: next, highWater: highWater)
        }
    }

    public func noteSync(replica: ReplicaID, acknowledgedCursor: LogSequence?, at time: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE devices SET cursor = COALESCE(?, cursor), last_seen = ? WHERE replica = ?",
                arguments: [acknowledgedCursor, time, replica.rawValue]
            )
        }
    }

    // MARK: Helpers

    static func latestSequence(_ db: Database) throws -> LogSequence {
        try LogSequence.fetchOne(db, sql: "SELECT MAX(seq) FROM change_log") ?? 0
    }

    /// Stores one merge: the log entry (its sequence), the record and the conflict changes.
    static func store(_ outcome: MergeOutcome, of change: Change, author: ChangeAuthor, schema: Schema, _ db: Database) throws -> LogSequence {
        try db.execute(
            sql: """
                INSERT INTO change_log (replica, counter, entity, record_id, change, user, device, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                change.dot.replica.rawValue, Int64(clamping: change.dot.counter), change.entity, change.recordID,
                try ServerJSON.encodeString(change), author.user, author.device, author.receivedAt,
            ]
        )
        let sequence = db.lastInsertedRowID
        let record = MaterializedRecord(state: outcome.state, schema: schema)
        try db.execute(
            sql: """
                INSERT INTO records (entity, id, state, territory, account_id, deleted, updated_seq)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (entity, id) DO UPDATE SET
                    state = excluded.state, territory = excluded.territory, account_id = excluded.account_id,
                    deleted = excluded.deleted, updated_seq = excluded.updated_seq
                """,
            arguments: [
                change.entity, change.recordID, try ServerJSON.encodeString(outcome.state), record.territory,
                record.accountID, record.isDeleted, sequence,
            ]
        )
        try updateConflictLog(after: outcome, of: change, sequence: sequence, author: author, schema: schema, db)
        return sequence
    }
}
