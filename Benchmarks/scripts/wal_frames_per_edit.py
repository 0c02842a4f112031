#!/usr/bin/env python3
"""WAL frames (b-tree pages) one tracked edit writes, device schemas v5, v6 and v7.

Replays the layouts of the device tables with rows of the sizes a tracked edit writes
(a 400-byte binary state, a 200-byte display, a 300-byte change JSON) in SQLite's WAL mode,
one transaction per edit over 1,000 records, and counts the frames appended to the WAL.
Frames are counted, not timed, so the figure does not depend on machine load.

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


def frames_per_edit(directory, name, extra_tables, statements):
    path = os.path.join(directory, f"{abs(hash(name))}.sqlite")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.executescript(RECORDS_TABLE + extra_tables)
    db.executemany("INSERT INTO records(entity, id, state, display) VALUES ('account', ?, ?, ?)", [(id, os.urandom(400), "d" * 200) for id in RECORDS])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for n in range(EDITS):
        id = RECORDS[n % len(RECORDS)]
        db.execute("BEGIN")
        db.execute("UPDATE records SET state = ?, display = ? WHERE entity = 'account' AND id = ?", (os.urandom(400), "e" * 200, id))
        for sql in statements:
            db.execute(sql, {"id": id, "n": n, "change": CHANGE})
        db.execute("COMMIT")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    size = os.path.getsize(path + "-wal")
    db.close()
    return (size - 32) / (page_size + 24) / EDITS


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as directory:
        for name, (tables, statements) in LAYOUTS.items():
            print(f"{name}: {frames_per_edit(directory, name, tables, statements):.2f} WAL frames per edit")
