// Forward + backward benchmark for rows A, A', B, B', C of docs/design.md §9: our forward, our forward + backward
// (entropy loss, like the reference's row) on one thread and on two, against the PyTorch reference's numbers.
// Rows A and A' also time the plain fft.js loop of docs/design.md §9 (../../kernel/bench/plain-loop.mjs) before and after
// the row: the reference was measured beside that loop, so the ratio of the two loop times says how much slower (or
// faster) the machine is now, and the entropy step is also printed scaled by that ratio (a rough guide only: on a busy
// host our kernels slowed up to 1.4x on one thread and 1.3-1.5x on two, the plain loop 1.1x).
// Run: pnpm --filter @dstft/parallel bench            (flags: --rows A,B  --quick  --json out.json  --fft pffft)
// --fft pffft adds, for every row, the same measurements with the float32 WebAssembly FFT backend (@dstft/fft-pffft)
// next to the exact float64 default, timed in the same process, and its deviation from float64.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createDstft, shannon } from '@dstft/dstft';
import { loadPffftBackend } from '@dstft/fft-pffft';
import { createParallelDstft } from '@dstft/parallel';
import { makePlainLoop } from '../../kernel/bench/plain-loop.mjs';

const args = process.argv.slice(2).filter((a) => a !== '--');
const quick = args.includes('--quick');
const rowsArg = args.includes('--rows') ? args[args.indexOf('--rows') + 1].split(',') : null;
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;
const fftArg = args.includes('--fft') ? args[args.indexOf('--fft') + 1] : 'float64';
if (fftArg !== 'float64' && fftArg !== 'pffft') throw new Error(`--fft ${fftArg}: use float64 (default) or pffft (float64 and float32 side by side)`);
const pffft = fftArg === 'pffft' ? await loadPffftBackend() : null;
const VARIANTS = pffft ? ['float64', 'pffft'] : ['float64'];

// reference: PyTorch dstft, float32, medians in ms (docs/design.md §9): 1 thread default / best setting
const ROWS = [
  { id: 'A', desc: 'N=1024 hop 256 B=8 L=16000, constant θ', opts: { nFft: 1024, hop: 256, signalLength: 16000, windowMode: 'constant', theta: 1000 }, B: 8, ref: { fwd: [5.8, 2.4], fb: [14.3, 6.2], plain: 6.0 } },
  { id: "A'", desc: 'N=1024 hop 256 B=8 L=80000, constant θ', opts: { nFft: 1024, hop: 256, signalLength: 80000, windowMode: 'constant', theta: 1000 }, B: 8, ref: { fwd: [34, 12], fb: [76, 33], plain: 27.6 } },
  { id: 'B', desc: 'N=512 hop 128 B=1 L=16000, time-varying θ', opts: { nFft: 512, hop: 128, signalLength: 16000, windowMode: 'time', theta: 400 }, B: 1, ref: { fb: [2.8, 1.9] } },
  { id: "B'", desc: "B + time-varying hops", opts: { nFft: 512, hop: 128, signalLength: 16000, windowMode: 'time', theta: 400, positionsMode: 'time' }, B: 1, ref: { fb: [2.6, 1.9] } },
  { id: 'C', desc: 'N=256 hop 64 B=1 L=4096, time-frequency θ', opts: { nFft: 256, hop: 64, signalLength: 4096, windowMode: 'time-frequency', theta: 200 }, B: 1, ref: { fwd: [17, 10.5], fb: [38, 20] } },
];

function signal(B, L, seed) {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float64Array.from({ length: B * L }, (_, k) => Math.sin(0.01 * k + 2e-7 * k * k) + 0.5 * Math.sin(0.37 * k) + 0.1 * (rand() - 0.5));
}

/** Entropy H of p = S/ΣS and its gradient ∂H/∂S = -(log p + H)/ΣS (the loss of the reference's row), one log pass. */
function entropyGrad(S, dS) {
  let Z = 0;
  for (let k = 0; k < S.length; k++) Z += S[k];
  const logZ = Math.log(Z);
  let acc = 0; // Σ S log S
  for (let k = 0; k < S.length; k++) {
    const l = Math.log(S[k]);
    dS[k] = l;
    acc += S[k] * l;
  }
  const H = logZ - acc / Z;
  const c = logZ - H;
  for (let k = 0; k < S.length; k++) dS[k] = (c - dS[k]) / Z;
  return H;
}

