import Foundation
import GRDB
import SyncCore

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
        migrator.registerMigration("v2") { db in
            // Record states move from JSON text to the compact binary form of
            // `RecordState.binaryEncoded()`; `canonicalDump()` still writes the JSON.
            try db.execute(sql: """
                CREATE TABLE records_v2 (
                    entity TEXT NOT NULL,
                    id TEXT NOT NULL,
                    state BLOB NOT NULL,
                    display TEXT NOT NULL,
                    deleted INTEGER NOT NULL,
                    conflicted INTEGER NOT NULL,
                    account TEXT,
                    modified INTEGER NOT NULL,
                    PRIMARY KEY (entity, id)
                ) WITHOUT ROWID;
                """)
            let rows = try Row.fetchCursor(db, sql: "SELECT entity, id, state, display, deleted, conflicted, account, modified FROM records")
            let insert = try db.makeStatement(sql: "INSERT INTO records_v2 VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            while let row = try rows.next() {
                let state = try decodeState(row["state"])
                try insert.execute(arguments: [
                    row["entity"], row["id"], Data(state.binaryEncoded()), row["display"], row["deleted"],
                    row["conflicted"], row["account"], row["modified"],
                ])
            }
            try db.execute(sql: """
                DROP TABLE records;
                ALTER TABLE records_v2 RENAME TO records;
                CREATE INDEX records_account ON records(account) WHERE account IS NOT NULL;
                """)

            // The dot counter, the hybrid clock and the server offset that every local edit
            // reads and advances, in one row instead of three JSON or text settings.
            try db.execute(sql: """
                CREATE TABLE replica_clock (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    counter INTEGER NOT NULL,
                    hlc_physical INTEGER NOT NULL,
                    hlc_logical INTEGER NOT NULL,
                    clock_offset INTEGER NOT NULL
                );
                """)
            let counter = Int64(try meta(db, "counter") ?? "0") ?? 0
            let clock = try meta(db, "hlc").map { try decode(HybridClock.self, $0) } ?? HybridClock()
            let offset = Int64(try meta(db, "clock_offset") ?? "0") ?? 0
            try db.execute(
                sql: "INSERT INTO replica_clock(id, counter, hlc_physical, hlc_logical, clock_offset) VALUES (1, ?, ?, ?, ?)",
                arguments: [counter, clock.last.physical, clock.last.logical, offset]
            )
            try db.execute(sql: "DELETE FROM meta WHERE key IN ('counter', 'hlc', 'clock_offset')")
        }
        migrator.registerMigration("v3") { db in
            // History rows take plain rowids: AUTOINCREMENT wrote the sqlite_sequence table on
            // every insert, one more page per edit. Rows are never deleted from the top of the
            // history, so new rows still sort after old ones.
            try db.execute(sql: """
                CREATE TABLE history_v3 (
                    seq INTEGER PRIMARY KEY,
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
                INSERT INTO history_v3 SELECT seq, entity, record_id, replica, counter, hlc, origin, change, diff, applied_at FROM history;
                DROP TABLE history;
                ALTER TABLE history_v3 RENAME TO history;
                CREATE INDEX history_record ON history(entity, record_id);
                """)
        }
        migrator.registerMigration("v4-outbox-clock-offset") { db in
            // The server clock offset in force when a change was stamped: with `created_at`
            // (the corrected time then) it gives the device clock's reading then, so a change
            // refused for clock skew is stamped again at the true time it was made (see
            // `restampRefused`). NULL for changes stamped before this column existed.
            try db.execute(sql: "ALTER TABLE outbox ADD COLUMN clock_offset INTEGER")
        }
        migrator.registerMigration("v5-derived-orphans") { db in
            // Orphan references are derived from the records when conflicts are read; the rows
            // earlier versions kept depended on the order changes arrived in.
            try db.execute(sql: "DELETE FROM conflicts WHERE kind = 'orphan_reference'")
        }
        migrator.registerMigration("v6-outbox-in-history") { db in
            try migrateOutboxIntoHistory(db)
        }
        migrator.registerMigration("v7-history-chain") { db in
            try chainHistory(db)
        }
        migrator.registerMigration("v8-records-rowid") { db in
            try keepRecordsInRowidTable(db)
        }
        return migrator
    }

    /// v6: a tracked edit writes the record and one history row, nothing else.
    ///
    /// The outbox becomes the history rows still waiting for the server (`pending = 1`), with
    /// their attempts, the server's last refusal and the stamp's time and offset (for
    /// `restampRefused`); the outbox table, which held a second copy of each change, goes. The
    /// clock row is no longer rewritten by each edit: the history rows after its `clock_from`
    /// mark carry the newest dot and stamp (see `StoredClock`), hence `hlc_logical`.
    /// `outbox_from` bounds the pending rows from below, so reading the outbox does not scan the
    /// acknowledged history. Outbox rows whose history was dropped (their record was evicted)
    /// become pending rows marked `dropped` (outbox entries only, not shown as history); every
    /// unsent change is kept.
    static func migrateOutboxIntoHistory(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE history ADD COLUMN hlc_logical INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE history ADD COLUMN pending INTEGER;
            ALTER TABLE history ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE history ADD COLUMN reject_code TEXT;
            ALTER TABLE history ADD COLUMN reject_message TEXT;
            ALTER TABLE history ADD COLUMN stamped_at INTEGER;
            ALTER TABLE history ADD COLUMN clock_offset INTEGER;
            ALTER TABLE history ADD COLUMN dropped INTEGER;
            ALTER TABLE replica_clock ADD COLUMN clock_from INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE replica_clock ADD COLUMN outbox_from INTEGER NOT NULL DEFAULT 0;
            """)
        if let replica = try meta(db, "replica") {
            var local: [Int64: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT seq, counter FROM history WHERE replica = ?", arguments: [replica]) {
                local[row[1]] = row[0]
            }
            let outbox = try Row.fetchAll(db, sql: """
                SELECT counter, entity, record_id, change, created_at, attempts, reject_code, reject_message, clock_offset
                FROM outbox ORDER BY counter
                """)
            for row in outbox {
                let counter: Int64 = row["counter"]
                let text: String = row["change"]
                let change = try decode(Change.self, text)
                if let seq = local[counter] {
                    try db.execute(
                        sql: """
                            UPDATE history SET pending = 1, change = ?, hlc = ?, hlc_logical = ?, attempts = ?, reject_code = ?,
                                reject_message = ?, stamped_at = ?, clock_offset = ? WHERE seq = ?
                            """,
                        arguments: [
                            text, change.hlc.physical, Int64(change.hlc.logical), row["attempts"], row["reject_code"],
                            row["reject_message"], row["created_at"], row["clock_offset"], seq,
                        ]
                    )
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO history(entity, record_id, replica, counter, hlc, hlc_logical, origin, change, diff, applied_at,
                                pending, attempts, reject_code, reject_message, stamped_at, clock_offset, dropped)
                            VALUES (?, ?, ?, ?, ?, ?, 'local', ?, '{}', ?, 1, ?, ?, ?, ?, ?, 1)
                            """,
                        arguments: [
                            row["entity"], row["record_id"], replica, counter, change.hlc.physical, Int64(change.hlc.logical), text,
                            row["created_at"], row["attempts"], row["reject_code"], row["reject_message"], row["created_at"],
                            row["clock_offset"],
                        ]
                    )
                }
            }
        }
        // The clock row holds every dot and stamp issued so far (v5 wrote it with each edit).
        try db.execute(sql: """
            DROP TABLE outbox;
            UPDATE replica_clock SET
                clock_from = (SELECT IFNULL(MAX(seq), 0) + 1 FROM history),
                outbox_from = IFNULL((SELECT MIN(seq) FROM history WHERE pending = 1), (SELECT IFNULL(MAX(seq), 0) + 1 FROM history));
            """)
    }

    /// v8: records in a rowid table, found by a unique index on `(entity, id)`.
    ///
    /// In a `WITHOUT ROWID` table a row is its own key: it is kept whole in the b-tree's inner
    /// pages as well, and SQLite keeps at most about a quarter of a page of it in a leaf (1,002
    /// bytes of a 4 KB page) before the rest goes to an overflow page of its own. A record's row
    /// (its state's binary form and its displayed values) is 0.3-1.2 KB, so many rows had an
    /// overflow page, mostly empty: a test store held 106 leaf, 129 overflow and 25 inner pages
    /// of records. A tracked edit of such a record wrote its leaf and its overflow page, and a
    /// bootstrap wrote twice the pages the records needed. In a rowid table a leaf keeps rows
    /// of up to almost a page, the inner pages hold rowids, and the unique index holds the keys
    /// (SQLite's "WITHOUT ROWID" page advises rows under a twentieth of a page for it).
    /// Benchmarks/README.md, "Records in a rowid table".
    static func keepRecordsInRowidTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE records_v8 (
                entity TEXT NOT NULL,
                id TEXT NOT NULL,
                state BLOB NOT NULL,
                display TEXT NOT NULL,
                deleted INTEGER NOT NULL,
                conflicted INTEGER NOT NULL,
                account TEXT,
                modified INTEGER NOT NULL,
                history_head INTEGER,
                PRIMARY KEY (entity, id)
            );
            INSERT INTO records_v8 (entity, id, state, display, deleted, conflicted, account, modified, history_head)
                SELECT entity, id, state, display, deleted, conflicted, account, modified, history_head FROM records ORDER BY entity, id;
            DROP TABLE records;
            ALTER TABLE records_v8 RENAME TO records;
            CREATE INDEX records_account ON records(account) WHERE account IS NOT NULL;
            """)
    }

    /// v7: a tracked edit writes the record's page and the history's last page, no index page.
    ///
    /// The history's `(entity, record_id)` index put a third page in every edit's commit (an
    /// entry at a random place in the index), about a third of an edit's WAL frames. Instead
    /// the record row names its newest history row (`history_head`) and each history row the
    /// record's row before it (`prev_seq`), so a record's history is found by walking that
    /// chain (`recordHistory`) and both pointers are written to pages the edit writes anyway.
    /// Compaction chains the rows it keeps past the ones it drops; eviction walks the chain
    /// before the record row goes. Rows marked `dropped` (outbox entries of records that left)
    /// belong to no chain.
    static func chainHistory(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE records ADD COLUMN history_head INTEGER;
            ALTER TABLE history ADD COLUMN prev_seq INTEGER;
            UPDATE history SET prev_seq = (
                SELECT MAX(p.seq) FROM history p
                WHERE p.entity = history.entity AND p.record_id = history.record_id AND p.seq < history.seq AND p.dropped IS NULL
            ) WHERE dropped IS NULL;
            UPDATE records SET history_head = (
                SELECT MAX(h.seq) FROM history h WHERE h.entity = records.entity AND h.record_id = records.id AND h.dropped IS NULL
            );
            DROP INDEX history_record;
            """)
    }
}
