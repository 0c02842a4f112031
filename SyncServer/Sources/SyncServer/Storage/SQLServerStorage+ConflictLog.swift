import CRM
import SyncCore

/// Keeping the conflict log up to date, inside the transaction that stores each change.
///
/// After every merge the server looks at the record it just wrote:
///
/// - register siblings and delete-vs-edit come from the merge outcome (`opened` / `closed`);
/// - orphans: the record's reference fields (via `record_references`), and, when the record
///   itself is deleted or restored, the live records pointing at it;
/// - probable duplicates: the record's normalised keys (via `duplicate_keys`) against the other
///   live customers.
///
/// Entries that close keep the competing values as they were last seen open; entries still
/// open are refreshed (new siblings, authors, displayed winner).
extension SQLServerStorage {
    static func updateConflictLog(
        after outcome: MergeOutcome, of change: Change, previous: RecordState?, event: LogEvent, schema: Schema,
        _ db: any SQLDatabase
    ) async throws {
        let state = outcome.state
        let policy = schema.entity(state.entity)?.deletionPolicy ?? .updateWins
        let isDeleted = state.isDeleted(policy: policy)
        // The orphan and duplicate steps read three things of the record: whether it is
        // deleted, its reference values and its duplicate keys. When a change leaves them as
        // they were (most edits), the steps would rewrite the same derived rows and find
        // nothing new: a change of the record a reference names, or of another customer, is
        // handled by that record's own write (`checkReferrers`, `checkDuplicates` look from
        // both sides). So they are skipped. One consequence: a dismissed orphan entry stays
        // dismissed through edits that leave the reference alone, as a dismissed register
        // conflict does.
        let existenceKept = previous.map { $0.isDeleted(policy: policy) == isDeleted } ?? false
        let referencesKept = existenceKept && (isDeleted || previous.map { referenceValues(of: $0, schema: schema) } == referenceValues(of: state, schema: schema))

        for key in outcome.closed {
            try await closeEntries(
                .record(key.entity, key.recordID, field: key.field, kind: key.kind.rawValue),
                resolution: closingWords(for: key, state: state, isDeleted: isDeleted), event: event, schema: schema, db
            )
        }
        for key in outcome.opened {
            try await openEntry(key, related: nil, event: event, db)
        }
        // A conflict that stayed in the state after an admin dismissed it gets a new entry when
        // this change joins it as one more competing value.
        for key in state.openConflicts.subtracting(outcome.opened) where adds(change.dot, to: key, in: state) {
            try await openEntry(key, related: nil, event: event, db)
        }
        if !referencesKept {
            try await updateReferences(of: state, isDeleted: isDeleted, schema: schema, db)
            try await checkOrphans(of: state, isDeleted: isDeleted, schema: schema, event: event, db)
        }
        // A record that was live and stays live has no orphan entry pointing at it: the write
        // that made it live closed them.
        if !(existenceKept && !isDeleted) {
            try await checkReferrers(of: state, isDeleted: isDeleted, schema: schema, event: event, db)
        }
        if DuplicateKeys.entities.contains(state.entity),
            !(existenceKept && previous.map { duplicateKeyTexts(of: $0) } == duplicateKeyTexts(of: state))
        {
            try await updateDuplicateKeys(of: state, isDeleted: isDeleted, db)
            try await checkDuplicates(of: state, isDeleted: isDeleted, schema: schema, event: event, db)
        }
        try await refreshOpenEntries(touching: RecordReference(entity: state.entity, id: state.id), written: state, schema: schema, db)
    }

    /// The displayed values of a record's reference fields, in schema order.
    static func referenceValues(of state: RecordState, schema: Schema) -> [String?] {
        (schema.entity(state.entity)?.referenceFields ?? []).map { state.value(of: $0.name).stringValue }
    }

    /// A record's duplicate keys, comparable.
    static func duplicateKeyTexts(of state: RecordState) -> [String] {
        DuplicateKeys.keys(of: state).map { "\($0.kind.rawValue) \($0.key)" }
    }

