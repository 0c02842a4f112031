#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of JSONReader, the one parser that faces the network:
# the sources of SyncCore and scripts/fuzz-reader/FuzzEntry.swift are compiled into one
# instrumented executable (`-sanitize=fuzzer,address`), seeded with real sync requests
# (scripts/fuzz-reader/seeds), and run for SECONDS (default 60; `.ci/run` runs the default,
# run it longer by hand: `scripts/fuzz-reader.sh 3600`). See FuzzEntry.swift for what each
# input is checked for. Exits non-zero when an input crashes or breaks a check; libFuzzer
# writes it to .build/fuzz-reader/crash-* (replay: `.build/fuzz-reader/fuzz-reader FILE`).
# Inputs that found new coverage accumulate in .build/fuzz-reader/corpus across runs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build/fuzz-reader
mkdir -p "$out/corpus"
cp scripts/fuzz-reader/seeds/*.json "$out/corpus/"
mapfile -t sources < <(find Sources/SyncCore -name '*.swift' | sort)
# In the package's language mode (Package.swift: swiftLanguageModes [.v6]), so the fuzzed code
# is the code the package builds (Swift 6 reads /regex/ literals, Swift 5 does not).
swiftc -swift-version 6 -sanitize=fuzzer,address -parse-as-library -O -g -module-name SyncCore \
    "${sources[@]}" scripts/fuzz-reader/FuzzEntry.swift -o "$out/fuzz-reader"
cd "$out"
# Leak detection is off: the lazily built shapes (`static let`) live as long as the process,
# which LeakSanitizer reports as a leak of the first input.
ASAN_OPTIONS=detect_leaks=0 ./fuzz-reader -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 corpus
