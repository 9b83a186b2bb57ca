// The main job until the CLI exists: a DSTFT summary and an entropy-optimal window length on the built-in example signal (the paper's VI-A type:
// chirp 1 → 2 kHz + 900 Hz tone + 3 kHz burst, 1 s at 8 kHz), N = 1024, hop 64.
// Run from the repository root with `npm start` (installs, builds, runs this).
import { chirpToneBurst, createDstft, optimizeConstantTheta } from '@dstft/dstft';

const { samples, sampleRate } = chirpToneBurst({ sampleRate: 8000, duration: 1 });
const dstft = createDstft({ nFft: 1024, signalLength: samples.length, sampleRate, hop: 64, theta: 512 });
const { nFft, hop, window, windowMode, normalization } = dstft.options;
console.log('dstft-ts: differentiable STFT summary');
console.log(`signal   : chirp 1→2 kHz + 900 Hz tone + 3 kHz burst, ${samples.length} samples at ${sampleRate} Hz`);
console.log(`transform: nFft ${nFft}, hop ${hop}, window ${window} (${windowMode} θ, normalization ${normalization})`);
console.log(`output   : X [1, ${dstft.freqs}, ${dstft.frames}] complex, bins ${(sampleRate / nFft).toFixed(3)} Hz apart`);

/** Shannon entropy of p = S / ΣS (paper Eq. 26): lower is sharper. */
function entropy(spec) {
  let sum = 0;
  for (const v of spec) sum += v;
  let h = 0;
  for (const v of spec) h -= (v / sum) * Math.log(v / sum);
  return h;
}

console.log('\nwindow length θ → spectrogram entropy (lower = sharper)');
let best = { theta: 0, h: Infinity };
const t0 = performance.now();
const thetas = [64, 128, 192, 256, 384, 512, 640, 768, 896, 1024];
for (const theta of thetas) {
  dstft.params.theta[0] = theta;
  const h = entropy(dstft.forward(samples).spec);
  if (h < best.h) best = { theta, h };
  console.log(`  θ = ${String(theta).padStart(4)}  H = ${h.toFixed(6)}`);
}
const ms = (performance.now() - t0) / thetas.length;
console.log(`  sharpest of these: θ = ${best.theta} (H = ${best.h.toFixed(6)}); ${ms.toFixed(1)} ms per transform`);

// the entropy is not convex in θ: scan (forward only), then bounded L-BFGS on the analytic gradient
const tuned = createDstft({ nFft: 1024, signalLength: samples.length, sampleRate, hop: 64, thetaMin: 100, thetaMax: 1000 });
const opt = optimizeConstantTheta(tuned, samples, { loss: 'shannon' });
console.log(
  `\noptimized θ (scan of ${opt.scan.thetas.length} + L-BFGS): θ = ${opt.theta.toFixed(3)}, H = ${opt.loss.toFixed(6)}, ` +
    `${opt.forward} forward + ${opt.backward} backward transforms, ${opt.wallTimeMs.toFixed(0)} ms (a 901-point grid: 901 transforms)`,
);
best = { theta: opt.theta, h: opt.loss };
dstft.params.theta[0] = best.theta;
const res = dstft.forward(samples);
console.log(`\nchirp track (θ = ${best.theta.toFixed(1)}): strongest bin in 950-2100 Hz vs the chirp's instantaneous frequency`);
for (const tSec of [0.1, 0.3, 0.6, 0.9]) {
  const n = Math.round((tSec * sampleRate) / hop);
  let m0 = -1;
  for (let m = 0; m < res.freqs; m++) {
    const f = res.frequencies[m];
    if (f < 950 || f > 2100) continue;
    if (m0 < 0 || res.spec[m * res.frames + n] > res.spec[m0 * res.frames + n]) m0 = m;
  }
  const t = res.times[n];
  console.log(`  t = ${t.toFixed(3)} s: ${res.frequencies[m0].toFixed(1)} Hz (true ${(1000 + 1000 * t).toFixed(1)} Hz)`);
}

const inv = dstft.inverse(res);
let err = 0;
let max = 0;
for (let p = 0; p < samples.length; p++) {
  max = Math.max(max, Math.abs(samples[p]));
  if (inv.covered[p]) err = Math.max(err, Math.abs(inv.signal[p] - samples[p]));
}
console.log(`\ninverse (${inv.method}): max error ${(err / max).toExponential(2)} relative, ${inv.uncoveredCount} samples uncovered`);
