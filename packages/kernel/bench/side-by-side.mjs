#!/usr/bin/env node
/**
 * Two builds of the kernel side by side in one process (the issue-17 before / after table of the README): forward,
 * backward ({ spec }, signal: true) and adjoint of rows A, B, C, alternating rounds for 8 s per row after a warm-up.
 *
 *   git worktree add /tmp/before be94308 && (cd /tmp/before && pnpm install --offline && pnpm turbo run build --filter=@dstft/backprop...)
 *   node packages/kernel/bench/side-by-side.mjs /tmp/before "$PWD" A,B,C    # prints one JSON line of medians (ms)
 *   NOADJ=1 node …                                                          # without the adjoint in the process
 *
 * A benchmark, not a test: it asserts nothing. Run it three times and compare per-process ratios.
 */
// side-by-side: before (root1) vs after (root2), same process, alternating rounds
import { loadBuild, setUpRow } from './build-rows.mjs';
const roots = { before: process.argv[2], after: process.argv[3] };
const rowsWanted = (process.argv[4] ?? 'A,B,C').split(',');
const impl = {};
for (const [k, root] of Object.entries(roots)) impl[k] = await loadBuild(root);
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const out = {};
for (const id of rowsWanted) {
  const st = {};
  for (const k of Object.keys(impl)) st[k] = { I: impl[k], ...setUpRow(impl[k], id), fw: [], bw: [], adj: [] };
  const round = (s) => {
    const { I } = s;
    const t0 = performance.now();
    s.res = I.stftForwardWithState(s.plan, s.x, { theta: s.theta }, s.res);
    const t1 = performance.now();
    I.stftBackward(s.res, { spec: s.dS }, { signal: true });
    const t2 = performance.now();
    if (!process.env.NOADJ) I.stftAdjoint(s.plan, s.G, { theta: s.theta });
    const t3 = performance.now();
    s.fw.push(t1 - t0); s.bw.push(t2 - t1); s.adj.push(t3 - t2);
  };
  for (let w = 0; w < 10; w++) for (const s of Object.values(st)) round(s);
  for (const s of Object.values(st)) { s.fw.length = 0; s.bw.length = 0; s.adj.length = 0; }
  const T0 = performance.now();
  let flip = false;
  while (performance.now() - T0 < 8000) {
    const order = flip ? ['after', 'before'] : ['before', 'after'];
    flip = !flip;
    for (const k of order) for (let r = 0; r < 3; r++) round(st[k]);
  }
  out[id] = {};
  for (const k of Object.keys(st)) out[id][k] = { fwd: med(st[k].fw), bwd: med(st[k].bw), adj: med(st[k].adj), n: st[k].fw.length };
}
console.log(JSON.stringify(out));
