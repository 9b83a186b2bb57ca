/**
 * The DSTFT forward transform (docs/design.md §4, paper Eq. 6 / Eq. 25):
 *
 *   X[m, n] = e^{-2πi m i_n / N} · Σ_{j=0}^{N-1} x[i_n - c + j] · w(j - c - f_n, θ_{m,n}) · e^{-2πi m j / N}
 *
 * with t_n = i_n + f_n (i_n = floor t_n), c = floor(N/2), samples outside [0, L) read as 0. The window is
 * centred exactly on the real t_n in every mode. FFT path when θ does not depend on m (one real FFT per frame and
 * signal; the window is sampled once per frame and shared by the batch, and reused while (θ, f_n) repeat; the
 * phase factor is folded into the FFT by a circular shift of the frame, see frame-shift.ts);
 * DFT path when it does (one windowed sum per bin and frame). Both write S = |X|^p + eps as they write X.
 */
import { ParameterError, assertSignalBatch, type FrameWindow } from '@dstft/core';
import { gatherShifted, gatherShiftedF32 } from './frame-shift.js';
import { FrameTable, resolveFrameTable } from './frame-table.js';
import type { StftPlan } from './stft-plan.js';
import type { StftParams, StftResult } from './types.js';

/** Options of `stftForward`. */
export interface ForwardOptions {
  /**
   * Compute only frames [a, b) (0 ≤ a ≤ b ≤ T): X and S of the other frames are left as they are in the result
   * (zeros in a new one). Frame ranges are independent, so threads (each with its own plan) can split [0, T) and
   * fill one result together. Default: every frame.
   */
  readonly frames?: readonly [number, number] | undefined;
  /**
   * The caller has already checked every sample of x (finite), e.g. a driver that checks the batch once and splits
   * its frames or signals across threads: only the shape is checked here. Default false (one pass over x).
   */
  readonly signalChecked?: boolean;
  /**
   * The frame table of these parameters, already resolved by the caller (`resolveFrameTable(plan, params)`, e.g. once
   * on the calling thread of a parallel call, or shipped to a worker): the parameters are then not validated again.
   * It must belong to this plan and hold `params.theta` itself (a ParameterError otherwise). Default: resolved here.
   */
  readonly table?: FrameTable | undefined;
  /**
   * A forward-mode hook (FFT path only): after each frame, the loop also transforms the same shifted frame with
   * ∂w/∂θ in place of w and calls `tangent.frame` with both spectra (see {@link ForwardTangent}). Default: none.
   */
  readonly tangent?: ForwardTangent | undefined;
  /**
   * Whether X and S are written (default true). `false` needs a `tangent`: every frame is still transformed and the
   * hook still receives its spectrum, but the result's X and S keep what they held (zeros in a new result); positions,
   * times and θ are written. For a caller that needs only what its hook computes (a one-pass loss gradient): the
   * strided write-out into `[B, F, T]` was 10–17 % of such a step on row A.
   */
  readonly spectrogram?: boolean | undefined;
}

/**
 * Forward-mode derivatives along θ, in the forward's frame loop (`@dstft/backprop`'s one-pass loss gradient): for
 * frame n of signal b the loop writes X[·, n] and S[·, n] as usual, then transforms x·∂w/∂θ (same frame, same shift)
 * into `spectrum`, whose bins are ∂X[m, n]/∂θ_n, and calls `frame`.
 */
export interface ForwardTangent {
  /** A sampler of the plan's window with ∂w/∂θ enabled (`derivatives.theta`); the loop samples it per frame. */
  readonly window: FrameWindow;
  /** Receives ∂X[·, n]/∂θ_n, 2·F interleaved values. */
  readonly spectrum: Float64Array;
  /** Frame n of signal b is done: `X` holds its F bins (interleaved), `spectrum` their derivatives along θ_n. */
  frame(b: number, n: number, X: Float64Array): void;
}

/** What the forward loop needs: the frame table of the call, the signals, and where to write. */
export interface ForwardJob {
  readonly plan: StftPlan;
  readonly table: FrameTable;
  /** Signals `[batch, L]`. */
  readonly x: Float64Array;
  readonly batch: number;
  /** Outputs in the `[B, F, T]` layout (X interleaved); may be longer (frames past T unused). */
  readonly X: Float64Array;
  readonly spec: Float64Array;
  /** Frames [n0, n1). */
  readonly n0: number;
  readonly n1: number;
  /** Forward-mode hook (FFT path), or absent. */
  readonly tangent?: ForwardTangent | null | undefined;
  /** False: X and S are not written (with a tangent hook only; `ForwardOptions.spectrogram`). Default true. */
  readonly spectrogram?: boolean | undefined;
}

