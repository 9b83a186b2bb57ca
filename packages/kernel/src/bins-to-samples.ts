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
import type { DftTwiddles } from './dft-twiddles.js';
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

/**
 * Receives r of one (frame n, bin m, signal b): r_n[j] = buf[(j + s) mod N] for j ∈ [table.jlo, table.jhi) (the
 * frame table of the job), the sample of j being b·L + table.first[n] + j. FFT path: buf is the inverse FFT and
 * s = i_n mod N (read in two contiguous runs, no copy); DFT path: buf is r itself and s = 0. `readRuns` gives the
 * two runs.
 */
export interface SampleSink {
  frame(b: number, n: number, m: number, buf: Float64Array, s: number): void;
  /**
   * Optional, DFT path: r of bin m given as r[j] = gr·cos[o + j] − gi·sin[o + j] (the twiddle runs of `tw`), for a
   * sink that forms it inside its own loop instead of reading a buffer (one store and one load less per sample, the
   * same values bit for bit). Without it, the loop fills r and calls `frame` with s = 0.
   */
  bin?(b: number, n: number, m: number, gr: number, gi: number, tw: DftTwiddles): void;
}

/**
 * The two runs of j ∈ [jlo, jhi) for a read at (j + s) mod N (N = buf length): [jlo, e1) reads buf[j + s] and
 * [s2, jhi) reads buf[j - (N - s)]. Written into `runs` = [e1, s2].
 */
export function readRuns(n: number, jlo: number, jhi: number, s: number, runs: Int32Array): void {
  const wrap = n - s;
  runs[0] = jhi < wrap ? jhi : wrap;
  runs[1] = jlo > wrap ? jlo : wrap;
}

/**
 * A sink's view of the frame the loop has just clipped (`table.jlo`, `table.jhi`), read circularly at (j + s) mod
 * len: `runs` = [jlo, e1, s2, jhi, wrap], the runs [jlo, e1) reading buf[j + s] and [s2, jhi) reading
 * buf[j - wrap] (`readRuns`), wrap = len - s. What every sink's `frame` starts with, in one place.
 */
export function tableRuns(table: FrameTable, len: number, s: number, runs: Int32Array): void {
  const jlo = table.jlo;
  const jhi = table.jhi;
  const wrap = len - s;
  runs[0] = jlo;
  runs[1] = jhi < wrap ? jhi : wrap;
  runs[2] = jlo > wrap ? jlo : wrap;
  runs[3] = jhi;
  runs[4] = wrap;
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

/**
 * One run of {@link binsToSamples}: the plan, the frame table, the upstream gradient over bins, the frames [n0, n1),
 * and the sink that receives each frame's samples.
 */
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

/**
 * The one loop from bins back to samples (adjoint, overlap-add inverse, backward pass): for every frame and signal,
 * forms r[j] = Re Σ_m conj(G[m, n]) e^{-2πi m (i_n + j)/N} and hands it to the job's sink.
 */
export function binsToSamples(job: BinsToSamplesJob): void {
  if (job.plan.path === 'fft') fftPath(job);
  else dftPath(job);
}

/**
 * FFT path. When one window serves every frame of the range (one θ, one fraction: e.g. a constant θ and an integer
 * hop), signals are the outer loop and frames the inner one, so each signal's samples, gradient and bins stay in
 * cache; otherwise frames are outer and the window is sampled once per frame for the whole batch. Every output
 * entry receives its terms in the same order either way (frames in order for a sample, signals in order for a frame).
 */
function fftPath(job: BinsToSamplesJob): void {
  const { table, window: fw, n0, n1 } = job;
  const B = job.batch;
  if (n1 > n0 && table.sharedWindow(n0, n1)) {
    for (let b = 0; b < B; b++) for (let n = n0; n < n1; n++) if (table.window(fw, n, 0)) fftFrame(job, b, n);
  } else {
    for (let n = n0; n < n1; n++) {
      if (!table.window(fw, n, 0)) continue;
      for (let b = 0; b < B; b++) fftFrame(job, b, n);
    }
  }
}

/** One frame n of signal b, its window sampled and its range in table.jlo / jhi: r = N·ifft(G''[·, n]) shifted, to the sink. */
function fftFrame(job: BinsToSamplesJob, b: number, n: number): void {
  const { plan, table, upstream: up } = job;
  const { spec, R } = job.scratch;
  const N = plan.nFft;
  const F = plan.freqs;
  const T = table.frames;
  const fft = plan.fft;
  const o = b * 2 * F * T + 2 * n;
  if (job.direct && N % 2 === 0 && fft.input !== undefined && fft.inverseFromInput !== undefined) {
    gatherPacked(fft.input, up, o, T, F);
    fft.inverseFromInput(R);
  } else {
    const adjoint = job.scale === 'adjoint';
    // bins counted twice by the Hermitian extension: 1 … F-2 (even N), 1 … F-1 (odd N)
    gatherBins(spec, up, o, T, F, N % 2 === 0 ? F - 2 : F - 1, adjoint ? N : 1, adjoint ? 0.5 * N : 1);
    fft.inverse(spec, R);
  }
  // r_n[j] = R[(j + i_n) mod N]: the sink reads it shifted (frame-shift.ts)
  job.sink.frame(b, n, 0, R, table.shift[n]);
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
  const F = plan.freqs;
  const B = job.batch;
  const T = table.frames;
  const tw = plan.dftTwiddles!;
  const FT2 = 2 * F * T;
  const T2 = 2 * T;
  const G = up.G;
  const X = up.X;
  const dS = up.dS;
  const power = up.power;
  for (let n = n0; n < n1; n++) {
    const imod = table.shift[n];
    for (let m = 0; m < F; m++) {
      if (!table.window(fw, n, m)) continue;
      const jlo = table.jlo;
      const jhi = table.jhi;
      tw.run(m, imod, jlo, jhi);
      const c = tw.cos;
      const sn = tw.sin;
      const o0 = tw.offset;
      const fused = sink.bin !== undefined;
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
        if (fused) {
          sink.bin!(b, n, m, gr, gi, tw);
          continue;
        }
        for (let j = jlo; j < jhi; j++) r[j] = gr * c[o0 + j] - gi * sn[o0 + j];
        sink.frame(b, n, m, r, 0);
      }
    }
  }
}

