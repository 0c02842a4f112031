import GRDB

extension DeviceStore {
    /// The device database's tables. Migrations only ever append.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE records (
                    entity TEXT NOT NULL,
                    id TEXT NOT NULL,
                    state TEXT NOT NULL,
                    display TEXT NOT NULL,
                    deleted INTEGER NOT NULL,
                    conflicted INTEGER NOT NULL,
                    account TEXT,
                    modified INTEGER NOT NULL,
                    PRIMARY KEY (entity, id)
                ) WITHOUT ROWID;
                CREATE INDEX records_account ON records(account) WHERE account IS NOT NULL;
                CREATE TABLE outbox (
                    counter INTEGER PRIMARY KEY NOT NULL,
                    entity TEXT NOT NULL,
                    record_id TEXT NOT NULL,
                    change TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    reject_code TEXT,
                    reject_message TEXT
                );
                CREATE TABLE history (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    entity TEXT NOT NULL,
                    record_id TEXT NOT NULL,
                    replica TEXT NOT NULL,
                    counter INTEGER NOT NULL,
                    hlc INTEGER NOT NULL,
                    origin TEXT NOT NULL,
                    change TEXT NOT NULL,
                    diff TEXT NOT NULL,
                    applied_at INTEGER NOT NULL
                );
                CREATE INDEX history_record ON history(entity, record_id);
                CREATE TABLE conflicts (
                    entity TEXT NOT NULL,
                    record_id TEXT NOT NULL,
                    field TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    target TEXT,
                    opened_at INTEGER NOT NULL,
                    PRIMARY KEY (entity, record_id, field, kind)
                ) WITHOUT ROWID;
                CREATE INDEX conflicts_target ON conflicts(target) WHERE target IS NOT NULL;
                """)
        }
        return migrator
    }
}
