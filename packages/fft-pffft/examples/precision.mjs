// The README example: the float32 backend against the exact default. Run: node examples/precision.mjs
import { chirpToneBurst, createDstft } from '@dstft/dstft';
import { loadPffftBackend } from '@dstft/fft-pffft';

const fft = await loadPffftBackend(); // instantiates the WebAssembly module (once)
const { samples, sampleRate } = chirpToneBurst();
const options = { nFft: 1024, signalLength: samples.length, sampleRate, hop: 64, windowMode: 'time', theta: 600 };
const fast = createDstft(options, { fft }); // float32 FFTs
const exact = createDstft(options); // float64 (default)
const a = fast.forward(samples);
const b = exact.forward(samples);
let err = 0;
let peak = 0;
for (let k = 0; k < a.spec.length; k++) {
  err = Math.max(err, Math.abs(a.spec[k] - b.spec[k]));
  peak = Math.max(peak, b.spec[k]);
}
console.log(fast.options.fft, fast.plan.fftBackend.precision, (err / peak).toExponential(1)); // pffft float32 ~1e-7
const g = fast.backward(a, { spec: new Float64Array(a.spec.length).fill(1) }); // gradients use it too
console.log('∂ℒ/∂θ per frame:', g.theta.length);
