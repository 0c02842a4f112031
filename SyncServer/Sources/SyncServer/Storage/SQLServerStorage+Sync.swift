import SyncCore

extension SQLServerStorage {
    public func latestSequence() async throws -> LogSequence {
        try await read { db in try await Self.latestSequence(db) }
    }

    public func appliedDots(among changes: [Change]) async throws -> [Dot: HLC?] {
        guard !changes.isEmpty else { return [:] }
        return try await read { db in
            var applied: [Dot: HLC?] = [:]
            for change in changes {
                let (record, decision) = try await Self.admission(of: change, db)
                if decision == .duplicate { applied[change.dot] = .some(record?.stamp(of: change.dot)) }
            }
            return applied
        }
    }

    /// The stored record a change applies to and what the server would do with it: whether its
    /// dot is logged and the record's state, read in one statement.
    static func admission(of change: Change, _ db: any SQLDatabase) async throws -> (record: RecordState?, decision: ChangeAdmission) {
        if let batch = db as? PushBatch, let (record, isLogged) = batch.admission(of: change) {
            return (record, ChangeAdmission.decide(change, record: record, isLogged: isLogged))
        }
        guard
            let row = try await SQLRow.fetchOne(
                db, sql: SyncSQL.admission,
                arguments: [change.dot.replica.rawValue, Int64(clamping: change.dot.counter), change.entity, change.recordID]
            )
        else {
            throw ServerError(.internalError, .admissionNoRow)
        }
        let record = try (row["state"] as String?).map { try ServerJSON.decode(RecordState.self, from: $0) }
        return (record, ChangeAdmission.decide(change, record: record, isLogged: row["logged"]))
    }

    public func applyChanges(_ changes: [Change], author: ChangeAuthor, scope: AccessScope, noting sync: SyncNote?) async throws -> [ChangeResult] {
        guard !changes.isEmpty || sync != nil else { return [] }
        let schema = self.schema
        // One write transaction: a failure anywhere rolls back every change of the batch, and
        // the device's note with them. A round that pushes nothing appends nothing to the log,
        // so it does not wait for the log's lock.
        return try await write(changes.isEmpty ? .device : .append) { db in
            let (results, latestHLC) = try await Self.apply(changes, author: author, scope: scope, schema: schema, db)
            if let sync { try await Self.note(sync, db) }
            // Last: the clock's row lock orders concurrent pushes until their COMMIT.
            if let latestHLC { try await Self.observe(latestHLC, db) }
            return results
        }
    }

