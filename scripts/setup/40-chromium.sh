#!/usr/bin/env bash
# Debian's Chromium for the explorer's browser tests (test/e2e/explorer*.test.ts, driven by playwright-core,
# which downloads no browser of its own). Idempotent: nothing to do when a chromium is already installed.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "40-chromium: $(chromium --version 2>/dev/null | head -n 1)"
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "40-chromium: installed $(chromium --version 2>/dev/null | head -n 1)"
