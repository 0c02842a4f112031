#!/usr/bin/env bash
# Installs the system libraries FieldSync builds on (Debian): SQLite, curl (URLSession), zlib;
# PostgreSQL 15 (the tests start a private cluster with its binaries, see
# Tests/FieldSyncTestSupport/PostgresTestCluster.swift); and headless Chromium for the admin page's browser test, unless a Chromium is already there
# or FIELDSYNC_SKIP_BROWSER=1.
set -euo pipefail
packages=(libsqlite3-dev libcurl4-openssl-dev zlib1g-dev postgresql)
if [ "${FIELDSYNC_SKIP_BROWSER:-0}" != "1" ] && [ -z "${CHROMIUM:-}" ] \
    && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    packages+=(chromium)
fi
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