    /// Applies pushed changes inside the caller's write transaction (see `applyChanges`);
    /// returns their results and the latest clock reading among those accepted.
    ///
    /// On PostgreSQL pushes run side by side, so each first locks what it merges into and what
    /// it reads (`lockForMerge`): everything a change reads after its locks includes every
    /// commit of a push that touched the same records or keys before, as under one writer.
    /// There the changes run in a `PushBatch`: their per-change statements run once per push.
    static func apply(
        _ changes: [Change], author: ChangeAuthor, scope: AccessScope, schema: Schema, _ transaction: any SQLDatabase
    ) async throws -> (results: [ChangeResult], latestHLC: HLC?) {
        var results: [ChangeResult] = []
        results.reserveCapacity(changes.count)
        var latestHLC: HLC?
        let batch = transaction.dialect == .postgres ? PushBatch(transaction, schema: schema) : nil
        let db: any SQLDatabase = batch ?? transaction
        try await lockForMerge(exclusive: changes.map { MergeLock.record($0.entity, $0.recordID) }, shared: [], db)
        try await batch?.readAhead(changes)
        // Accepted changes whose log entries wait in the batch: their sequences come with its
        // last write, after the loop.
        var pending: [(result: Int, event: LogEvent)] = []
        for change in changes {
            func reject(_ code: String, _ refusal: Refusal) {
                results.append(ChangeResult(dot: change.dot, rejectedWith: code, refusal))
            }
            let (record, decision) = try await admission(of: change, db)
            // A retry of an accepted change stays a duplicate even if its record has left the
            // device's scope since: the device must not keep a change the server has. The
            // answer names the stamp the server holds for the dot, which the device adopts (a
            // copy of a request refused for clock skew may have been accepted with the stamp
            // the device has since replaced).
            if case .duplicate = decision {
                results.append(ChangeResult(dot: change.dot, status: .duplicate, hlc: record?.stamp(of: change.dot)))
                continue
            }
            let entity = schema.entity(change.entity)
            var merged: RecordState?
            if case .apply(let outcome) = decision { merged = outcome.state }
            let locks = MergeLock.reads(of: change, previous: record, merged: merged, schema: schema)
            try await lockForMerge(exclusive: locks.exclusive, shared: locks.shared, db)
            var after: ScopeKey?
            if let merged {
                after = try await Self.scopeKey(of: merged, schema: schema, db)
            }
            var references: [(field: String, place: ScopeKey)] = []
            if !scope.isEverything {
                for named in ScopeRules.namedRecords(by: change, entity: entity) {
                    guard let target = try await Self.loadRecord(db, entity: named.entity, id: named.id) else { continue }
                    references.append((named.field, try await Self.scopeKey(of: target, schema: schema, db)))
                }
            }
            var before: ScopeKey?
            if let record { before = try await Self.scopeKey(of: record, schema: schema, db) }
            if let refusal = ScopeRules.refusal(
                of: change,
                before: before,
                after: after,
                reparents: ScopeRules.reparents(change, current: record, entity: entity),
                references: references,
                scope: scope
            ) {
                reject(refusal.code.rawValue, refusal.refusal)
                continue
            }
            switch decision {
            case .duplicate:
                results.append(ChangeResult(dot: change.dot, status: .duplicate, hlc: record?.stamp(of: change.dot)))
            case .missingDependency(let refusal):
                reject(RejectionCode.missingDependency.rawValue, refusal)
            case .rejected(let code, let refusal):
                reject(code, refusal)
            case .apply(let outcome):
                let missing = ScopeRules.missingRequiredFields(of: change, current: record, entity: entity)
                guard missing.isEmpty else {
                    reject(ValidationError.Code.missingRequiredField.rawValue, Refusal(.newRecordNeeds, ["entity": change.entity, "missing": missing.joined(separator: ", ")]))
                    continue
                }
                if let refusal = try await loyaltyRefusal(of: change, current: record, merged: outcome.state, db) {
                    reject(refusal.code.rawValue, refusal.refusal)
                    continue
                }
                if let refusal = statusMoveRefusal(of: change, current: record) ?? recordRuleRefusal(of: change, current: record, entity: entity) {
                    reject(refusal.code.rawValue, refusal.refusal)
                    continue
                }
                // The places were read above, after the locks, and nothing since moved them.
                let places = after.map { (before: before ?? $0, after: $0) }
                let event = try await log(outcome, of: change, previous: record, author: author, schema: schema, places: places, db)
                if event.assigned == nil { pending.append((results.count, event)) }
                results.append(ChangeResult(dot: change.dot, status: .accepted, sequence: event.assigned, hlc: change.hlc))
                try await answerEscrowRequest(in: outcome.state, at: author.receivedAt, schema: schema, db)
                latestHLC = max(latestHLC ?? change.hlc, change.hlc)
            }
        }
        try await batch?.flush()
        for (index, event) in pending {
            results[index].sequence = try await event.sequence(db)
        }
        return (results, latestHLC)
    }

    /// The server's clock observes what a push accepted, so its own later writes order after:
    /// raised in one statement, never lowered (pushes on several servers raise it at once).
    static func observe(_ hlc: HLC, _ db: any SQLDatabase) async throws {
        db.enterCommitOrder()
        try await db.execute(
            sql: SyncSQL.observeClock,
            arguments: [hlc.physical, Int64(hlc.logical)]
        )
    }

    public func applyServerWrites(_ writes: [RecordWrite], physicalTime: Int64) async throws -> ServerWriteSummary {
        let schema = self.schema
        return try await write { db in
            try await Self.storeServerWrites(writes, physicalTime: physicalTime, schema: schema, numbered: true, db)
        }
    }

