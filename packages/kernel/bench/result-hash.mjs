#!/usr/bin/env node
/**
 * Result hashes of the kernel and its backward (issue 17): runs a fixed set of configurations and prints the SHA-256
 * of the bytes of every output array, per configuration and overall. A refactoring of the frame loops must
 * reproduce these hashes exactly (bitwise identical results).
 *
 *   pnpm turbo run build --filter=@dstft/backprop... --filter=@dstft/fft-pffft --output-logs=errors-only
 *   node packages/kernel/bench/result-hash.mjs            # prints "<config> <sha256>" lines and "overall <sha256>"
 *   node packages/kernel/bench/result-hash.mjs > packages/kernel/bench/result-hash.after.txt
 *   diff packages/kernel/bench/result-hash.before.txt packages/kernel/bench/result-hash.after.txt
 *
 * Covered: every window mode (fixed, constant, time, frequency, time-frequency) × every positions mode (fixed,
 * constant, time, free) under fixed frames, the fixed-overlap policy, nFft = 32 (power of two), 30 (even, Bluestein)
 * and 31 (odd), every normalization, powers 1 / 2 / 1.5, batches 1, 2 and 3, fractional positions, frames that hang
 * off the signal, a large nFft with several blocks of frames, the float32 pffft backend (its direct-input paths);
 * outputs: forward (X, spec, positions, times, θ; also into a reused result), inverse (signal, coverage, residual,
 * iterations), adjoint, backward with { spec } and { X } upstreams, with and without { signal: true }.
 *
 * Backprop and pffft sit above / beside the kernel in the layer table, so they are imported from their built
 * dist/ by path (a bench, not package source; a dev dependency would be a cycle).
 */
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const load = (pkg) => import(pathToFileURL(resolve(here, `../../${pkg}/dist/index.js`)).href);
const kernel = await load('kernel');
const backprop = await load('backprop');
const windows = await load('windows');
const pffft = await load('fft-pffft');
const { createStftPlan, stftForward, stftAdjoint, stftInverse } = kernel;
const { stftForwardWithState, stftBackward } = backprop;
const { mulberry32: rng } = await load('core'); // the project's one seeded generator


function randomArray(r, n, lo = -1, hi = 1) {
  const a = new Float64Array(n);
  for (let k = 0; k < n; k++) a[k] = lo + (hi - lo) * r();
  return a;
}

const WINDOW_MODES = ['fixed', 'constant', 'time', 'frequency', 'time-frequency'];
const POSITIONS_MODES = ['fixed', 'constant', 'time', 'free'];
const NORMS = ['none', 'paper', 'unit'];
const POWERS = [1, 2, 1.5];

/** Builds the configurations: [name, plan config, batch, params factory]. */
function configurations(pffftBackend) {
  const out = [];
  let k = 0;
  const sizes = [32, 30, 31];
  for (const nFft of sizes) {
    for (const windowMode of WINDOW_MODES) {
      for (const pm of POSITIONS_MODES) {
        const normalization = NORMS[k % 3];
        const power = POWERS[(k >> 1) % 3];
        const batch = [2, 1, 3][k % 3];
        const window = k % 4 === 3 ? windows.gaussian : windows.hann;
        const L = 150 + (k % 5);
        const hop = 7.5 + (k % 3) * 0.25; // fractional positions
        let positions;
        let frames;
        if (pm === 'fixed') positions = { mode: 'fixed', hop };
        else if (pm === 'constant') positions = { mode: 'constant', hop };
        else positions = { mode: pm, frames: 21 };
        const config = { nFft, signalLength: L, sampleRate: 8000, window, normalization, windowMode, positions, power, eps: 1e-12, thetaMin: 4, thetaMax: nFft - 2 };
        out.push({ name: `N${nFft}-${windowMode}-${pm}-${normalization}-p${power}-B${batch}-${window.id}`, config, batch, seed: 1000 + k, frames });
        k++;
      }
    }
    // fixed-overlap policy, fixed and constant θ
    for (const windowMode of ['fixed', 'constant']) {
      const config = { nFft, signalLength: 140, sampleRate: 1, window: windows.hann, normalization: NORMS[k % 3], windowMode, positions: { mode: 'fixed', hop: 1 }, framePolicy: { kind: 'fixed-overlap', overlap: 0.7 }, power: POWERS[k % 3], thetaMin: 6, thetaMax: nFft - 1 };
      out.push({ name: `N${nFft}-${windowMode}-overlap-${config.normalization}-p${config.power}`, config, batch: 2, seed: 1000 + k });
      k++;
    }
    // integer hop (one shared window for every frame) and frames hanging off the signal
    out.push({ name: `N${nFft}-constant-intHop-B3`, config: { nFft, signalLength: 160, window: windows.hann, windowMode: 'constant', positions: { mode: 'fixed', hop: 8 } }, batch: 3, seed: 1000 + k++ });
    out.push({ name: `N${nFft}-time-free-offsignal-B2`, config: { nFft, signalLength: 60, window: windows.blackman, windowMode: 'time', positions: { mode: 'free', frames: 9 }, normalization: 'paper' }, batch: 2, seed: 1000 + k++, offSignal: true });
  }
  // several blocks of K frames (K = 32 at N = 2048) with a batch, varying windows
  out.push({ name: 'N2048-time-fixed-B2', config: { nFft: 2048, signalLength: 24000, window: windows.hann, windowMode: 'time', positions: { mode: 'fixed', hop: 300.5 }, normalization: 'paper', thetaMin: 64 }, batch: 2, seed: 77 });
  out.push({ name: 'N1000-time-constant-B3', config: { nFft: 1000, signalLength: 9000, window: windows.hamming, windowMode: 'time', positions: { mode: 'constant', hop: 120.25 }, normalization: 'unit', thetaMin: 64, power: 2 }, batch: 3, seed: 78 });
  // the float32 backend: direct-input forward and backward (even N), and its copy route (odd N is refused; N = 30 copy route)
  if (pffftBackend) {
    for (const nFft of [32, 64]) {
      for (const windowMode of ['constant', 'time']) {
        out.push({ name: `pffft-N${nFft}-${windowMode}-B2`, config: { nFft, signalLength: 300, window: windows.hann, windowMode, positions: { mode: 'constant', hop: 9.5 }, normalization: 'paper', fft: pffftBackend, thetaMin: 4, thetaMax: nFft - 2 }, batch: 2, seed: 90 + nFft });
      }
    }
  }
  return out;
}

