#!/usr/bin/env node
/**
 * Forward-transform benchmark of @dstft/kernel against a plain fft.js STFT loop (docs/design.md §9).
 *
 *   pnpm turbo run build --filter=@dstft/kernel...      # once, so that dist/ exists
 *   pnpm --filter @dstft/kernel bench                     # = node bench/forward.bench.mjs
 *   node bench/forward.bench.mjs --rows A,Ap --json out.json --quick
 *
 * Options
 *   --rows A,Ap,B,Bp,C   rows to run (ids; A' and B' may also be written Ap / Bp). Default: all.
 *   --json FILE          also write machine-readable results to FILE.
 *   --quick              fewer repetitions (a smoke run; do not quote its numbers).
 *   --help
 *
 * Method: both implementations run on the same seeded signals with the same N, hop, batch and frame count
 * T = 1 + floor(L / hop). Each is warmed up (≥ 20 calls and ≥ 300 ms), then timed in interleaved rounds
 * (ours, plain, plain, ours, ...: the order alternates) so that machine noise hits both; a sample is the mean
 * of k back-to-back calls, with k chosen so a sample lasts ≥ 2 ms. We report the median and the min of the
 * samples. Ours reuses its result object (`out`) between calls, as a training loop would; the plain loop
 * reuses its preallocated buffers.
 *
 * Before timing, every row is checked once (untimed): a few frames of our complex X against a direct
 * evaluation of docs/design.md §4 with an independent Hann formula, and, for θ = N (rows A, A'), our |X| against
 * the plain loop's magnitudes for every bin and frame (1e-9 relative). A failed check aborts with exit code 1.
 *
 * This is a benchmark, not a test: nothing here asserts on time. The 1.3× target is printed, not enforced.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { createStftPlan, stftForward } from '@dstft/kernel';
import { hann } from '@dstft/windows';
import { makePlainLoop } from './plain-loop.mjs';

// ---------------------------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const opts = { rows: null, json: null, quick: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') continue; // `pnpm ... bench -- --quick` passes the separator through
    else if (a === '--quick') opts.quick = true;
    else if (a === '--rows') opts.rows = splitRows(argv[++i]);
    else if (a.startsWith('--rows=')) opts.rows = splitRows(a.slice(7));
    else if (a === '--json') opts.json = argv[++i];
    else if (a.startsWith('--json=')) opts.json = a.slice(7);
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/forward.bench.mjs [--rows A,Ap,B,Bp,C] [--json out.json] [--quick]');
      process.exit(0);
    } else {
      console.error(`unknown option ${a} (try --help)`);
      process.exit(2);
    }
  }
  if (opts.json === undefined || opts.json === '') {
    console.error('--json needs a file name');
    process.exit(2);
  }
  return opts;
}

function splitRows(s) {
  if (!s) {
    console.error('--rows needs a comma-separated list, e.g. --rows A,B');
    process.exit(2);
  }
  return s.split(',').map((r) => r.trim().replace(/p$/i, "'").toUpperCase()).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded signals

/** mulberry32: a small, fast, seeded PRNG in [0, 1). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** B signals of L samples (row-major): two tones, a linear chirp, a decaying burst and white noise, per-signal random. */
function makeSignals(B, L, seed) {
  const r = rng(seed);
  const x = new Float64Array(B * L);
  for (let b = 0; b < B; b++) {
    const f1 = 0.01 + 0.2 * r();
    const f2 = 0.05 + 0.3 * r();
    const c0 = 0.02 * r();
    const c1 = 0.2 + 0.2 * r();
    const burst = Math.floor(r() * L);
    const ph = 2 * Math.PI * r();
    for (let p = 0; p < L; p++) {
      const u = p / L;
      let v = Math.sin(2 * Math.PI * f1 * p + ph) + 0.5 * Math.sin(2 * Math.PI * f2 * p);
      v += 0.7 * Math.sin(2 * Math.PI * (c0 + 0.5 * (c1 - c0) * u) * p);
      if (p >= burst) v += 2 * Math.exp(-(p - burst) / 40) * Math.sin(0.9 * p);
      v += 0.1 * (r() - 0.5);
      x[b * L + p] = v;
    }
  }
  return x;
}

