// One long signal (batch 1) on one thread and on two, interleaved in one process (issue 18: "two threads on one
// signal"): thetaStep (the one-pass loss + ∂ℒ/∂θ, the threads meet once) and entropyStep (forward, entropy,
// backward split by frames: the threads meet twice), row A's transform (nFft 1024, hop 256, constant θ) at L samples.
// Rounds alternate the order of the four cells; each cell's round is the median call of a ~300 ms block; the table
// gives the medians over rounds and the median of the per-round speed-ups. A benchmark: it asserts nothing (it does
// check that one and two threads give the same value and θ gradient bit for bit).
// Run: node bench/one-signal.bench.mjs [--length 80000,400000] [--fft float64|pffft] [--rounds 8] [--balance adaptive|even]
import { createParallelDstft } from '@dstft/parallel';

const args = process.argv.slice(2).filter((a) => a !== '--');
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const lengths = arg('--length', '80000,400000').split(',').map(Number);
const fft = arg('--fft', 'float64');
const rounds = Number(arg('--rounds', '8'));
const balance = arg('--balance', 'adaptive');
if (lengths.some((L) => !(L > 2048)) || !['float64', 'pffft'].includes(fft) || !(rounds >= 1) || !['adaptive', 'even'].includes(balance)) {
  throw new Error('usage: --length 80000,400000 --fft float64|pffft --rounds N --balance adaptive|even');
}
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];

console.log(`one signal, nFft 1024, hop 256, constant θ, ${fft}, balance ${balance}; ${rounds} rounds`);
console.log('| L | step | 1 thread ms | 2 threads ms | speed-up (median of rounds, range) |');
console.log('|---|---|---|---|---|');
for (const L of lengths) {
  const opts = { nFft: 1024, hop: 256, signalLength: L, windowMode: 'constant', theta: 1000, ...(fft === 'pffft' ? { fft: 'pffft' } : {}) };
  const dstft = { 1: await createParallelDstft(opts, { threads: 1 }), 2: await createParallelDstft(opts, { threads: 2, balance }) };
  const x = dstft[2].sharedArray(L);
  for (let k = 0; k < L; k++) x[k] = Math.sin(0.01 * k + 2e-7 * k * k) + 0.5 * Math.sin(0.37 * k) + 0.01 * Math.sin(k * k);
  const last = {};
  const steps = {
    thetaStep: (t) => (last[`theta${t}`] = dstft[t].thetaStep(x, 'shannon', { out: last[`theta${t}`]?.result })),
    entropyStep: (t) => (last[`entropy${t}`] = dstft[t].entropyStep(x, { out: last[`entropy${t}`]?.result })),
  };
  for (const name of Object.keys(steps)) for (const t of [1, 2]) steps[name](t);
  if (last.theta1.value !== last.theta2.value || !last.theta1.gradTheta.every((v, k) => v === last.theta2.gradTheta[k])) throw new Error('thetaStep: one and two threads differ');
  const times = {};
  for (let r = 0; r < rounds; r++) {
    const cells = Object.keys(steps).flatMap((name) => [1, 2].map((t) => [name, t]));
    if (r % 2) cells.reverse();
    for (const [name, t] of cells) {
      const ts = [];
      const t0 = performance.now();
      while (performance.now() - t0 < 300) {
        const a = performance.now();
        steps[name](t);
        ts.push(performance.now() - a);
      }
      ((times[name] ??= { 1: [], 2: [] })[t]).push(med(ts));
    }
  }
  for (const name of Object.keys(steps)) {
    const [one, two] = [times[name][1], times[name][2]];
    const ratios = one.map((v, k) => v / two[k]);
    console.log(`| ${L} | ${name} | ${med(one).toFixed(2)} | ${med(two).toFixed(2)} | ${med(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`);
  }
  await dstft[1].close();
  await dstft[2].close();
}