    /// Whether the write `dot` is one of the values competing in `key`.
    static func adds(_ dot: Dot, to key: ConflictKey, in state: RecordState) -> Bool {
        switch key.kind {
        case .concurrentValues: return state.fields[key.field]?.register?.siblings.contains { $0.dot == dot } == true
        case .deleteVsEdit: return state.existence.siblings.contains { $0.dot == dot }
        case .orphanReference, .probableDuplicate: return false
        }
    }

    // MARK: Opening and closing

    /// Opens an entry unless an open one exists for the same key and related record.
    static func openEntry(_ key: ConflictKey, related: RecordReference?, event: LogEvent, _ db: any SQLDatabase) async throws {
        let sequence = try await event.sequence(db)
        try await db.execute(
            sql: ConflictLogSQL.openEntry,
            arguments: [
                key.entity, key.recordID, key.field, key.kind.rawValue, related?.entity, related?.id,
                event.author.receivedAt, sequence, event.author.user,
            ]
        )
        (db as? PushBatch)?.noteEntryOpened(for: RecordReference(entity: key.entity, id: key.recordID), related: related)
    }

    /// Closes the open entries matching `match` as resolved by the event's write. Each kind of
    /// match has its own statement, so that SQLite and PostgreSQL find the entries through an
    /// index on what is given (an entry id, a record, or the record an entry points at) rather
    /// than by scanning every open entry.
    static func closeEntries(_ match: ConflictMatch, resolution: String, event: LogEvent, schema: Schema, _ db: any SQLDatabase) async throws {
        let sql: ConflictLogSQL
        let selection: [any SQLBindable]
        let batch = db as? PushBatch
        switch match {
        case .id(let id):
            sql = .openEntryByID
            selection = [id]
        case .record(let entity, let recordID, let field, let kind, let relatedIDOtherThan):
            if let batch, !batch.mayHaveOpenEntries(entity, recordID) { return }
            sql = .openEntriesOfRecord
            selection = [entity, recordID, field, kind, relatedIDOtherThan]
        case .related(let entity, let id, let kind):
            if let batch, !batch.mayHaveOpenEntries(entity, id) { return }
            sql = .openEntriesPointingAt
            selection = [entity, id, kind]
        }
        for row in try await SQLRow.fetchAll(db, sql: sql, arguments: selection) {
            try await close(
                try conflictEntry(from: row), as: .resolvedByEdit, at: event.author.receivedAt, sequence: try await event.sequence(db),
                by: event.author.user, resolution: resolution, schema: schema, db
            )
        }
    }

    /// Records how an entry closed: status, when, by whom and in which change, in words, and its
    /// outcome (see `ConflictDescriber.settle`); `outcome` replaces the described one.
    static func close(
        _ entry: ConflictLogEntry, as status: ConflictStatus, at time: Int64, sequence: LogSequence?, by user: String?,
        resolution: String, outcome: String? = nil, schema: Schema, _ db: any SQLDatabase
    ) async throws {
        let settled = try await ConflictDescriber(db: db, schema: schema).settle(entry.key, competitors: entry.competitors, words: resolution)
        try await db.execute(
            sql: ConflictLogSQL.closeEntry,
            arguments: [
                status.rawValue, time, sequence, user, resolution,
                try ServerJSON.encodeString(settled.competitors), outcome ?? settled.displayed, entry.id,
            ]
        )
    }

    static func closingWords(for key: ConflictKey, state: RecordState, isDeleted: Bool) -> String {
        switch key.kind {
        case .concurrentValues: return "now \(ConflictDescriber.label(state.value(of: key.field)))"
        case .deleteVsEdit: return isDeleted ? "record deleted" : "record kept"
        case .orphanReference, .probableDuplicate: return "settled by a later write"
        }
    }

    // MARK: Orphans

    /// Rewrites the displayed reference values of a record (none when it is deleted).
    /// In a push's batch the new rows replace the old at its next write.
    static func updateReferences(of state: RecordState, isDeleted: Bool, schema: Schema, _ db: any SQLDatabase) async throws {
        var rows: [ReferenceRow] = []
        if !isDeleted, let entity = schema.entity(state.entity) {
            for field in entity.referenceFields {
                guard let target = state.value(of: field.name).stringValue, let targetEntity = field.type.referencedEntity else { continue }
                rows.append(ReferenceRow(entity: state.entity, recordID: state.id, field: field.name, targetEntity: targetEntity, targetID: target))
            }
        }
        if let batch = db as? PushBatch {
            batch.replaceReferences(of: state.entity, state.id, with: rows)
            return
        }
        try await db.execute(sql: ConflictLogSQL.deleteReferences, arguments: [state.entity, state.id])
        for row in rows {
            try await db.execute(
                sql: ConflictLogSQL.insertReference,
                arguments: [row.entity, row.recordID, row.field, row.targetEntity, row.targetID]
            )
        }
    }