// ---------------------------------------------------------------------------------------------------------------
// Rows (docs/design.md §9)

/** Reference numbers of docs/design.md §9 (ms). `kind` says what they measure. */
const ROWS = [
  {
    id: 'A',
    desc: 'N=1024 hop=256 B=8 L=16000, θ=N (constant)',
    N: 1024, hop: 256, B: 8, L: 16000, theta: 'constant', positions: 'fixed',
    ref: { kind: 'fwd', oneThread: 5.8, best: 2.4, plain: 6.0 },
    target: true,
  },
  {
    id: "A'",
    desc: 'N=1024 hop=256 B=8 L=80000, θ=N (constant)',
    N: 1024, hop: 256, B: 8, L: 80000, theta: 'constant', positions: 'fixed',
    ref: { kind: 'fwd', oneThread: 34, best: 12, plain: 27.6 },
    target: true,
  },
  {
    id: 'B',
    desc: 'N=512 hop=128 B=1 L=16000, θ_n (time)',
    N: 512, hop: 128, B: 1, L: 16000, theta: 'time', positions: 'fixed',
    ref: { kind: 'fwd+bwd', oneThread: 2.8, best: 1.9, plain: null },
    target: true,
  },
  {
    id: "B'",
    desc: "N=512 h_n≈128 B=1 L=16000, θ_n, hops h_n (time)",
    N: 512, hop: 128, B: 1, L: 16000, theta: 'time', positions: 'time',
    ref: { kind: 'fwd+bwd', oneThread: 2.6, best: 1.9, plain: null },
    target: true,
  },
  {
    id: 'C',
    desc: 'N=256 hop=64 B=1 L=4096, θ_{m,n} (time-frequency, DFT path)',
    N: 256, hop: 64, B: 1, L: 4096, theta: 'time-frequency', positions: 'fixed',
    ref: { kind: 'fwd', oneThread: 17, best: 10.5, plain: null },
    target: false, // DFT path: the plain FFT loop is context, not a fair baseline
  },
];

/** Plan config and per-call params of our transform for a row. */
function setupOurs(row) {
  const { N, hop, L } = row;
  const T = 1 + Math.floor(L / hop);
  const F = Math.floor(N / 2) + 1;
  const positions = row.positions === 'time' ? { mode: 'time', frames: T } : { mode: 'fixed', hop };
  const plan = createStftPlan({ nFft: N, signalLength: L, window: hann, windowMode: row.theta, positions });
  if (plan.frames !== T) throw new Error(`row ${row.id}: plan has T = ${plan.frames}, expected ${T}`);
  let theta;
  if (row.theta === 'constant') {
    theta = Float64Array.of(N);
  } else if (row.theta === 'time') {
    // smooth, non-integer lengths in [N/3, 0.95 N]
    theta = new Float64Array(T);
    for (let n = 0; n < T; n++) theta[n] = N * (0.64 + 0.31 * Math.sin((2 * Math.PI * 3 * n) / T + 0.3)) + 0.37;
  } else {
    // θ_{m,n}, row-major [F][T]: smooth in both m and n, in [N/8, N]
    theta = new Float64Array(F * T);
    for (let m = 0; m < F; m++) {
      for (let n = 0; n < T; n++) {
        const v = N * (0.56 + 0.3 * Math.sin((2 * Math.PI * 2 * n) / T) * Math.cos((Math.PI * m) / F) + 0.1 * Math.cos((2 * Math.PI * m) / F));
        theta[m * T + n] = Math.min(N, Math.max(N / 8, v + 0.123));
      }
    }
  }
  const params = { theta };
  if (row.positions === 'time') {
    // fractional hops around `hop`, summing to ≈ (T-1)·hop
    const hops = new Float64Array(T - 1);
    for (let n = 0; n < T - 1; n++) hops[n] = hop * (1 + 0.2 * Math.sin((2 * Math.PI * 5 * n) / (T - 1))) + 0.25;
    params.t0 = 0;
    params.hops = hops;
  }
  return { plan, params, T, F };
}

