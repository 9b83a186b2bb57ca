import { API_VERSION, ParameterError, ShapeError, markBuiltin, type RegularizerGrad, type RegularizerInput } from '@dstft/core';
import { checkRegularizerInput, readOptions } from './check.js';
import type { BuiltinRegularizer } from './types.js';

/** A target: one value for every entry, or one per entry (same length as what it applies to). */
export type L2Target = number | readonly number[] | Float64Array;

/** Options of the `l2` regularizer: a quadratic pull of θ and/or the frame positions t_n toward targets, in samples. */
export interface L2Options {
  /** What is pulled: θ (default), the frame positions t_n, or both. */
  readonly on: 'theta' | 'positions' | 'both';
  /** Target of θ, in samples: required when `on` includes θ (no default: a length of 0 is never meant). */
  readonly target: L2Target | null;
  /** Target of the positions t_n, in samples: required when `on` includes the positions. */
  readonly positionsTarget: L2Target | null;
}

const L2_DEFAULTS: L2Options = Object.freeze({ on: 'theta', target: null, positionsTarget: null });

function readTarget(name: 'target' | 'positionsTarget', value: unknown, length: number, what: string): number | ArrayLike<number> {
  if (value === null || value === undefined) {
    throw new ParameterError(
      name,
      value,
      `the 'l2' regularizer has no default ${name} (a pull towards 0 is never what is meant for ${what})`,
      name === 'target'
        ? 'set it: pass e.g. { target: 512 } (a window length in samples) or an array with one value per θ entry'
        : 'set it: pass { positionsTarget: [...] } with one position (samples) per frame, e.g. the initial positions',
    );
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ParameterError(name, value, 'must be finite (samples)', `pass a finite ${name}`);
    return value;
  }
  if (!(Array.isArray(value) || value instanceof Float64Array)) {
    throw new ParameterError(name, value, 'expected a number or an array of numbers (samples)', `pass a number, or one value per entry of ${what}`);
  }
  const arr = value as ArrayLike<unknown>;
  if (arr.length !== length) {
    throw new ShapeError(name, value, `expected ${length} values (one per entry of ${what})`, `pass a single number, or exactly ${length} values`);
  }
  for (let i = 0; i < length; i++) {
    if (typeof arr[i] !== 'number' || !Number.isFinite(arr[i])) {
      throw new ParameterError(`${name}[${i}]`, arr[i], 'must be a finite number (samples)', `replace the entry of ${name}`);
    }
  }
  return arr as ArrayLike<number>;
}

/** Σ (v - target)², gradient 2(v - target) added to `g`. */
function squaredDistance(v: Float64Array, target: number | ArrayLike<number>, g: Float64Array | null): number {
  let total = 0;
  const n = v.length;
  if (typeof target === 'number') {
    for (let i = 0; i < n; i++) {
      const d = v[i] - target;
      total += d * d;
      if (g !== null) g[i] += 2 * d;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const d = v[i] - target[i];
      total += d * d;
      if (g !== null) g[i] += 2 * d;
    }
  }
  return total;
}

/**
 * `l2`: Σ (θ - target)² over θ (every entry, any layout), and/or Σ (t_n - positionsTarget)² over the positions
 * (`on`). Targets are required (there is no meaningful default; a missing one is a ParameterError saying how to
 * set it), each a single number or one value per entry. Gradient (added): 2(v - target).
 */
export const l2: BuiltinRegularizer<'l2', L2Options> = markBuiltin<BuiltinRegularizer<'l2', L2Options>>({
  kind: 'regularizer',
  id: 'l2',
  apiVersion: API_VERSION,
  defaults: L2_DEFAULTS,
  evaluate(input: RegularizerInput, grad: RegularizerGrad | null, options: L2Options): number {
    const get = readOptions('l2', options, L2_DEFAULTS);
    const on = get('on');
    if (on !== 'theta' && on !== 'positions' && on !== 'both') {
      throw new ParameterError('on', on, "the 'l2' regularizer applies to 'theta', 'positions' or 'both'", "pass { on: 'theta' } (the default), 'positions' or 'both'");
    }
    checkRegularizerInput('l2', input, grad, false);
    let total = 0;
    if (on !== 'positions') {
      const target = readTarget('target', get('target'), input.theta.data.length, 'θ');
      total += squaredDistance(input.theta.data, target, grad === null ? null : grad.theta);
    }
    if (on !== 'theta') {
      const target = readTarget('positionsTarget', get('positionsTarget'), input.positions.length, 'the positions');
      total += squaredDistance(input.positions, target, grad === null ? null : grad.positions);
    }
    return total;
  },
});
