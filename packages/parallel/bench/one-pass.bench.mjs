// The one-pass objective (forward-mode θ gradient in the forward's frame loop, @dstft/backprop loss-tangent.ts) against
// the forward → loss → backward path it replaces, in one process, alternating short blocks (the host's speed drifts):
// rows A and A' of the reference table, one thread, float64 (fft.js) and float32 (pffft). Prints medians and the
// per-round ratio one-pass / three-pass. A benchmark: asserts nothing.
//   node bench/one-pass.bench.mjs [--rounds 12] [--ms 300]
import { createDstft, createObjective } from '@dstft/dstft';
import { loadPffftBackend } from '@dstft/fft-pffft';
import { shannon } from '../../losses/dist/index.js';

const args = process.argv.slice(2);
const flag = (n, d) => (args.includes(`--${n}`) ? Number(args[args.indexOf(`--${n}`) + 1]) : d);
const rounds = flag('rounds', 12);
const ms = flag('ms', 300);
const pffft = await loadPffftBackend();
const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
function block(fn) {
  const t = [];
  const end = performance.now() + ms;
  while (performance.now() < end || t.length < 3) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return med(t);
}
for (const [row, L] of [['A', 16000], ["A'", 80000]]) {
  for (const [prec, fft] of [['f64', null], ['f32', pffft]]) {
    const opts = { nFft: 1024, hop: 256, signalLength: L, windowMode: 'constant', positionsMode: 'fixed', theta: 1000 };
    const x = Float64Array.from({ length: 8 * L }, (_, k) => Math.sin(0.01 * (k % L) + 2e-7 * (k % L) ** 2) + 0.5 * Math.sin(0.37 * k) + 0.01 * ((k * 7919) % 13));
    const d1 = createDstft(opts, fft ? { fft } : {});
    const obj = createObjective(d1, x, { loss: 'shannon' });
    const g = [new Float64Array(1)];
    const onePass = () => obj.objective(g);
    const d3 = createDstft(opts, fft ? { fft } : {});
    let res;
    let dS;
    const threePass = () => {
      res = d3.forward(x, d3.params, res);
      dS ??= new Float64Array(res.spec.length);
      shannon.evaluate({ data: res.spec, batch: res.batch, freqs: res.freqs, frames: res.frames }, dS, shannon.defaults);
      return d3.backward(res, { spec: dS }).theta[0];
    };
    for (let i = 0; i < 5; i++) { onePass(); threePass(); }
    const a = [];
    const b = [];
    const r = [];
    for (let k = 0; k < rounds; k++) {
      const [p, q] = k % 2 ? [block(threePass), block(onePass)] : [block(onePass), block(threePass)].reverse();
      a.push(q);
      b.push(p);
      r.push(q / p);
    }
    console.log(`${row.padEnd(3)} ${prec}  one pass ${med(a).toFixed(2)} ms   forward+loss+backward ${med(b).toFixed(2)} ms   ratio ${med(r).toFixed(3)} (range ${Math.min(...r).toFixed(3)}–${Math.max(...r).toFixed(3)})`);
  }
}