/**
 * Runs the forward transform of `plan` on a batch of signals `x` (`[batch, L]`, row-major Float64Array).
 * `out`, when given, must come from an earlier call with the same batch and frame count; its arrays are reused.
 */
export function stftForward(plan: StftPlan, x: Float64Array, params: StftParams, out?: StftResult, options: ForwardOptions = {}): StftResult {
  const L = plan.signalLength;
  const checked = options.signalChecked === true && x instanceof Float64Array && x.length > 0 && x.length % L === 0;
  if (!checked) assertSignalBatch('x', x, L); // else: the caller checked the samples, and the shape is right
  const B = x.length / L;
  const table = options.table === undefined ? resolveFrameTable(plan, params) : checkTable(options.table, plan, params);
  const T = table.frames;
  const [n0, n1] = frameRange(options.frames, T);
  const tangent = options.tangent ?? null;
  if (tangent !== null) checkTangent(tangent, plan);
  const spectrogram = options.spectrogram ?? true;
  if (spectrogram !== true && (spectrogram !== false || tangent === null)) {
    throw new ParameterError('spectrogram', spectrogram, 'must be true or false, and false only with a tangent hook (else the forward would compute nothing)', 'leave it out, or pass { tangent, spectrogram: false }');
  }
  const pos = table.positions;
  const F = plan.freqs;

  const res = out && out.batch === B && out.frames === T && out.freqs === F ? out : allocateResult(plan, B, T);
  res.positions.set(pos);
  const times = res.times;
  for (let n = 0; n < T; n++) times[n] = pos[n] / plan.sampleRate;
  res.theta.set(params.theta);

  runForward({ plan, table, x, batch: B, X: res.X, spec: res.spec, n0, n1, tangent, spectrogram });
  return res;
}

/** A tangent hook must fit the plan: FFT path, a window sampler with ∂w/∂θ of N samples, room for F bins. */
function checkTangent(tangent: ForwardTangent, plan: StftPlan): void {
  const fix = 'pass a tangent made for this plan (a FrameWindow with derivatives { theta: true } and 2·F spectrum values)';
  if (plan.path !== 'fft') {
    throw new ParameterError('tangent', plan.windowMode, 'forward-mode derivatives run on the FFT path only (θ must not depend on the bin)', 'use stftBackward for windowMode "frequency" or "time-frequency"');
  }
  const w = tangent?.window;
  if (!w || w.dTheta === null || w.w.length !== plan.nFft || !(tangent.spectrum instanceof Float64Array) || tangent.spectrum.length < 2 * plan.freqs || typeof tangent.frame !== 'function') {
    throw new ParameterError('tangent', tangent, 'is not a forward-mode hook of this plan', fix);
  }
}

/** A caller's frame table, if it was resolved for this plan and these parameters (θ by identity). */
function checkTable(table: FrameTable, plan: StftPlan, params: StftParams): FrameTable {
  if (!(table instanceof FrameTable) || table.plan !== plan || table.theta !== params?.theta) {
    throw new ParameterError('table', table, 'is not a frame table of this transform for these parameters', 'pass resolveFrameTable(plan, params) of the same plan and params, or leave it out');
  }
  return table;
}

/** Checks a `frames: [a, b)` option against T; the whole range when absent. */
export function frameRange(frames: readonly [number, number] | undefined, T: number): [number, number] {
  if (frames === undefined) return [0, T];
  const [a, b] = Array.isArray(frames) ? frames : [Number.NaN, Number.NaN];
  if (!Number.isInteger(a) || !Number.isInteger(b) || !(a >= 0 && a <= b && b <= T)) {
    throw new ParameterError('frames', frames, `must be [a, b) with integers 0 ≤ a ≤ b ≤ T = ${T}`, `pass e.g. [0, ${T}] (every frame) or a sub-range`);
  }
  return [a, b];
}

/** The sizes both forward loops index with (N, F, L, T, F·T) and the write-out constants of S = |X|^p + eps. */
function jobSizes(job: ForwardJob): { N: number; F: number; L: number; T: number; FT: number; power: number; eps: number } {
  const { plan, table } = job;
  return { N: plan.nFft, F: plan.freqs, L: plan.signalLength, T: table.frames, FT: plan.freqs * table.frames, power: plan.power, eps: plan.eps };
}

/** The forward core on the frames [n0, n1) of a job: FFT or DFT path by the plan. No validation (the table's). */
export function runForward(job: ForwardJob): void {
  if (job.plan.path === 'fft') forwardFft(job);
  else forwardDft(job);
}

