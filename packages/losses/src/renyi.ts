import { API_VERSION, ParameterError, markBuiltin, type SpecView } from '@dstft/core';
import { badEntry, badSum, checkSpec, readOptions, readReduction, type Reduction } from './check.js';
import { LOG_P_FLOOR, shannonSignal } from './shannon.js';
import type { BuiltinLoss } from './types.js';

/** Options of the `renyi` loss: the Rényi entropy of order α of the normalized spectrogram. */
export interface RenyiOptions {
  /** Order α > 0 (default 3). α = 1 is Shannon's entropy (the limit), computed as such. */
  readonly alpha: number;
  /** How the per-signal entropies are combined over the batch (default `'mean'`). */
  readonly reduction: Reduction;
}

/** Below this |α - 1| the entropy is computed in a form that stays exact as α → 1 (see `renyiSignal`). */
const NEAR_ONE = 0.25;
/** Integer orders up to this one raise to the power by multiplication instead of exp/log. */
const MAX_INTEGER_ORDER = 16;

/**
 * Rényi entropy of order α of one signal, entries `[off, off + per)`:
 *   H_α = log(Σ p^α) / (1 - α),  p = S / Z,  Z = Σ S,
 *   ∂H_α/∂S_k = α / ((1 - α) Z Σ p^α) · (p_k^(α-1) - Σ p^α).
 * Two forms, both one pass of transcendental work after a cheap sum/max pass:
 * - |α - 1| < 1/4: e_k = expm1((α-1) log p_k), D = Σ p e_k = Σ p^α - 1, H = log1p(D)/(1-α) and the derivative uses
 *   (e_k - D); both stay exact as α → 1 (no cancellation), where they tend to Shannon's H and -(log p_k + H)/Z.
 * - otherwise r = S / max S (so Σ r^α ≥ 1 never underflows, even for large α): H = (α log(max S / Z) + log Σ r^α)/(1-α);
 *   integer α ≤ 16 uses multiplications, other α one exp and one log per entry.
 * `grad[off .. off+per)` receives scale·∂H/∂S (first pass stores p^(α-1)-like factors there). Entries with S = 0 add
 * 0 (0^α = 0); their derivative is exact for α > 1 and, for α < 1 (where it is +∞), taken at p = P_FLOOR
 * (clamped to the largest finite double).
 */
export function renyiSignal(
  id: string,
  data: Float64Array,
  off: number,
  per: number,
  frames: number,
  grad: Float64Array | null,
  scale: number,
  alpha: number,
): number {
  if (alpha === 1) return shannonSignal(id, data, off, per, frames, grad, scale);
  const end = off + per;
  let z = 0;
  let smax = 0;
  for (let k = off; k < end; k++) {
    const s = data[k];
    if (s > 0) {
      z += s;
      if (s > smax) smax = s;
    } else if (s !== 0) {
      throw badEntry(id, data, k, per, frames);
    }
  }
  if (!(z > 0 && z < Number.POSITIVE_INFINITY)) throw badSum(id, off / per, z);
  const am1 = alpha - 1;
  const oneMinusAlpha = 1 - alpha;

  if (Math.abs(am1) < NEAR_ONE) {
    const invZ = 1 / z;
    const eZero = Math.expm1(am1 * LOG_P_FLOOR); // -1 for α > 1 (p^(α-1) = 0: exact), finite for α < 1
    let d = 0;
    if (grad === null) {
      for (let k = off; k < end; k++) {
        const s = data[k];
        if (s > 0) {
          const p = s * invZ;
          d += p * Math.expm1(am1 * Math.log(p));
        }
      }
    } else {
      for (let k = off; k < end; k++) {
        const s = data[k];
        if (s > 0) {
          const p = s * invZ;
          const e = Math.expm1(am1 * Math.log(p));
          d += p * e;
          grad[k] = e;
        } else {
          grad[k] = eZero;
        }
      }
      const c = (scale * alpha) / (oneMinusAlpha * z * (1 + d));
      for (let k = off; k < end; k++) grad[k] = Math.min(c * (grad[k] - d), Number.MAX_VALUE);
    }
    return Math.log1p(d) / oneMinusAlpha;
  }

  const invM = 1 / smax;
  const order = Number.isInteger(alpha) && alpha <= MAX_INTEGER_ORDER ? alpha : 0;
  // r^(α-1) at S = 0: 0 for α > 1; at p = P_FLOOR, r = P_FLOOR·Z/max S, for α < 1 (≤ e^708.4: finite)
  const qZero = alpha > 1 ? 0 : Math.exp(am1 * (LOG_P_FLOOR + Math.log(z * invM)));
  let rs = 0;
  if (order >= 2) {
    for (let k = off; k < end; k++) {
      const r = data[k] * invM;
      let q = r;
      for (let j = 2; j < order; j++) q *= r;
      rs += r * q;
      if (grad !== null) grad[k] = q;
    }
  } else if (grad === null) {
    for (let k = off; k < end; k++) {
      const s = data[k];
      if (s > 0) {
        const r = s * invM;
        rs += r * Math.exp(am1 * Math.log(r)); // the same rounding as with a gradient
      }
    }
  } else {
    for (let k = off; k < end; k++) {
      const s = data[k];
      if (s > 0) {
        const r = s * invM;
        const q = Math.exp(am1 * Math.log(r));
        rs += r * q;
        grad[k] = q;
      } else {
        grad[k] = qZero;
      }
    }
  }
  if (grad !== null) {
    const c1 = (scale * alpha) / (oneMinusAlpha * smax * rs);
    const c0 = (scale * alpha) / (oneMinusAlpha * z);
    for (let k = off; k < end; k++) grad[k] = Math.min(c1 * grad[k], Number.MAX_VALUE) - c0;
  }
  return (alpha * Math.log(smax / z) + Math.log(rs)) / oneMinusAlpha;
}

const RENYI_DEFAULTS: RenyiOptions = Object.freeze({ alpha: 3, reduction: 'mean' });

function readAlpha(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new ParameterError(
      'alpha',
      value,
      "the 'renyi' loss needs a finite order α > 0",
      "pass e.g. { alpha: 3 } (the default); α = 1 is Shannon's entropy (or use the 'shannon' loss)",
    );
  }
  return value;
}

/**
 * `renyi`: Rényi entropy of order α of each signal's normalized spectrogram (Baraniuk et al.), p = S / Σ S,
 * H_α = log(Σ p^α) / (1 - α), reduced over the batch by `reduction`. α = 1 computes Shannon's entropy (its limit),
 * and values near 1 are computed without cancellation, so the loss is continuous in α. Uniform S gives log(F·T)
 * for every α. Zero entries: see `renyiSignal`.
 */
export const renyi: BuiltinLoss<'renyi', RenyiOptions> = markBuiltin<BuiltinLoss<'renyi', RenyiOptions>>({
  kind: 'loss',
  id: 'renyi',
  apiVersion: API_VERSION,
  defaults: RENYI_DEFAULTS,
  evaluate(spec: SpecView, grad: Float64Array | null, options: RenyiOptions): number {
    const get = readOptions('renyi', options, RENYI_DEFAULTS);
    const alpha = readAlpha(get('alpha'));
    const reduction = readReduction('renyi', get('reduction'));
    const per = checkSpec('renyi', spec, grad);
    const { data, batch, frames } = spec;
    const scale = reduction === 'mean' ? 1 / batch : 1;
    let total = 0;
    for (let b = 0; b < batch; b++) total += renyiSignal('renyi', data, b * per, per, frames, grad, scale, alpha);
    return total * scale;
  },
});
