// Renders the example figures of the README into a folder (default /tmp/plot-examples):
//   node packages/plot/examples/render.mjs [outDir]     (after `pnpm turbo run build --filter=@dstft/plot`)
// A synthetic chirp spectrogram, a θ map, a loss curve, an entropy-versus-θ grid search and a 10-minute
// spectrogram squeezed into the default 1200 px.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng, hstack, lineFigure, mapFigure, spectrogramFigure, vstack, withTitle } from '../dist/index.js';

const out = process.argv[2] ?? '/tmp/plot-examples';
mkdirSync(out, { recursive: true });
const save = (name, img) => {
  writeFileSync(join(out, name), encodePng(img));
  console.log(`${join(out, name)}  ${img.width}×${img.height}`);
};

// Deterministic noise (mulberry32).
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

// A magnitude STFT with a Hann window and a plain DFT (enough for an example).
function stftMagnitude(x, nFft, hop) {
  const frames = Math.floor((x.length - nFft) / hop) + 1;
  const freqs = nFft / 2 + 1;
  const S = new Float32Array(freqs * frames);
  const cos = new Float64Array(nFft);
  const sin = new Float64Array(nFft);
  for (let i = 0; i < nFft; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / nFft);
    sin[i] = Math.sin((2 * Math.PI * i) / nFft);
  }
  const w = new Float64Array(nFft).map((_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nFft));
  const frame = new Float64Array(nFft);
  for (let n = 0; n < frames; n++) {
    for (let i = 0; i < nFft; i++) frame[i] = x[n * hop + i] * w[i];
    for (let k = 0; k < freqs; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0, idx = 0; i < nFft; i++, idx = (idx + k) & (nFft - 1)) {
        re += frame[i] * cos[idx];
        im -= frame[i] * sin[idx];
      }
      S[k * frames + n] = Math.hypot(re, im);
    }
  }
  return { S, freqs, frames };
}

// 1. Chirp spectrogram: a linear chirp 200 Hz → 7 kHz, a steady 1 kHz tone, a click at 1.5 s, faint noise.
const fs = 16000;
const rand = rng(1);
const x = new Float64Array(3 * fs);
for (let i = 0; i < x.length; i++) {
  const t = i / fs;
  x[i] = Math.sin(2 * Math.PI * (200 * t + ((7000 - 200) / 6) * t * t)) + 0.3 * Math.sin(2 * Math.PI * 1000 * t) + 1e-3 * (rand() - 0.5);
}
x[1.5 * fs] += 20;
const nFft = 512;
const hop = 128;
const { S, freqs, frames } = stftMagnitude(x, nFft, hop);
const chirp = spectrogramFigure(S, {
  freqs, frames, t0: nFft / 2 / fs, dt: hop / fs, df: fs / nFft, title: 'Linear chirp, Hann 512, hop 128',
});
save('chirp-spectrogram.png', chirp);

// 2. θ map: a window length that varies over time and frequency (as a learned one would).
const thetaRows = freqs;
const theta = new Float64Array(thetaRows * frames);
for (let k = 0; k < thetaRows; k++) {
  for (let n = 0; n < frames; n++) {
    const f = k / (thetaRows - 1);
    const t = n / (frames - 1);
    theta[k * frames + n] = 96 + 380 * Math.exp(-((f - 0.15 - 0.7 * t) ** 2) / 0.01) + 40 * Math.sin(6 * t);
  }
}
const map = mapFigure(theta, thetaRows, frames, { t0: nFft / 2 / fs, dt: hop / fs, df: fs / nFft, title: 'Learned window length θ(t, f)' });
save('theta-map.png', map);

// 3. Loss curves (log scale): training and validation.
const iters = Array.from({ length: 400 }, (_, i) => i);
const r2 = rng(2);
const train = iters.map((i) => 2.5 * Math.exp(-i / 60) + 0.02 + 0.01 * r2());
const val = iters.map((i) => 2.7 * Math.exp(-i / 70) + 0.05 + 0.02 * r2());
const loss = lineFigure(
  [
    { x: iters, y: train, label: 'training' },
    { x: iters, y: val, label: 'validation', dashed: true },
  ],
  { title: 'Loss', xLabel: 'Iteration', yLabel: 'Loss', logY: true },
);
save('loss-curve.png', loss);

// 4. Grid search: entropy versus θ with the chosen point marked, next to θ versus iteration.
const thetas = Array.from({ length: 41 }, (_, i) => 32 + i * 24);
const entropy = thetas.map((t) => 5.2 + 0.8 * ((Math.log2(t) - Math.log2(300)) ** 2));
const grid = lineFigure(
  [
    { x: thetas, y: entropy, label: 'entropy', markers: true, marker: 'circle' },
    { x: [296], y: [5.2], label: 'chosen θ = 296', line: false, marker: 'diamond', color: '#d62728' },
  ],
  { title: 'Grid search', xLabel: 'θ (samples)', yLabel: 'Entropy (bits)', width: 560, height: 380 },
);
const thetaIter = lineFigure([{ x: iters, y: iters.map((i) => 512 - 216 * (1 - Math.exp(-i / 50))), label: 'θ' }], {
  title: 'θ during training', xLabel: 'Iteration', yLabel: 'θ (samples)', width: 560, height: 380,
});
save('grid-search.png', withTitle(hstack([grid, thetaIter], { gap: 16 }), 'Window length selection'));

// 5. Ten minutes at 44.1 kHz, hop 256: 513 × 103 360 cells, drawn at most 1200 px wide (max aggregation).
const F = 513;
const T = 103360;
const big = new Float32Array(F * T);
const r3 = rng(3);
for (let k = 0; k < F; k++) {
  for (let n = 0; n < T; n++) big[k * T + n] = 1e-3 * r3() + (Math.abs(k - 40 - 20 * Math.sin(n / 3000)) < 2 ? 1 : 0);
}
big[200 * T + 50000] = 5; // one frame, one bin: stays visible
const long = spectrogramFigure(big, { freqs: F, frames: T, dt: 256 / 44100, df: 44100 / 1024, title: '10 min at 44.1 kHz (513 × 103 360)' });
save('long-recording.png', long);
save('overview.png', vstack([chirp, map], { gap: 8 }));