function allocateResult(plan: StftPlan, B: number, T: number): StftResult {
  const F = plan.freqs;
  return {
    batch: B,
    freqs: F,
    frames: T,
    nFft: plan.nFft,
    X: new Float64Array(2 * B * F * T),
    spec: new Float64Array(B * F * T),
    positions: new Float64Array(T),
    times: new Float64Array(T),
    frequencies: plan.frequencies.slice(),
    theta: new Float64Array(plan.thetaLength(T)),
  };
}

/** S = |X|^p + eps, elementwise (the forward computes it as it writes X; kept for callers that hold only X). */
export function magnitude(X: Float64Array, spec: Float64Array, power: number, eps: number): void {
  const n = spec.length;
  for (let k = 0; k < n; k++) {
    const re = X[2 * k];
    const im = X[2 * k + 1];
    spec[k] = specValue(re * re + im * im, power, eps);
  }
}

/** |X|^p + eps from |X|² (the same operations as before the fusion: sqrt for p = 1, none for p = 2). */
function specValue(abs2: number, power: number, eps: number): number {
  if (power === 1) return Math.sqrt(abs2) + eps;
  if (power === 2) return abs2 + eps;
  return Math.pow(abs2, 0.5 * power) + eps;
}

/**
 * FFT path. Signals are the outer loop and frames the inner one, so each signal's X[b] and S[b] are filled frame
 * after frame (bin m of frame n at X[b, m, n]: the lines of consecutive frames are neighbours and stay in cache),
 * instead of every frame writing across the whole batch. Each frame is windowed, circularly shifted by i_n mod N
 * (frame-shift.ts: this IS the phase factor e^{-2πi m i_n/N}) and transformed; X and S = |X|^p + eps are written
 * from the spectrum directly.
 *
 * The window is sampled only when (θ, f_n) changes. A single signal, or a window shared by every frame (one θ and
 * the same f_n everywhere, e.g. an integer hop), runs all frames as one block. Otherwise, with a batch, frames go
 * in blocks of K (plan.blockFrames): signal 0 samples the block's windows and keeps them in the plan's window rows,
 * which the other signals reuse, so no window is sampled more than once per call and frame.
 */
function forwardFft(job: ForwardJob): void {
  const { plan, table, x, batch: B, X, spec: S, n0: start, n1: end } = job;
  const { N, F, L, T, FT, power, eps } = jobSizes(job);
  const fw = plan.frameWindow;
  const buf = plan.frameBuffer;
  const spec = plan.spectrumBuffer;
  const fft = plan.fft;
  const direct = N % 2 === 0 && fft.input !== undefined && fft.forwardFromInput !== undefined;
  const rows = plan.blockWindows;
  const rowLo = plan.blockWindowLo;
  const rowHi = plan.blockWindowHi;
  const rowOf = plan.blockWindowOf;
  const firsts = table.first;
  const shifts = table.shift;
  const tangent = job.tangent ?? null;
  const write = job.spectrogram !== false;
  const keepRows = B > 1 && !(end > start && table.sharedWindow(start, end));
  const K = keepRows ? plan.blockFrames : end - start;
  let saved = -1; // fw.version when fw.w was last copied into a row
  for (let n0 = start; n0 < end; n0 += K) {
    const n1 = end - n0 < K ? end : n0 + K;
    let used = 0; // rows of this block holding a window
    for (let b = 0; b < B; b++) {
      const rowStart = b * L;
      for (let n = n0; n < n1; n++) {
        let w: Float64Array;
        if (keepRows && b > 0) {
          const r = rowOf[n - n0];
          w = rows[r];
          table.clip(n, rowLo[r], rowHi[r]);
        } else {
          table.window(fw, n, 0);
          w = fw.w;
          if (keepRows) {
            if (n === n0 || fw.version !== saved) {
              const row = rows[used];
              const lo = fw.lo;
              const hi = fw.hi;
              for (let j = lo; j < hi; j++) row[j] = w[j];
              rowLo[used] = lo;
              rowHi[used] = hi;
              used++;
              saved = fw.version;
            }
            rowOf[n - n0] = used - 1;
          }
        }
        // `| 0` keeps the indices int32 so that the sample loops index cheaply
        const first = firsts[n] | 0;
        const jlo = table.jlo | 0;
        const jhi = table.jhi | 0;
        if (direct) {
          // the backend's own float32 input: no float64 staging buffer, no copy loop in the backend
          gatherShiftedF32(fft.input!, x, rowStart + first, w, jlo, jhi, shifts[n]);
          fft.forwardFromInput!(spec);
        } else {
          gatherShifted(buf, x, rowStart + first, w, jlo, jhi, shifts[n]);
          fft.forward(buf, spec);
        }
        if (write) writeFrame(spec, X, S, b * FT + n, T, F, power, eps);
        if (tangent !== null) {
          tangentSpectrum(tangent, table, n, x, rowStart, direct ? fft : null, buf);
          tangent.frame(b, n, spec);
        }
      }
    }
  }
}

