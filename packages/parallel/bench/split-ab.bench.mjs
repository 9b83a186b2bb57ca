// Interleaved A/B of ParallelDstft.entropyStep's two splits (by signals, by frames) on rows A / A' of docs/design.md §9,
// two threads: 12 rounds, each timing one 400 ms block of either split (the order alternates per round), so that
// drifts of the host hit both. Prints the per-block medians and their medians, and checks the two splits give the
// same value and θ gradient bit for bit.
// Run: node bench/split-ab.bench.mjs [--length 16000 | 80000] [--fft pffft | float64]   (defaults: 16000, pffft)
import { createParallelDstft } from '@dstft/parallel';

const args = process.argv.slice(2).filter((a) => a !== '--');
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const L = Number(arg('--length', '16000'));
const fftName = arg('--fft', 'pffft');
if (!(L > 0) || (fftName !== 'pffft' && fftName !== 'float64')) throw new Error('usage: --length N (e.g. 16000 or 80000) --fft pffft|float64');
const B = 8;
const two = await createParallelDstft({ nFft: 1024, hop: 256, signalLength: L, windowMode: 'constant', theta: 1000, ...(fftName === 'pffft' ? { fft: 'pffft' } : {}) }, { threads: 2 });
const x = two.sharedArray(B * L);
for (let k = 0; k < x.length; k++) x[k] = Math.sin(0.01 * k + 2e-7 * k * k) + 0.5 * Math.sin(0.37 * k) + 0.01 * Math.sin(k * k);
const step = { signals: two.entropyStep(x, { split: 'signals' }), frames: two.entropyStep(x, { split: 'frames' }) };
const same = step.signals.value === step.frames.value && step.signals.grads.theta.every((v, k) => v === step.frames.grads.theta[k]);
if (!same) throw new Error('the two splits gave different results');
const blocks = { signals: [], frames: [] };
for (let round = 0; round < 12; round++) {
  for (const split of round % 2 ? ['signals', 'frames'] : ['frames', 'signals']) {
    const ts = [];
    const t0 = performance.now();
    while (performance.now() - t0 < 400) {
      const a = performance.now();
      step[split] = two.entropyStep(x, { split, out: step[split].result });
      ts.push(performance.now() - a);
    }
    ts.sort((p, q) => p - q);
    blocks[split].push(ts[ts.length >> 1]);
  }
}
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
const wins = blocks.signals.filter((v, i) => v < blocks.frames[i]).length;
console.log(`L = ${L}, ${fftName}, batch ${B}, 2 threads; same results bit for bit: ${same}`);
for (const split of ['signals', 'frames']) console.log(`  by ${split.padEnd(7)} median ${med(blocks[split]).toFixed(2)} ms  blocks [${blocks[split].map((v) => v.toFixed(2)).join(' ')}]`);
console.log(`  by signals faster in ${wins} of 12 rounds`);
await two.close();