function timeIt(fn, minMs = quick ? 300 : 1500, minReps = quick ? 10 : 30) {
  for (let i = 0; i < 5; i++) fn();
  const times = [];
  const start = performance.now();
  while (times.length < minReps || performance.now() - start < minMs) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], min: times[0] };
}

/** max |a - b| / max |b| */
function relErr(a, b) {
  let err = 0;
  let peak = 0;
  for (let k = 0; k < b.length; k++) {
    err = Math.max(err, Math.abs(a[k] - b[k]));
    peak = Math.max(peak, Math.abs(b[k]));
  }
  return err / peak;
}

console.log(`dstft-ts forward + backward benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, FFT: ${VARIANTS.join(' and ')}`);
const results = [];
for (const row of ROWS) {
  if (rowsArg && !rowsArg.includes(row.id) && !rowsArg.includes(row.id.replace("'", 'p'))) continue;
  const x = signal(row.B, row.opts.signalLength, 7);
  // the machine's speed now: the plain fft.js loop of docs/design.md §9, which ran beside the reference's measurements
  // (A: 6.0 ms, A': 27.6 ms); timed before and after the row, so the row can also be read at the reference's speed
  const plainLoop = row.ref.plain ? makePlainLoop(row.opts.nFft, row.opts.hop, row.B, row.opts.signalLength, Math.floor(row.opts.signalLength / row.opts.hop) + 1) : null;
  const plainBefore = plainLoop ? timeIt(() => plainLoop.run(x)).median : null;
  const rowResults = [];
  let exact = null; // float64 results of this row, to measure the float32 deviation
  for (const variant of VARIANTS) {
    const fast = variant === 'pffft';
    const one = createDstft(row.opts, fast ? { fft: pffft } : {});
    const two = await createParallelDstft(fast ? { ...row.opts, fft: 'pffft' } : row.opts, { threads: 2 });
    // as a training loop: each step reuses the previous step's result buffers
    // two threads read the signal from shared memory in place (pd.sharedArray), as a training loop over fixed data would
    const x2 = two.sharedArray(x.length);
    x2.set(x);
    let r1 = one.forward(x);
    let r2 = two.forward(x2);
    const dS = new Float64Array(r1.spec.length);
    const fwd = timeIt(() => {
      r1 = one.forward(x, undefined, r1);
    });
    entropyGrad(r1.spec, dS);
    const fb = timeIt(() => {
      r1 = one.forward(x, undefined, r1);
      one.backward(r1, { spec: dS });
    });
    const fb1 = timeIt(() => {
      r1 = one.forward(x, undefined, r1);
      entropyGrad(r1.spec, dS);
      one.backward(r1, { spec: dS });
    });
    const dSshared = two.sharedArray(r2.spec.length); // read in place by every thread (no copy)
    entropyGrad(r2.spec, dSshared);
    const fbT2 = timeIt(() => {
      r2 = two.forward(x2, undefined, r2);
      two.backward(r2, { spec: dSshared });
    });
    const fb2 = timeIt(() => {
      r2 = two.forward(x2, undefined, r2);
      entropyGrad(r2.spec, dSshared);
      two.backward(r2, { spec: dSshared });
    });
    // the fused step: entropy and its gradient computed by every thread on its frames (ParallelDstft.entropyStep)
    // split 'auto': by whole signals when the batch divides among the threads (A, A'), else by frames
    let step = two.entropyStep(x2);
    const fused2 = timeIt(() => {
      step = two.entropyStep(x2, { out: step.result });
    });
    // the other route for batches: every thread on a range of frames of every signal, meeting between fwd and bwd
    let stepF = row.B > 1 ? two.entropyStep(x2, { split: 'frames' }) : null;
    const fusedFrames = stepF
      ? timeIt(() => {
          stepF = two.entropyStep(x2, { split: 'frames', out: stepF.result });
        })
      : null;
    if (stepF && !stepF.grads.theta.every((v, k) => v === step.grads.theta[k])) throw new Error(`row ${row.id} (${variant}): the two splits gave different θ gradients`);
    // same results on both
    r1 = one.forward(x);
    r2 = two.forward(x);
    const dS1 = new Float64Array(r1.spec.length);
    const dS2 = new Float64Array(r2.spec.length);
    entropyGrad(r1.spec, dS1);
    entropyGrad(r2.spec, dS2);
    const g1 = one.backward(r1, { spec: dS1 });
    const g2 = two.backward(r2, { spec: dS2 });
    const same = g1.theta.every((v, i) => v === g2.theta[i]) && r1.spec.every((v, i) => v === r2.spec[i]);
    if (!same) throw new Error(`row ${row.id} (${variant}): two threads changed the results`);
    const dSs = new Float64Array(r1.spec.length); // per-signal entropy, mean over the batch: the `shannon` loss
    shannon.evaluate({ data: r1.spec, batch: r1.batch, freqs: r1.freqs, frames: r1.frames }, dSs, { reduction: 'mean' });
    const fusedTheta = two.entropyStep(x).grads.theta;
    if (relErr(fusedTheta, one.backward(r1, { spec: dSs }).theta) > 1e-9) throw new Error(`row ${row.id} (${variant}): entropyStep's ∂ℒ/∂θ differs from entropy + backward`);
    await two.close();
    let deviation = null;
    if (!fast) exact = { spec: r1.spec, theta: g1.theta };
    else if (exact) deviation = { spec: relErr(r1.spec, exact.spec), theta: relErr(g1.theta, exact.theta) };
    const res = { row: row.id, desc: row.desc, fft: variant, path: one.plan.path, fwd: fwd.median, fwdBwd: fb.median, fwdBwd2T: fbT2.median, withLoss1T: fb1.median, withLoss2T: fb2.median, fused2T: fused2.median, fusedFrames2T: fusedFrames?.median ?? null, ref: row.ref, deviation };
    results.push(res);
    rowResults.push(res);
    const refBest = row.ref.fb[1];
    const tag = fast ? (one.plan.path === 'fft' ? 'f32' : 'f32*') : 'f64';
    console.log(
      `${row.id.padEnd(3)} ${tag.padEnd(4)} ${row.desc.padEnd(44)} fwd ${fwd.median.toFixed(2).padStart(6)}  fwd+bwd ${fb.median.toFixed(2).padStart(6)} (${(fb.median / fwd.median).toFixed(2)}× fwd), 2T ${fbT2.median.toFixed(2).padStart(6)}` +
        `  +entropy 1T ${fb1.median.toFixed(2).padStart(6)}  2T ${fb2.median.toFixed(2).padStart(6)}  entropyStep 2T ${fused2.median.toFixed(2).padStart(6)}${fusedFrames ? ` (by frames ${fusedFrames.median.toFixed(2)})` : ''}  ref best ${String(refBest).padStart(4)} → ${(fused2.median / refBest).toFixed(2)}×` +
        (deviation ? `  vs f64: S ${deviation.spec.toExponential(1)}, ∂θ ${deviation.theta.toExponential(1)}` : ''),
    );
  }
  if (plainLoop) {
    const plainNow = (plainBefore + timeIt(() => plainLoop.run(x)).median) / 2;
    const speed = plainNow / row.ref.plain; // > 1: this machine is slower now than when the reference was measured
    for (const r of rowResults) Object.assign(r, { plainNow, plainRef: row.ref.plain, fused2TAtRefSpeed: r.fused2T / speed });
    console.log(
      `    machine: plain fft.js loop ${plainNow.toFixed(2)} ms now, ${row.ref.plain} ms beside the reference (×${speed.toFixed(2)}); entropyStep 2T scaled by it (rough: memory-heavy code slows more on a busy host): ` +
        rowResults.map((r) => `${r.fft === 'pffft' ? 'f32' : 'f64'} ${(r.fused2T / speed).toFixed(2)} → ${(r.fused2T / speed / row.ref.fb[1]).toFixed(2)}×`).join(', '),
    );
  }
}
if (pffft && VARIANTS.length > 1) console.log('f32 = float32 PFFFT backend (opt-in); f32* = DFT path, which runs no FFT (same float64 sums). Deviations: max |f32 - f64| / max |f64|.');
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