    /// Whether a record exists on the server and is not deleted; nil when the server never saw it.
    static func isLive(entity: String, id: RecordID, _ db: any SQLDatabase) async throws -> Bool? {
        if let known = (db as? PushBatch)?.knownRecord(entity, id) {
            return known.state == nil ? nil : !known.isDeleted
        }
        return try await Bool.fetchOne(db, sql: ConflictLogSQL.isLive, arguments: [entity, id])
    }

    /// Opens an orphan entry for each reference of a live record that names a deleted or unknown
    /// record, and closes the entries whose reference now names a live record.
    static func checkOrphans(of state: RecordState, isDeleted: Bool, schema: Schema, event: LogEvent, _ db: any SQLDatabase) async throws {
        let orphan = ConflictKind.orphanReference.rawValue
        if isDeleted {
            try await closeEntries(.record(state.entity, state.id, kind: orphan), resolution: "record deleted", event: event, schema: schema, db)
            return
        }
        guard let entity = schema.entity(state.entity) else { return }
        for field in entity.referenceFields {
            guard let targetEntity = field.type.referencedEntity else { continue }
            let target = state.value(of: field.name).stringValue
            if let target, try await isLive(entity: targetEntity, id: target, db) != true {
                try await closeEntries(
                    .record(state.entity, state.id, field: field.name, kind: orphan, relatedIDOtherThan: target),
                    resolution: "now names \(targetEntity) \(target)", event: event, schema: schema, db
                )
                try await openEntry(
                    ConflictKey(entity: state.entity, recordID: state.id, field: field.name, kind: .orphanReference),
                    related: RecordReference(entity: targetEntity, id: target), event: event, db
                )
            } else {
                try await closeEntries(
                    .record(state.entity, state.id, field: field.name, kind: orphan),
                    resolution: target.map { "now names live \(targetEntity) \($0)" } ?? "reference cleared", event: event, schema: schema, db
                )
            }
        }
    }

    /// A deleted record orphans the live records pointing at it; a live one settles them.
    static func checkReferrers(of state: RecordState, isDeleted: Bool, schema: Schema, event: LogEvent, _ db: any SQLDatabase) async throws {
        if !isDeleted {
            try await closeEntries(
                .related(state.entity, state.id, kind: ConflictKind.orphanReference.rawValue),
                resolution: "\(state.entity) restored", event: event, schema: schema, db
            )
            return
        }
        let referrers = try await SQLRow.fetchAll(
            db,
            sql: ConflictLogSQL.liveReferrers,
            arguments: [state.entity, state.id]
        )
        for row in referrers {
            try await openEntry(
                ConflictKey(entity: row["entity"], recordID: row["record_id"], field: row["field"], kind: .orphanReference),
                related: RecordReference(entity: state.entity, id: state.id), event: event, db
            )
            try await refreshOpenEntries(touching: RecordReference(entity: row["entity"], id: row["record_id"]), schema: schema, db)
        }
    }

    // MARK: Duplicates

    /// In a push's batch the new rows replace the old at its next write.
    static func updateDuplicateKeys(of state: RecordState, isDeleted: Bool, _ db: any SQLDatabase) async throws {
        let rows = isDeleted ? [] : DuplicateKeys.keys(of: state).map { item in
            DuplicateKeyRow(entity: state.entity, recordID: state.id, kind: item.kind.rawValue, key: item.key)
        }
        if let batch = db as? PushBatch {
            batch.replaceDuplicateKeys(of: state.entity, state.id, with: rows)
            return
        }
        try await db.execute(sql: ConflictLogSQL.deleteDuplicateKeys, arguments: [state.entity, state.id])
        for row in rows {
            try await db.execute(
                sql: ConflictLogSQL.insertDuplicateKey,
                arguments: [row.entity, row.recordID, row.kind, row.key]
            )
        }
    }

