#!/usr/bin/env bash
# Quick start: install prerequisites, build, and run the demo (a server on a temporary
# embedded store, three offline devices, concurrent edits, sync, conflicts shown).
set -euo pipefail
cd "$(dirname "$0")/.."
FIELDSYNC_SKIP_BROWSER=1 bash scripts/install-prerequisites.sh
swift build --product fieldsync 2>&1 | grep -E "error|Compiling fieldsync|Build complete" || true
exec .build/debug/fieldsync demo "$@"