/**
 * ∂X[·, n]/∂θ_n into `tangent.spectrum`: frame n of the signal starting at x[rowStart], windowed by ∂w/∂θ (sampled
 * when (θ_n, f_n) changes), shifted and transformed like the frame itself. `direct`: the backend's float32 input path.
 */
function tangentSpectrum(tangent: ForwardTangent, table: FrameTable, n: number, x: Float64Array, rowStart: number, direct: StftPlan['fft'] | null, buf: Float64Array): void {
  const tw = tangent.window;
  tw.sampleCached(table.thetaOf(n, 0), table.frac[n]);
  table.clip(n, tw.lo, tw.hi);
  const off = rowStart + (table.first[n] | 0);
  const jlo = table.jlo | 0;
  const jhi = table.jhi | 0;
  if (direct !== null) {
    gatherShiftedF32(direct.input!, x, off, tw.dTheta!, jlo, jhi, table.shift[n]);
    direct.forwardFromInput!(tangent.spectrum);
  } else {
    gatherShifted(buf, x, off, tw.dTheta!, jlo, jhi, table.shift[n]);
    table.plan.fft.forward(buf, tangent.spectrum);
  }
}

/**
 * X[b, m, n] and S[b, m, n] = |X|^p + eps for m = 0..F-1 from one frame's spectrum: complex index q + m·T, with
 * q = b·F·T + n. One loop per common power, so that the branch is taken once per frame, not per bin.
 */
function writeFrame(spec: Float64Array, X: Float64Array, S: Float64Array, q: number, T: number, F: number, power: number, eps: number): void {
  if (power === 1) {
    for (let m = 0; m < F; m++) {
      const re = spec[2 * m];
      const im = spec[2 * m + 1];
      X[2 * q] = re;
      X[2 * q + 1] = im;
      S[q] = Math.sqrt(re * re + im * im) + eps;
      q += T;
    }
  } else if (power === 2) {
    for (let m = 0; m < F; m++) {
      const re = spec[2 * m];
      const im = spec[2 * m + 1];
      X[2 * q] = re;
      X[2 * q + 1] = im;
      S[q] = re * re + im * im + eps;
      q += T;
    }
  } else {
    const h = 0.5 * power;
    for (let m = 0; m < F; m++) {
      const re = spec[2 * m];
      const im = spec[2 * m + 1];
      X[2 * q] = re;
      X[2 * q + 1] = im;
      S[q] = Math.pow(re * re + im * im, h) + eps;
      q += T;
    }
  }
}

/** DFT path: one windowed sum per bin and frame (twiddles of dft-twiddles.ts), then the phase e^{-2πi m i_n/N}. */
function forwardDft(job: ForwardJob): void {
  const { plan, table, x, batch: B, X, spec: S, n0: start, n1: end } = job;
  const { N, F, L, T, FT, power, eps } = jobSizes(job);
  const fw = plan.frameWindow;
  const w = fw.w;
  const tw = plan.dftTwiddles!;
  const cosT = plan.cosTable;
  const sinT = plan.sinTable;
  for (let n = start; n < end; n++) {
    const first = table.first[n];
    const istep = table.shift[n];
    let kPhase = 0;
    for (let m = 0; m < F; m++) {
      table.window(fw, n, m);
      const jlo = table.jlo;
      const jhi = table.jhi;
      const cp = cosT[kPhase];
      const sp = sinT[kPhase];
      tw.run(m, 0, jlo, jhi);
      const c = tw.cos;
      const sn = tw.sin;
      const o = tw.offset;
      for (let b = 0; b < B; b++) {
        const off = b * L + first;
        let re = 0;
        let im = 0;
        for (let j = jlo; j < jhi; j++) {
          const v = x[off + j] * w[j];
          re += v * c[o + j];
          im -= v * sn[o + j];
        }
        const q = b * FT + m * T + n;
        const xr = re * cp + im * sp;
        const xi = im * cp - re * sp;
        X[2 * q] = xr;
        X[2 * q + 1] = xi;
        S[q] = specValue(xr * xr + xi * xi, power, eps);
      }
      kPhase += istep;
      if (kPhase >= N) kPhase -= N;
    }
  }
}
