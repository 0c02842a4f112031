#!/usr/bin/env bash
# Quick start: install prerequisites, build, and run the demo (a server on a temporary
# embedded store, three offline devices, concurrent edits, sync, conflicts shown).
# The demo runs two executables: the field client `fieldsync` and the `fieldsync-server` it
# starts, so both are built. A failed build stops here with the compiler's errors.
set -euo pipefail
cd "$(dirname "$0")/.."
FIELDSYNC_SKIP_BROWSER=1 bash scripts/install-prerequisites.sh
for product in fieldsync-server fieldsync; do
    log=$(mktemp)
    if ! swift build --product "$product" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "quickstart: building $product failed" >&2
        exit 1
    fi
    grep -E "Build of product|Build complete" "$log" || true
    rm -f "$log"
done
exec .build/debug/fieldsync demo "$@"
