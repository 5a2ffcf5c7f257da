#!/usr/bin/env bash
# The end-to-end benchmark: the shipped VMware scenario (without its snapshot actions) against the
# same rehearsal written for Playwright (npm playwright-core on /usr/bin/chromium), alternated,
# RUNS times each, each run against a fresh built-in console with a 2 s lock; then prints both
# medians, their ratio, and the harness's median time per action kind.
# Usage: tests/benchmark/e2e.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/benchmark/e2e
mkdir -p "$work"
cargo build --release --quiet
if [ ! -d "$work/node_modules/playwright-core" ]; then
  npm install --silent --no-audit --no-fund --prefix "$work" playwright-core@1.65.1 >/dev/null
fi
cp tests/benchmark/e2e.mjs tests/benchmark/playwright-upgrade.mjs "$work/"
node "$work/e2e.mjs" "$PWD/target/release/palette-harness" "$PWD/scenarios/upgrade-vmware-non-airgap.toml" "$PWD/$work" "${1:-5}"
