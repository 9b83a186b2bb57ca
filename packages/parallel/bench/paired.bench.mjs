// Paired timing of rows A / A' of docs/design.md §9, for a host whose speed drifts: the benchmark's columns are timed one
// after the other (1.5 s each), and on the shared 2-core machines of this project the host's speed changed by up to
// 1.6x within a minute, so a ratio of two columns could come from two speeds. Here every round times one short block
// (150 ms) of each of
//   step   ParallelDstft.entropyStep, 2 threads (the row's fused entropy step, split 'auto'),
//   plain  the plain fft.js loop of docs/design.md §9 (one thread), the yardstick the reference was timed beside,
//   fwd    Dstft.forward, one thread,
//   fb     Dstft.forward + Dstft.backward with a fixed ∂ℒ/∂S, one thread,
// in an order that rotates per round, and takes the ratios within each round: step / plain and fb / fwd. Their medians
// over the rounds are the paired ratios; step / plain × the plain loop's time beside the reference (A: 6.0 ms,
// A': 27.6 ms) is the entropy step at the speed of the machine the reference was timed on.
// Caveat: the yardstick runs on one thread and the step on two, so a slow second core still counts against the step.
// Run: pnpm --filter @dstft/parallel bench:paired   (flags: --rows A,Ap  --fft float64|pffft|both (default both)  --rounds 16)
// --host-only K: only the plain loop of row A, K blocks of 150 ms one after the other, no worker: the host's speed over
// time (this machine showed two speeds, 5.0 and 7.4 ms, alternating within a second).
import { cpus } from 'node:os';
import { createDstft } from '@dstft/dstft';
import { loadPffftBackend } from '@dstft/fft-pffft';
import { createParallelDstft } from '@dstft/parallel';
import { makePlainLoop } from '../../kernel/bench/plain-loop.mjs';

const args = process.argv.slice(2).filter((a) => a !== '--');
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rowsArg = arg('--rows', 'A,Ap').split(',');
const fftArg = arg('--fft', 'both');
const rounds = Number(arg('--rounds', '16'));
if (!['float64', 'pffft', 'both'].includes(fftArg)) throw new Error(`--fft ${fftArg}: use float64, pffft or both`);
if (!(Number.isInteger(rounds) && rounds >= 2)) throw new Error(`--rounds ${arg('--rounds')}: use an integer ≥ 2`);
const variants = fftArg === 'both' ? ['float64', 'pffft'] : [fftArg];
const pffft = variants.includes('pffft') ? await loadPffftBackend() : null;

const ROWS = [
  { id: 'A', L: 16000, plainRef: 6.0, refBest: 6.2 },
  { id: 'Ap', name: "A'", L: 80000, plainRef: 27.6, refBest: 33 },
];
const B = 8;
const N = 1024;
const hop = 256;
const BLOCK_MS = 150;

/** The q-quantile of `a` (linear interpolation between order statistics). */
const quantile = (a, q) => {
  const s = [...a].sort((p, r) => p - r);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
};
const median = (a) => quantile(a, 0.5);

/** Median time (ms) of the calls of `fn` in one block of about BLOCK_MS (at least 3 calls). */
function block(fn) {
  const ts = [];
  const t0 = performance.now();
  while (ts.length < 3 || performance.now() - t0 < BLOCK_MS) {
    const a = performance.now();
    fn();
    ts.push(performance.now() - a);
  }
  return median(ts);
}

const hostOnly = args.includes('--host-only') ? Number(arg('--host-only')) : 0;
if (args.includes('--host-only') && !(Number.isInteger(hostOnly) && hostOnly >= 1)) throw new Error(`--host-only ${arg('--host-only')}: use a block count ≥ 1`);
if (hostOnly > 0) {
  const L = ROWS[0].L;
  const x = Float64Array.from({ length: B * L }, (_, k) => Math.sin(0.01 * k));
  const plain = makePlainLoop(N, hop, B, L, Math.floor(L / hop) + 1);
  for (let i = 0; i < 20; i++) plain.run(x);
  const blocks = Array.from({ length: hostOnly }, () => block(() => plain.run(x)));
  console.log(`plain fft.js loop of row A, ${hostOnly} blocks of ${BLOCK_MS} ms (median per block, ms): ${blocks.map((v) => v.toFixed(2)).join(' ')}`);
  process.exit(0);
}

