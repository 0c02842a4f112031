#!/usr/bin/env python3
"""Slow-client load on a fieldsync-server on loopback: measures the server's memory and another
device's sync latency while unauthenticated clients hold slow bodies and idle connections.

Starts `fieldsync-server serve` on a free 127.0.0.1 port with a temporary SQLite store, enrolls
one device, and opens its keep-alive connection. Then, at once:
  * --slow connections (default 700) each send the head of POST /v1/enroll declaring
    --declared-bytes and half of that body, then one byte every --trickle seconds;
  * --idle connections (default 5000, at most 20000) connect and send nothing;
  * the device syncs every 100 ms over its connection (an empty push and a pull), and a new
    connection asks GET /v1/health every second.
For --duration seconds (default 30), the server's RSS is sampled every 0.5 s. Then every load
connection is closed, and RSS is read again after --settle seconds (default 12: the server trims
its malloc arenas every 10 s).

Prints one JSON object: server RSS (start, peak, after), sync latencies (p50, p99, max, errors),
health probes (ok, failed), and how many load connections were opened, refused, or closed by
the server or failed to connect (closedOrFailed: past the server's connection cap and the
kernel's accept queue a connection attempt times out). Everything stays on 127.0.0.1 and stops by itself; the store is deleted.

  swift build -c release --product fieldsync-server
  python3 scripts/slow-clients.py --server .build/release/fieldsync-server --idle 20000
"""

import argparse
import http.client
import json
import os
import resource
import selectors
import socket
import subprocess
import sys
import tempfile
import time
import uuid

# fieldsync-server prints its messages in the locale's language; this script reads the English lines.
os.environ["LC_ALL"] = "C"


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def connect_many(port, count, selector, label):
    """Opens up to count non-blocking connections; returns (sockets, refused)."""
    sockets, refused = [], 0
    for _ in range(count):
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            sockets.append(sock)
            selector.register(sock, selectors.EVENT_READ, label)
        except OSError:
            refused += 1
    return sockets, refused


