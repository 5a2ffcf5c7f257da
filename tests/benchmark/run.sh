#!/usr/bin/env bash
# The diff benchmark: palette-harness diff against odiff and pixelmatch on generated
# screenshot-like pairs. Installs the two tools from npm into target/benchmark, builds the
# release binary, generates the fixtures once, and prints a markdown table.
# Usage: tests/benchmark/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/benchmark
mkdir -p "$work"
cargo build --release --quiet
if [ ! -x "$work/node_modules/@odiff/linux-x64/odiff" ] || [ ! -d "$work/node_modules/pixelmatch" ]; then
  npm install --silent --no-audit --no-fund --prefix "$work" odiff-bin@4.5.0 pixelmatch@7.2.0 pngjs@7 >/dev/null
fi
cp tests/benchmark/*.mjs "$work/"
if [ ! -f "$work/fixtures/1280x8000-large.png" ]; then
  node "$work/generate.mjs" "$work/fixtures" >/dev/null
fi
node "$work/bench.mjs" target/release/palette-harness "$work/node_modules/@odiff/linux-x64/odiff" "$work/fixtures" "${1:-5}"