    /// Writes records as the server inside the caller's write transaction, saving its clock
    /// after; returns the sequences written, in input order. `numbered` names the failing
    /// write's place in the input (an import's record number).
    ///
    /// On PostgreSQL the writes run in a batch (`PushBatch`), as a push's changes do: one
    /// statement reads the rows of every record written; from them each write's change is
    /// made as the loop will make it, and the batch reads ahead what those changes' merges
    /// read (their records' open conflict-log entries, the records they refer to, the
    /// customers holding their duplicate keys); log entries and records are written behind, in
    /// one statement per flush. A change made differently in the loop (a record written twice)
    /// reads what was not read ahead from the database, as in a push. Inside a push's batch
    /// (escrow answers) the push's batch serves.
    static func storeServerWrites(
        _ writes: [RecordWrite], physicalTime: Int64, schema: Schema, numbered: Bool = false, _ transaction: any SQLDatabase
    ) async throws -> ServerWriteSummary {
        guard !writes.isEmpty else { return ServerWriteSummary() }
        var meta = try await Self.meta(transaction)
        var clock = HybridClock(last: meta.hlc)
        let batch: PushBatch?
        if let push = transaction as? PushBatch {
            batch = push
        } else if transaction.dialect == .postgres {
            let own = PushBatch(transaction, schema: schema)
            try await own.readRecords(writes.map { RecordKey($0.entity, $0.id) })
            try await own.readAhead(provisionalChanges(of: writes, meta: meta, clock: clock, physicalTime: physicalTime, schema: schema, batch: own))
            batch = own
        } else {
            batch = nil
        }
        let db: any SQLDatabase = batch ?? transaction
        var events: [LogEvent?] = []
        events.reserveCapacity(writes.count)
        for (index, write) in writes.enumerated() {
            do {
                events.append(try await Self.storeServerWrite(write, physicalTime: physicalTime, meta: &meta, clock: &clock, schema: schema, db))
            } catch let error as ServerError where numbered {
                throw ServerError(error.code, .importRecord, ["index": index + 1, "entity": write.entity, "id": write.id, "reason": error])
            }
        }
        meta.hlc = clock.last
        try await Self.saveMeta(meta, db)
        var summary = ServerWriteSummary()
        for event in events {
            if let event { summary.sequences.append(try await event.sequence(db)) } else { summary.unchanged += 1 }
        }
        return summary
    }

    /// The changes `writes` would make, each from its record as read ahead, for the batch to
    /// read ahead what their merges read. Dots and stamps are the ones the loop hands out when
    /// every write changes something; a write that fails here fails in the loop.
    private static func provisionalChanges(
        of writes: [RecordWrite], meta: ServerMeta, clock: HybridClock, physicalTime: Int64, schema: Schema, batch: PushBatch
    ) -> [Change] {
        var clock = clock
        var counter = meta.dotCounter
        return writes.compactMap { write in
            counter += 1
            let record = batch.knownRecord(write.entity, write.id)?.state
            let change = try? write.change(from: record, schema: schema, dot: Dot(replica: meta.replica, counter: counter), hlc: clock.tick(physical: physicalTime))
            return change ?? nil
        }
    }

    /// Writes one record as the server's own replica inside the caller's write transaction:
    /// nil when nothing would change. The caller saves `meta` with `clock.last` afterwards. In
    /// a batch the log entry waits for the batch's next write (`LogEvent.sequence`).
    static func storeServerWrite(
        _ write: RecordWrite, physicalTime: Int64, meta: inout ServerMeta, clock: inout HybridClock, schema: Schema, _ db: any SQLDatabase
    ) async throws -> LogEvent? {
        let record = try await Self.loadRecord(db, entity: write.entity, id: write.id)
        var nextClock = clock
        let dot = Dot(replica: meta.replica, counter: meta.dotCounter + 1)
        let hlc = nextClock.tick(physical: physicalTime)
        let change: Change?
        do throws(ValidationError) {
            change = try write.change(from: record, schema: schema, dot: dot, hlc: hlc)
        } catch {
            throw ServerError(.invalidImport, refusal: error.refusal)
        }
        guard let change else { return nil }
        guard case .apply(let outcome) = ChangeAdmission.decide(change, record: record, isLogged: false) else {
            throw ServerError(.internalError, .ownWriteUnmerged)
        }
        meta.dotCounter += 1
        clock = nextClock
        let author = ChangeAuthor(user: "server", device: meta.replica.rawValue, receivedAt: physicalTime)
        return try await Self.log(outcome, of: change, previous: record, author: author, schema: schema, db)
    }

    /// A device's own row: it does not wait for the log's lock.
    public func noteSync(_ sync: SyncNote) async throws {
        try await write(.device) { db in try await Self.note(sync, db) }
    }

