#!/usr/bin/env node
/**
 * The built-in losses' `evaluate` with a gradient on row A's spectrogram shape (8 × 513 × 63 = 258 552 entries),
 * medians over rounds of ~200 ms blocks, the losses alternating: `node packages/losses/bench/losses.bench.mjs` after a
 * build. A benchmark: it asserts nothing.
 */
import { kurtosis, renyi, shannon } from '../dist/index.js';

const [B, F, T] = [8, 513, 63];
const data = Float64Array.from({ length: B * F * T }, (_, k) => Math.abs(Math.sin(k * 0.013) * 40 * Math.exp(-((k / T) % F) / 50)) + 1e-9);
const spec = { data, batch: B, freqs: F, frames: T };
const grad = new Float64Array(data.length);
const cells = {
  shannon: () => shannon.evaluate(spec, grad, { ...shannon.defaults }),
  'renyi α = 3': () => renyi.evaluate(spec, grad, { ...renyi.defaults, alpha: 3 }),
  'renyi α = 2.5': () => renyi.evaluate(spec, grad, { ...renyi.defaults, alpha: 2.5 }),
  kurtosis: () => kurtosis.evaluate(spec, grad, { ...kurtosis.defaults }),
};
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const times = Object.fromEntries(Object.keys(cells).map((c) => [c, []]));
for (const f of Object.values(cells)) for (let i = 0; i < 20; i++) f();
for (let r = 0; r < 9; r++) {
  for (const c of r % 2 ? Object.keys(cells) : Object.keys(cells).reverse()) {
    const ts = [];
    const t0 = performance.now();
    while (performance.now() - t0 < 200) {
      const a = performance.now();
      cells[c]();
      ts.push(performance.now() - a);
    }
    times[c].push(med(ts));
  }
}
console.log(`evaluate with gradient, ${B} × ${F} × ${T} entries, medians of 9 rounds (ms)`);
for (const c of Object.keys(cells)) console.log(`${c.padEnd(14)} ${med(times[c]).toFixed(2)}`);
