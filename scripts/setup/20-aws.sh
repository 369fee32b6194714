#!/usr/bin/env bash
# Setup for the AWS IAM collector's integration tests: moto's IAM server (moto_server) in the
# machine's Python. Idempotent: skips the install when a usable moto_server is already there.
set -euo pipefail

PY="${PYTHON:-python3}"
if ! command -v "$PY" >/dev/null 2>&1 || ! "$PY" -m pip --version >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq python3 python3-pip
  PY=python3
fi

if "$PY" -c 'import moto.server, flask' >/dev/null 2>&1 && command -v moto_server >/dev/null 2>&1; then
  echo "20-aws: moto_server present ($("$PY" -c 'import moto; print(moto.__version__)'))"
  exit 0
fi

# Debian's system python refuses pip installs into itself without this flag; pyenv's python ignores it.
PIP_FLAGS=(--quiet --disable-pip-version-check)
if "$PY" -m pip install --help 2>/dev/null | grep -q -- '--break-system-packages'; then
  PIP_FLAGS+=(--break-system-packages)
fi
"$PY" -m pip install "${PIP_FLAGS[@]}" 'moto[server]>=5,<6'
command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
"$PY" -c 'import moto; print("20-aws: installed moto", moto.__version__)'
