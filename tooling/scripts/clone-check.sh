#!/usr/bin/env bash
# Self-containment guard: clones the committed HEAD of this repository into a fresh temporary folder (which has
# nothing of ours above it), installs, builds what the golden parity tests need, and runs them there. It fails if
# any of them needs a file outside the repository (the golden data, a design note, a data set beside the clone).
# Uncommitted changes are not checked: commit first. Exit status: 0 when every step passes, non-zero otherwise.
#
#   bash tooling/scripts/clone-check.sh            # keeps nothing: the clone is deleted at the end, pass or fail
#   KEEP=1 bash tooling/scripts/clone-check.sh     # keeps the clone for inspection (its path is printed)
#   bash tooling/scripts/clone-check.sh <commit>   # checks an older commit instead of HEAD
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
rev="$(git -C "$root" rev-parse --verify "${1:-HEAD}^{commit}")"
short="$(git -C "$root" rev-parse --short "$rev")"
# name → the test files that read the golden fixtures
checks=(
  "packages/kernel:src/golden.test.ts"
  "packages/backprop:src/golden.test.ts"
  "packages/testing:test/golden-prng.test.ts"
)
build_filters=(--filter=@dstft/kernel... --filter=@dstft/backprop... --filter=@dstft/testing...)

start=$SECONDS
step_start=$SECONDS
say() { echo "clone-check: $*"; }
step() { step_start=$SECONDS; say "$*"; }
done_step() { say "  ok ($((SECONDS - step_start)) s)"; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/dstft-clone-check.XXXXXX")"
cleanup() {
  status=$?
  if [ -n "${KEEP:-}" ]; then
    say "kept the clone at $tmp/dstft-ts"
  else
    rm -rf "$tmp"
  fi
  if [ $status -eq 0 ]; then
    say "PASS: a fresh clone of $short ran its golden parity tests with nothing of ours above it ($((SECONDS - start)) s in all)"
  else
    say "FAIL (exit $status) after $((SECONDS - start)) s: see the step above"
  fi
  exit $status
}
trap cleanup EXIT

if [ -z "${1:-}" ] && [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
  say "note: the working tree has uncommitted changes; they are not part of this check (only committed HEAD is cloned)"
fi

step "cloning $short ($(git -C "$root" log -1 --format=%s "$rev" | cut -c1-70)) into $tmp/dstft-ts"
git clone --quiet --no-hardlinks --no-checkout "$root" "$tmp/dstft-ts"
cd "$tmp/dstft-ts"
git checkout --quiet --detach "$rev"
# nothing of ours may be reachable from here: not above the clone, not through the environment
unset DSTFT_GOLDEN_DIR DSTFT_FSDD_DIR
above="$tmp"
while :; do
  if [ -e "$above/shared" ]; then
    say "a shared/ folder exists at $above/shared, above the clone: the check would not be meaningful. Fix: set TMPDIR to another folder"
    exit 2
  fi
  [ "$above" = / ] && break
  above="$(dirname "$above")"
done
done_step

step "installing (tooling/scripts/setup.sh)"
bash tooling/scripts/setup.sh > "$tmp/setup.log" 2>&1 || { tail -n 40 "$tmp/setup.log"; exit 1; }
done_step

step "building the packages the golden tests import (kernel, backprop, testing and their dependencies)"
TURBO_TELEMETRY_DISABLED=1 pnpm turbo run build "${build_filters[@]}" --output-logs=errors-only > "$tmp/build.log" 2>&1 \
  || { tail -n 60 "$tmp/build.log"; exit 1; }
done_step

failed=0
for check in "${checks[@]}"; do
  dir="${check%%:*}"
  file="${check#*:}"
  step "running $dir/$file"
  if (cd "$dir" && pnpm vitest run "$file" > "$tmp/test.log" 2>&1); then
    say "  $(sed -E 's/\x1b\[[0-9;]*m//g' "$tmp/test.log" | grep -E '^ *Tests ' | sed -E 's/^ +//; s/ +/ /g')"
    done_step
  else
    sed -E 's/\x1b\[[0-9;]*m//g' "$tmp/test.log" | tail -n 60
    say "  FAILED: $dir/$file"
    failed=1
  fi
done
exit $failed
