#!/usr/bin/env bash
# Installs the browser stack palette-harness drives: Debian's Chromium and ChromeDriver, the two
# font packages that decide every pixel of a screenshot, and Xvfb, a display for `--headed` on a
# machine without one (`xvfb-run -a palette-harness run --headed`). Idempotent: a second run
# installs nothing and exits 0.
set -euo pipefail

packages=(chromium chromium-driver fonts-liberation fonts-dejavu-core xvfb xauth)
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

chromium --version 2>/dev/null | grep -v "unexpected operator" || true
chromedriver --version
