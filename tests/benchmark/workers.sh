#!/usr/bin/env bash
# The suite benchmark: 4 scenarios (the three shipped ones and a second copy of the VMware
# rehearsal), each against a fresh built-in console with a 2 s lock, run one after another
# (--workers 1) and on 2 workers, both locally and through a local Selenium Grid with two
# nodes (webdriver/grid/start.sh). The workload is a regression check as CI runs it (CI=true):
# every page and image is compared with baselines, which one untimed run through the Grid
# records first; each timed run gets a fresh copy of them. Every arm is timed as a whole
# process, RUNS times, alternated; prints each arm's runs and median and the ratios to the
# serial median (and, for 2 workers, to the serial median of the same target: local or Grid).
# Usage: tests/benchmark/workers.sh [RUNS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"
work="$PWD/target/benchmark/workers"
rm -rf "$work" && mkdir -p "$work/scenarios"
cargo build --release --quiet
harness="$PWD/target/release/palette-harness"
cp scenarios/*.toml "$work/scenarios/"
cp scenarios/upgrade-vmware-non-airgap.toml "$work/scenarios/upgrade-vmware-non-airgap-again.toml"

grid_port=$((20000 + RANDOM % 20000))
mkdir -p "$work/grid-logs"
HUB_PORT=$grid_port PUBLISH_PORT=$((grid_port + 1)) SUBSCRIBE_PORT=$((grid_port + 2)) \
  NODE_PORT=$((grid_port + 3)) GRID_LOGS="$work/grid-logs" \
  setsid webdriver/grid/start.sh >"$work/grid.out" 2>&1 &
grid_pid=$!
trap 'kill -s TERM -- -$grid_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do grep -q "grid ready" "$work/grid.out" && break; sleep 0.2; done
grep -q "grid ready" "$work/grid.out" || { echo "the Grid did not start: $(cat "$work/grid.out")" >&2; exit 1; }

# The baselines every timed run compares with, recorded once, through the Grid: its JVMs are
# then as warm as a Grid that serves CI all day (a Grid's first run after start is ~15% slower).
PALETTE_USERNAME=admin PALETTE_PASSWORD=admin "$harness" run "$work"/scenarios/*.toml \
  --lock-seconds 2 --timeout 30s --out "$work/seed" --snapshots "$work/baselines" --workers 2 \
  --webdriver "http://127.0.0.1:$grid_port" >"$work/seed.log" 2>&1 || { echo "recording the baselines failed: see $work/seed.log" >&2; exit 1; }

run_arm() { # name, extra args...
  local name=$1; shift
  local out="$work/out-$name"
  rm -rf "$out" && mkdir -p "$out" && cp -r "$work/baselines" "$out/snapshots"
  local start end
  start=$(date +%s.%N)
  CI=true PALETTE_USERNAME=admin PALETTE_PASSWORD=admin "$harness" run "$work"/scenarios/*.toml \
    --lock-seconds 2 --timeout 30s --out "$out" --snapshots "$out/snapshots" "$@" >"$out.log" 2>&1 \
    || { echo "arm $name failed: see $out.log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

declare -A times
for run in $(seq 1 "$runs"); do
  times[serial]+="$(run_arm serial --workers 1) "
  times[workers]+="$(run_arm workers --workers 2) "
  times[grid-serial]+="$(run_arm grid-serial --workers 1 --webdriver "http://127.0.0.1:$grid_port") "
  times[grid]+="$(run_arm grid --workers 2 --webdriver "http://127.0.0.1:$grid_port") "
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
serial=$(echo "${times[serial]}" | median)
grid_serial=$(echo "${times[grid-serial]}" | median)
ratio() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.2fx", m / s }'; }
printf "| arm | median s | runs (s) | ratio to serial | ratio to its own serial |\n| --- | ---: | --- | ---: | ---: |\n"
for arm in serial workers grid-serial grid; do
  m=$(echo "${times[$arm]}" | median)
  list=$(echo "${times[$arm]}" | xargs printf "%.1f, " | sed 's/, $//')
  case $arm in
    workers) own=$(ratio "$m" "$serial") ;;
    grid) own=$(ratio "$m" "$grid_serial") ;;
    *) own="" ;;
  esac
  printf "| %s | %.1f | %s | %s | %s |\n" "$arm" "$m" "$list" "$(ratio "$m" "$serial")" "$own"
done