// ---------------------------------------------------------------------------------------------------------------
// Correctness (untimed)

/** Independent Hann: w(x, θ) = 0.5 + 0.5 cos(2πx/θ) on [-θ/2, θ/2), normalization none. */
function hannAt(xo, theta) {
  return xo >= -theta / 2 && xo < theta / 2 ? 0.5 + 0.5 * Math.cos((2 * Math.PI * xo) / theta) : 0;
}

/**
 * X[m,n] of docs/design.md §4 evaluated directly for a few frames of signal 0 (all bins), compared with ours.
 * Error measured relative to the largest |X| of the frame.
 */
function checkDirect(row, setup, res, x) {
  const { N, L } = row;
  const { T, F } = setup;
  const theta = setup.params.theta;
  const c = Math.floor(N / 2);
  const pos = res.positions;
  const frames = [...new Set([0, 1, Math.floor(T / 3), Math.floor(T / 2), T - 2, T - 1])].filter((n) => n >= 0 && n < T);
  let worst = 0;
  const re = new Float64Array(F);
  const im = new Float64Array(F);
  for (const n of frames) {
    const t = pos[n];
    const i = Math.floor(t);
    const f = t - i;
    let scale = 0;
    for (let m = 0; m < F; m++) {
      const th = row.theta === 'constant' ? theta[0] : row.theta === 'time' ? theta[n] : theta[m * T + n];
      let sr = 0;
      let si = 0;
      for (let j = 0; j < N; j++) {
        const p = i - c + j;
        if (p < 0 || p >= L) continue;
        const v = x[p] * hannAt(j - c - f, th);
        const a = (-2 * Math.PI * ((m * (j + i)) % N)) / N; // phase e^{-2πi m (i_n + j)/N}
        sr += v * Math.cos(a);
        si += v * Math.sin(a);
      }
      re[m] = sr;
      im[m] = si;
      scale = Math.max(scale, Math.hypot(sr, si));
    }
    for (let m = 0; m < F; m++) {
      const o = 2 * (m * T + n); // batch 0, [F][T] interleaved
      const err = Math.hypot(res.X[o] - re[m], res.X[o + 1] - im[m]) / (scale || 1);
      if (err > worst) worst = err;
    }
  }
  return { frames: frames.length, maxRelErr: worst };
}

/** θ = N rows: our |X| (from X, and spec − eps) against the plain loop's magnitudes, every signal, bin, frame. */
function checkAgainstPlain(setup, res, plain, B, eps) {
  const { T, F } = setup;
  let maxAbs = 0;
  for (let k = 0; k < plain.mag.length; k++) maxAbs = Math.max(maxAbs, plain.mag[k]);
  let normwise = 0; // max |a − b| / max |b|
  let elementwise = 0; // max |a − b| / |b| over bins with |b| ≥ 1e-6 · max |b|
  for (let b = 0; b < B; b++) {
    for (let n = 0; n < T; n++) {
      for (let m = 0; m < F; m++) {
        const ref = plain.mag[(b * T + n) * F + m];
        const k = (b * F + m) * T + n;
        const ours = Math.hypot(res.X[2 * k], res.X[2 * k + 1]);
        const fromSpec = res.spec[k] - eps;
        const d = Math.max(Math.abs(ours - ref), Math.abs(fromSpec - ref));
        normwise = Math.max(normwise, d / maxAbs);
        if (ref >= 1e-6 * maxAbs) elementwise = Math.max(elementwise, d / ref);
      }
    }
  }
  return { normwise, elementwise };
}

// ---------------------------------------------------------------------------------------------------------------
// Timing

const now = () => performance.now();

function stats(samples) {
  const s = Float64Array.from(samples).sort();
  const q = (p) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (h - lo);
  };
  let sum = 0;
  for (const v of s) sum += v;
  return { median: q(0.5), min: s[0], p25: q(0.25), p75: q(0.75), mean: sum / s.length, samples: s.length };
}

