#!/usr/bin/env bash
# The project's test command (`npm test`): install, build, typecheck, lint, prove packed packages install
# and import outside the workspace, then run every package's tests in one vitest run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export TURBO_TELEMETRY_DISABLED=1
bash tooling/scripts/setup.sh
pnpm turbo run build typecheck lint --output-logs=errors-only
node tooling/scripts/check-packages.mjs
mkdir -p .cache
status=0
pnpm vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-report.json || status=$?
node tooling/scripts/test-summary.mjs .cache/vitest-report.json
exit $status
