import { API_VERSION, ParameterError, markBuiltin, type RegularizerGrad, type RegularizerInput } from '@dstft/core';
import { checkRegularizerInput, readCount, readOptions } from './check.js';
import type { BuiltinRegularizer } from './types.js';

/**
 * Options of the `tf-smoothness` regularizer (a smooth total variation of the θ map over neighbouring cells): the
 * neighbourhood and the smoothing δ.
 */
export interface TfSmoothnessOptions {
  /** Neighbours up to this many frames away along time (columns of θ; default 1). */
  readonly timeRadius: number;
  /** Neighbours up to this many bins away along frequency (rows of θ; default 1). */
  readonly freqRadius: number;
  /** Include diagonal neighbours (both offsets non-zero; default true). false keeps only same-row / same-column pairs. */
  readonly diagonal: boolean;
  /** Smoothing δ ≥ 0 of ρ(d) = sqrt(d² + δ²) - δ, in samples (default 1). 0 gives plain |d|. */
  readonly delta: number;
}

const TF_SMOOTHNESS_DEFAULTS: TfSmoothnessOptions = Object.freeze({ timeRadius: 1, freqRadius: 1, diagonal: true, delta: 1 });

/**
 * `tf-smoothness` (paper Eq. 27-28): non-local total variation of the window-length map θ `[rows, cols]`
 * (rows = frequency, cols = time):
 *   R(θ) = Σ over unordered pairs {(m,n), (m',n')}, (m,n) ≠ (m',n'), |m-m'| ≤ freqRadius, |n-n'| ≤ timeRadius, of ρ(θ_{m,n} - θ_{m',n'}),
 *   ρ(d) = sqrt(d² + δ²) - δ  (smooth TV: ≈ d²/(2δ) for |d| ≪ δ, ≈ |d| - δ for |d| ≫ δ), ρ'(d) = d / sqrt(d² + δ²).
 * Each unordered pair is counted ONCE (the paper's double sum over (m,n) and its neighbours counts every pair
 * twice; its weight λ absorbs the factor 2). Without `diagonal`, only pairs in the same row or the same column
 * count. δ = 0 is plain |d| with the subgradient 0 at d = 0. Any layout: 1×T (time-varying: neighbours along
 * time), F×1, F×T; 1×1 gives 0. Positions are not involved. O(pairs), no allocation; ρ is evaluated as
 * d²/(sqrt(d²+δ²)+δ), exact for small d.
 */
export const tfSmoothness: BuiltinRegularizer<'tf-smoothness', TfSmoothnessOptions> = markBuiltin<BuiltinRegularizer<'tf-smoothness', TfSmoothnessOptions>>({
  kind: 'regularizer',
  id: 'tf-smoothness',
  apiVersion: API_VERSION,
  defaults: TF_SMOOTHNESS_DEFAULTS,
  evaluate(input: RegularizerInput, grad: RegularizerGrad | null, options: TfSmoothnessOptions): number {
    const get = readOptions('tf-smoothness', options, TF_SMOOTHNESS_DEFAULTS);
    const rt = readCount('timeRadius', get('timeRadius'), 'pass e.g. { timeRadius: 1 } (frames; 0 disables neighbours along time)');
    const rf = readCount('freqRadius', get('freqRadius'), 'pass e.g. { freqRadius: 1 } (bins; 0 disables neighbours along frequency)');
    const diagonal = get('diagonal');
    if (typeof diagonal !== 'boolean') {
      throw new ParameterError('diagonal', diagonal, 'expected a boolean', 'pass { diagonal: true } (3×3 neighbourhood for radii 1) or { diagonal: false } (4 neighbours)');
    }
    const delta = get('delta');
    if (typeof delta !== 'number' || !Number.isFinite(delta) || delta < 0) {
      throw new ParameterError('delta', delta, 'the smoothing δ of ρ(d) = sqrt(d² + δ²) - δ must be finite and ≥ 0 (samples)', 'pass e.g. { delta: 1 } (the default), or 0 for plain |d|');
    }
    const { rows, cols } = checkRegularizerInput('tf-smoothness', input, grad, false);
    const th = input.theta.data;
    const g = grad === null ? null : grad.theta;
    const d2 = delta * delta;
    let total = 0;
    // offsets (dm, dn) of one half-plane: dm > 0 (any dn), or dm = 0 and dn > 0: each unordered pair once
    const dmMax = Math.min(rf, rows - 1);
    for (let dm = 0; dm <= dmMax; dm++) {
      const dnMax = Math.min(rt, cols - 1);
      for (let dn = dm === 0 ? 1 : -dnMax; dn <= dnMax; dn++) {
        if (!diagonal && dm !== 0 && dn !== 0) continue;
        const nLo = dn < 0 ? -dn : 0;
        const nHi = dn > 0 ? cols - dn : cols;
        const shift = dm * cols + dn;
        for (let m = 0; m + dm < rows; m++) {
          const rowEnd = m * cols + nHi;
          for (let i = m * cols + nLo; i < rowEnd; i++) {
            const d = th[i] - th[i + shift];
            if (delta > 0) {
              const s = Math.sqrt(d * d + d2);
              total += (d * d) / (s + delta);
              if (g !== null) {
                const r = d / s;
                g[i] += r;
                g[i + shift] -= r;
              }
            } else {
              total += Math.abs(d);
              if (g !== null && d !== 0) {
                const r = d > 0 ? 1 : -1;
                g[i] += r;
                g[i + shift] -= r;
              }
            }
          }
        }
      }
    }
    return total;
  },
});
