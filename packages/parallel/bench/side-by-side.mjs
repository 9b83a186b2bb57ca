#!/usr/bin/env node
/**
 * Two builds of @dstft/parallel side by side in one process (the issue-17 before / after table of the README):
 * 2-thread entropyStep and forward + backward of rows A, A' (Ap), B, C, alternating rounds for 10 s per row.
 *
 *   node packages/parallel/bench/side-by-side.mjs /tmp/before "$PWD" A,B,C   # one JSON line of medians (ms)
 *
 * Rounds alternate in blocks of four per build, the first of each block not kept (see the loop).
 * BALANCE=even gives the after-build the even split (the adaptive one may run alone on the calling thread when the
 * other build's workers, alive in the same process, slow its own).
 * (/tmp/before: a built worktree of the older commit, as in the kernel's bench/side-by-side.mjs.) Asserts nothing.
 */
import { pathToFileURL } from 'node:url';
const roots = { before: process.argv[2], after: process.argv[3] };
const rows = (process.argv[4] ?? 'A,B').split(',');
const impl = {};
for (const [k, root] of Object.entries(roots)) impl[k] = await import(pathToFileURL(`${root}/packages/parallel/dist/index.js`).href);
const cfg = {
  A: { opts: { nFft: 1024, signalLength: 16000, windowMode: 'constant', theta: 1024, hop: 256 }, B: 8 },
  Ap: { opts: { nFft: 1024, signalLength: 80000, windowMode: 'constant', theta: 1024, hop: 256 }, B: 8 },
  B: { opts: { nFft: 512, signalLength: 16000, windowMode: 'time', theta: 358, hop: 128 }, B: 1 },
  C: { opts: { nFft: 256, signalLength: 4096, windowMode: 'time-frequency', theta: 180, hop: 64 }, B: 1 },
};
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const out = {};
for (const id of rows) {
  const c = cfg[id];
  const st = {};
  for (const k of Object.keys(impl)) {
    const p = await impl[k].createParallelDstft(c.opts, { threads: 2, ...(process.env.BALANCE && (k === 'after' || process.env.BALANCE_BOTH) ? { balance: process.env.BALANCE } : {}) });
    const x = p.sharedArray(c.B * c.opts.signalLength).map((_, q) => Math.sin(0.01 * q) + 0.3 * Math.cos(0.3 * q));
    st[k] = { p, x, step: null, res: null, s: [], fb: [] };
  }
  const round = (s, keep = true) => {
    const t0 = performance.now();
    s.step = s.p.entropyStep(s.x, s.step ? { out: s.step.result } : {});
    const t1 = performance.now();
    s.res = s.p.forward(s.x, undefined, s.res ?? undefined);
    s.p.backward(s.res, { spec: s.step.specGrad });
    const t2 = performance.now();
    if (keep) { s.s.push(t1 - t0); s.fb.push(t2 - t1); }
  };
  for (let w = 0; w < 15; w++) for (const s of Object.values(st)) round(s);
  for (const s of Object.values(st)) { s.s.length = 0; s.fb.length = 0; }
  const T0 = performance.now(); let flip = false;
  while (performance.now() - T0 < 10000) {
    const order = flip ? ['after', 'before'] : ['before', 'after']; flip = !flip;
    // the first round after a switch is not kept: the other build's worker still spins for spinMs (1 ms) after its
    // last job and, on a 2-core host, takes a core from this build's worker
    for (const k of order) for (let r = 0; r < 4; r++) round(st[k], r > 0);
  }
  out[id] = {};
  for (const k of Object.keys(st)) { out[id][k] = { step: med(st[k].s), fwdbwd: med(st[k].fb), n: st[k].s.length }; await st[k].p.close(); }
}
console.log(JSON.stringify(out));
