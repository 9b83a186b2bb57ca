import { API_VERSION, markBuiltin, type SpecView } from '@dstft/core';
import { badEntry, badSum, checkSpec, readOptions, readReduction, type Reduction } from './check.js';
import type { BuiltinLoss } from './types.js';

export interface ShannonOptions {
  /** How the per-signal entropies are combined over the batch (default `'mean'`). */
  readonly reduction: Reduction;
}

/**
 * The probability used in place of p = 0 when the derivative of an entropy needs log p or p^(α-1) there:
 * 2^-1022, the smallest normal double (log ≈ -708.40). Values are unaffected (0·log 0 = 0, 0^α = 0).
 */
export const P_FLOOR = 2.2250738585072014e-308;
/** log(P_FLOOR) ≈ -708.3964. */
export const LOG_P_FLOOR = Math.log(P_FLOOR);

/**
 * Shannon entropy of one signal, entries `[off, off + per)` of `data`:
 *   H = -Σ p log p,  p = S / Z,  Z = Σ S,  computed as H = log Z - (Σ S log S) / Z (one pass, one log per entry).
 * With `grad`, writes `scale · ∂H/∂S_k = -scale · (log p_k + H) / Z` into `grad[off .. off + per)`: the first pass
 * stores log S_k there, the second turns it into the derivative. Entries with S = 0 add 0 to H (0·log 0 = 0) and
 * get the derivative at p = P_FLOOR (the true one-sided derivative is +∞; the reference clamps log p likewise).
 */
export function shannonSignal(
  id: string,
  data: Float64Array,
  off: number,
  per: number,
  frames: number,
  grad: Float64Array | null,
  scale: number,
): number {
  const end = off + per;
  let z = 0;
  let a = 0;
  if (grad === null) {
    for (let k = off; k < end; k++) {
      const s = data[k];
      if (s > 0) {
        z += s;
        a += s * Math.log(s);
      } else if (s !== 0) {
        throw badEntry(id, data, k, per, frames);
      }
    }
  } else {
    for (let k = off; k < end; k++) {
      const s = data[k];
      if (s > 0) {
        const ls = Math.log(s);
        z += s;
        a += s * ls;
        grad[k] = ls;
      } else if (s === 0) {
        grad[k] = Number.NEGATIVE_INFINITY;
      } else {
        throw badEntry(id, data, k, per, frames);
      }
    }
  }
  if (!(z > 0 && z < Number.POSITIVE_INFINITY)) throw badSum(id, off / per, z);
  const logZ = Math.log(z);
  const h = logZ - a / z;
  if (grad !== null) {
    const c = -scale / z;
    const shift = h - logZ; // log p + H = log S - log Z + H
    const atZero = c * (LOG_P_FLOOR + h);
    for (let k = off; k < end; k++) {
      const ls = grad[k];
      grad[k] = ls === Number.NEGATIVE_INFINITY ? atZero : c * (ls + shift);
    }
  }
  return h;
}

const SHANNON_DEFAULTS: ShannonOptions = Object.freeze({ reduction: 'mean' });

/**
 * `shannon`: Shannon entropy of each signal's normalized spectrogram (paper Eq. 26), p = S / Σ_{m,n} S,
 * H_b = -Σ p log p, reduced over the batch by `reduction` ('mean' default, or 'sum'). Lower = more concentrated.
 * Uniform S gives log(F·T), one-hot S gives 0. See `shannonSignal` for the p = 0 convention.
 */
export const shannon: BuiltinLoss<'shannon', ShannonOptions> = markBuiltin<BuiltinLoss<'shannon', ShannonOptions>>({
  kind: 'loss',
  id: 'shannon',
  apiVersion: API_VERSION,
  defaults: SHANNON_DEFAULTS,
  evaluate(spec: SpecView, grad: Float64Array | null, options: ShannonOptions): number {
    const get = readOptions('shannon', options, SHANNON_DEFAULTS);
    const reduction = readReduction('shannon', get('reduction'));
    const per = checkSpec('shannon', spec, grad);
    const { data, batch, frames } = spec;
    const scale = reduction === 'mean' ? 1 / batch : 1;
    let total = 0;
    for (let b = 0; b < batch; b++) total += shannonSignal('shannon', data, b * per, per, frames, grad, scale);
    return total * scale;
  },
});
