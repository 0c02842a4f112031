#!/usr/bin/env python3
"""WAL frames (b-tree pages) one tracked edit writes, device schemas v5 to v8.

Replays the layouts of the device tables with rows of the sizes a tracked edit writes
(a 400-byte binary state and a 200-byte display, as the bench's accounts; then an 800-byte
state and a 400-byte display, as a customer with an address and notes; a 300-byte change
JSON) in SQLite's WAL mode, one transaction per edit over 1,000 records, and counts the
frames appended to the WAL. Frames are counted, not timed, so the figure does not depend on
machine load.

    python3 Benchmarks/scripts/wal_frames_per_edit.py
"""
import os
import sqlite3
import tempfile
import uuid

EDITS = 3000
RECORDS = [str(uuid.uuid4()) for _ in range(1000)]
CHANGE = '{"ctx":{},"ops":[{"f":"city","v":"' + "x" * 250 + '"}]}'
RECORDS_TABLE = """CREATE TABLE records (entity TEXT NOT NULL, id TEXT NOT NULL, state BLOB NOT NULL,
    display TEXT NOT NULL, history_head INTEGER, PRIMARY KEY (entity, id)) WITHOUT ROWID;"""
# v8: the same columns in a rowid table, found by the unique index of its primary key.
RECORDS_ROWID_TABLE = RECORDS_TABLE.replace(" WITHOUT ROWID", "")
SIZES = [(400, 200), (800, 400)]

LAYOUTS = {
    "plain UPDATE": ("", []),
    "v5: record, history + index, outbox, clock row": (
        """CREATE TABLE history (seq INTEGER PRIMARY KEY, entity TEXT, record_id TEXT, replica TEXT, counter INTEGER,
               hlc INTEGER, origin TEXT, change TEXT, diff TEXT, applied_at INTEGER);
           CREATE INDEX history_record ON history(entity, record_id);
           CREATE TABLE outbox (counter INTEGER PRIMARY KEY, entity TEXT, record_id TEXT, change TEXT, created_at INTEGER,
               attempts INTEGER DEFAULT 0, reject_code TEXT, reject_message TEXT, clock_offset INTEGER);
           CREATE TABLE replica_clock (id INTEGER PRIMARY KEY, counter INTEGER, hlc_physical INTEGER, hlc_logical INTEGER);
           INSERT INTO replica_clock VALUES (1, 0, 0, 0);""",
        [
            ("INSERT INTO history(entity, record_id, replica, counter, hlc, origin, change, diff, applied_at) "
             "VALUES ('account', :id, 'r', :n, :n, 'local', :change, '{\"city\":{}}', :n)"),
            "INSERT INTO outbox(counter, entity, record_id, change, created_at, clock_offset) VALUES (:n, 'account', :id, :change, :n, 0)",
            "UPDATE replica_clock SET counter = :n, hlc_physical = :n WHERE id = 1",
        ],
    ),
    "v6: record, history row (the outbox entry) + index": (
        """CREATE TABLE history (seq INTEGER PRIMARY KEY, entity TEXT, record_id TEXT, replica TEXT, counter INTEGER,
               hlc INTEGER, hlc_logical INTEGER, origin TEXT, change TEXT, diff TEXT, applied_at INTEGER, pending INTEGER,
               attempts INTEGER DEFAULT 0, reject_code TEXT, reject_message TEXT, stamped_at INTEGER, clock_offset INTEGER,
               dropped INTEGER);
           CREATE INDEX history_record ON history(entity, record_id);""",
        [
            ("INSERT INTO history(entity, record_id, replica, counter, hlc, hlc_logical, origin, change, diff, applied_at, "
             "pending, stamped_at, clock_offset) VALUES ('account', :id, 'r', :n, :n, 0, 'local', :change, '{\"city\":{}}', :n, 1, :n, 0)"),
        ],
    ),
    "v7: record (names its newest history row), history row chained to the one before, no index": (
        """CREATE TABLE history (seq INTEGER PRIMARY KEY, entity TEXT, record_id TEXT, replica TEXT, counter INTEGER,
               hlc INTEGER, hlc_logical INTEGER, origin TEXT, change TEXT, diff TEXT, applied_at INTEGER, pending INTEGER,
               attempts INTEGER DEFAULT 0, reject_code TEXT, reject_message TEXT, stamped_at INTEGER, clock_offset INTEGER,
               dropped INTEGER, prev_seq INTEGER);""",
        [
            ("INSERT INTO history(entity, record_id, replica, counter, hlc, hlc_logical, origin, change, diff, applied_at, "
             "pending, stamped_at, clock_offset, prev_seq) VALUES ('account', :id, 'r', :n, :n, 0, 'local', :change, "
             "'{\"city\":{}}', :n, 1, :n, 0, (SELECT history_head FROM records WHERE entity = 'account' AND id = :id))"),
            "UPDATE records SET history_head = last_insert_rowid() WHERE entity = 'account' AND id = :id",
        ],
    ),
}
# v8: v7's tables, with the records in a rowid table.
LAYOUTS["v8: v7 with the records in a rowid table"] = LAYOUTS[
    "v7: record (names its newest history row), history row chained to the one before, no index"
] + (RECORDS_ROWID_TABLE,)


def frames_per_edit(directory, name, extra_tables, statements, records_table=RECORDS_TABLE, sizes=SIZES[0]):
    state_size, display_size = sizes
    path = os.path.join(directory, f"{abs(hash(name))}-{state_size}.sqlite")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.executescript(records_table + extra_tables)
    db.executemany(
        "INSERT INTO records(entity, id, state, display) VALUES ('account', ?, ?, ?)",
        [(id, os.urandom(state_size), "d" * display_size) for id in RECORDS],
    )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for n in range(EDITS):
        id = RECORDS[n % len(RECORDS)]
        db.execute("BEGIN")
        db.execute(
            "UPDATE records SET state = ?, display = ? WHERE entity = 'account' AND id = ?",
            (os.urandom(state_size), "e" * display_size, id),
        )
        for sql in statements:
            db.execute(sql, {"id": id, "n": n, "change": CHANGE})
        db.execute("COMMIT")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    size = os.path.getsize(path + "-wal")
    db.close()
    return (size - 32) / (page_size + 24) / EDITS


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as directory:
        for sizes in SIZES:
            print(f"records of a {sizes[0]}-byte state and a {sizes[1]}-byte display:")
            for name, (tables, statements, *records_table) in LAYOUTS.items():
                frames = frames_per_edit(directory, name, tables, statements, *(records_table or [RECORDS_TABLE]), sizes=sizes)
                print(f"  {name}: {frames:.2f} WAL frames per edit")
