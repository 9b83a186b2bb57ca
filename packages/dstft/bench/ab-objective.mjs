#!/usr/bin/env node
/**
 * Two builds of the public objective side by side in one process: row A (nFft 1024, hop 256, batch 8 × 16 000
 * samples, constant θ, Shannon), one thread, `createObjective(…).objective(grads)` (the one-pass θ gradient), in
 * alternating 300 ms blocks for 16 rounds; prints each build's median and the median of the per-round ratios.
 *
 *   git worktree add /tmp/before <commit> && (cd /tmp/before && pnpm install --offline && pnpm turbo run build --filter=@dstft/dstft... --filter=@dstft/fft-pffft)
 *   node packages/dstft/bench/ab-objective.mjs /tmp/before "$PWD" f64     # or f32 (the pffft backend)
 *
 * A benchmark, not a test: it asserts nothing.
 */
import { pathToFileURL } from 'node:url';
const roots = { before: process.argv[2], after: process.argv[3] };
const which = process.argv[4] ?? 'f64';
const L = 16000, B = 8;
const x = Float64Array.from({ length: B * L }, (_, k) => { const n = k % L; return Math.sin(0.01 * n + 2e-7 * n * n) + 0.5 * Math.sin(0.37 * n) + 0.01 * ((k * 7919) % 13); });
const opts = { nFft: 1024, hop: 256, signalLength: L, windowMode: 'constant', positionsMode: 'fixed', theta: 1000 };
const obj = {};
for (const [k, root] of Object.entries(roots)) {
  const d = await import(pathToFileURL(`${root}/packages/dstft/dist/index.js`).href);
  const p = await import(pathToFileURL(`${root}/packages/fft-pffft/dist/index.js`).href);
  const fft = which === 'f32' ? await p.loadPffftBackend() : null;
  const dst = d.createDstft(opts, fft ? { fft } : {});
  const o = d.createObjective(dst, x, { loss: 'shannon' });
  const g = o.groups.map((gr) => new Float64Array(gr.values.length));
  obj[k] = () => o.objective(g);
  for (let i = 0; i < 20; i++) obj[k]();
}
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const T = { before: [], after: [] };
for (let r = 0; r < 16; r++) for (const k of r % 2 ? ['before', 'after'] : ['after', 'before']) {
  const ts = []; const t0 = performance.now();
  while (performance.now() - t0 < 300) { const a = performance.now(); obj[k](); ts.push(performance.now() - a); }
  T[k].push(med(ts));
}
const ratios = T.after.map((v, i) => v / T.before[i]);
console.log(which, 'before', med(T.before).toFixed(2), 'after', med(T.after).toFixed(2), 'after/before median', med(ratios).toFixed(3), 'range', Math.min(...ratios).toFixed(3), Math.max(...ratios).toFixed(3));