console.log(`dstft-ts paired timing — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}; ${rounds} rounds of ${BLOCK_MS} ms blocks`);
for (const row of ROWS) {
  if (!rowsArg.includes(row.id)) continue;
  const opts = { nFft: N, hop, signalLength: row.L, windowMode: 'constant', theta: 1000 };
  const x = new Float64Array(B * row.L);
  for (let k = 0; k < x.length; k++) x[k] = Math.sin(0.01 * k + 2e-7 * k * k) + 0.5 * Math.sin(0.37 * k) + 0.01 * Math.sin(k * k);
  const plain = makePlainLoop(N, hop, B, row.L, Math.floor(row.L / hop) + 1);
  for (const variant of variants) {
    const fast = variant === 'pffft';
    const one = createDstft(opts, fast ? { fft: pffft } : {});
    const two = await createParallelDstft(fast ? { ...opts, fft: 'pffft' } : opts, { threads: 2 });
    const x2 = two.sharedArray(x.length);
    x2.set(x);
    let r1 = one.forward(x);
    const dS = new Float64Array(r1.spec.length).fill(1e-3);
    let step = two.entropyStep(x2);
    const fns = {
      step: () => {
        step = two.entropyStep(x2, { out: step.result });
      },
      plain: () => plain.run(x),
      fwd: () => {
        r1 = one.forward(x, undefined, r1);
      },
      fb: () => {
        r1 = one.forward(x, undefined, r1);
        one.backward(r1, { spec: dS });
      },
    };
    const names = Object.keys(fns);
    for (const name of names) for (let i = 0; i < 3; i++) fns[name](); // warm-up
    const t = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + r) % names.length];
        t[name].push(block(fns[name]));
      }
    }
    await two.close();
    const stepOverPlain = t.step.map((v, r) => v / t.plain[r]);
    const fbOverFwd = t.fb.map((v, r) => v / t.fwd[r]);
    const atRef = median(stepOverPlain) * row.plainRef;
    // the host's fast mode: the lower quartile of each one's block medians (the same quantile for both)
    const fastRatio = quantile(t.step, 0.25) / quantile(t.plain, 0.25);
    const tag = fast ? 'f32' : 'f64';
    const range = (a) => `${Math.min(...a).toFixed(2)}–${Math.max(...a).toFixed(2)}`;
    const q = (a) => `q25 ${quantile(a, 0.25).toFixed(2)} median ${median(a).toFixed(2)} (${range(a)})`;
    console.log(`${(row.name ?? row.id).padEnd(3)} ${tag}  step 2T ${q(t.step)}  plain ${q(t.plain)}`);
    console.log(
      `         step/plain: paired median ${median(stepOverPlain).toFixed(3)} (${range(stepOverPlain)}) → at the reference's speed ${atRef.toFixed(2)} ms = ${(atRef / row.refBest).toFixed(2)}× the reference's ${row.refBest}` +
        `; q25/q25 ${fastRatio.toFixed(3)} → ${(fastRatio * row.plainRef).toFixed(2)} ms = ${((fastRatio * row.plainRef) / row.refBest).toFixed(2)}×`,
    );
    console.log(`         fwd 1T ${q(t.fwd)}  fwd+bwd 1T ${q(t.fb)}  fwd+bwd / fwd: paired median ${median(fbOverFwd).toFixed(2)} (${range(fbOverFwd)}), q25/q25 ${(quantile(t.fb, 0.25) / quantile(t.fwd, 0.25)).toFixed(2)}`);
  }
}
