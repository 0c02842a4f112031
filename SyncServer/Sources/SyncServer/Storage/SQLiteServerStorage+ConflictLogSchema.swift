import GRDB
import SyncCore

extension SQLiteServerStorage {
    /// The conflict log as admins use it: the `conflicts` table gains the competing values,
    /// the statuses `resolved_by_edit`, `resolved_by_admin` and `dismissed`, who closed an entry
    /// and how; two derived tables find orphans (`record_references`) and probable duplicates
    /// (`duplicate_keys`) with an index lookup instead of a scan.
    static func registerConflictLogMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-conflict-log") { db in
            // SQLite cannot widen a CHECK constraint in place: copy into a new table.
            try db.execute(
                sql: """
                    CREATE TABLE conflicts_v2 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        entity TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        field TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        related_entity TEXT,
                        related_id TEXT,
                        status TEXT NOT NULL CHECK (status IN ('open', 'resolved_by_edit', 'resolved_by_admin', 'dismissed')),
                        reason TEXT,
                        territory TEXT,
                        record_label TEXT,
                        competitors TEXT NOT NULL DEFAULT '[]',
                        displayed TEXT,
                        users TEXT NOT NULL DEFAULT '[]',
                        opened_at INTEGER NOT NULL,
                        opened_seq INTEGER NOT NULL,
                        opened_by TEXT,
                        closed_at INTEGER,
                        closed_seq INTEGER,
                        closed_by TEXT,
                        resolution TEXT
                    );
                    INSERT INTO conflicts_v2 (id, entity, record_id, field, kind, status, opened_at, opened_seq, closed_at, closed_seq)
                        SELECT id, entity, record_id, field, kind,
                               CASE status WHEN 'open' THEN 'open' ELSE 'resolved_by_edit' END,
                               opened_at, opened_seq, closed_at, closed_seq
                        FROM conflicts;
                    DROP TABLE conflicts;
                    ALTER TABLE conflicts_v2 RENAME TO conflicts;
                    CREATE UNIQUE INDEX conflicts_open_by_key
                        ON conflicts (entity, record_id, field, kind, IFNULL(related_id, '')) WHERE status = 'open';
                    CREATE INDEX conflicts_by_record ON conflicts (entity, record_id);
                    CREATE INDEX conflicts_by_related ON conflicts (related_entity, related_id) WHERE related_id IS NOT NULL;
                    CREATE INDEX conflicts_by_status ON conflicts (status, opened_at);

                    -- The displayed reference values of live records: who points at a record.
                    CREATE TABLE record_references (
                        entity TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        field TEXT NOT NULL,
                        target_entity TEXT NOT NULL,
                        target_id TEXT NOT NULL,
                        PRIMARY KEY (entity, record_id, field)
                    ) WITHOUT ROWID;
                    CREATE INDEX record_references_by_target ON record_references (target_entity, target_id);

                    -- Normalised phone, e-mail and name+city keys of live customers.
                    CREATE TABLE duplicate_keys (
                        entity TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        key TEXT NOT NULL,
                        PRIMARY KEY (entity, record_id, kind)
                    ) WITHOUT ROWID;
                    CREATE INDEX duplicate_keys_by_key ON duplicate_keys (entity, kind, key);

                    -- Which derived tables have been filled from the records (once per store).
                    CREATE TABLE derived_indexes (name TEXT PRIMARY KEY) WITHOUT ROWID;
                    """
            )
        }
    }
}
