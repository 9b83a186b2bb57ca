/**
 * The one loop from bins back to samples, written once over the FFT and DFT paths: the adjoint, the overlap-add
 * inverse and the backward pass (in @dstft/backprop) all run it, each with its own sink. For every frame n (and,
 * on the DFT path, every bin m, whose window is its own), every signal b, it forms
 *
 *   r[j] = Re Σ_m conj(G[m, n]) e^{-2πi m (i_n + j)/N}   (FFT path: all bins; DFT path: bin m alone)
 *
 * for j in the window's range clipped to the signal, and hands it to the sink with the frame's signal offset.
 * FFT path: N·ifft of G[·, n] with the bins counted twice by the Hermitian extension halved, read circularly shifted
 * by i_n mod N (frame-shift.ts); DFT path: the twiddle walk of bin m. The geometry comes from the frame table.
 */
import type { FrameWindow } from '@dstft/core';
import type { FrameTable } from './frame-table.js';
import type { StftPlan } from './stft-plan.js';

/**
 * The upstream gradient as the frame loops read it: either G = ∂ℒ/∂Re X + i ∂ℒ/∂Im X (interleaved), or ∂ℒ/∂S with
 * X and the power, from which G = ∂ℒ/∂S · p|X|^{p-2} X is formed on the fly (no separate pass, no G array).
 */
export interface UpstreamView {
  readonly G: Float64Array | null;
  readonly X: Float64Array | null;
  readonly dS: Float64Array | null;
  readonly power: number;
}

/**
 * Through the spectrogram: s such that G = s·X for a spectrogram gradient d at |X|² = m2, for S = |X|^p + eps
 * (0 where |X| = 0; docs/design.md §5.4).
 */
export function specScale(m2: number, d: number, power: number): number {
  if (!(m2 > 0)) return 0;
  if (power === 1) return d / Math.sqrt(m2);
  if (power === 2) return 2 * d;
  return d * power * Math.pow(m2, power / 2 - 1);
}

/** Receives r of one (frame, bin, signal): reads r[j] for j ∈ [jlo, jhi); signal sample of j is `off + j`. */
export interface SampleSink {
  frame(b: number, n: number, m: number, off: number, jlo: number, jhi: number, r: Float64Array): void;
}

/** Scratch of the loop (owned by whoever runs it: the plan for the kernel, the backward scratch for backprop). */
export interface BinsScratch {
  /** Interleaved one-sided bins, length 2F. */
  readonly spec: Float64Array;
  /** Inverse FFT output, length N. */
  readonly R: Float64Array;
  /** r in local indices j, length N. */
  readonly r: Float64Array;
}

export interface BinsToSamplesJob {
  readonly plan: StftPlan;
  readonly table: FrameTable;
  readonly batch: number;
  readonly upstream: UpstreamView;
  /** Sampler of the windows (with derivatives when the sink needs them). */
  readonly window: FrameWindow;
  /**
   * `adjoint`: bins scaled by N, interior ones by N/2 (the transpose of the forward, r as above);
   * `inverse`: bins as they are (ifft X[·, n] = the windowed frame, for overlap-add).
   */
  readonly scale: 'adjoint' | 'inverse';
  /**
   * Whether an FFT backend's own float32 input may be filled directly (`fft.input` / `inverseFromInput`, even N):
   * the backward takes it, the adjoint and the inverse keep the float64 route.
   */
  readonly direct: boolean;
  /** Frames [n0, n1). */
  readonly n0: number;
  readonly n1: number;
  readonly sink: SampleSink;
  readonly scratch: BinsScratch;
}

export function binsToSamples(job: BinsToSamplesJob): void {
  if (job.plan.path === 'fft') fftPath(job);
  else dftPath(job);
}

function fftPath(job: BinsToSamplesJob): void {
  const { plan, table, upstream: up, window: fw, sink, n0, n1 } = job;
  const { spec, R, r } = job.scratch;
  const N = plan.nFft;
  const F = plan.freqs;
  const L = plan.signalLength;
  const B = job.batch;
  const T = table.frames;
  const fft = plan.fft;
  const direct = job.direct && N % 2 === 0 && fft.input !== undefined && fft.inverseFromInput !== undefined;
  const edge = job.scale === 'adjoint' ? N : 1;
  const interior = job.scale === 'adjoint' ? 0.5 * N : 1;
  const lastInterior = N % 2 === 0 ? F - 2 : F - 1; // bins counted twice by the Hermitian extension
  const FT2 = 2 * F * T;
  for (let n = n0; n < n1; n++) {
    if (!table.window(fw, n, 0)) continue;
    const jlo = table.jlo;
    const jhi = table.jhi;
    const shift = table.shift[n];
    const first = table.first[n];
    for (let b = 0; b < B; b++) {
      const o = b * FT2 + 2 * n;
      if (direct) {
        gatherPacked(fft.input!, up, o, T, F);
        fft.inverseFromInput!(R);
      } else {
        gatherBins(spec, up, o, T, F, lastInterior, edge, interior);
        fft.inverse(spec, R);
      }
      // r[j] = R[(j + shift) mod N]: two contiguous runs
      const wrap = N - shift;
      const e1 = jhi < wrap ? jhi : wrap;
      for (let j = jlo; j < e1; j++) r[j] = R[j + shift];
      const s2 = jlo > wrap ? jlo : wrap;
      for (let j = s2; j < jhi; j++) r[j] = R[j - wrap];
      sink.frame(b, n, 0, b * L + first, jlo, jhi, r);
    }
  }
}

