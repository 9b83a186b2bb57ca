#!/usr/bin/env node
/**
 * Two builds of the kernel and its backward in one process, calls alternating one by one (before, after, after,
 * before, …) for a few seconds: the finest A/B this project has for a per-call cost of a few µs. Prints the ratio of
 * the median call times, after / before.
 *
 *   node packages/kernel/bench/ab-call.mjs <before-root> <after-root> [op] [row] [seconds]
 *     op: fwd (stftForwardWithState into a reused result), bwd (backward, { spec }, signal: true), bwd0 (the same
 *         without ∂ℒ/∂x), adj (stftAdjoint), fb (fwd then bwd); default bwd. row: A, B or C (as side-by-side.mjs).
 *
 * A benchmark, not a test: it asserts nothing. Both roots must be built (`packages/<name>/dist`).
 */
import { loadBuild, setUpRow } from './build-rows.mjs';
const [rootBefore, rootAfter, op = 'bwd', row = 'B', seconds = '6'] = process.argv.slice(2);
if (!rootBefore || !rootAfter) {
  console.error('usage: ab-call.mjs <before-root> <after-root> [fwd|bwd|bwd0|adj|fb] [A|B|C] [seconds]');
  process.exit(2);
}
async function make(root) {
  const I = await loadBuild(root);
  const { plan, x, theta, dS, G, res: first } = setUpRow(I, row);
  let res = first;
  const ops = {
    fwd: () => { res = I.stftForwardWithState(plan, x, { theta }, res); },
    bwd: () => { I.stftBackward(res, { spec: dS }, { signal: true }); },
    bwd0: () => { I.stftBackward(res, { spec: dS }); },
    adj: () => { I.stftAdjoint(plan, G, { theta }); },
    fb: () => { res = I.stftForwardWithState(plan, x, { theta }, res); I.stftBackward(res, { spec: dS }, { signal: true }); },
  };
  if (!ops[op]) throw new Error(`unknown op ${op}`);
  return ops[op];
}
const before = await make(rootBefore);
const after = await make(rootAfter);
for (let i = 0; i < 300; i++) { before(); after(); }
const tb = [];
const ta = [];
const t0 = performance.now();
for (let k = 0; performance.now() - t0 < Number(seconds) * 1000; k++) {
  const pair = k & 1 ? [[after, ta], [before, tb]] : [[before, tb], [after, ta]];
  for (const [f, into] of pair) {
    const s = performance.now();
    f();
    into.push(performance.now() - s);
  }
}
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
console.log(`${row} ${op}: after / before ${(med(ta) / med(tb)).toFixed(3)} (${med(tb).toFixed(4)} → ${med(ta).toFixed(4)} ms, ${ta.length} calls each)`);