/** The sink of the adjoint and of overlap-add: out[b·L + i_n - c + j] += w[j]·r_n[j]. */
export class ScatterSink implements SampleSink {
  readonly #out: Float64Array;
  readonly #w: Float64Array;
  readonly #table: FrameTable;
  readonly #L: number;
  readonly #runs = new Int32Array(5);
  constructor(out: Float64Array, w: Float64Array, table: FrameTable, signalLength: number) {
    this.#out = out;
    this.#w = w;
    this.#table = table;
    this.#L = signalLength;
  }

  frame(b: number, n: number, _m: number, buf: Float64Array, s: number): void {
    const g = this.#runs;
    tableRuns(this.#table, buf.length, s, g);
    scatterFrame(this.#out, this.#w, buf, b * this.#L + this.#table.first[n], g, s);
  }

  bin(b: number, n: number, _m: number, gr: number, gi: number, tw: DftTwiddles): void {
    const out = this.#out;
    const w = this.#w;
    const table = this.#table;
    const off = b * this.#L + table.first[n];
    const c = tw.cos;
    const sn = tw.sin;
    const o = tw.offset;
    for (let j = table.jlo, jhi = table.jhi; j < jhi; j++) out[off + j] += w[j] * (gr * c[o + j] - gi * sn[o + j]);
  }
}

/**
 * out[off + j] += w[j]·r[j] for the runs of `tableRuns` (r[j] = buf[(j + s) mod buf.length]): the adjoint's scatter
 * of one frame (`ScatterSink`), also how the backward adds a frame's ∂ℒ/∂x.
 */
export function scatterFrame(out: Float64Array, w: Float64Array, buf: Float64Array, off: number, runs: Int32Array, s: number): void {
  scatterRun(out, w, buf, off, runs[0], runs[1], s);
  scatterRun(out, w, buf, off, runs[2], runs[3], -runs[4]);
}

/** out[off + j] += w[j]·buf[j + d] for j in [j0, j1): one contiguous run. */
function scatterRun(out: Float64Array, w: Float64Array, buf: Float64Array, off: number, j0: number, j1: number, d: number): void {
  for (let j = j0; j < j1; j++) out[off + j] += w[j] * buf[j + d];
}
