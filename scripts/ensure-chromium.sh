#!/usr/bin/env bash
# Browser journeys drive Debian's Chromium. Install it when missing and we are root;
# otherwise say how, and fail: a browser test that cannot run must not pass.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium is missing: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH) and try again." >&2
exit 1
