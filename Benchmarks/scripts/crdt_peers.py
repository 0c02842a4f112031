#!/usr/bin/env python3
"""The merge benchmark's workloads in Loro and Yrs (pycrdt), for fieldsync-bench's peer rows.

fieldsync-bench runs this script and sets each peer's time per write beside FieldSync's
(`MergeBenchmarks`, the same shapes):

- concurrent_import: 3 replicas write one record's fields f0..f3 in turn (integer values), each
  having seen only its own writes and, every sixth write, everyone's; a fresh replica then
  imports all the writes, decoding included. FieldSync decodes them from its wire JSON (a log
  page's changes); each peer from the binary update its own sync would send (Loro's `Updates`
  export, Yrs's v1 update of the whole document).
- sequential_import: one replica writes "value N" to f0..f9 in turn; a fresh replica imports
  all of it, decoding included.
- sequential_local: the same writes made in place on the writer's own document (FieldSync:
  `merge` into the state it holds; Loro: `insert` in one transaction, committed at the end;
  Yrs: assignments in one transaction). A Python loop drives the peers, so their figure
  includes the interpreter's cost of a call (about 0.1 µs).

Building the writes is not timed. Each shape runs `--runs` times; the output is one JSON
object: per peer its version and, under `shapes`, per shape the median seconds per write by
the wall clock and by the thread's CPU clock.

Install the peers: `python3 -m venv Benchmarks/.venv && Benchmarks/.venv/bin/pip install
loro pycrdt` (fieldsync-bench uses `Benchmarks/.venv/bin/python3` when it exists).
"""

import argparse
import json
import statistics
import sys
import time
from importlib import metadata


def measure(runs, count, body):
    """Median wall and thread-CPU seconds per write of `body()` over `runs` runs."""
    wall, cpu = [], []
    for _ in range(runs):
        wall_start, cpu_start = time.perf_counter(), time.thread_time()
        body()
        cpu.append((time.thread_time() - cpu_start) / count)
        wall.append((time.perf_counter() - wall_start) / count)
    return {"wall_seconds": statistics.median(wall), "cpu_seconds": statistics.median(cpu)}


def concurrent_writes(count):
    """(writer, key, value, sync) for each write of the concurrent shape, as FieldSync's
    `MergeBenchmarks.concurrentRegister`: writer i % 3 writes f(i % 4) = i, and after every
    sixth write the writer has seen every write so far."""
    return [(i % 3, "f%d" % (i % 4), i, i % 6 == 5) for i in range(count)]


def sequential_writes(count):
    keys = ["f%d" % k for k in range(10)]
    return [(keys[i % 10], "value %d" % i) for i in range(count)]


class Loro:
    name = "Loro"
    package = "loro"

    def __init__(self):
        import loro

        self.loro = loro

    def concurrent_update(self, count):
        loro = self.loro
        docs = []
        for peer in range(3):
            doc = loro.LoroDoc()
            doc.peer_id = peer + 1
            docs.append(doc)
        maps = [doc.get_map("record") for doc in docs]
        for writer, key, value, sync in concurrent_writes(count):
            maps[writer].insert(key, value)
            docs[writer].commit()
            if sync:
                doc = docs[writer]
                for other in docs:
                    if other is not doc:
                        doc.import_(other.export(loro.ExportMode.Updates(doc.oplog_vv)))
        merged = loro.LoroDoc()
        for doc in docs:
            merged.import_(doc.export(loro.ExportMode.Updates(loro.VersionVector())))
        return merged.export(loro.ExportMode.Updates(loro.VersionVector())), merged.get_map("record").get_value()

    def sequential_update(self, count):
        doc = self.loro.LoroDoc()
        doc.peer_id = 1
        record = doc.get_map("record")
        for key, value in sequential_writes(count):
            record.insert(key, value)
            doc.commit()
        return doc.export(self.loro.ExportMode.Updates(self.loro.VersionVector())), record.get_value()

    def import_update(self, update):
        doc = self.loro.LoroDoc()
        doc.import_(update)
        return doc.get_map("record").get_value()

    def write_in_place(self, writes):
        doc = self.loro.LoroDoc()
        doc.peer_id = 1
        record = doc.get_map("record")
        insert = record.insert
        for key, value in writes:
            insert(key, value)
        doc.commit()
        return record.get_value()


class Yrs:
    name = "Yrs"
    package = "pycrdt"

    def __init__(self):
        import pycrdt

        self.pycrdt = pycrdt

    def concurrent_update(self, count):
        pycrdt = self.pycrdt
        docs = [pycrdt.Doc(client_id=peer + 1) for peer in range(3)]
        maps = [doc.get("record", type=pycrdt.Map) for doc in docs]
        for writer, key, value, sync in concurrent_writes(count):
            maps[writer][key] = value
            if sync:
                doc = docs[writer]
                for other in docs:
                    if other is not doc:
                        doc.apply_update(other.get_update(doc.get_state()))
        merged = pycrdt.Doc()
        for doc in docs:
            merged.apply_update(doc.get_update())
        return merged.get_update(), merged.get("record", type=pycrdt.Map).to_py()

    def sequential_update(self, count):
        pycrdt = self.pycrdt
        doc = pycrdt.Doc(client_id=1)
        record = doc.get("record", type=pycrdt.Map)
        for key, value in sequential_writes(count):
            record[key] = value
        return doc.get_update(), record.to_py()

    def import_update(self, update):
        doc = self.pycrdt.Doc()
        doc.apply_update(update)
        return doc.get("record", type=self.pycrdt.Map).to_py()

    def write_in_place(self, writes):
        pycrdt = self.pycrdt
        doc = pycrdt.Doc(client_id=1)
        record = doc.get("record", type=pycrdt.Map)
        with doc.transaction():
            for key, value in writes:
                record[key] = value
        return record.to_py()


def run_peer(peer, concurrent, sequential, runs):
    shapes, states = {}, {}
    for shape, count, make in (("concurrent_import", concurrent, peer.concurrent_update), ("sequential_import", sequential, peer.sequential_update)):
        update, expected = make(count)
        # The import must rebuild the writers' state, or the figure means nothing.
        if peer.import_update(update) != expected:
            raise SystemExit("%s: the imported writes (%s) differ from the writers' state" % (peer.name, shape))
        shapes[shape] = measure(runs, count, lambda: peer.import_update(update))
        shapes[shape]["update_bytes"] = len(update)
        states[shape] = expected
    writes = sequential_writes(sequential)
    if peer.write_in_place(writes) != states["sequential_import"]:
        raise SystemExit("%s: the writes in place end in another state than the writer's" % peer.name)
    shapes["sequential_local"] = measure(runs, sequential, lambda: peer.write_in_place(writes))
    return {"version": metadata.version(peer.package), "shapes": shapes}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrent", type=int, default=200_000, help="writes of the concurrent shape")
    parser.add_argument("--sequential", type=int, default=500_000, help="writes of the sequential shapes")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    report = {"python": sys.version.split()[0], "concurrent": arguments.concurrent, "sequential": arguments.sequential, "peers": {}}
    for kind in (Loro, Yrs):
        try:
            peer = kind()
        except ImportError as error:
            report["peers"][kind.name] = {"missing": "%s (pip install %s)" % (error, kind.package)}
            continue
        report["peers"][kind.name] = run_peer(peer, arguments.concurrent, arguments.sequential, arguments.runs)
    json.dump(report, sys.stdout, indent=2, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
