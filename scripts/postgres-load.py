#!/usr/bin/env python3
"""Load run on PostgreSQL with N fieldsync-server processes, reporting the change log's lock.

Seeds a fresh database from fixtures/crm-demo.json (import, then every fixture user), starts
--servers processes on it, runs fieldsync-load against them (--server/--admin-code), then
scrapes each server's /metrics and prints the load report's rate and latencies next to the
lock figures: write transactions that took the log's lock and those that did not, and the
lock's wait and hold time per sync and per locked transaction.

    python3 scripts/postgres-load.py --postgres 'postgres://postgres@127.0.0.1:55491' \
        --servers 2 --bin .build/debug -- --devices 40 --processes 2 --duration 20

Arguments after `--` go to fieldsync-load. The database (--database, default fieldsync_load)
is dropped and created again with psql/dropdb/createdb.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

# fieldsync-server prints its messages in the locale's language; this script reads the English lines.
os.environ["LC_ALL"] = "C"


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs).stdout


def metrics(url):
    text = urllib.request.urlopen(url + "/metrics", timeout=30).read().decode()
    values = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, _, value = line.rpartition(" ")
        values[name] = values.get(name, 0.0) + float(value)
    return values


def sync_requests(values):
    return sum(v for k, v in values.items() if k.startswith("fieldsync_http_requests_total{") and 'endpoint="/v1/sync"' in k)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", required=True, help="postgres://user@host:port (no database)")
    parser.add_argument("--database", default="fieldsync_load")
    parser.add_argument("--servers", type=int, default=1)
    parser.add_argument("--bin", default=".build/debug")
    parser.add_argument("--fixtures", default="fixtures/crm-demo.json")
    parser.add_argument("--output", default=None, help="fieldsync-load JSON report path")
    parser.add_argument("load", nargs="*")
    options = parser.parse_args()

    match = re.match(r"postgres://([^@]+)@([^:/]+):(\d+)", options.postgres)
    if not match:
        sys.exit("--postgres must look like postgres://user@host:port")
    user, host, port = match.groups()
    connection = ["-h", host, "-p", port, "-U", user]
    run(["dropdb", "--if-exists", "--force"] + connection + [options.database])
    run(["createdb"] + connection + [options.database])
    url = f"{options.postgres}/{options.database}?sslmode=disable"
    server = os.path.join(options.bin, "fieldsync-server")
    store = ["--postgres-url", url]

    run([server, "import", options.fixtures] + store)
    admin_code = None
    for account in json.load(open(options.fixtures))["users"]:
        arguments = [server, "user", "add", account["name"], "--role", account["role"]]
        for territory in account.get("territories", []):
            arguments += ["--territory", territory]
        for member in account.get("team", []):
            arguments += ["--team", member]
        output = run(arguments + store)
        if account["role"] == "admin" and admin_code is None:
            for line in output.splitlines():
                if line.startswith("enrollment code: "):
                    admin_code = line[len("enrollment code: "):].strip()
    if admin_code is None:
        sys.exit("no admin user in the fixtures")

    processes = []
    urls = []
    base_port = 18600 + (os.getpid() % 100) * 10
    try:
        for index in range(options.servers):
            port_number = base_port + index
            log = tempfile.TemporaryFile()
            process = subprocess.Popen(
                [server, "serve", "--host", "127.0.0.1", "--port", str(port_number), "--log-level", "error", "--rate-limit", "0"] + store,
                stdout=log, stderr=log,
            )
            processes.append(process)
            urls.append(f"http://127.0.0.1:{port_number}")
        for address in urls:
            for _ in range(600):
                try:
                    urllib.request.urlopen(address + "/v1/health", timeout=2)
                    break
                except Exception:
                    time.sleep(0.1)
        before = [metrics(address) for address in urls]
        load = [os.path.join(options.bin, "fieldsync-load")]
        for address in urls:
            load += ["--server", address]
        load += ["--admin-code", admin_code]
        report_path = options.output or tempfile.mktemp(suffix=".json")
        load += ["--output", report_path] + options.load
        print("$", " ".join(load), flush=True)
        subprocess.run(load, check=False)
        after = [metrics(address) for address in urls]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)

    def total(name):
        return sum(a.get(name, 0.0) - b.get(name, 0.0) for a, b in zip(after, before))

    syncs = sum(sync_requests(a) - sync_requests(b) for a, b in zip(after, before))
    locked = total("fieldsync_log_lock_transactions_total")
    free = total("fieldsync_log_lock_free_transactions_total")
    wait = total("fieldsync_log_lock_wait_seconds_total")
    hold = total("fieldsync_log_lock_hold_seconds_total")
    longest = max(a.get("fieldsync_log_lock_longest_hold_seconds", 0.0) for a in after)
    report = json.load(open(report_path))
    summary = {
        "servers": options.servers,
        "syncRequests": syncs,
        "lockedWriteTransactions": locked,
        "lockFreeWriteTransactions": free,
        "lockWaitMillisecondsPerSync": 1000 * wait / syncs if syncs else None,
        "lockHoldMillisecondsPerSync": 1000 * hold / syncs if syncs else None,
        "lockHoldMillisecondsPerLockedTransaction": 1000 * hold / locked if locked else None,
        "lockWaitMillisecondsPerLockedTransaction": 1000 * wait / locked if locked else None,
        "longestLockHoldMilliseconds": 1000 * longest,
    }
    print(json.dumps(summary, indent=2))
    print("load report:", report_path)
    print(json.dumps({
        "acceptedPerSecond": report.get("acceptedPerSecond"), "syncsPerSecond": report.get("syncsPerSecond"),
        "errors": report.get("errors"), "divergences": report.get("divergences"),
        "latency": report.get("load", {}).get("latency"), "cpu": report.get("cpu"),
    }, indent=2))


if __name__ == "__main__":
    main()
