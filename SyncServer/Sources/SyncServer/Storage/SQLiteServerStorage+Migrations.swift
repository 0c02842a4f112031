import GRDB

extension SQLiteServerStorage {
    /// The schema of the server store, one migration per released change.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // The server is a replica: its identity, dot counter and HLC, persisted once.
            try db.execute(
                sql: """
                    CREATE TABLE server_meta (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        replica TEXT NOT NULL,
                        dot_counter INTEGER NOT NULL,
                        hlc_physical INTEGER NOT NULL,
                        hlc_logical INTEGER NOT NULL,
                        created_at INTEGER NOT NULL
                    );

                    -- Materialised state: the merge of every accepted change, as sorted-keys JSON.
                    -- territory / account_id / deleted are derived for scope queries.
                    CREATE TABLE records (
                        entity TEXT NOT NULL,
                        id TEXT NOT NULL,
                        state TEXT NOT NULL,
                        territory TEXT,
                        account_id TEXT,
                        deleted INTEGER NOT NULL DEFAULT 0,
                        updated_seq INTEGER NOT NULL,
                        PRIMARY KEY (entity, id)
                    ) WITHOUT ROWID;
                    CREATE INDEX records_by_territory ON records (territory);
                    CREATE INDEX records_by_account ON records (account_id);

                    -- The append-only log. AUTOINCREMENT: a sequence is never reused, even after
                    -- compaction deletes old entries. UNIQUE(replica, counter): idempotence by dot.
                    CREATE TABLE change_log (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        replica TEXT NOT NULL,
                        counter INTEGER NOT NULL,
                        entity TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        change TEXT NOT NULL,
                        user TEXT NOT NULL,
                        device TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        UNIQUE (replica, counter)
                    );
                    CREATE INDEX change_log_by_record ON change_log (entity, record_id);

                    CREATE TABLE users (
                        name TEXT PRIMARY KEY,
                        role TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'admin')),
                        territories TEXT NOT NULL,
                        enrollment_code_hash TEXT UNIQUE,
                        created_at INTEGER NOT NULL
                    );

                    CREATE TABLE devices (
                        replica TEXT PRIMARY KEY,
                        user TEXT NOT NULL REFERENCES users (name),
                        name TEXT NOT NULL,
                        token_hash TEXT NOT NULL UNIQUE,
                        cursor INTEGER,
                        last_seen INTEGER,
                        enrolled_at INTEGER NOT NULL,
                        revoked INTEGER NOT NULL DEFAULT 0
                    );

                    CREATE TABLE conflicts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        entity TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        field TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
                        opened_at INTEGER NOT NULL,
                        opened_seq INTEGER NOT NULL,
                        closed_at INTEGER,
                        closed_seq INTEGER
                    );
                    CREATE UNIQUE INDEX conflicts_open_by_key ON conflicts (entity, record_id, field, kind) WHERE status = 'open';
                    CREATE INDEX conflicts_by_record ON conflicts (entity, record_id);
                    """
            )
        }
        registerConflictLogMigration(&migrator)
        migrator.registerMigration("v3-scope") { db in
            try db.execute(
                sql: """
                    -- A manager's team: the user names whose territories the manager also sees.
                    ALTER TABLE users ADD COLUMN team TEXT NOT NULL DEFAULT '[]';

                    -- The scope a device's local data was replicated under: '*' (everything) or a
                    -- JSON array of territories. Devices enrolled before scopes existed received
                    -- everything, hence the default; a device whose user's scope differs from it
                    -- is told to resync.
                    ALTER TABLE devices ADD COLUMN replicated_scope TEXT NOT NULL DEFAULT '*';

                    -- Where each logged change's record sat in the scope tree just before and just
                    -- after the change: the territory deciding who sees it (NULL: nobody but
                    -- admins), or scope_global = 1 for reference data everyone sees. Entries
                    -- logged before this migration stay NULL: only admins read them, since every
                    -- other device resyncs (see replicated_scope) and follows the log from after
                    -- them.
                    ALTER TABLE change_log ADD COLUMN scope_before TEXT;
                    ALTER TABLE change_log ADD COLUMN scope_after TEXT;
                    ALTER TABLE change_log ADD COLUMN scope_global INTEGER NOT NULL DEFAULT 0;
                    """
            )
        }
        migrator.registerMigration("v4-compaction") { db in
            try db.execute(
                sql: """
                    -- The high-water mark of the snapshot a device is bootstrapping from: compaction
                    -- keeps the log after it until the device's cursor passes it.
                    ALTER TABLE devices ADD COLUMN bootstrap_high_water INTEGER;

                    -- Log compaction: entries at or below `floor` may be gone (a device behind it
                    -- resyncs); `scanned_through` is the latest sequence the last run looked at,
                    -- so the next run examines only records written since or entries newly under
                    -- the floor.
                    CREATE TABLE compaction (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        floor INTEGER NOT NULL,
                        scanned_through INTEGER NOT NULL,
                        last_run INTEGER
                    );
                    INSERT INTO compaction (id, floor, scanned_through) VALUES (1, 0, 0);
                    CREATE INDEX records_by_updated_seq ON records (updated_seq);
                    """
            )
        }
        migrator.registerMigration("v5-conflict-lookups") { db in
            try db.execute(sql: ServerSQL.conflictLookupIndexesSQL)
        }
        migrator.registerMigration("v6-resync-high-water") { db in
            try db.execute(sql: ServerSQL.resyncHighWaterSQL)
        }
        migrator.registerMigration("v7-enrollment-recovery") { db in
            try db.execute(sql: ServerSQL.enrollmentRecoverySQL)
        }
        migrator.registerMigration("v8-shared-state") { db in
            try db.execute(sql: ServerSQL.sharedStateSQL)
        }
        migrator.registerMigration("v9-territories") { db in
            try db.execute(sql: ServerSQL.territoriesSQL)
        }
        migrator.registerMigration("v10-bootstrap-priority") { db in
            try db.execute(sql: ServerSQL.priorityDaysSQL(.sqlite))
        }
        migrator.registerMigration("v11-record-placement") { db in
            try db.execute(sql: ServerSQL.recordPlacementSQL)
        }
        return migrator
    }
}
