#!/usr/bin/env bash
# Installs the system libraries FieldSync builds on (Debian): SQLite, curl (URLSession), zlib.
set -euo pipefail
packages=(libsqlite3-dev libcurl4-openssl-dev zlib1g-dev)
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