    /// Opens an entry for each live customer sharing a key with this one (unless an admin
    /// already dismissed that pair), and closes the entries of pairs that no longer match.
    static func checkDuplicates(of state: RecordState, isDeleted: Bool, schema: Schema, event: LogEvent, _ db: any SQLDatabase) async throws {
        let duplicate = ConflictKind.probableDuplicate.rawValue
        // The open pairs this record is in, found from either side through its own index.
        var pairs: [SQLRow] = []
        if (db as? PushBatch)?.mayHaveOpenEntries(state.entity, state.id) ?? true {
            pairs = try await SQLRow.fetchAll(
                db,
                sql: ConflictLogSQL.openEntriesOfKind,
                arguments: [duplicate, state.entity, state.id]
            )
        }
        for row in pairs {
            let first: RecordID = row["record_id"]
            let other: RecordID = first == state.id ? row["related_id"] : first
            let stillMatching = try await !isDeleted ? !ServerRows.sharedKeys(entity: state.entity, state.id, other, db).isEmpty : false
            if !stillMatching {
                try await closeEntries(
                    .id(row["id"]),
                    resolution: isDeleted ? "\(state.entity) \(state.id) deleted" : "no longer matching", event: event, schema: schema, db
                )
            }
        }
        guard !isDeleted else { return }
        // The other customers sharing one of this record's keys, one indexed lookup per key (a
        // self-join of duplicate_keys let SQLite walk every key of the entity).
        var matches = Set<RecordID>()
        for item in DuplicateKeys.keys(of: state) {
            if let holders = (db as? PushBatch)?.holders(of: DuplicateKeyRow.Key(entity: state.entity, kind: item.kind.rawValue, key: item.key)) {
                matches.formUnion(holders.subtracting([state.id]))
                continue
            }
            matches.formUnion(
                try await String.fetchAll(
                    db,
                    sql: ConflictLogSQL.recordsWithKey,
                    arguments: [state.entity, item.kind.rawValue, item.key, state.id]
                )
            )
        }
        for other in matches.sorted() {
            let known = try await Bool.fetchOne(
                db,
                sql: ConflictLogSQL.pairLogged,
                arguments: [duplicate, state.entity, state.id, other]
            ) ?? false
            guard !known else { continue }
            try await openEntry(
                ConflictKey(entity: state.entity, recordID: state.id, field: "", kind: .probableDuplicate),
                related: RecordReference(entity: state.entity, id: other), event: event, db
            )
            try await refreshOpenEntries(touching: RecordReference(entity: state.entity, id: other), schema: schema, db)
        }
    }

    // MARK: Snapshots of open entries

    /// Recomputes the competing values, winner, users, territory and label of every open entry
    /// of `record` or pointing at it. `written`: a record's state as this transaction just wrote
    /// it, which the descriptions read instead of loading and decoding it again.
    static func refreshOpenEntries(touching record: RecordReference, written: RecordState? = nil, schema: Schema, _ db: any SQLDatabase) async throws {
        if (db as? PushBatch)?.mayHaveOpenEntries(record.entity, record.id) == false { return }
        // Two selections, each on its own index (an OR of the two would scan the open
        // entries), in one statement: every stored change runs it.
        let entries = try await SQLRow.fetchAll(
            db,
            sql: ConflictLogSQL.openEntriesTouching,
            arguments: [record.entity, record.id]
        )
        for row in entries {
            guard let kind = ConflictKind(rawValue: row["kind"]) else { continue }
            let key = ConflictKey(entity: row["entity"], recordID: row["record_id"], field: row["field"], kind: kind)
            let related: RecordReference? = (row["related_entity"] as String?).flatMap { entity in
                (row["related_id"] as String?).map { RecordReference(entity: entity, id: $0) }
            }
            let description = try await ConflictDescriber(db: db, schema: schema, written: written).describe(key, related: related)
            try await db.execute(
                sql: ConflictLogSQL.refreshEntry,
                arguments: [
                    try ServerJSON.encodeString(description.competitors), description.displayed,
                    try ServerJSON.encodeString(description.users), description.territory, description.recordLabel,
                    description.reason, row["id"] as Int64,
                ]
            )
        }
    }

