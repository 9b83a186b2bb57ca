// Row A of the reference table (nFft 1024, hop 256, batch 8, constant θ) through the public objective, one thread, for
// profiling: `node --cpu-prof bench/prof-rowA.mjs f64|f32 [L] [ms]` prints the median step time.
import { createDstft, createObjective } from '@dstft/dstft';
import { loadPffftBackend } from '@dstft/fft-pffft';
const which = process.argv[2] ?? 'f64';
const L = Number(process.argv[3] ?? 16000);
const B = 8;
const x = Float64Array.from({ length: B * L }, (_, k) => { const n = k % L; return Math.sin(0.01 * n + 2e-7 * n * n) + 0.5 * Math.sin(0.37 * n) + 0.01 * ((k * 7919) % 13); });
const opts = { nFft: 1024, hop: 256, signalLength: L, windowMode: 'constant', positionsMode: 'fixed', theta: 1000 };
const fft = which === 'f32' ? await loadPffftBackend() : null;
const d = createDstft(opts, fft ? { fft } : {});
const obj = createObjective(d, x, { loss: 'shannon' });
const grads = obj.groups.map((g) => new Float64Array(g.values.length));
for (let i = 0; i < 20; i++) obj.objective(grads);
const ts = [];
const end = performance.now() + Number(process.argv[4] ?? 3000);
while (performance.now() < end) { const t = performance.now(); obj.objective(grads); ts.push(performance.now() - t); }
ts.sort((a, b) => a - b);
console.log(which, 'L', L, 'median', ts[ts.length >> 1].toFixed(2), 'min', ts[0].toFixed(2), 'n', ts.length);
