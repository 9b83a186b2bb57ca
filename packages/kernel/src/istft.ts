/**
 * Inverse transforms.
 *
 * - Windows that do not vary with frequency (FFT path): exact weighted overlap-add. Each frame's windowed samples
 *   y_n[j] = x[i_n - c + j]·w_n[j] come back from one inverse real FFT of X[·, n], read circularly shifted:
 *   y_n[j] = (ifft X[·, n])[(j + i_n) mod N], which undoes e^{-2πi m i_n/N} (frame-shift.ts); then
 *   x̂[p] = Σ_n w_n[j] y_n[j] / Σ_n w_n[j]², the least-squares solution, exact wherever Σ_n w_n[j]² > 0.
 * - Frequency / time-frequency windows (DFT path): least squares min ‖A x - X‖ by conjugate gradients on the normal
 *   equations AᵀA x = Aᵀ X, reporting the relative residual.
 *
 * Samples no frame covers (Σ_n w_n[j]² ≤ tolerance · max) cannot be recovered: they are reported (mask, count and
 * ranges) and filled with `fill` (0 by default, or NaN), never silently.
 */
import { ParameterError, ShapeError } from '@dstft/core';
import { ScatterSink, binsToSamples } from './bins-to-samples.js';
import { resolveFrameTable, type FrameTable } from './frame-table.js';
import { stftAdjoint } from './stft-adjoint.js';
import { stftForward } from './stft-forward.js';
import type { StftPlan } from './stft-plan.js';
import type { StftParams, StftResult } from './types.js';

/**
 * Options of {@link stftInverse}: what counts as a covered sample, what uncovered samples get, and the least-squares
 * stopping rule.
 */
export interface InverseOptions {
  /** A sample counts as covered when Σ_n w_n² > coverageTolerance · max_p Σ_n w_n². Default 1e-10. */
  readonly coverageTolerance?: number;
  /** Value written to uncovered samples: 0 (default) or NaN. */
  readonly fill?: 0 | 'nan';
  /** Least-squares inverse (DFT path): stop when ‖Aᵀ(X - A x)‖ ≤ tolerance · ‖Aᵀ X‖. Default 1e-12. */
  readonly tolerance?: number;
  /** Least-squares inverse: maximum CG iterations. Default 500. */
  readonly maxIterations?: number;
}

/**
 * Outcome of {@link stftInverse}: the reconstructed signals `[batch, L]`, which samples no frame covers, and (least
 * squares) residuals and iterations.
 */
export interface InverseResult {
  /** Reconstructed signals `[batch, L]`. */
  readonly signal: Float64Array;
  readonly batch: number;
  /** 1 where some frame covers the sample, 0 where none does (shared by the batch). */
  readonly covered: Uint8Array;
  readonly uncoveredCount: number;
  /** Half-open sample ranges [start, end) that no frame covers. */
  readonly uncoveredRanges: ReadonlyArray<readonly [number, number]>;
  /** `overlap-add` (exact) or `least-squares` (iterative). */
  readonly method: 'overlap-add' | 'least-squares';
  /** Least squares: ‖A x̂ - X‖ / ‖X‖ per batch item; overlap-add: empty. */
  readonly residual: Float64Array;
  /** Least squares: CG iterations per batch item; overlap-add: empty. */
  readonly iterations: Int32Array;
}

/** The transform's input to `stftInverse`: a forward result, or raw X with its batch size. */
export type InverseInput = Pick<StftResult, 'X' | 'batch' | 'frames'>;

/**
 * Inverts a transform: exact weighted overlap-add on the FFT path, least squares by conjugate gradients on the DFT
 * path (frequency-varying windows); uncovered samples are reported and filled, never silently.
 */
export function stftInverse(plan: StftPlan, input: InverseInput, params: StftParams, options: InverseOptions = {}): InverseResult {
  const tol = options.coverageTolerance ?? 1e-10;
  if (!(tol >= 0) || !Number.isFinite(tol)) {
    throw new ParameterError('coverageTolerance', tol, 'must be a finite number ≥ 0', 'use a small relative tolerance such as 1e-10');
  }
  const L = plan.signalLength;
  const F = plan.freqs;
  const table = resolveFrameTable(plan, params);
  const T = table.frames;
  const { X, batch: B } = input;
  if (input.frames !== T || !(X instanceof Float64Array) || X.length !== 2 * B * F * T) {
    throw new ShapeError(
      'X',
      X,
      `expected interleaved complex [batch=${B}, F=${F}, T=${T}] for these parameters (frames given: ${input.frames})`,
      'invert with the same parameters (θ, positions) that the forward used',
    );
  }

  const weight = coverageWeights(plan, table);
  let max = 0;
  for (let p = 0; p < L; p++) if (weight[p] > max) max = weight[p];
  const thr = tol * max;
  const covered = new Uint8Array(L);
  const ranges: [number, number][] = [];
  let uncovered = 0;
  for (let p = 0; p < L; p++) {
    if (weight[p] > thr && max > 0) covered[p] = 1;
    else {
      uncovered++;
      const last = ranges[ranges.length - 1];
      if (last && last[1] === p) last[1] = p + 1;
      else ranges.push([p, p + 1]);
    }
  }

  const signal = new Float64Array(B * L);
  let residual = new Float64Array(0);
  let iterations = new Int32Array(0);
  if (plan.path === 'fft') {
    overlapAdd(plan, table, X, B, signal);
    for (let b = 0; b < B; b++) {
      for (let p = 0; p < L; p++) if (covered[p]) signal[b * L + p] /= weight[p];
    }
  } else {
    residual = new Float64Array(B);
    iterations = new Int32Array(B);
    leastSquares(plan, X, B, T, params, covered, options, signal, residual, iterations);
  }
  const fill = options.fill === 'nan' ? Number.NaN : 0;
  for (let b = 0; b < B; b++) for (let p = 0; p < L; p++) if (!covered[p]) signal[b * L + p] = fill;

  return {
    signal,
    batch: B,
    covered,
    uncoveredCount: uncovered,
    uncoveredRanges: ranges,
    method: plan.path === 'fft' ? 'overlap-add' : 'least-squares',
    residual,
    iterations,
  };
}

