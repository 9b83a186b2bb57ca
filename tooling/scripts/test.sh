#!/usr/bin/env bash
# The project's test command (`npm test`): install, build, typecheck, lint, check the public API against its reports,
# prove packed packages install and import outside the workspace, then run every package's tests in one vitest run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export TURBO_TELEMETRY_DISABLED=1
bash tooling/scripts/setup.sh
pnpm turbo run build typecheck lint --output-logs=errors-only
# The public API: committed reports in sync, every export documented, a changeset for each API change
# (docs/api-stability.md). A failure fails the run at the end, after the tests have run too.
api_status=0
node tooling/scripts/api.mjs check || api_status=$?
node tooling/scripts/check-packages.mjs
mkdir -p .cache
status=0
pnpm vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-report.json || status=$?
node tooling/scripts/test-summary.mjs .cache/vitest-report.json
if [ "$api_status" -ne 0 ]; then
  echo "api:check failed (above, after the build): see its Fix line" >&2
  [ "$status" -ne 0 ] || status=$api_status
fi
exit $status
