import CRM
import SyncCore

/// What a push locks on PostgreSQL, where pushes run side by side (`SQLWriteKind.append`).
///
/// A push locks the records it merges into, exclusively, before reading any of them; then, for
/// each change, before reading anything else: the records the change names and the records the
/// record refers to before and after the merge (their existence and territory decide the log
/// entry's scope columns, the scope checks and the orphan entries), shared; and a customer's
/// duplicate keys before and after, exclusively (two customers taking the same phone at once
/// must see each other). At READ COMMITTED every statement after a lock is granted sees the
/// commits of the pushes that held it before, so each merge reads what one writer would have.
/// The locks are transaction-scoped advisory locks on buckets of a hash of the key (1,024 of
/// them, so a push of a thousand changes stays within PostgreSQL's lock table): two keys in one
/// bucket only wait for each other. Locks taken in bucket order cannot deadlock; the later,
/// per-change ones can, and PostgreSQL then aborts one push, which runs again
/// (`PostgresServerStorage.transaction`).
///
/// What stays unlocked is display: the competing values a conflict-log entry shows are read
/// from the other records as they are committed, and refreshed by the next write touching it.
enum MergeLock {
    /// The record `entity`/`id`.
    static func record(_ entity: String, _ id: RecordID) -> String {
        "r \(entity) \(id)"
    }

    /// A customer's duplicate key.
    static func duplicateKey(_ entity: String, _ kind: DuplicateKeys.Kind, _ key: String) -> String {
        "d \(entity) \(kind.rawValue) \(key)"
    }

    /// The locks a change takes once its record is read and merged: `previous` is the stored
    /// record, `merged` the state the change would leave (nil when it is not applied).
    static func reads(of change: Change, previous: RecordState?, merged: RecordState?, schema: Schema) -> (exclusive: [String], shared: [String]) {
        let shared = readRecords(of: change, previous: previous, merged: merged, schema: schema).map { record($0.entity, $0.id) }
        var exclusive: [String] = []
        for state in [previous, merged].compactMap({ $0 }) {
            exclusive += DuplicateKeys.keys(of: state).map { duplicateKey(state.entity, $0.kind, $0.key) }
        }
        return (exclusive, shared)
    }

    /// The records a change's shared locks are on: those it names and those its record refers
    /// to before and after the merge.
    static func readRecords(of change: Change, previous: RecordState?, merged: RecordState?, schema: Schema) -> [RecordReference] {
        let entity = schema.entity(change.entity)
        var records = ScopeRules.namedRecords(by: change, entity: entity).map { RecordReference(entity: $0.entity, id: $0.id) }
        for state in [previous, merged].compactMap({ $0 }) {
            for field in entity?.referenceFields ?? [] {
                guard let target = state.value(of: field.name).stringValue, let targetEntity = field.type.referencedEntity else { continue }
                records.append(RecordReference(entity: targetEntity, id: target))
            }
        }
        return records
    }

    /// Takes these merge locks on PostgreSQL (SQLite's single writer needs none): exclusive
    /// ones in one statement, shared ones in another, each in bucket order. In a push's batch,
    /// only those the push does not hold yet.
    static func take(exclusive: [String], shared: [String], _ db: any SQLDatabase) async throws {
        guard db.dialect == .postgres else { return }
        var (exclusive, shared) = (exclusive, shared)
        if let batch = db as? PushBatch {
            (exclusive, shared) = batch.locksToTake(exclusive: exclusive, shared: shared)
        }
        for (keys, sql) in [(exclusive, MergeLockSQL.exclusive), (shared, MergeLockSQL.shared)] where !keys.isEmpty {
            try await db.execute(sql: sql, arguments: [try ServerJSON.encodeString(Set(keys).sorted())])
        }
    }
}

extension SQLServerStorage {
    /// Takes the merge locks (`MergeLock`) on PostgreSQL; SQLite's single writer needs none.
    static func lockForMerge(exclusive: [String], shared: [String], _ db: any SQLDatabase) async throws {
        try await MergeLock.take(exclusive: exclusive, shared: shared, db)
    }
}

/// The merge locks' statements, PostgreSQL's only. Each locks the buckets of the keys in $1
/// (a JSON array), in bucket order. The class (the first key of the two-key advisory locks,
/// 1835364967 = 0x6D657267, "merg") keeps them apart from the log's lock and marks (one-key
/// locks).
enum MergeLockSQL: SQLCatalog {
    case exclusive, shared

    var statement: SQLStatement {
        switch self {
        case .exclusive:
            SQLStatement(sqlite: nil, postgres: """
                SELECT pg_advisory_xact_lock(1835364967, bucket)
                FROM (SELECT DISTINCT hashtext(value) & 1023 AS bucket
                      FROM json_array_elements_text(CAST($1 AS json)) AS keys(value)) AS buckets ORDER BY bucket
                """)
        case .shared:
            SQLStatement(sqlite: nil, postgres: """
                SELECT pg_advisory_xact_lock_shared(1835364967, bucket)
                FROM (SELECT DISTINCT hashtext(value) & 1023 AS bucket
                      FROM json_array_elements_text(CAST($1 AS json)) AS keys(value)) AS buckets ORDER BY bucket
                """)
        }
    }
}