/** Σ over frames (and, on the DFT path, bins) of w² at each sample: the diagonal that decides coverage. */
function coverageWeights(plan: StftPlan, table: FrameTable): Float64Array {
  const fw = plan.frameWindow;
  const w = fw.w;
  const out = new Float64Array(plan.signalLength);
  const bins = plan.path === 'dft' ? plan.freqs : 1;
  for (let n = 0; n < table.frames; n++) {
    const first = table.first[n];
    for (let m = 0; m < bins; m++) {
      table.window(fw, n, m);
      const jhi = table.jhi;
      for (let j = table.jlo; j < jhi; j++) out[first + j] += w[j] * w[j];
    }
  }
  return out;
}

/**
 * signal[p] += Σ_n w_n[j] · y_n[j] (the division by Σ w² is the caller's), y_n = ifft X[·, n] read at (j + i_n) mod N,
 * which undoes e^{-2πi m i_n/N}.
 */
function overlapAdd(plan: StftPlan, table: FrameTable, X: Float64Array, B: number, signal: Float64Array): void {
  const fw = plan.frameWindow;
  binsToSamples({
    plan,
    table,
    batch: B,
    upstream: { G: X, X: null, dS: null, power: plan.power },
    window: fw,
    scale: 'inverse',
    direct: false,
    n0: 0,
    n1: table.frames,
    sink: new ScatterSink(signal, fw.w, table, plan.signalLength),
    scratch: plan.binsScratch,
  });
}

/** CG on the normal equations (CGNR), one signal at a time, restricted to covered samples. */
function leastSquares(
  plan: StftPlan,
  X: Float64Array,
  B: number,
  T: number,
  params: StftParams,
  covered: Uint8Array,
  options: InverseOptions,
  signal: Float64Array,
  residual: Float64Array,
  iterations: Int32Array,
): void {
  const L = plan.signalLength;
  const F = plan.freqs;
  const tol = options.tolerance ?? 1e-12;
  const maxIt = options.maxIterations ?? 500;
  if (!(tol > 0) || !Number.isInteger(maxIt) || maxIt < 1) {
    throw new ParameterError('tolerance', tol, 'tolerance must be > 0 and maxIterations an integer ≥ 1', 'use e.g. { tolerance: 1e-12, maxIterations: 500 }');
  }
  const M = 2 * F * T;
  const xk = new Float64Array(L);
  const r = new Float64Array(L);
  const p = new Float64Array(L);
  const Ap = new Float64Array(L);
  const Xb = new Float64Array(M);
  const tmp = new Float64Array(M);
  let fwd: StftResult | undefined;
  const apply = (v: Float64Array, outX: Float64Array): void => {
    fwd = stftForward(plan, v, params, fwd);
    outX.set(fwd.X);
  };
  const normal = (v: Float64Array, out: Float64Array): void => {
    apply(v, tmp);
    stftAdjoint(plan, tmp, params, out);
  };
  for (let b = 0; b < B; b++) {
    Xb.set(X.subarray(b * M, (b + 1) * M));
    xk.fill(0);
    stftAdjoint(plan, Xb, params, r); // r = Aᵀ X - AᵀA·0
    for (let q = 0; q < L; q++) if (!covered[q]) r[q] = 0;
    p.set(r);
    let rr = dot(r, r);
    const stop = tol * tol * rr;
    let it = 0;
    while (it < maxIt && rr > stop && rr > 0) {
      normal(p, Ap);
      for (let q = 0; q < L; q++) if (!covered[q]) Ap[q] = 0;
      const alpha = rr / dot(p, Ap);
      for (let q = 0; q < L; q++) {
        xk[q] += alpha * p[q];
        r[q] -= alpha * Ap[q];
      }
      const rrNew = dot(r, r);
      const beta = rrNew / rr;
      rr = rrNew;
      for (let q = 0; q < L; q++) p[q] = r[q] + beta * p[q];
      it++;
    }
    apply(xk, tmp);
    let num = 0;
    let den = 0;
    for (let k = 0; k < M; k++) {
      const d = tmp[k] - Xb[k];
      num += d * d;
      den += Xb[k] * Xb[k];
    }
    residual[b] = den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
    iterations[b] = it;
    signal.set(xk, b * L);
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
