#!/usr/bin/env bash
# API fuzz run: schemathesis (from PyPI) against a live fieldsync-server on a free loopback port
# with a temporary store. Checks: no 5xx, and every status, content type, header and body
# conforms to SyncServer/openapi.yaml. Bounded: FUZZ_MAX_EXAMPLES test cases per operation
# (default 30) and FUZZ_MAX_TIME seconds for the whole schemathesis run (default 150).
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
    python3 -m venv "$VENV"
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
CODE="$("$SERVER" user add fuzz-admin --role admin --db "$DB" | sed -n 's/^enrollment code: //p')"
"$SERVER" user add fuzz-rep --role rep --territory east --db "$DB" >/dev/null
[ -n "$CODE" ] || { log "no enrollment code"; exit 1; }

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

REPLICA="$("$VENV/bin/python" -c 'import uuid; print(uuid.uuid4())')"
TOKEN="$("$VENV/bin/python" - "$URL" "$CODE" "$REPLICA" <<'PY'
import json, sys, urllib.request
url, code, replica = sys.argv[1:4]
body = json.dumps({"code": code, "replica": replica, "deviceName": "fuzzer"}).encode()
request = urllib.request.Request(url + "/v1/enroll", data=body, headers={"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(request, timeout=10))["token"])
PY
)"

# 4. The fuzz run. 5xx and any response the document does not describe fail it.
log "schemathesis: $MAX_EXAMPLES examples per operation, at most $MAX_TIME s, seed $SEED"
status=0
timeout --kill-after=10 "$((MAX_TIME + 60))" "$VENV/bin/schemathesis" run "$URL/openapi.yaml" \
    --url "$URL" \
    --header "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing \
    --max-examples "$MAX_EXAMPLES" \
    --max-time "$MAX_TIME" \
    --seed "$SEED" \
    --workers 1 \
    --generation-database none \
    --request-timeout 10 \
    --no-color || status=$?

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