function warmUp(fn, minIters, minMs) {
  const t0 = now();
  let i = 0;
  while (i < minIters || now() - t0 < minMs) {
    fn();
    i++;
  }
  return (now() - t0) / i;
}

/** One sample: mean ms per call over k calls. */
function sample(fn, k) {
  const t0 = now();
  for (let i = 0; i < k; i++) fn();
  return (now() - t0) / k;
}

/**
 * Interleaved measurement of two functions. Rounds alternate the order (a b, b a, ...); runs at least
 * `minRounds` rounds and until `budgetMs` has elapsed (at most `maxRounds`).
 */
function measurePair(a, b, cfg) {
  const estA = warmUp(a, cfg.warmIters, cfg.warmMs);
  const estB = warmUp(b, cfg.warmIters, cfg.warmMs);
  const kA = Math.max(1, Math.ceil(cfg.minSampleMs / estA));
  const kB = Math.max(1, Math.ceil(cfg.minSampleMs / estB));
  const sa = [];
  const sb = [];
  const t0 = now();
  for (let r = 0; r < cfg.maxRounds; r++) {
    if (r >= cfg.minRounds && now() - t0 > cfg.budgetMs) break;
    if (r % 2 === 0) {
      sa.push(sample(a, kA));
      sb.push(sample(b, kB));
    } else {
      sb.push(sample(b, kB));
      sa.push(sample(a, kA));
    }
  }
  return { a: { ...stats(sa), callsPerSample: kA }, b: { ...stats(sb), callsPerSample: kB } };
}

// ---------------------------------------------------------------------------------------------------------------
// Main

const opts = parseArgs(process.argv.slice(2));
const cfg = opts.quick
  ? { warmIters: 5, warmMs: 100, minSampleMs: 2, minRounds: 10, maxRounds: 60, budgetMs: 500 }
  : { warmIters: 20, warmMs: 300, minSampleMs: 2, minRounds: 60, maxRounds: 1000, budgetMs: 5000 };

const known = ROWS.map((r) => r.id);
if (opts.rows) {
  const bad = opts.rows.filter((r) => !known.includes(r));
  if (bad.length > 0) {
    console.error(`unknown row(s) ${bad.join(', ')}; known: ${known.join(', ')} (A' and B' may be written Ap, Bp)`);
    process.exit(2);
  }
}
const rows = ROWS.filter((r) => !opts.rows || opts.rows.includes(r.id));

const cpu = os.cpus()[0]?.model ?? 'unknown';
const header = {
  node: process.version,
  v8: process.versions.v8,
  cpu,
  logicalCores: os.cpus().length,
  platform: `${os.platform()} ${os.arch()}`,
  mode: opts.quick ? 'quick' : 'full',
  date: new Date().toISOString(),
};
console.log('@dstft/kernel forward benchmark (docs/design.md §9): ours = stftForward(plan, x, params, out), plain = fft.js loop');
console.log(`node ${header.node} (V8 ${header.v8}) | ${header.cpu} | ${header.logicalCores} logical cores | ${header.platform} | ${header.mode} run`);
console.log(
  `warm-up ≥ ${cfg.warmIters} calls and ≥ ${cfg.warmMs} ms each; ≥ ${cfg.minRounds} interleaved rounds or ${cfg.budgetMs} ms per row; sample ≥ ${cfg.minSampleMs} ms; single thread\n`,
);