def hold(port, count, seconds):
    """Worker mode: holds count idle connections for seconds (each process has its own
    open-file limit, so the idle connections are spread over several)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    selector = selectors.DefaultSelector()
    sockets, refused = connect_many(port, count, selector, "idle")
    closed, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.2):
            try:
                data = key.fileobj.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:
                closed += 1
                selector.unregister(key.fileobj)
    for sock in sockets:
        sock.close()
    print(json.dumps({"opened": len(sockets), "refused": refused, "closedByServer": closed}), flush=True)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--hold":
        return hold(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=".build/debug/fieldsync-server")
    parser.add_argument("--slow", type=int, default=700)
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--declared-bytes", type=int, default=60000,
                        help="Content-Length each slow enrollment declares (the server refuses more than its unauthenticated limit)")
    parser.add_argument("--trickle", type=float, default=5.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--settle", type=float, default=12.0)
    parser.add_argument("--server-arg", action="append", default=[], help="extra argument for `serve` (repeat)")
    args = parser.parse_args()
    args.idle = min(args.idle, 20000)
    args.slow = min(args.slow, 5000)
    args.duration = min(args.duration, 600)

    # Room for this process's connections and the server's (which inherits the limit; root may
    # raise the hard one). Idle connections are held by worker processes.
    wanted = args.idle + args.slow + 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), max(hard, wanted)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    work = tempfile.mkdtemp(prefix="fieldsync-slow-clients-")
    database = os.path.join(work, "server.sqlite")
    added = subprocess.run([args.server, "user", "add", "loadrep", "--role", "rep", "--territory", "east", "--db", database],
                           check=True, capture_output=True, text=True).stdout
    code = added.split("enrollment code: ")[1].split()[0]
    server = subprocess.Popen(
        [args.server, "serve", "--host", "127.0.0.1", "--port", "0", "--db", database, "--log-level", "error",
         "--rate-limit", "0"] + args.server_arg,
        stdout=subprocess.PIPE, stderr=open(os.path.join(work, "stderr"), "w"), text=True)
    result = {}
    load = []
    try:
        line = server.stdout.readline()
        port = int(line.strip().rsplit(":", 1)[1])
        replica = str(uuid.uuid4())
        device = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        device.request("POST", "/v1/enroll", json.dumps({"code": code, "replica": replica, "deviceName": "load device"}),
                       {"Content-Type": "application/json"})
        enrolled = device.getresponse()
        token = json.loads(enrolled.read())["token"]
        sync_headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

        def sync_once():
            body = json.dumps({"protocol": 1, "replica": replica, "clientTime": int(time.time() * 1000), "changes": []})
            started = time.monotonic()
            device.request("POST", "/v1/sync", body, sync_headers)
            answer = device.getresponse()
            answer.read()
            return answer.status, time.monotonic() - started

        sync_once()
        time.sleep(1)
        rss_start = rss_mb(server.pid)

        selector = selectors.DefaultSelector()
        slow, slow_refused = connect_many(port, args.slow, selector, "slow")
        # Idle connections in worker processes of at most 5,000 each, held until the load ends.
        holders = []
        for share in range(0, args.idle, 5000):
            count = min(5000, args.idle - share)
            holders.append(subprocess.Popen([sys.executable, __file__, "--hold", str(port), str(count), str(args.duration)],
                                            stdout=subprocess.PIPE, text=True))
        load = slow
        head = (f"POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {args.declared_bytes}\r\n\r\n").encode()
        half = b'{"code":"' + b"x" * max(0, args.declared_bytes // 2 - 9)
        pending = {sock: head + half for sock in slow}

        latencies, sync_errors, health_ok, health_failed, closed_by_server = [], 0, 0, 0, 0
        peak = rss_start
        start = time.monotonic()
        next_sync = next_health = next_sample = next_trickle = start
        while time.monotonic() - start < args.duration:
            now = time.monotonic()
            for sock in list(pending):
                try:
                    sent = sock.send(pending[sock])
                    pending[sock] = pending[sock][sent:]
                    if not pending[sock]:
                        del pending[sock]
                except BlockingIOError:
                    pass
                except OSError:
                    del pending[sock]
            if now >= next_trickle and not pending:
                next_trickle = now + args.trickle
                for sock in slow:
                    try:
                        sock.send(b"x")
                    except OSError:
                        pass
            for key, _ in selector.select(timeout=0):
                try:
                    data = key.fileobj.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if not data:
                    closed_by_server += 1
                    selector.unregister(key.fileobj)
            if now >= next_sync:
                next_sync = now + 0.1
                try:
                    status, seconds = sync_once()
                    if status == 200:
                        latencies.append(seconds)
                    else:
                        sync_errors += 1
                except (OSError, http.client.HTTPException):
                    sync_errors += 1
                    device = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if now >= next_health:
                next_health = now + 1
                try:
                    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    probe.request("GET", "/v1/health")
                    health_ok += probe.getresponse().status == 200
                    probe.close()
                except (OSError, http.client.HTTPException):
                    health_failed += 1
            if now >= next_sample:
                next_sample = now + 0.5
                peak = max(peak, rss_mb(server.pid))
            time.sleep(0.005)

        for sock in load:
            sock.close()
        load = []
        held = [json.loads(holder.communicate(timeout=120)[0] or "{}") for holder in holders]
        idle_opened = sum(h.get("opened", 0) for h in held)
        idle_refused = sum(h.get("refused", 0) for h in held)
        closed_by_server += sum(h.get("closedByServer", 0) for h in held)
        time.sleep(args.settle)
        result = {
            "slow": args.slow, "idle": idle_opened, "declaredBytes": args.declared_bytes, "durationSeconds": args.duration,
            "connectionsRefused": slow_refused + idle_refused, "closedOrFailed": closed_by_server,
            "rssMB": {"start": round(rss_start, 1), "peak": round(peak, 1), "afterClose": round(rss_mb(server.pid), 1)},
            "sync": {
                "rounds": len(latencies), "errors": sync_errors,
                "p50ms": round(1000 * percentile(latencies, 0.5), 1) if latencies else None,
                "p99ms": round(1000 * percentile(latencies, 0.99), 1) if latencies else None,
                "maxms": round(1000 * max(latencies), 1) if latencies else None,
            },
            "healthProbes": {"ok": health_ok, "failed": health_failed},
            "serverAlive": server.poll() is None,
        }
    finally:
        for sock in load:
            sock.close()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        subprocess.run(["rm", "-rf", work])
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    sys.exit(main())
