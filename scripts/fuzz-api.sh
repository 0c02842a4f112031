#!/usr/bin/env bash
# API fuzz run: schemathesis (from PyPI) against a live fieldsync-server on a free loopback port
# with a temporary store: every operation with an admin's device token, then POST /v1/sync with
# a rep's. Checks: no 5xx, and every status, content type, header and body conforms to
# SyncServer/openapi.yaml. Bounded: FUZZ_MAX_EXAMPLES test cases per operation (default 30) and
# FUZZ_MAX_TIME seconds for both schemathesis runs together (default 150).
#
#   scripts/fuzz-api.sh            # builds fieldsync-server if needed
#   FUZZ_SEED=7 scripts/fuzz-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION="4.32.5"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-30}"
MAX_TIME="${FUZZ_MAX_TIME:-150}"
SEED="${FUZZ_SEED:-20260}"
VENV=".build/fuzz-venv"

log() { echo "fuzz-api: $*" >&2; }

# 1. The server binary.
SERVER=".build/debug/fieldsync-server"
if [ ! -x "$SERVER" ]; then
    log "building fieldsync-server"
    swift build --product fieldsync-server 2>&1 | tail -3
fi

# 2. schemathesis, in a virtual environment of its own (never in the system's Python).
if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
    rm -rf "$VENV"
    if ! python3 -m venv "$VENV" 2>/dev/null; then
        # Debian's own python3 keeps venv in a separate package.
        log "python3 -m venv failed; installing python3-venv"
        SUDO=""
        [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
        rm -rf "$VENV"
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# 3. A server on a temporary store, with an admin and one enrolled device for the token.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fieldsync-fuzz.XXXXXX")"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

DB="$WORK/server.sqlite"
# The server prints its messages in the locale's language; this script reads the English line.
export LC_ALL=C
ADMIN_CODE="$("$SERVER" user add fuzz-admin --role admin --db "$DB" | sed -n 's/^enrollment code: //p')"
REP_CODE="$("$SERVER" user add fuzz-rep --role rep --territory east --db "$DB" | sed -n 's/^enrollment code: //p')"
[ -n "$ADMIN_CODE" ] && [ -n "$REP_CODE" ] || { log "no enrollment code"; exit 1; }
# Some records inside and outside the rep's territory, so pulls have something to filter.
cat >"$WORK/seed.json" <<'JSON'
{"records": [
  {"entity": "product", "id": "0192f0c4-0000-7000-8000-00000000f001", "fields": {"sku": "P-1", "name": "Sensor", "unit_price": "9.5"}},
  {"entity": "account", "id": "0192f0c4-0000-7000-8000-00000000a001", "fields": {"name": "East Co", "territory": "east"}},
  {"entity": "contact", "id": "0192f0c4-0000-7000-8000-00000000c001", "fields": {"name": "Li", "account": "0192f0c4-0000-7000-8000-00000000a001"}},
  {"entity": "account", "id": "0192f0c4-0000-7000-8000-00000000a002", "fields": {"name": "North Co", "territory": "north"}},
  {"entity": "contact", "id": "0192f0c4-0000-7000-8000-00000000c002", "fields": {"name": "Wang", "account": "0192f0c4-0000-7000-8000-00000000a002"}}
]}
JSON
"$SERVER" import "$WORK/seed.json" --db "$DB" >/dev/null

# Rate limiting off: the fuzzer sends as fast as it can with one token (the limiter has its
# own tests).
"$SERVER" serve --host 127.0.0.1 --port 0 --db "$DB" --log-level error --rate-limit 0 >"$WORK/stdout" 2>"$WORK/stderr" &
SERVER_PID=$!
URL=""
for _ in $(seq 1 100); do
    URL="$(sed -n 's/^listening on //p' "$WORK/stdout" | head -n 1)"
    [ -n "$URL" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { log "the server exited:"; cat "$WORK/stderr" >&2; exit 1; }
    sleep 0.1
done
[ -n "$URL" ] || { log "the server did not start listening"; exit 1; }
log "server at $URL"

# Enrolls a device with a code; prints "REPLICA TOKEN".
enroll() {
    "$VENV/bin/python" - "$URL" "$1" <<'PY'
import json, sys, urllib.request, uuid
url, code = sys.argv[1:3]
replica = str(uuid.uuid4())
body = json.dumps({"code": code, "replica": replica, "deviceName": "fuzzer"}).encode()
request = urllib.request.Request(url + "/v1/enroll", data=body, headers={"Content-Type": "application/json"})
print(replica, json.load(urllib.request.urlopen(request, timeout=10))["token"])
PY
}
read -r ADMIN_REPLICA ADMIN_TOKEN <<<"$(enroll "$ADMIN_CODE")"
read -r REP_REPLICA REP_TOKEN <<<"$(enroll "$REP_CODE")"

# The served document, with the request's replica (and the dots' replica) pinned to the fuzzing
# device's, so that generated syncs get past the replica check into push and pull. Everything
# else, and every response schema, is the document as served.
pin_replica() {
    "$VENV/bin/python" - "$URL" "$1" "$2" <<'PY'
import sys, urllib.request, yaml
url, replica, path = sys.argv[1:4]
document = yaml.safe_load(urllib.request.urlopen(url + "/openapi.yaml", timeout=10).read())
schemas = document["components"]["schemas"]
schemas["SyncRequest"]["properties"]["replica"] = {"type": "string", "const": replica}
# Pushed changes carry the device's dots; answers keep the document's own Change and Dot.
schemas["PushedDot"] = dict(schemas["Dot"], properties=dict(schemas["Dot"]["properties"], r={"type": "string", "const": replica}))
schemas["PushedChange"] = dict(schemas["Change"], properties=dict(schemas["Change"]["properties"], dot={"$ref": "#/components/schemas/PushedDot"}))
schemas["SyncRequest"]["properties"]["changes"]["items"] = {"$ref": "#/components/schemas/PushedChange"}
with open(path, "w") as file:
    yaml.safe_dump(document, file, sort_keys=False, allow_unicode=True)
PY
}
pin_replica "$ADMIN_REPLICA" "$WORK/openapi-admin.yaml"
pin_replica "$REP_REPLICA" "$WORK/openapi-rep.yaml"

# 4. The fuzz runs: every operation with the admin's token, then the sync endpoint with a rep's
# (whose scope filters what it may read and write). 5xx and any response the document does not
# describe fail them.
fuzz() {
    local label="$1" document="$2" token="$3" seconds="$4"
    shift 4
    log "schemathesis ($label): $MAX_EXAMPLES examples per operation, at most $seconds s, seed $SEED"
    timeout --kill-after=10 "$((seconds + 60))" "$VENV/bin/schemathesis" run "$document" \
        --url "$URL" \
        --header "Authorization: Bearer $token" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
        --phases examples,coverage,fuzzing \
        --max-examples "$MAX_EXAMPLES" \
        --max-time "$seconds" \
        --seed "$SEED" \
        --workers 1 \
        --generation-database none \
        --request-timeout 10 \
        --no-color "$@"
}
status=0
# GET /v1/watch is left out: its answer is a stream that stays open until the server stops
# (LiveSyncTests and LiveSyncCommandTests read it), which a request timeout would report.
fuzz admin "$WORK/openapi-admin.yaml" "$ADMIN_TOKEN" "$((MAX_TIME * 2 / 3))" --exclude-path /v1/watch || status=$?
if [ "$status" -eq 0 ]; then
    fuzz rep "$WORK/openapi-rep.yaml" "$REP_TOKEN" "$((MAX_TIME / 3))" --include-path /v1/sync || status=$?
fi

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "the server died during the run:"
    cat "$WORK/stderr" >&2
    exit 1
fi
if [ "$status" -ne 0 ]; then
    log "schemathesis failed (exit $status); server log:"
    tail -n 50 "$WORK/stderr" >&2
    exit "$status"
fi
log "passed: no 5xx, every response conforms to the document"