const results = [];
for (const row of rows) {
  const setup = setupOurs(row);
  const x = makeSignals(row.B, row.L, 0x5eed + row.L + row.N + row.B);
  const plain = makePlainLoop(row.N, row.hop, row.B, row.L, setup.T);

  // ---- correctness, once, untimed ----
  let res = stftForward(setup.plan, x, setup.params);
  plain.run(x);
  const direct = checkDirect(row, setup, res, x);
  const check = { direct };
  let ok = direct.maxRelErr <= 1e-9;
  if (row.theta === 'constant') {
    check.plain = checkAgainstPlain(setup, res, plain, row.B, setup.plan.eps);
    ok = ok && check.plain.normwise <= 1e-9 && check.plain.elementwise <= 1e-9;
  }
  const checkText =
    `direct §4 on ${direct.frames} frames: ${direct.maxRelErr.toExponential(1)}` +
    (check.plain ? `; |X| vs plain loop: ${check.plain.normwise.toExponential(1)} normwise, ${check.plain.elementwise.toExponential(1)} elementwise` : '');
  console.log(`row ${row.id}: ${row.desc}; T=${setup.T}, F=${setup.F}, path=${setup.plan.path}; check ${ok ? 'OK' : 'FAILED'} (${checkText})`);
  if (!ok) {
    console.error(`\nCORRECTNESS CHECK FAILED for row ${row.id}: tolerance 1e-9 relative. Timings would be meaningless; aborting.`);
    process.exit(1);
  }

  // ---- timing ----
  const ours = () => {
    res = stftForward(setup.plan, x, setup.params, res);
  };
  const base = () => plain.run(x);
  const m = measurePair(ours, base, cfg);
  const ratio = m.a.median / m.b.median;
  results.push({
    id: row.id,
    config: { N: row.N, hop: row.positions === 'time' ? `h_n ≈ ${row.hop}` : row.hop, batch: row.B, L: row.L, T: setup.T, F: setup.F, windowMode: row.theta, positions: row.positions, path: setup.plan.path },
    desc: row.desc,
    ours: m.a,
    plain: m.b,
    ratioOursToPlain: ratio,
    ratioOfMins: m.a.min / m.b.min,
    msPerTransform: m.a.median / row.B,
    reference: row.ref,
    ratioToReferenceBest: m.a.median / row.ref.best,
    target: row.target ? { maxRatioToPlain: 1.3, met: ratio <= 1.3 } : null,
    check,
  });
}

// ---- table ----
const f2 = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const cols = ['row', 'config', 'ours med (min)', 'plain med (min)', 'ours/plain med (min)', 'ref 1-thr', 'ref best', 'ours/ref best', '≤1.3× plain'];
const table = results.map((r) => {
  const fb = r.reference.kind === 'fwd+bwd' ? '†' : '';
  return [
    r.id,
    r.desc,
    `${f2(r.ours.median)} (${f2(r.ours.min)})`,
    `${f2(r.plain.median)} (${f2(r.plain.min)})`,
    `${r.ratioOursToPlain.toFixed(2)}× (${r.ratioOfMins.toFixed(2)}×)`,
    `${r.reference.oneThread}${fb}`,
    `${r.reference.best}${fb}`,
    `${r.ratioToReferenceBest.toFixed(2)}×${fb}`,
    r.target ? (r.target.met ? 'yes' : 'NO') : '– (DFT path)', // judged on the medians
  ];
});
const widths = cols.map((c, i) => Math.max(c.length, ...table.map((t) => t[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\nmedians (min) in ms per forward call of the whole batch\n`);
console.log(line(cols));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const t of table) console.log(line(t));
if (results.some((r) => r.reference.kind === 'fwd+bwd')) {
  console.log('\n† docs/design.md §9 gives only forward + backward for row B (B\': time-varying hops); our column is forward only, so that ratio is a lower bound, not a like-for-like comparison.');
}
for (const r of results) {
  if (r.reference.plain !== null) {
    console.log(`row ${r.id}: plain loop here ${f2(r.plain.median)} ms vs ${r.reference.plain} ms in docs/design.md §9 (machine drift check).`);
  }
}
const c = results.find((r) => r.id === 'C');
if (c) {
  console.log(
    `row C: ${f2(c.msPerTransform)} ms per transform (B=1) vs reference 17 ms (1 thread) / 10.5 ms (best) → ${(c.msPerTransform / 17).toFixed(2)}× / ${(c.msPerTransform / 10.5).toFixed(2)}×; ` +
      `an FFT-path STFT of this size (plain loop, θ=N) costs ${f2(c.plain.median)} ms.`,
  );
}

if (opts.json) {
  writeFileSync(opts.json, `${JSON.stringify({ ...header, settings: cfg, rows: results }, null, 2)}\n`);
  console.log(`\nwrote ${opts.json}`);
}
