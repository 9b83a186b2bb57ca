import { API_VERSION, ParameterError, markBuiltin, type RegularizerGrad, type RegularizerInput } from '@dstft/core';
import { checkRegularizerInput, readOptions } from './check.js';
import type { BuiltinRegularizer } from './types.js';

/**
 * Options of the `coverage` regularizer, which penalizes gaps between neighbouring windows (samples no window
 * covers).
 */
export interface CoverageOptions {
  /**
   * Coverage ratio c in (0, 1] (default 0.5): window n is taken to cover [t_n - c·θ_n/2, t_n + c·θ_n/2], the
   * central c-fraction of its support. 0.5 gives the paper's t_{n+1} - t_n ≤ (θ_n + θ_{n+1})/4 for Hann-like
   * windows (each sample inside a window's central half); 1 only asks the supports to touch.
   */
  readonly ratio: number;
}

/** One violated coverage condition. */
export interface CoverageViolation {
  /** 'start': the first window does not reach sample 0; 'gap': windows `frame` and `frame + 1` leave a gap; 'end': the last window does not reach sample L-1. */
  readonly kind: 'start' | 'gap' | 'end';
  /** Row of θ (0 unless θ depends on frequency: then the bin m). */
  readonly row: number;
  /** The frame: 0 for 'start', T-1 for 'end', n for a gap between frames n and n+1. */
  readonly frame: number;
  /** The uncovered stretch [from, to] in samples (real-valued). */
  readonly from: number;
  readonly to: number;
  /** Its length `to - from` > 0: the violation v of the penalty. */
  readonly amount: number;
}

const COVERAGE_DEFAULTS: CoverageOptions = Object.freeze({ ratio: 0.5 });

function readRatio(options: unknown): number {
  const ratio = readOptions('coverage', options, COVERAGE_DEFAULTS)('ratio');
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || !(ratio > 0 && ratio <= 1)) {
    throw new ParameterError(
      'ratio',
      ratio,
      "the 'coverage' regularizer needs a coverage ratio c in (0, 1] (window n covers t_n ± c·θ_n/2)",
      'pass e.g. { ratio: 0.5 } (the default, the central half of each window)',
    );
  }
  return ratio;
}

/**
 * Walks every coverage condition (for each row of θ: start, T-1 gaps, end) and calls `visit` for each violated
 * one with the uncovered stretch [from, to] and the violation v > 0 (its length).
 */
function forEachViolation(
  input: RegularizerInput,
  rows: number,
  cols: number,
  T: number,
  half: number,
  visit: (kind: 0 | 1 | 2, row: number, n: number, from: number, to: number, amount: number) => void,
): void {
  const th = input.theta.data;
  const t = input.positions;
  const last = input.signalLength - 1;
  const step = cols === 1 ? 0 : 1;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    // the same expressions as the penalty, so that the report and the penalty agree on every borderline case
    let v = t[0] - half * th[base];
    if (v > 0) visit(0, r, 0, 0, v, v);
    for (let n = 0; n + 1 < T; n++) {
      const i0 = base + n * step;
      v = t[n + 1] - t[n] - half * (th[i0] + th[i0 + step]);
      if (v > 0) {
        const from = t[n] + half * th[i0];
        visit(1, r, n, from, from + v, v);
      }
    }
    v = last - t[T - 1] - half * th[base + (T - 1) * step];
    if (v > 0) visit(2, r, T - 1, last - v, last, v);
  }
}

/**
 * `coverage` (paper Eq. 31-32): every sample of [0, L-1] must lie in some window's covered part, with windows
 * covering [t_n - c·θ_n/2, t_n + c·θ_n/2] (c = `ratio`). The violations are
 *   v_start = (t_0 - c·θ_0/2) - 0,   v_n = (t_{n+1} - t_n) - c·(θ_n + θ_{n+1})/2,   v_end = (L-1) - (t_{T-1} + c·θ_{T-1}/2),
 * and the penalty is Σ max(0, v)²: C¹, exactly 0 (with a zero gradient) when every condition holds. θ_n is column
 * n of θ (a single column serves every frame); with several rows (frequency-dependent windows) the conditions
 * are applied to every row and summed. Gradient (added): ∂/∂t of ±2v, ∂/∂θ of -c·v per window involved.
 * O(rows·T), no allocation.
 */
export const coverage: BuiltinRegularizer<'coverage', CoverageOptions> = markBuiltin<BuiltinRegularizer<'coverage', CoverageOptions>>({
  kind: 'regularizer',
  id: 'coverage',
  apiVersion: API_VERSION,
  defaults: COVERAGE_DEFAULTS,
  evaluate(input: RegularizerInput, grad: RegularizerGrad | null, options: CoverageOptions): number {
    const c = readRatio(options);
    const { rows, cols, frames: T } = checkRegularizerInput('coverage', input, grad, true);
    const th = input.theta.data;
    const t = input.positions;
    const last = input.signalLength - 1;
    const half = 0.5 * c;
    const step = cols === 1 ? 0 : 1;
    const gth = grad === null ? null : grad.theta;
    const gt = grad === null ? null : grad.positions;
    let penalty = 0;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let v = t[0] - half * th[base];
      if (v > 0) {
        penalty += v * v;
        if (gth !== null && gt !== null) {
          gt[0] += 2 * v;
          gth[base] -= c * v;
        }
      }
      for (let n = 0; n + 1 < T; n++) {
        const i0 = base + n * step;
        const i1 = i0 + step;
        v = t[n + 1] - t[n] - half * (th[i0] + th[i1]);
        if (v > 0) {
          penalty += v * v;
          if (gth !== null && gt !== null) {
            gt[n + 1] += 2 * v;
            gt[n] -= 2 * v;
            gth[i0] -= c * v;
            gth[i1] -= c * v;
          }
        }
      }
      const iLast = base + (T - 1) * step;
      v = last - t[T - 1] - half * th[iLast];
      if (v > 0) {
        penalty += v * v;
        if (gth !== null && gt !== null) {
          gt[T - 1] -= 2 * v;
          gth[iLast] -= c * v;
        }
      }
    }
    return penalty;
  },
});

/**
 * The violated coverage conditions of `coverage` (same options), in order: for each row of θ, the start, the
 * gaps by frame, the end. An empty list means every sample of [0, L-1] is covered. Not for hot loops (allocates
 * the report).
 */
export function coverageViolations(input: RegularizerInput, options: Partial<CoverageOptions> = {}): CoverageViolation[] {
  const c = readRatio(options);
  const { rows, cols, frames: T } = checkRegularizerInput('coverage', input, null, true);
  const out: CoverageViolation[] = [];
  const KINDS = ['start', 'gap', 'end'] as const;
  forEachViolation(input, rows, cols, T, 0.5 * c, (kind, row, frame, from, to, amount) => {
    out.push({ kind: KINDS[kind], row, frame, from, to, amount });
  });
  return out;
}
