#!/usr/bin/env python3
"""The device's records table as WITHOUT ROWID (schema v7) and as a rowid table (v8).

Inserts 100,000 records of a 350-800-byte state and a 180-420-byte display (a CRM record's
row, 0.5-1.2 KB), in key order, 1,000 a transaction and 128 a statement as a snapshot page
does, then edits 2,000 of them one transaction each; prints the insert's time, the table's
pages by kind (SQLite's dbstat), the file's size, an edit's time and its WAL frames.

    python3 Benchmarks/scripts/records_layout.py
"""
import os
import random
import sqlite3
import tempfile
import time
import uuid

random.seed(1)
ROWS = sorted(
    (
        "account", str(uuid.UUID(int=random.getrandbits(128))), os.urandom(random.randint(350, 800)),
        "x" * random.randint(180, 420), 0, 0, str(uuid.UUID(int=random.getrandbits(128))), index,
    )
    for index in range(100_000)
)


def measure(directory, layout):
    path = os.path.join(directory, f"{layout}.sqlite")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    tail = " WITHOUT ROWID" if layout == "without rowid (v7)" else ""
    db.execute(
        "CREATE TABLE records (entity TEXT NOT NULL, id TEXT NOT NULL, state BLOB NOT NULL, display TEXT NOT NULL, "
        "deleted INTEGER NOT NULL, conflicted INTEGER NOT NULL, account TEXT, modified INTEGER NOT NULL, "
        f"history_head INTEGER, PRIMARY KEY (entity, id)){tail}"
    )
    db.execute("CREATE INDEX records_account ON records(account) WHERE account IS NOT NULL")
    start = time.perf_counter()
    for page in range(0, len(ROWS), 1000):
        db.execute("BEGIN IMMEDIATE")
        for batch in range(page, min(page + 1000, len(ROWS)), 128):
            chunk = ROWS[batch:min(batch + 128, page + 1000)]
            values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
            db.execute(
                "INSERT INTO records(entity, id, state, display, deleted, conflicted, account, modified) "
                f"VALUES {values} ON CONFLICT(entity, id) DO NOTHING RETURNING entity, id",
                [value for row in chunk for value in row],
            ).fetchall()
        db.execute("COMMIT")
    inserted = time.perf_counter() - start
    pages = dict(db.execute("SELECT pagetype, COUNT(*) FROM dbstat WHERE name = 'records' GROUP BY pagetype").fetchall())
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    edited = [row[1] for row in random.sample(ROWS, 2000)]
    start = time.perf_counter()
    for index, id in enumerate(edited):
        db.execute("BEGIN IMMEDIATE")
        state = db.execute("SELECT state FROM records WHERE entity = 'account' AND id = ?", (id,)).fetchone()[0]
        db.execute(
            "UPDATE records SET state = ?, display = ?, modified = ? WHERE entity = 'account' AND id = ?",
            (state[:-4] + os.urandom(4), "y" * 300, index, id),
        )
        db.execute("COMMIT")
    edit = (time.perf_counter() - start) / len(edited)
    frames = (os.path.getsize(path + "-wal") - 32) / (4096 + 24) / len(edited)
    print(
        f"{layout}: insert {inserted:.2f} s, pages of records {pages}, file {os.path.getsize(path) / 1e6:.1f} MB; "
        f"an edit {edit * 1e6:.1f} µs, {frames:.2f} WAL frames"
    )
    db.close()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as directory:
        for layout in ["without rowid (v7)", "rowid (v8)"]:
            measure(directory, layout)
