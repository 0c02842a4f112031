#!/usr/bin/env bash
# Regenerates the admin page's screenshots in docs/ (conflict list, conflict detail, history,
# dashboard in English and in Chinese, the list on a phone, and the field-by-field merge of
# two customers named in Chinese) by running the headless-Chromium tests with FIELDSYNC_UPDATE_DOCS=1. Installs what
# they need first: Chromium (scripts/install-prerequisites.sh) and a CJK font, without which
# Chromium draws Chinese as boxes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prerequisites.sh
if ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null
fi
FIELDSYNC_UPDATE_DOCS=1 swift test --filter AdminBrowserTests
ls -l docs/*.png
