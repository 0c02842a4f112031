import SyncCore

/// The PostgreSQL schema: the same tables and columns as the SQLite store after all its
/// migrations, so the shared statements run unchanged.
///
/// Differences that matter: `change_log.seq` and `conflicts.id` are identity columns (never
/// reused, like SQLite's AUTOINCREMENT); booleans stay integers 0/1; the key and name columns
/// use the "C" collation so that rows sort byte-wise, as in SQLite, whatever the cluster's
/// locale (snapshot pages walk `(entity, id)` in that order). `"user"` is quoted: a reserved
/// word in PostgreSQL.
extension PostgresServerStorage {
    /// Migrations in order, each applied once in its own transaction. Several servers may start
    /// at once: the migration transaction holds its own advisory lock.
    static let migrations: [(name: String, sql: String)] = [
        ("v1", v1SQL), ("v4-compaction", v4CompactionSQL), ("v5-conflict-lookups", ServerSQL.conflictLookupIndexesSQL),
        ("v6-resync-high-water", ServerSQL.resyncHighWaterSQL), ("v7-enrollment-recovery", ServerSQL.enrollmentRecoverySQL),
        ("v8-shared-state", ServerSQL.sharedStateSQL), ("v9-territories", ServerSQL.territoriesSQL),
        ("v10-bootstrap-priority", ServerSQL.priorityDaysSQL(.postgres)),
    ]

    static let migrationLockKey: Int64 = 0x6669_656C_646D_6967  // "fieldmig"