    /// Fills the derived tables (and the priority columns of `records`) from existing records
    /// once, after the migration that created them (a store made before it holds records but
    /// no derived rows).
    static func backfillDerivedIndexes(_ db: any SQLDatabase, schema: Schema) async throws {
        try await backfillPriorityDays(db, schema: schema)
        let name = "references-duplicates-v1"
        guard try await Bool.fetchOne(db, sql: ConflictLogSQL.derivedIndexBuilt, arguments: [name]) == false else {
            return
        }
        for json in try await String.fetchAll(db, sql: ConflictLogSQL.everyState) {
            let state = try ServerJSON.decode(RecordState.self, from: json)
            let isDeleted = state.isDeleted(policy: schema.entity(state.entity)?.deletionPolicy ?? .updateWins)
            try await updateReferences(of: state, isDeleted: isDeleted, schema: schema, db)
            try await updateDuplicateKeys(of: state, isDeleted: isDeleted, db)
        }
        // Entries copied from the old table get their competing values and authors now.
        for row in try await SQLRow.fetchAll(db, sql: ConflictLogSQL.recordsWithOpenEntries) {
            try await refreshOpenEntries(touching: RecordReference(entity: row["entity"], id: row["record_id"]), schema: schema, db)
        }
        try await db.execute(sql: ConflictLogSQL.markDerivedIndexBuilt, arguments: [name])
    }
}

/// The change that opens or closes conflict-log entries: its sequence, author and arrival.
struct LogEvent {
    /// The change's sequence; nil while its log entry waits in a push's batch.
    var assigned: LogSequence?
    var dot: Dot
    var author: ChangeAuthor

    /// The change's sequence, writing what waits in the push's batch first when it is not
    /// assigned yet.
    func sequence(_ db: any SQLDatabase) async throws -> LogSequence {
        if let assigned { return assigned }
        guard let batch = db as? PushBatch else {
            throw ServerError(.internalError, .logNoSequence)
        }
        return try await batch.sequence(of: dot)
    }
}

/// Which open entries a write closes.
enum ConflictMatch {
    /// One entry.
    case id(Int64)
    /// The entries of a record, narrowed by field, kind, and related record other than one.
    case record(String, RecordID, field: String? = nil, kind: String? = nil, relatedIDOtherThan: RecordID? = nil)
    /// The entries pointing at a record, narrowed by kind.
    case related(String, RecordID, kind: String? = nil)
}

extension ServerSQL {
    /// Indexes that find a record's entries, and the entries pointing at a record, with their
    /// status: every stored change looks both up (migration v5 of both backends).
    static let conflictLookupIndexesSQL = """
        DROP INDEX conflicts_by_record;
        CREATE INDEX conflicts_by_record ON conflicts (entity, record_id, status);
        DROP INDEX conflicts_by_related;
        CREATE INDEX conflicts_by_related ON conflicts (related_entity, related_id, status) WHERE related_id IS NOT NULL
        """
}

/// The statements of SQLServerStorage+ConflictLog.swift, written for each backend (`SQLCatalog`).
enum ConflictLogSQL: SQLCatalog {
    /// openEntryByID: the open entry with id $1. openEntriesOfRecord: $1 entity, $2 record id;
    /// $3 field, $4 kind and $5 (a related id the entry must not have) match everything when
    /// NULL. openEntriesPointingAt: $1 the entity and $2 the id the entries point at; $3 kind
    /// matches everything when NULL. A value tested for NULL is cast: a NULL bound to PostgreSQL
    /// has no type of its own.
    case openEntryByID, openEntriesOfRecord, openEntriesPointingAt
    case openEntry, closeEntry, deleteReferences, insertReference, isLive, liveReferrers, deleteDuplicateKeys, insertDuplicateKey, openEntriesOfKind, recordsWithKey, pairLogged, openEntriesTouching, refreshEntry, derivedIndexBuilt, everyState, recordsWithOpenEntries, markDerivedIndexBuilt

