#!/usr/bin/env node
/**
 * The log kernel against the scalar code it replaces, on one frame of row A (F = 513 bins), 504 frames per call
 * (row A's count), alternating blocks in one process; medians over rounds, in ns per bin:
 *   logs        `Math.log` loop                         vs `sharedLogKernel().logs(s, 0, F)` (copy in included)
 *   frame       scalar S and d + `Math.log` of S         vs `magnitudeTangent(X, Y, F, 0)` + `logs(s, 0, F)` (no copy)
 * Run after a build: `node packages/core/bench/log-kernel.bench.mjs [--rounds 10]`. A benchmark: it asserts nothing
 * (it does check that both sides give the same bits before timing).
 */
import { createLogKernel } from '../dist/index.js';

const args = process.argv.slice(2);
const rounds = Number(args.includes('--rounds') ? args[args.indexOf('--rounds') + 1] : 10);
const F = 513;
const FRAMES = 504;
const kernel = createLogKernel();
const X = Float64Array.from({ length: 2 * F }, (_, i) => Math.sin(i * 0.7) * 10 * Math.exp(-i / 600));
const Y = Float64Array.from({ length: 2 * F }, (_, i) => Math.cos(i * 0.3) * 3);
const s = Float64Array.from({ length: F }, (_, m) => Math.hypot(X[2 * m], X[2 * m + 1]));
const lg = new Float64Array(F);
const sc = new Float64Array(F);
const dc = new Float64Array(F);
let sink = 0;

const cells = {
  'logs: Math.log loop': () => {
    for (let m = 0; m < F; m++) lg[m] = Math.log(s[m]);
    sink += lg[7];
  },
  'logs: kernel': () => {
    sink += kernel.logs(s, 0, F)[7];
  },
  'frame: scalar S, d, Math.log': () => {
    for (let m = 0; m < F; m++) {
      const re = X[2 * m];
      const im = X[2 * m + 1];
      const m2 = re * re + im * im;
      const a = Math.sqrt(m2);
      sc[m] = a;
      dc[m] = m2 > 0 ? (re * Y[2 * m] + im * Y[2 * m + 1]) / a : 0;
      lg[m] = Math.log(sc[m]);
    }
    sink += lg[7] + dc[7];
  },
  'frame: magnitudeTangent + logs': () => {
    const t = kernel.magnitudeTangent(X, Y, F, 0);
    sink += kernel.logs(t.s, 0, F)[7] + t.d[7];
  },
};

// same bits first
const t = kernel.magnitudeTangent(X, Y, F, 0);
const k = kernel.logs(t.s, 0, F);
for (let m = 0; m < F; m++) {
  const re = X[2 * m];
  const im = X[2 * m + 1];
  if (!Object.is(t.s[m], Math.sqrt(re * re + im * im)) || !Object.is(k[m], Math.log(t.s[m]))) throw new Error(`bin ${m}: the kernel differs from the scalar code`);
}

const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const times = Object.fromEntries(Object.keys(cells).map((c) => [c, []]));
for (const f of Object.values(cells)) for (let i = 0; i < 300; i++) f();
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? Object.keys(cells) : Object.keys(cells).reverse();
  for (const c of order) {
    const f = cells[c];
    const t0 = performance.now();
    let calls = 0;
    while (performance.now() - t0 < 150) {
      for (let i = 0; i < FRAMES; i++) f();
      calls++;
    }
    times[c].push(((performance.now() - t0) * 1e6) / (calls * FRAMES * F));
  }
}
console.log(`log kernel (SIMD: ${kernel.simd}), ${rounds} rounds, ns per bin (median); 504 frames of 513 bins = row A's call`);
console.log('| cell | ns per bin | ms per row-A call |');
console.log('|---|---|---|');
for (const c of Object.keys(cells)) console.log(`| ${c} | ${med(times[c]).toFixed(2)} | ${((med(times[c]) * FRAMES * F) / 1e6).toFixed(3)} |`);
if (sink === 42) console.log('');
