#!/usr/bin/env bash
# Installs the workspace on a fresh machine: pnpm itself (if absent or the wrong major), then the dependencies.
set -euo pipefail
cd "$(dirname "$0")/../.."
want="10.34.9"
have="$(pnpm --version 2>/dev/null || true)"
if [ "$have" != "$want" ]; then
  echo "setup: installing pnpm@$want (found: ${have:-none})"
  npm install -g "pnpm@$want" --no-audit --no-fund >/dev/null
fi
export TURBO_TELEMETRY_DISABLED=1
if [ -n "${CI:-}" ]; then
  pnpm install --frozen-lockfile
else
  pnpm install
fi