    static func note(_ sync: SyncNote, _ db: any SQLDatabase) async throws {
        let (changesResync, highWater): (Int64, LogSequence?) = switch sync.resync {
        case .unchanged: (0, nil)
        case .answered(let highWater): (1, highWater)
        case .confirmed: (1, nil)
        }
        try await db.execute(
            sql: SyncSQL.noteSync,
            arguments: [sync.acknowledgedCursor, sync.replicatedScope?.storedText, sync.time, changesResync, highWater, sync.replica.rawValue]
        )
    }

    // MARK: Helpers

    static func latestSequence(_ db: any SQLDatabase) async throws -> LogSequence {
        try await LogSequence.fetchOne(db, sql: SyncSQL.latestSequence) ?? 0
    }

    /// The high-water mark a page may publish: the highest sequence in the read's snapshot, but
    /// never past `limit` (`publishedLogLimit()`, read before the snapshot), below which no
    /// change can still become visible.
    static func publishedHighWater(_ db: any SQLDatabase, limit: LogSequence?) async throws -> LogSequence {
        let latest = try await latestSequence(db)
        return limit.map { min(latest, $0) } ?? latest
    }

    /// Stores one merge (`log`) and returns its sequence.
    static func store(
        _ outcome: MergeOutcome, of change: Change, previous: RecordState?, author: ChangeAuthor, schema: Schema,
        places: (before: ScopeKey, after: ScopeKey)? = nil, _ db: any SQLDatabase
    ) async throws -> LogSequence {
        try await log(outcome, of: change, previous: previous, author: author, schema: schema, places: places, db).sequence(db)
    }

    /// Stores one merge: the log entry (its sequence, and where its record sat in the scope
    /// tree before and after), the record and the conflict changes. `places` are the record's
    /// scope keys before and after when the caller has read them already. In a push's batch the
    /// entry and record wait for the batch's next write, which gives the sequence
    /// (`LogEvent.sequence`).
    static func log(
        _ outcome: MergeOutcome, of change: Change, previous: RecordState?, author: ChangeAuthor, schema: Schema,
        places: (before: ScopeKey, after: ScopeKey)? = nil, _ db: any SQLDatabase
    ) async throws -> LogEvent {
        // Both keys are read before the record is written: a record's key depends only on its
        // own state and on its account's row, which this change does not touch. A new record
        // did not move: its entry is "before" and "after" in the same place.
        var before: ScopeKey
        let after: ScopeKey
        if let places {
            (before, after) = places
        } else {
            after = try await scopeKey(of: outcome.state, schema: schema, db)
            before = after
            if let previous { before = try await scopeKey(of: previous, schema: schema, db) }
        }
        // The sequence comes from the database (AUTOINCREMENT in SQLite, an identity column in
        // PostgreSQL, appended under the log lock: see SyncServer/README.md, "PostgreSQL").
        // PostgreSQL writes the log entry and the record in one statement (one round trip);
        // SQLite, which has no INSERT inside WITH, in two.
        let record = MaterializedRecord(state: outcome.state, schema: schema)
        let entry: [any SQLBindable] = [
            change.dot.replica.rawValue, Int64(clamping: change.dot.counter), change.entity, change.recordID,
            try ServerJSON.encodeString(change), author.user, author.device, author.receivedAt,
            before.territory, after.territory, after.isGlobal,
        ]
        let stateText = try ServerJSON.encodeString(outcome.state)
        if let batch = db as? PushBatch {
            batch.append(entry: entry, dot: change.dot, record: record, state: stateText)
            let event = LogEvent(assigned: nil, dot: change.dot, author: author)
            try await updateConflictLog(after: outcome, of: change, previous: previous, event: event, schema: schema, db)
            return event
        }
        let state: [any SQLBindable] = [stateText, record.territory, record.accountID, record.isDeleted, record.priorityDue, record.priorityDay]
        let logged: LogSequence?
        switch db.dialect {
        case .postgres:
            logged = try await LogSequence.fetchOne(db, sql: SyncSQL.appendLogAndRecord, arguments: entry + state)
        case .sqlite:
            logged = try await LogSequence.fetchOne(db, sql: SyncSQL.appendLog, arguments: entry)
            if let logged {
                // A stored record whose placement columns stay as they are (most edits) gets
                // its state and sequence only: setting an indexed column, even to its own
                // value, makes SQLite rewrite that index's entry (twice the pages written).
                // The guard compares with the stored row, so a row whose columns differ gets
                // the whole upsert.
                if previous != nil {
                    try await db.execute(
                        sql: SyncSQL.updateRecordInPlace,
                        arguments: [change.entity, change.recordID, stateText, logged, record.territory, record.accountID, record.isDeleted,
                                    record.priorityDue, record.priorityDay]
                    )
                }
                if previous == nil || db.changesCount == 0 {
                    try await db.execute(sql: SyncSQL.upsertRecord, arguments: [change.entity, change.recordID] + state + [logged])
                }
            }
        }
        guard let sequence = logged else {
            throw ServerError(.internalError, .logNoSequence)
        }
        let event = LogEvent(assigned: sequence, dot: change.dot, author: author)
        try await updateConflictLog(after: outcome, of: change, previous: previous, event: event, schema: schema, db)
        return event
    }
}

