/**
 * `gradcheck`: compares an analytic gradient with float64 central finite differences (Richardson-extrapolated,
 * see finite-difference.ts), entry by entry.
 */
import { fmt, table } from './format.js';

/**
 * Options of {@link gradcheck}: the scalar function, its analytic gradient, the parameters to perturb, the
 * finite-difference step, the tolerances, which entries to check and whether to use Richardson extrapolation.
 */
export interface GradcheckOptions {
  /** The scalar function. It may read `params` (which gradcheck perturbs one entry at a time and restores). */
  f: (params: Float64Array) => number;
  /** The analytic gradient ∂f/∂params at `params`, same length. */
  grad: Float64Array | ArrayLike<number>;
  /** The point. Never changed permanently: each perturbed entry is restored, even when `f` throws. */
  params: Float64Array;
  /** Finite-difference step: a number, or a function of (index, value). Default 1e-5·max(1, |p_i|). */
  step?: number | ((index: number, value: number) => number);
  /** Relative tolerance per entry (default 1e-6). */
  rtol?: number;
  /**
   * Absolute floor of the error's denominator: error = |a - n| / max(|a|, |n|, floor), so entries smaller than
   * the floor are compared in absolute terms (|a - n| ≤ rtol·floor). Default: 1e-6 × the largest |a_i|, |n_i|.
   * The floor is never below the estimated roundoff of the finite difference (≈ 4·eps·|f|/h, divided by rtol).
   */
  atol?: number;
  /** Check only these entries (default all). */
  indices?: readonly number[];
  /** Use one Richardson extrapolation step (default true); false gives the plain central difference. */
  richardson?: boolean;
}

/** One checked parameter of {@link gradcheck}: analytic and central-difference derivatives and their relative error. */
export interface GradcheckEntry {
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
  /** |analytic - numeric| / max(|analytic|, |numeric|, floor) */
  readonly error: number;
  /** The step used for this entry. */
  readonly step: number;
  readonly ok: boolean;
}

/** Outcome of {@link gradcheck}: whether every entry agreed within tolerance, the largest error and its entry. */
export interface GradcheckResult {
  readonly ok: boolean;
  readonly maxError: number;
  /** The entry with the largest error (null when no entry was checked). */
  readonly worst: GradcheckEntry | null;
  readonly entries: readonly GradcheckEntry[];
  readonly rtol: number;
  readonly floor: number;
}

const EPS = 2.220446049250313e-16;

/** Runs the check and returns the per-entry comparison; never throws on a mismatch (see `expectGradcheck`). */
export function gradcheck(opts: GradcheckOptions): GradcheckResult {
  const { f, grad, params } = opts;
  const rtol = opts.rtol ?? 1e-6;
  const richardson = opts.richardson ?? true;
  if (!(params instanceof Float64Array)) throw new TypeError('gradcheck: params must be a Float64Array (float64 is needed for 1e-6 checks)');
  if (grad.length !== params.length) {
    throw new RangeError(`gradcheck: grad has length ${grad.length} but params has length ${params.length}. Fix: pass ∂f/∂params at params`);
  }
  const indices = opts.indices ?? Array.from({ length: params.length }, (_, i) => i);
  const stepOf = (i: number, v: number): number => {
    const s = opts.step;
    if (typeof s === 'function') return s(i, v);
    if (typeof s === 'number') return s;
    return 1e-5 * Math.max(1, Math.abs(v));
  };

  const numeric: number[] = [];
  const steps: number[] = [];
  const noise: number[] = [];
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= params.length) {
      throw new RangeError(`gradcheck: indices contains ${i}, outside [0, ${params.length}). Fix: pass valid parameter indices`);
    }
    const p0 = params[i]!;
    const h = stepOf(i, p0);
    if (!(h > 0) || !Number.isFinite(h)) throw new RangeError(`gradcheck: step for entry ${i} is ${h}. Fix: use a finite step > 0`);
    let fmax = 0;
    const at = (t: number): number => {
      params[i] = t;
      const v = f(params);
      const a = Math.abs(v);
      if (a > fmax) fmax = a;
      return v;
    };
    try {
      const d = (tp: number, tm: number): number => (at(tp) - at(tm)) / (tp - tm);
      const d1 = d(p0 + h, p0 - h);
      numeric.push(richardson ? (4 * d(p0 + h / 2, p0 - h / 2) - d1) / 3 : d1);
    } finally {
      params[i] = p0;
    }
    steps.push(h);
    noise.push(((richardson ? 4 : 1) * EPS * fmax) / h);
  }

  let scale = 0;
  for (let k = 0; k < indices.length; k++) {
    scale = Math.max(scale, Math.abs(grad[indices[k]!]!), Math.abs(numeric[k]!));
  }
  const floor = opts.atol ?? 1e-6 * scale;

  const entries: GradcheckEntry[] = [];
  let worst: GradcheckEntry | null = null;
  for (let k = 0; k < indices.length; k++) {
    const a = grad[indices[k]!]!;
    const n = numeric[k]!;
    const denom = Math.max(Math.abs(a), Math.abs(n), floor, noise[k]! / rtol, Number.MIN_VALUE);
    const error = Number.isFinite(a) && Number.isFinite(n) ? Math.abs(a - n) / denom : Number.POSITIVE_INFINITY;
    const e: GradcheckEntry = { index: indices[k]!, analytic: a, numeric: n, error, step: steps[k]!, ok: error <= rtol };
    entries.push(e);
    if (worst === null || !(error <= worst.error)) worst = e;
  }
  const maxError = worst === null ? 0 : worst.error;
  return { ok: entries.every((e) => e.ok), maxError, worst, entries, rtol, floor };
}

/** A readable table of the worst entries of a gradcheck result. */
export function formatGradcheck(result: GradcheckResult, limit = 12): string {
  const bad = [...result.entries].sort((a, b) => b.error - a.error).slice(0, limit);
  const failing = result.entries.filter((e) => !e.ok).length;
  return (
    `gradcheck: ${failing} of ${result.entries.length} entries exceed rtol ${result.rtol.toExponential()} ` +
    `(max error ${fmt(result.maxError)}, floor ${fmt(result.floor)})\n` +
    table(
      ['index', 'analytic', 'numeric', 'error', 'step', ''],
      bad.map((e) => [String(e.index), fmt(e.analytic), fmt(e.numeric), fmt(e.error), fmt(e.step), e.ok ? '' : 'FAIL']),
    )
  );
}

/** Runs `gradcheck` and throws an Error with a table of the worst entries when it is not ok. */
export function expectGradcheck(opts: GradcheckOptions): GradcheckResult {
  const result = gradcheck(opts);
  if (!result.ok) throw new Error(formatGradcheck(result));
  return result;
}