    func migrate() async throws {
        let schema = self.schema
        try await transaction(.readCommitted, lock: .notCounted) { db in
            try await db.execute(sql: PostgresSQL.migrationLock, arguments: [Self.migrationLockKey])
            try await db.command(PostgresCommand(text: "CREATE TABLE IF NOT EXISTS fieldsync_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"))
            let applied = Set(try await String.fetchAll(db, sql: PostgresSQL.appliedMigrations))
            for migration in Self.migrations where !applied.contains(migration.name) {
                // The extended query protocol runs one statement at a time.
                for statement in migration.sql.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                    try await db.command(PostgresCommand(text: String(statement)))
                }
                try await db.execute(sql: PostgresSQL.noteMigration, arguments: [migration.name, ServerClock.millisecondsSince1970()])
            }
            try await Self.backfillDerivedIndexes(db, schema: schema)
            try await db.execute(sql: PostgresSQL.createMeta, arguments: [ReplicaID().rawValue, ServerClock.millisecondsSince1970()])
        }
    }

    static let v1SQL = """
        CREATE TABLE server_meta (
            id BIGINT PRIMARY KEY CHECK (id = 1),
            replica TEXT NOT NULL,
            dot_counter BIGINT NOT NULL,
            hlc_physical BIGINT NOT NULL,
            hlc_logical BIGINT NOT NULL,
            created_at BIGINT NOT NULL
        );

        CREATE TABLE records (
            entity TEXT COLLATE "C" NOT NULL,
            id TEXT COLLATE "C" NOT NULL,
            state TEXT NOT NULL,
            territory TEXT COLLATE "C",
            account_id TEXT COLLATE "C",
            deleted BIGINT NOT NULL DEFAULT 0,
            updated_seq BIGINT NOT NULL,
            PRIMARY KEY (entity, id)
        );
        CREATE INDEX records_by_territory ON records (territory);
        CREATE INDEX records_by_account ON records (account_id);

        -- seq: assigned by the identity, and readers publish only below the lowest sequence a
        -- writer in progress may commit (PostgresServerStorage). UNIQUE (replica, counter):
        -- idempotence by dot.
        CREATE TABLE change_log (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            replica TEXT COLLATE "C" NOT NULL,
            counter BIGINT NOT NULL,
            entity TEXT COLLATE "C" NOT NULL,
            record_id TEXT COLLATE "C" NOT NULL,
            change TEXT NOT NULL,
            "user" TEXT COLLATE "C" NOT NULL,
            device TEXT COLLATE "C" NOT NULL,
            received_at BIGINT NOT NULL,
            scope_before TEXT COLLATE "C",
            scope_after TEXT COLLATE "C",
            scope_global BIGINT NOT NULL DEFAULT 0,
            UNIQUE (replica, counter)
        );
        CREATE INDEX change_log_by_record ON change_log (entity, record_id);

        CREATE TABLE users (
            name TEXT COLLATE "C" PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'admin')),
            territories TEXT NOT NULL,
            team TEXT NOT NULL DEFAULT '[]',
            enrollment_code_hash TEXT UNIQUE,
            created_at BIGINT NOT NULL
        );

        CREATE TABLE devices (
            replica TEXT COLLATE "C" PRIMARY KEY,
            "user" TEXT COLLATE "C" NOT NULL REFERENCES users (name),
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            cursor BIGINT,
            last_seen BIGINT,
            enrolled_at BIGINT NOT NULL,
            revoked BIGINT NOT NULL DEFAULT 0,
            replicated_scope TEXT NOT NULL DEFAULT '*'
        );

        CREATE TABLE conflicts (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            entity TEXT COLLATE "C" NOT NULL,
            record_id TEXT COLLATE "C" NOT NULL,
            field TEXT COLLATE "C" NOT NULL,
            kind TEXT COLLATE "C" NOT NULL,
            related_entity TEXT COLLATE "C",
            related_id TEXT COLLATE "C",
            status TEXT COLLATE "C" NOT NULL CHECK (status IN ('open', 'resolved_by_edit', 'resolved_by_admin', 'dismissed')),
            reason TEXT,
            territory TEXT COLLATE "C",
            record_label TEXT,
            competitors TEXT NOT NULL DEFAULT '[]',
            displayed TEXT,
            users TEXT NOT NULL DEFAULT '[]',
            opened_at BIGINT NOT NULL,
            opened_seq BIGINT NOT NULL,
            opened_by TEXT,
            closed_at BIGINT,
            closed_seq BIGINT,
            closed_by TEXT,
            resolution TEXT
        );
        CREATE UNIQUE INDEX conflicts_open_by_key
            ON conflicts (entity, record_id, field, kind, COALESCE(related_id, '')) WHERE status = 'open';
        CREATE INDEX conflicts_by_record ON conflicts (entity, record_id);
        CREATE INDEX conflicts_by_related ON conflicts (related_entity, related_id) WHERE related_id IS NOT NULL;
        CREATE INDEX conflicts_by_status ON conflicts (status, opened_at);

        CREATE TABLE record_references (
            entity TEXT COLLATE "C" NOT NULL,
            record_id TEXT COLLATE "C" NOT NULL,
            field TEXT COLLATE "C" NOT NULL,
            target_entity TEXT COLLATE "C" NOT NULL,
            target_id TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (entity, record_id, field)
        );
        CREATE INDEX record_references_by_target ON record_references (target_entity, target_id);

        CREATE TABLE duplicate_keys (
            entity TEXT COLLATE "C" NOT NULL,
            record_id TEXT COLLATE "C" NOT NULL,
            kind TEXT COLLATE "C" NOT NULL,
            key TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (entity, record_id, kind)
        );
        CREATE INDEX duplicate_keys_by_key ON duplicate_keys (entity, kind, key);

        CREATE TABLE derived_indexes (name TEXT PRIMARY KEY);
        """

    /// The SQLite migration of the same name: compaction state and the bootstrap high-water
    /// mark of each device (`SQLiteServerStorage+Migrations.swift`).
    static let v4CompactionSQL = """
        ALTER TABLE devices ADD COLUMN bootstrap_high_water BIGINT;

        CREATE TABLE compaction (
            id BIGINT PRIMARY KEY CHECK (id = 1),
            floor BIGINT NOT NULL,
            scanned_through BIGINT NOT NULL,
            last_run BIGINT
        );
        INSERT INTO compaction (id, floor, scanned_through) VALUES (1, 0, 0);
        CREATE INDEX records_by_updated_seq ON records (updated_seq)
        """
}
