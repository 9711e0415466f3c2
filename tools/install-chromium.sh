#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the report's browser test
# (tests/e2e/report.e2e.ts drives it with playwright-core) and prints the
# binary's path on stdout. Idempotent: when a Chromium is already installed it
# only prints its path.
#
#   bash tools/install-chromium.sh            install if missing, print the path
#
# Environment:
#   BULWARK_CHROMIUM   use this binary instead (checked, never installed)
#
# Exits non-zero, saying why on stderr, when no Chromium can be had: the test
# that runs this script then fails (it never skips in CI).
set -euo pipefail

log() { printf '[install-chromium] %s\n' "$*" >&2; }

find_chromium() {
  if [[ -n "${BULWARK_CHROMIUM:-}" ]]; then
    [[ -x "${BULWARK_CHROMIUM}" ]] && { printf '%s\n' "${BULWARK_CHROMIUM}"; return 0; }
    log "BULWARK_CHROMIUM=${BULWARK_CHROMIUM} is not an executable file"
    return 2
  fi
  local c
  for c in /usr/bin/chromium /usr/lib/chromium/chromium /usr/bin/chromium-browser; do
    if [[ -x "$c" ]]; then printf '%s\n' "$c"; return 0; fi
  done
  return 1
}

if path="$(find_chromium)"; then
  printf '%s\n' "$path"
  exit 0
elif [[ -n "${BULWARK_CHROMIUM:-}" ]]; then
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "no Chromium found and no apt-get to install Debian's chromium package; set BULWARK_CHROMIUM to a Chromium binary"
  exit 1
fi

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    log "installing Debian's chromium package needs root (or passwordless sudo); set BULWARK_CHROMIUM to a Chromium binary instead"
    exit 1
  fi
fi

log "apt-get install chromium (Debian's package, with its fonts)"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >&2
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2

if path="$(find_chromium)"; then
  "$path" --version >&2 || true
  printf '%s\n' "$path"
else
  log "apt-get installed chromium but no binary was found at /usr/bin/chromium"
  exit 1
fi