/**
 * G[b, ·, n] of one frame into `spec` (interleaved, length 2F), bins 0 and N/2 scaled by `edge`, the bins the
 * Hermitian extension counts twice by `interior`; from G, or formed on the fly from X and ∂ℒ/∂S.
 */
function gatherBins(spec: Float64Array, up: UpstreamView, o: number, T: number, F: number, lastInterior: number, edge: number, interior: number): void {
  const T2 = 2 * T;
  const G = up.G;
  if (G !== null) {
    for (let m = 0; m < F; m++) {
      const sc = m >= 1 && m <= lastInterior ? interior : edge;
      spec[2 * m] = sc * G[o];
      spec[2 * m + 1] = sc * G[o + 1];
      o += T2;
    }
  } else {
    const X = up.X!;
    const dS = up.dS!;
    const p = up.power;
    for (let m = 0; m < F; m++) {
      const re = X[o];
      const im = X[o + 1];
      const sc = (m >= 1 && m <= lastInterior ? interior : edge) * specScale(re * re + im * im, dS[o >> 1], p);
      spec[2 * m] = sc * re;
      spec[2 * m + 1] = sc * im;
      o += T2;
    }
  }
}

/**
 * G[b, ·, n] straight into the backend's float32 input, packed (Re X_0, Re X_{N/2}, X_1, …) and scaled by 1/N
 * relative to the float64 route (the factors N and N/2 cancel to 1 and 1/2). Even N only.
 */
function gatherPacked(vin: Float32Array, up: UpstreamView, o: number, T: number, F: number): void {
  const last = F - 1;
  const T2 = 2 * T;
  const G = up.G;
  if (G !== null) {
    vin[0] = G[o];
    o += T2;
    for (let m = 1; m < last; m++, o += T2) {
      vin[2 * m] = 0.5 * G[o];
      vin[2 * m + 1] = 0.5 * G[o + 1];
    }
    vin[1] = G[o];
  } else {
    const X = up.X!;
    const dS = up.dS!;
    const p = up.power;
    vin[0] = specScale(X[o] * X[o] + X[o + 1] * X[o + 1], dS[o >> 1], p) * X[o];
    o += T2;
    for (let m = 1; m < last; m++, o += T2) {
      const re = X[o];
      const im = X[o + 1];
      const sc = 0.5 * specScale(re * re + im * im, dS[o >> 1], p);
      vin[2 * m] = sc * re;
      vin[2 * m + 1] = sc * im;
    }
    vin[1] = specScale(X[o] * X[o] + X[o + 1] * X[o + 1], dS[o >> 1], p) * X[o];
  }
}

/**
 * DFT path: every bin has its own window; r[j] = Re(conj(G[m, n]) e^{-iφ_j}), φ_j = 2π m (i_n + j)/N. Always the
 * adjoint's scaling (the DFT path inverts by least squares, through the adjoint).
 */
function dftPath(job: BinsToSamplesJob): void {
  const { plan, table, upstream: up, window: fw, sink, n0, n1 } = job;
  const r = job.scratch.r;
  const N = plan.nFft;
  const F = plan.freqs;
  const L = plan.signalLength;
  const B = job.batch;
  const T = table.frames;
  const cosT = plan.cosTable;
  const sinT = plan.sinTable;
  const FT2 = 2 * F * T;
  const T2 = 2 * T;
  const G = up.G;
  const X = up.X;
  const dS = up.dS;
  const power = up.power;
  for (let n = n0; n < n1; n++) {
    const first = table.first[n];
    const imod = table.shift[n];
    for (let m = 0; m < F; m++) {
      if (!table.window(fw, n, m)) continue;
      const jlo = table.jlo;
      const jhi = table.jhi;
      const k0 = (m * ((imod + jlo) % N)) % N;
      for (let b = 0; b < B; b++) {
        const o = b * FT2 + m * T2 + 2 * n;
        let gr: number;
        let gi: number;
        if (G !== null) {
          gr = G[o];
          gi = G[o + 1];
        } else {
          const re = X![o];
          const im = X![o + 1];
          const sc = specScale(re * re + im * im, dS![o >> 1], power);
          gr = sc * re;
          gi = sc * im;
        }
        let k = k0;
        for (let j = jlo; j < jhi; j++) {
          r[j] = gr * cosT[k] - gi * sinT[k];
          k += m;
          if (k >= N) k -= N;
        }
        sink.frame(b, n, m, b * L + first, jlo, jhi, r);
      }
    }
  }
}

/** The sink of the adjoint and of overlap-add: out[off + j] += w[j]·r[j]. */
export class ScatterSink implements SampleSink {
  constructor(
    private readonly out: Float64Array,
    private readonly w: Float64Array,
  ) {}
  frame(_b: number, _n: number, _m: number, off: number, jlo: number, jhi: number, r: Float64Array): void {
    const out = this.out;
    const w = this.w;
    for (let j = jlo; j < jhi; j++) out[off + j] += w[j] * r[j];
  }
}
