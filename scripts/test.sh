#!/usr/bin/env bash
# Set up and run plangraph's tests on a fresh machine: Debian's Chromium (for the browser
# tests), a Java runtime (for HermiT) and Virtuoso (a real SPARQL server for the remote-store
# tests) if missing, a virtualenv with the test extras (the Oxigraph server among them), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need_apt+=(fonts-noto-cjk)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
# the server binaries only: no system service, no password prompt
command -v virtuoso-t >/dev/null 2>&1 || need_apt+=(virtuoso-opensource-7-bin)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing ${need_apt[*]} (Debian packages)" >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest "$@"