/** Per-call parameters for a plan, seeded. */
function makeParams(plan, r, cfg) {
  const mode = plan.windowMode;
  const T = plan.frames;
  const N = plan.nFft;
  const lo = plan.thetaMin;
  const hi = plan.thetaMax;
  const thetaLen = plan.framePolicy.kind === 'fixed-overlap' ? 1 : plan.thetaLength(T);
  const theta = new Float64Array(thetaLen);
  for (let k = 0; k < thetaLen; k++) theta[k] = lo + (hi - lo) * (0.2 + 0.75 * r());
  if (mode === 'fixed' && plan.framePolicy.kind !== 'fixed-overlap') theta[0] = Math.min(hi, N * 0.8);
  const params = { theta };
  const pm = plan.positionsConfig.mode;
  if (plan.framePolicy.kind === 'fixed-overlap') return params;
  if (pm === 'constant') params.hop = plan.positionsConfig.hop + 0.125;
  if (pm === 'time') {
    params.t0 = -3.3 + r();
    params.hops = new Float64Array(T - 1);
    for (let n = 0; n < T - 1; n++) params.hops[n] = 5 + 4 * r();
  }
  if (pm === 'free') {
    const pos = new Float64Array(T);
    const span = cfg.offSignal ? plan.signalLength + 2 * N : plan.signalLength;
    const base = cfg.offSignal ? -N : 0;
    for (let n = 0; n < T; n++) pos[n] = base + span * r();
    pos.sort();
    params.positions = pos;
  }
  return params;
}

function run(cfg) {
  const plan = createStftPlan(cfg.config);
  const r = rng(cfg.seed);
  const L = plan.signalLength;
  const x = randomArray(r, cfg.batch * L);
  const params = makeParams(plan, r, cfg);
  const arrays = [];
  const put = (label, a) => arrays.push([label, a]);

  const fwd = stftForward(plan, x, params);
  for (const key of ['X', 'spec', 'positions', 'times', 'frequencies', 'theta']) put(`forward.${key}`, fwd[key]);
  // into a reused result
  const x2 = randomArray(r, cfg.batch * L);
  const again = stftForward(plan, x2, params, fwd);
  put('forward(out).X', again.X);
  put('forward(out).spec', again.spec);
  const fwd1 = stftForward(plan, x, params);

  const G = randomArray(r, fwd1.X.length);
  put('adjoint', stftAdjoint(plan, G, params));

  const inv = stftInverse(plan, fwd1, params, { maxIterations: 60 });
  put('inverse.signal', inv.signal);
  put('inverse.covered', inv.covered);
  put('inverse.residual', inv.residual);
  put('inverse.iterations', inv.iterations);
  put('inverse.meta', Float64Array.of(inv.uncoveredCount, inv.uncoveredRanges.length, ...inv.uncoveredRanges.flat()));

  const res = stftForwardWithState(plan, x, params);
  put('forwardWithState.X', res.X);
  put('forwardWithState.spec', res.spec);
  const dS = randomArray(r, res.spec.length);
  const dX = randomArray(r, res.X.length);
  const grads = (label, g) => {
    put(`${label}.theta`, g.theta);
    put(`${label}.positions`, g.positions);
    put(`${label}.scalars`, Float64Array.of(g.hop ?? 0, g.t0 ?? 0, g.hop === undefined ? 0 : 1, g.t0 === undefined ? 0 : 1));
    if (g.hops) put(`${label}.hops`, g.hops);
    if (g.x) put(`${label}.x`, g.x);
  };
  grads('backward(spec)', stftBackward(res, { spec: dS }));
  grads('backward(spec,signal)', stftBackward(res, { spec: dS }, { signal: true }));
  grads('backward(X)', stftBackward(res, { X: dX }));
  grads('backward(X,signal)', stftBackward(res, { X: dX }, { signal: true }));
  return arrays;
}

function bytesOf(a) {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

let pffftBackend = null;
try {
  pffftBackend = await pffft.loadPffftBackend();
} catch (e) {
  console.error(`pffft backend unavailable, its configurations are skipped: ${e.message}`);
}
const overall = createHash('sha256');
for (const cfg of configurations(pffftBackend)) {
  const h = createHash('sha256');
  for (const [label, a] of run(cfg)) {
    h.update(label);
    h.update(bytesOf(a));
  }
  const digest = h.digest('hex');
  overall.update(`${cfg.name} ${digest}\n`);
  console.log(`${cfg.name} ${digest}`);
}
console.log(`overall ${overall.digest('hex')}`);
