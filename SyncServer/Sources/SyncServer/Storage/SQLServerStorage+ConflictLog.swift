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
        after outcome: MergeOutcome, of change: Change, sequence: LogSequence, author: ChangeAuthor, schema: Schema, _ db: any SQLDatabase
    ) throws {
        let state = outcome.state
        let isDeleted = state.isDeleted(policy: schema.entity(state.entity)?.deletionPolicy ?? .updateWins)
        let event = LogEvent(sequence: sequence, author: author)

        for key in outcome.closed {
            try closeEntries(
                ConflictMatch(entity: key.entity, recordID: key.recordID, field: key.field, kind: key.kind.rawValue),
                resolution: closingWords(for: key, state: state, isDeleted: isDeleted), event: event, db
            )
        }
        for key in outcome.opened {
            try openEntry(key, related: nil, event: event, db)
        }
        // A conflict that stayed in the state after an admin dismissed it gets a new entry when
        // this change joins it as one more competing value.
        for key in state.openConflicts.subtracting(outcome.opened) where adds(change.dot, to: key, in: state) {
            try openEntry(key, related: nil, event: event, db)
        }
        try updateReferences(of: state, isDeleted: isDeleted, schema: schema, db)
        try checkOrphans(of: state, isDeleted: isDeleted, schema: schema, event: event, db)
        try checkReferrers(of: state, isDeleted: isDeleted, schema: schema, event: event, db)
        if DuplicateKeys.entities.contains(state.entity) {
            try updateDuplicateKeys(of: state, isDeleted: isDeleted, db)
            try checkDuplicates(of: state, isDeleted: isDeleted, schema: schema, event: event, db)
        }
        try refreshOpenEntries(touching: RecordReference(entity: state.entity, id: state.id), schema: schema, db)
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
    static func openEntry(_ key: ConflictKey, related: RecordReference?, event: LogEvent, _ db: any SQLDatabase) throws {
        try db.execute(
            sql: """
                INSERT INTO conflicts
                    (entity, record_id, field, kind, related_entity, related_id, status, opened_at, opened_seq, opened_by)
                VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)
                ON CONFLICT DO NOTHING
                """,
            arguments: [
                key.entity, key.recordID, key.field, key.kind.rawValue, related?.entity, related?.id,
                event.author.receivedAt, event.sequence, event.author.user,
            ]
        )
    }

    /// Closes the open entries matching `match` as resolved by the event's write (numbered
    /// parameters: an absent part binds NULL and matches everything).
    static func closeEntries(_ match: ConflictMatch, resolution: String, event: LogEvent, _ db: any SQLDatabase) throws {
        try db.execute(
            sql: """
                UPDATE conflicts SET status = 'resolved_by_edit', closed_at = ?1, closed_seq = ?2, closed_by = ?3, resolution = ?4
                WHERE status = 'open' AND (?5 IS NULL OR id = ?5) AND (?6 IS NULL OR entity = ?6)
                    AND (?7 IS NULL OR record_id = ?7) AND (?8 IS NULL OR field = ?8)
                    AND (?9 IS NULL OR kind = ?9) AND (?10 IS NULL OR related_entity = ?10)
                    AND (?11 IS NULL OR related_id = ?11) AND (?12 IS NULL OR related_id <> ?12)
                """,
            arguments: [
                event.author.receivedAt, event.sequence, event.author.user, resolution, match.id, match.entity, match.recordID,
                match.field, match.kind, match.relatedEntity, match.relatedID, match.relatedIDOtherThan,
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
    static func updateReferences(of state: RecordState, isDeleted: Bool, schema: Schema, _ db: any SQLDatabase) throws {
        try db.execute(sql: "DELETE FROM record_references WHERE entity = ? AND record_id = ?", arguments: [state.entity, state.id])
        guard !isDeleted, let entity = schema.entity(state.entity) else { return }
        for field in entity.referenceFields {
            guard let target = state.value(of: field.name).stringValue, let targetEntity = field.type.referencedEntity else { continue }
            try db.execute(
                sql: "INSERT INTO record_references (entity, record_id, field, target_entity, target_id) VALUES (?, ?, ?, ?, ?)",
                arguments: [state.entity, state.id, field.name, targetEntity, target]
            )
        }
    }

    /// Whether a record exists on the server and is not deleted; nil when the server never saw it.
    static func isLive(entity: String, id: RecordID, _ db: any SQLDatabase) throws -> Bool? {
        try Bool.fetchOne(db, sql: "SELECT deleted = 0 FROM records WHERE entity = ? AND id = ?", arguments: [entity, id])
    }

    /// Opens an orphan entry for each reference of a live record that names a deleted or unknown
    /// record, and closes the entries whose reference now names a live record.
    static func checkOrphans(of state: RecordState, isDeleted: Bool, schema: Schema, event: LogEvent, _ db: any SQLDatabase) throws {
        let orphan = ConflictKind.orphanReference.rawValue
        if isDeleted {
            try closeEntries(ConflictMatch(entity: state.entity, recordID: state.id, kind: orphan), resolution: "record deleted", event: event, db)
            return
        }
        guard let entity = schema.entity(state.entity) else { return }
        for field in entity.referenceFields {
            guard let targetEntity = field.type.referencedEntity else { continue }
            let target = state.value(of: field.name).stringValue
            if let target, try isLive(entity: targetEntity, id: target, db) != true {
                try closeEntries(
                    ConflictMatch(entity: state.entity, recordID: state.id, field: field.name, kind: orphan, relatedIDOtherThan: target),
                    resolution: "now names \(targetEntity) \(target)", event: event, db
                )
                try openEntry(
                    ConflictKey(entity: state.entity, recordID: state.id, field: field.name, kind: .orphanReference),
                    related: RecordReference(entity: targetEntity, id: target), event: event, db
                )
            } else {
                try closeEntries(
                    ConflictMatch(entity: state.entity, recordID: state.id, field: field.name, kind: orphan),
                    resolution: target.map { "now names live \(targetEntity) \($0)" } ?? "reference cleared", event: event, db
                )
            }
        }
    }

    /// A deleted record orphans the live records pointing at it; a live one settles them.
    static func checkReferrers(of state: RecordState, isDeleted: Bool, schema: Schema, event: LogEvent, _ db: any SQLDatabase) throws {
        if !isDeleted {
            try closeEntries(
                ConflictMatch(kind: ConflictKind.orphanReference.rawValue, relatedEntity: state.entity, relatedID: state.id),
                resolution: "\(state.entity) restored", event: event, db
            )
            return
        }
        let referrers = try SQLRow.fetchAll(
            db,
            sql: """
                SELECT r.entity, r.record_id, r.field FROM record_references r
                JOIN records x ON x.entity = r.entity AND x.id = r.record_id AND x.deleted = 0
                WHERE r.target_entity = ? AND r.target_id = ?
                """,
            arguments: [state.entity, state.id]
        )
        for row in referrers {
            try openEntry(
                ConflictKey(entity: row["entity"], recordID: row["record_id"], field: row["field"], kind: .orphanReference),
                related: RecordReference(entity: state.entity, id: state.id), event: event, db
            )
            try refreshOpenEntries(touching: RecordReference(entity: row["entity"], id: row["record_id"]), schema: schema, db)
        }
    }

    // MARK: Duplicates

    static func updateDuplicateKeys(of state: RecordState, isDeleted: Bool, _ db: any SQLDatabase) throws {
        try db.execute(sql: "DELETE FROM duplicate_keys WHERE entity = ? AND record_id = ?", arguments: [state.entity, state.id])
        guard !isDeleted else { return }
        for item in DuplicateKeys.keys(of: state) {
            try db.execute(
                sql: "INSERT INTO duplicate_keys (entity, record_id, kind, key) VALUES (?, ?, ?, ?)",
                arguments: [state.entity, state.id, item.kind.rawValue, item.key]
            )
        }
    }

    /// Opens an entry for each live customer sharing a key with this one (unless an admin
    /// already dismissed that pair), and closes the entries of pairs that no longer match.
    static func checkDuplicates(of state: RecordState, isDeleted: Bool, schema: Schema, event: LogEvent, _ db: any SQLDatabase) throws {
        let duplicate = ConflictKind.probableDuplicate.rawValue
        let pairs = try SQLRow.fetchAll(
            db,
            sql: """
                SELECT id, record_id, related_id FROM conflicts
                WHERE status = 'open' AND kind = ? AND entity = ? AND (record_id = ? OR related_id = ?)
                """,
            arguments: [duplicate, state.entity, state.id, state.id]
        )
        for row in pairs {
            let first: RecordID = row["record_id"]
            let other: RecordID = first == state.id ? row["related_id"] : first
            let stillMatching = try !isDeleted && !ServerRows.sharedKeys(entity: state.entity, state.id, other, db).isEmpty
            if !stillMatching {
                try closeEntries(
                    ConflictMatch(id: row["id"] as Int64),
                    resolution: isDeleted ? "\(state.entity) \(state.id) deleted" : "no longer matching", event: event, db
                )
            }
        }
        guard !isDeleted else { return }
        let matches = try String.fetchAll(
            db,
            sql: """
                SELECT DISTINCT b.record_id FROM duplicate_keys a
                JOIN duplicate_keys b ON b.entity = a.entity AND b.kind = a.kind AND b.key = a.key AND b.record_id <> a.record_id
                WHERE a.entity = ? AND a.record_id = ? ORDER BY b.record_id
                """,
            arguments: [state.entity, state.id]
        )
        for other in matches {
            let known = try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM conflicts WHERE kind = ? AND entity = ?
                        AND status IN ('open', 'dismissed', 'resolved_by_admin')
                        AND ((record_id = ? AND related_id = ?) OR (record_id = ? AND related_id = ?)))
                    """,
                arguments: [duplicate, state.entity, state.id, other, other, state.id]
            ) ?? false
            guard !known else { continue }
            try openEntry(
                ConflictKey(entity: state.entity, recordID: state.id, field: "", kind: .probableDuplicate),
                related: RecordReference(entity: state.entity, id: other), event: event, db
            )
            try refreshOpenEntries(touching: RecordReference(entity: state.entity, id: other), schema: schema, db)
        }
    }

    // MARK: Snapshots of open entries

    /// Recomputes the competing values, winner, users, territory and label of every open entry
    /// of `record` or pointing at it.
    static func refreshOpenEntries(touching record: RecordReference, schema: Schema, _ db: any SQLDatabase) throws {
        let rows = try SQLRow.fetchAll(
            db,
            sql: """
                SELECT id, entity, record_id, field, kind, related_entity, related_id FROM conflicts
                WHERE status = 'open' AND ((entity = ? AND record_id = ?) OR (related_entity = ? AND related_id = ?))
                """,
            arguments: [record.entity, record.id, record.entity, record.id]
        )
        for row in rows {
            guard let kind = ConflictKind(rawValue: row["kind"]) else { continue }
            let key = ConflictKey(entity: row["entity"], recordID: row["record_id"], field: row["field"], kind: kind)
            let related: RecordReference? = (row["related_entity"] as String?).flatMap { entity in
                (row["related_id"] as String?).map { RecordReference(entity: entity, id: $0) }
            }
            let description = try ConflictDescriber(db: db, schema: schema).describe(key, related: related)
            try db.execute(
                sql: """
                    UPDATE conflicts SET competitors = ?, displayed = ?, users = ?, territory = ?, record_label = ?,
                        reason = COALESCE(?, reason)
                    WHERE id = ?
                    """,
                arguments: [
                    try ServerJSON.encodeString(description.competitors), description.displayed,
                    try ServerJSON.encodeString(description.users), description.territory, description.recordLabel,
                    description.reason, row["id"] as Int64,
                ]
            )
        }
    }

    /// Fills the derived tables from existing records once, after the migration that created
    /// them (a store made before it holds records but no derived rows).
    static func backfillDerivedIndexes(_ db: any SQLDatabase, schema: Schema) throws {
        let name = "references-duplicates-v1"
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM derived_indexes WHERE name = ?)", arguments: [name]) == false else {
            return
        }
        for json in try String.fetchAll(db, sql: "SELECT state FROM records") {
            let state = try ServerJSON.decode(RecordState.self, from: json)
            let isDeleted = state.isDeleted(policy: schema.entity(state.entity)?.deletionPolicy ?? .updateWins)
            try updateReferences(of: state, isDeleted: isDeleted, schema: schema, db)
            try updateDuplicateKeys(of: state, isDeleted: isDeleted, db)
        }
        // Entries copied from the old table get their competing values and authors now.
        for row in try SQLRow.fetchAll(db, sql: "SELECT DISTINCT entity, record_id FROM conflicts WHERE status = 'open'") {
            try refreshOpenEntries(touching: RecordReference(entity: row["entity"], id: row["record_id"]), schema: schema, db)
        }
        try db.execute(sql: "INSERT INTO derived_indexes (name) VALUES (?)", arguments: [name])
    }
}

/// The change that opens or closes conflict-log entries: its sequence, author and arrival.
struct LogEvent {
    var sequence: LogSequence
    var author: ChangeAuthor
}

/// Which open entries a write closes: each given part must match, absent parts match all.
struct ConflictMatch {
    var id: Int64? = nil
    var entity: String? = nil
    var recordID: RecordID? = nil
    var field: String? = nil
    var kind: String? = nil
    var relatedEntity: String? = nil
    var relatedID: RecordID? = nil
    /// Matches entries whose related record is another one than this.
    var relatedIDOtherThan: RecordID? = nil
}
