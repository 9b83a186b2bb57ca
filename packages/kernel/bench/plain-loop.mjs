// The plain fft.js STFT loop: the baseline of docs/design.md §9, against which the reference's numbers were measured on
// the same machine (A: 6.0 ms, A': 27.6 ms). Used by this package's forward benchmark and, as a yardstick of the
// machine's speed at the time, by @dstft/parallel's forward + backward benchmark.
import FFT from 'fft.js';


/**
 * The straightforward STFT: periodic Hann of length N, frames centred at n·hop with zero padding at the edges
 * (torch.stft center=True, pad_mode='constant'), one fft.js `realTransform` per frame, half spectrum (bins
 * 0..N/2) copied out, magnitudes. Output layout [B][T][F] (frame-major, the natural one for this loop).
 */
export function makePlainLoop(N, hop, B, L, T) {
  const fft = new FFT(N);
  const F = N / 2 + 1;
  const c = N / 2;
  const win = new Float64Array(N);
  for (let j = 0; j < N; j++) win[j] = 0.5 - 0.5 * Math.cos((2 * Math.PI * j) / N);
  const frame = new Float64Array(N);
  const out = new Float64Array(2 * N); // fft.js wants a 2N complex array
  const X = new Float64Array(2 * B * T * F);
  const mag = new Float64Array(B * T * F);
  function run(x) {
    for (let b = 0; b < B; b++) {
      const row = b * L;
      for (let n = 0; n < T; n++) {
        const start = n * hop - c;
        const jlo = start < 0 ? -start : 0;
        const jhi = start + N > L ? L - start : N;
        for (let j = 0; j < jlo; j++) frame[j] = 0;
        for (let j = jlo; j < jhi; j++) frame[j] = x[row + start + j] * win[j];
        for (let j = jhi; j < N; j++) frame[j] = 0;
        fft.realTransform(out, frame);
        const o = (b * T + n) * F;
        for (let m = 0; m < F; m++) {
          const re = out[2 * m];
          const im = out[2 * m + 1];
          X[2 * (o + m)] = re;
          X[2 * (o + m) + 1] = im;
          mag[o + m] = Math.sqrt(re * re + im * im);
        }
      }
    }
  }
  return { run, X, mag, F };
}