/// What a sync does to a device's pending resync (`DeviceAccount.resyncHighWater`).
public enum ResyncNote: Sendable, Hashable {
    case unchanged
    /// The answer says `resync` and starts a snapshot at this high-water mark.
    case answered(highWater: LogSequence)
    /// The device came back bootstrapping: it received the resync answer (or starts afresh).
    case confirmed
}

extension ServerSQL {
    /// Migration v6 of both backends: the high-water mark of a resync answer the device has not
    /// yet been seen to act on (NULL: none pending).
    static let resyncHighWaterSQL = "ALTER TABLE devices ADD COLUMN resync_high_water BIGINT"
}

/// The statements of SQLServerStorage+Sync.swift, written for each backend (`SQLCatalog`).
enum SyncSQL: SQLCatalog {
    case admission, observeClock, noteSync, latestSequence, appendLog, upsertRecord, updateRecordInPlace, appendLogAndRecord

    var statement: SQLStatement {
        switch self {
        case .admission:
            """
            SELECT EXISTS (SELECT 1 FROM change_log WHERE replica = $1 AND counter = $2) AS logged,
                (SELECT state FROM records WHERE entity = $3 AND id = $4) AS state
            """
        case .observeClock:
            """
            UPDATE server_meta SET hlc_physical = $1, hlc_logical = $2
            WHERE id = 1 AND (hlc_physical < $1 OR (hlc_physical = $1 AND hlc_logical < $2))
            """
        case .noteSync:
            """
            UPDATE devices SET cursor = COALESCE($1, cursor), replicated_scope = COALESCE($2, replicated_scope), last_seen = $3,
                resync_high_water = CASE WHEN $4 = 1 THEN $5 ELSE resync_high_water END, enrollment_code_hash = NULL
            WHERE replica = $6
            """
        case .latestSequence: "SELECT MAX(seq) FROM change_log"
        case .appendLog:
            """
            INSERT INTO change_log (replica, counter, entity, record_id, change, "user", device, received_at,
                                    scope_before, scope_after, scope_global)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            RETURNING seq
            """
        case .upsertRecord:
            """
            INSERT INTO records (entity, id, state, territory, account_id, deleted, priority_due, priority_day, updated_seq)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (entity, id) DO UPDATE SET
                state = excluded.state, territory = excluded.territory, account_id = excluded.account_id,
                deleted = excluded.deleted, priority_due = excluded.priority_due, priority_day = excluded.priority_day,
                updated_seq = excluded.updated_seq
            """
        case .updateRecordInPlace:
            // SQLite's only (PostgreSQL's heap-only updates already leave an index alone when
            // its columns keep their values).
            SQLStatement(sqlite: """
                UPDATE records SET state = $3, updated_seq = $4
                WHERE entity = $1 AND id = $2 AND territory IS $5 AND account_id IS $6 AND deleted = $7
                    AND priority_due IS $8 AND priority_day IS $9
                """, postgres: nil)
        case .appendLogAndRecord:
            SQLStatement(sqlite: nil, postgres: """
                WITH logged AS (
                    INSERT INTO change_log (replica, counter, entity, record_id, change, "user", device, received_at,
                                            scope_before, scope_after, scope_global)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    RETURNING seq
                )
                INSERT INTO records (entity, id, state, territory, account_id, deleted, priority_due, priority_day, updated_seq)
                SELECT $3, $4, $12, $13, $14, $15, $16, $17, seq FROM logged
                ON CONFLICT (entity, id) DO UPDATE SET
                    state = excluded.state, territory = excluded.territory, account_id = excluded.account_id,
                    deleted = excluded.deleted, priority_due = excluded.priority_due, priority_day = excluded.priority_day,
                    updated_seq = excluded.updated_seq
                RETURNING updated_seq
                """)
        }
    }
}
