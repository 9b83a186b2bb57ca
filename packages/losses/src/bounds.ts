import { API_VERSION, ParameterError, markBuiltin, type RegularizerGrad, type RegularizerInput } from '@dstft/core';
import { checkRegularizerInput, readOptions } from './check.js';
import type { BuiltinRegularizer } from './types.js';

/** Options of the `bounds` regularizer: the lower and upper bound of θ, in samples (a penalty grows outside them). */
export interface BoundsOptions {
  /** Lower bound of θ in samples, or null for none. */
  readonly lower: number | null;
  /** Upper bound of θ in samples, or null for none. At least one bound is required. */
  readonly upper: number | null;
}

const BOUNDS_DEFAULTS: BoundsOptions = Object.freeze({ lower: null, upper: null });

function readBound(name: 'lower' | 'upper', value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ParameterError(name, value, 'a bound must be a finite number of samples, or null for none', `pass e.g. { ${name}: ${name === 'lower' ? 16 : 1024} }`);
  }
  return value;
}

/**
 * `bounds`: a soft box on θ, Σ max(0, lower - θ)² + max(0, θ - upper)² over every entry of θ (C¹, 0 inside the
 * box). Options `lower` / `upper` (samples; at least one, lower ≤ upper). Gradient (added): -2(lower - θ) below,
 * 2(θ - upper) above. Positions are not involved. For hard bounds use the optimizer's projection or the sigmoid
 * reparametrization of @dstft/core instead.
 */
export const bounds: BuiltinRegularizer<'bounds', BoundsOptions> = markBuiltin<BuiltinRegularizer<'bounds', BoundsOptions>>({
  kind: 'regularizer',
  id: 'bounds',
  apiVersion: API_VERSION,
  defaults: BOUNDS_DEFAULTS,
  evaluate(input: RegularizerInput, grad: RegularizerGrad | null, options: BoundsOptions): number {
    const get = readOptions('bounds', options, BOUNDS_DEFAULTS);
    const lower = readBound('lower', get('lower'));
    const upper = readBound('upper', get('upper'));
    if (lower === null && upper === null) {
      throw new ParameterError('lower/upper', null, "the 'bounds' regularizer needs at least one bound", 'pass { lower: 16 }, { upper: 1024 } or both (samples)');
    }
    if (lower !== null && upper !== null && lower > upper) {
      throw new ParameterError('lower', lower, `lower exceeds upper = ${upper}`, 'pass lower ≤ upper');
    }
    checkRegularizerInput('bounds', input, grad, false);
    const th = input.theta.data;
    const g = grad === null ? null : grad.theta;
    const lo = lower ?? Number.NEGATIVE_INFINITY;
    const hi = upper ?? Number.POSITIVE_INFINITY;
    let total = 0;
    for (let i = 0; i < th.length; i++) {
      const v = th[i];
      if (v < lo) {
        const d = lo - v;
        total += d * d;
        if (g !== null) g[i] -= 2 * d;
      } else if (v > hi) {
        const d = v - hi;
        total += d * d;
        if (g !== null) g[i] += 2 * d;
      }
    }
    return total;
  },
});
