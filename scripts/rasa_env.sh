#!/usr/bin/env bash
# Build (once) the Python 3.10 virtualenv that runs Rasa Open Source 3.6 for govbot.
#
# Rasa 3.6 pins old libraries and needs Python 3.8-3.10, so it lives in its own venv
# OUTSIDE the repository and is never imported by the bot. The venv is cached: when it
# already imports rasa and jieba the script only prints its path.
#
# Usage: scripts/rasa_env.sh            -> prints the venv directory on stdout
# Env:   GOVBOT_RASA_HOME   venv directory (default ~/.cache/govbot/rasa-3.6.21)
#        GOVBOT_RASA_PYTHON Python 3.10 interpreter (default $(pyenv root)/versions/3.10.13/bin/python)
set -euo pipefail

RASA_VERSION=3.6.21
VENV="${GOVBOT_RASA_HOME:-$HOME/.cache/govbot/rasa-${RASA_VERSION}}"

find_python() {
  if [[ -n "${GOVBOT_RASA_PYTHON:-}" ]]; then echo "$GOVBOT_RASA_PYTHON"; return; fi
  local root
  root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
  echo "$root/versions/3.10.13/bin/python"
}

ready() {
  [[ -x "$VENV/bin/python" ]] && [[ -f "$VENV/.govbot-ready" ]] \
    && "$VENV/bin/python" -c 'import rasa, jieba' >/dev/null 2>&1
}

if ready; then echo "$VENV"; exit 0; fi

PY="$(find_python)"
if [[ ! -x "$PY" ]]; then
  echo "rasa_env: Python 3.10 not found at $PY (set GOVBOT_RASA_PYTHON)" >&2
  exit 3
fi

# A lock keeps concurrent test sessions from building the same venv twice.
mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9
if ready; then echo "$VENV"; exit 0; fi

{
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade "pip<24.1" "setuptools<70" wheel
  # --prefer-binary: rasa 3.6's old pins otherwise try to build sdists (numpy, scipy).
  "$VENV/bin/python" -m pip install --quiet --prefer-binary \
    "rasa==${RASA_VERSION}" jieba
  "$VENV/bin/python" -c 'import rasa, jieba'
  touch "$VENV/.govbot-ready"
} 1>&2

echo "$VENV"