    var statement: SQLStatement {
        switch self {
        case .openEntryByID: "SELECT * FROM conflicts WHERE id = $1 AND status = 'open'"
        case .openEntriesOfRecord:
            """
            SELECT * FROM conflicts
            WHERE entity = $1 AND record_id = $2 AND status = 'open'
                AND (CAST($3 AS TEXT) IS NULL OR field = $3) AND (CAST($4 AS TEXT) IS NULL OR kind = $4)
                AND (CAST($5 AS TEXT) IS NULL OR related_id <> $5)
            ORDER BY id
            """
        case .openEntriesPointingAt:
            """
            SELECT * FROM conflicts
            WHERE related_entity = $1 AND related_id = $2 AND status = 'open' AND (CAST($3 AS TEXT) IS NULL OR kind = $3)
            ORDER BY id
            """
        case .openEntry:
            """
            INSERT INTO conflicts
                (entity, record_id, field, kind, related_entity, related_id, status, opened_at, opened_seq, opened_by)
            VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9)
            ON CONFLICT DO NOTHING
            """
        case .closeEntry:
            """
            UPDATE conflicts SET status = $1, closed_at = $2, closed_seq = COALESCE($3, closed_seq), closed_by = $4, resolution = $5,
                competitors = $6, displayed = $7
            WHERE id = $8
            """
        case .deleteReferences: "DELETE FROM record_references WHERE entity = $1 AND record_id = $2"
        case .insertReference: "INSERT INTO record_references (entity, record_id, field, target_entity, target_id) VALUES ($1, $2, $3, $4, $5)"
        case .isLive: SQLStatement { dialect in "SELECT deleted = 0 FROM records\(ServerSQL.placementIndex(dialect)) WHERE entity = $1 AND id = $2" }
        case .liveReferrers:
            """
            SELECT r.entity, r.record_id, r.field FROM record_references r
            JOIN records x ON x.entity = r.entity AND x.id = r.record_id AND x.deleted = 0
            WHERE r.target_entity = $1 AND r.target_id = $2 ORDER BY r.entity, r.record_id, r.field
            """
        case .deleteDuplicateKeys: "DELETE FROM duplicate_keys WHERE entity = $1 AND record_id = $2"
        case .insertDuplicateKey: "INSERT INTO duplicate_keys (entity, record_id, kind, key) VALUES ($1, $2, $3, $4)"
        case .openEntriesOfKind:
            """
            SELECT id, record_id, related_id FROM conflicts
            WHERE entity = $2 AND record_id = $3 AND status = 'open' AND kind = $1
            UNION
            SELECT id, record_id, related_id FROM conflicts
            WHERE related_entity = $2 AND related_id = $3 AND status = 'open' AND kind = $1
            ORDER BY id
            """
        case .recordsWithKey: "SELECT record_id FROM duplicate_keys WHERE entity = $1 AND kind = $2 AND key = $3 AND record_id <> $4"
        case .pairLogged:
            """
            SELECT EXISTS (SELECT 1 FROM conflicts WHERE entity = $2 AND record_id = $3 AND related_id = $4 AND kind = $1
                               AND status IN ('open', 'dismissed', 'resolved_by_admin'))
                OR EXISTS (SELECT 1 FROM conflicts WHERE entity = $2 AND record_id = $4 AND related_id = $3 AND kind = $1
                               AND status IN ('open', 'dismissed', 'resolved_by_admin'))
            """
        case .openEntriesTouching:
            """
            SELECT id, entity, record_id, field, kind, related_entity, related_id FROM conflicts
            WHERE entity = $1 AND record_id = $2 AND status = 'open'
            UNION ALL
            SELECT id, entity, record_id, field, kind, related_entity, related_id FROM conflicts
            WHERE related_entity = $1 AND related_id = $2 AND status = 'open' AND NOT (entity = $1 AND record_id = $2)
            """
        case .refreshEntry:
            """
            UPDATE conflicts SET competitors = $1, displayed = $2, users = $3, territory = $4, record_label = $5,
                reason = COALESCE($6, reason)
            WHERE id = $7
            """
        case .derivedIndexBuilt: "SELECT EXISTS (SELECT 1 FROM derived_indexes WHERE name = $1)"
        case .everyState: "SELECT state FROM records"
        case .recordsWithOpenEntries: "SELECT DISTINCT entity, record_id FROM conflicts WHERE status = 'open'"
        case .markDerivedIndexBuilt: "INSERT INTO derived_indexes (name) VALUES ($1)"
        }
    }
}
