import { API_VERSION, markBuiltin, sharedLogKernel, type FramewiseLoss, type SpecShape, type SpecView } from '@dstft/core';
import { badEntry, badSum, checkSpec, readOptions, readReduction, type Reduction } from './check.js';
import type { BuiltinLoss } from './types.js';

/** Options of the `shannon` loss: the Shannon entropy of the normalized spectrogram p = S / ΣS (nats), per signal. */
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
  const logs = sharedLogKernel();
  let z = 0;
  let a = 0;
  // the logs come a chunk at a time from the kernel (bit for bit Math.log); the sums run in entry order as before
  for (let c0 = off; c0 < end; c0 += logs.capacity) {
    const c1 = end - c0 < logs.capacity ? end : c0 + logs.capacity;
    const lg = logs.logs(data, c0, c1 - c0);
    for (let k = c0; k < c1; k++) {
      const s = data[k];
      if (s > 0) {
        const ls = lg[k - c0];
        z += s;
        a += s * ls;
        if (grad !== null) grad[k] = ls;
      } else if (s === 0) {
        if (grad !== null) grad[k] = Number.NEGATIVE_INFINITY;
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

/** The factor of each signal's entropy in the value: 1/B for 'mean', 1 for 'sum'. */
function reductionScale(options: ShannonOptions, B: number): number {
  return readReduction('shannon', options?.reduction ?? SHANNON_DEFAULTS.reduction) === 'mean' ? 1 / B : 1;
}

/**
 * The Shannon entropy split by frames (`LossPlugin.framewise`), the same sums as `shannonSignal` in another order:
 *   frameStats: log S into work, and per frame n of signal b, z = Σ_m S and a = Σ_m S log S (bins in order);
 *   signalTerm: Z_b = Σ_n z, A_b = Σ_n a in frame order, H_b = log Z_b − A_b / Z_b, and (c, s, g0) with
 *               ∂ℒ/∂S = c (log S + s), or g0 where S = 0 (the derivative at p = P_FLOOR);
 *   frameGrad:  log S in work becomes ∂ℒ/∂S.
 * One log per entry (`Math.log`'s bits, from the log kernel), on whichever thread owns the frames.
 */
export const shannonFramewise: FramewiseLoss<ShannonOptions> = Object.freeze({
  statsPerFrame: 2,
  coefPerSignal: 3,
  frameStats(S: Float64Array, work: Float64Array, shape: SpecShape, n0: number, n1: number, stats: Float64Array): void {
    const { batch: B, freqs: F, frames: T } = shape;
    const logs = sharedLogKernel();
    const width = n1 - n0;
    // rows of up to `capacity` entries go through the log kernel (bit for bit Math.log), several at once when they
    // touch (all frames); a row too long for it, or too short to pay for the call, takes Math.log itself
    const viaKernel = width >= 16 && width <= logs.capacity;
    const rowsPerCall = viaKernel && width === T ? Math.floor(logs.capacity / T) : 1;
    for (let b = 0; b < B; b++) {
      const base = b * T;
      for (let n = n0; n < n1; n++) {
        stats[2 * (base + n)] = 0;
        stats[2 * (base + n) + 1] = 0;
      }
      for (let m0 = 0; m0 < F; m0 += rowsPerCall) {
        const m1 = F - m0 < rowsPerCall ? F : m0 + rowsPerCall;
        const start = (b * F + m0) * T + n0;
        const lg = viaKernel ? logs.logs(S, start, (m1 - m0 - 1) * T + width) : null;
        for (let m = m0; m < m1; m++) {
          const row = (b * F + m) * T;
          for (let n = n0; n < n1; n++) {
            const k = row + n;
            const s = S[k];
            const q = 2 * (base + n);
            if (s > 0) {
              const ls = lg === null ? Math.log(s) : lg[k - start];
              work[k] = ls;
              stats[q] += s;
              stats[q + 1] += s * ls;
            } else {
              // S = |X|^p + eps ≥ 0 from a transform of a checked signal: 0 is the only other value (0·log 0 = 0)
              work[k] = Number.NEGATIVE_INFINITY;
            }
          }
        }
      }
    }
  },
  signalTerm(stats: Float64Array, b: number, shape: SpecShape, coef: Float64Array, options: ShannonOptions): number {
    const T = shape.frames;
    let z = 0;
    let a = 0;
    for (let n = 0, q = 2 * b * T; n < T; n++, q += 2) {
      z += stats[q];
      a += stats[q + 1];
    }
    if (!(z > 0 && z < Number.POSITIVE_INFINITY)) throw badSum('shannon', b, z);
    const logZ = Math.log(z);
    const h = logZ - a / z;
    const c = -reductionScale(options, shape.batch) / z;
    coef[3 * b] = c;
    coef[3 * b + 1] = h - logZ;
    coef[3 * b + 2] = c * (LOG_P_FLOOR + h);
    return h;
  },
  combine(terms: Float64Array, options: ShannonOptions): number {
    let total = 0;
    for (let b = 0; b < terms.length; b++) total += terms[b];
    return total * reductionScale(options, terms.length);
  },
  tangentPerFrame: 2,
  /**
   * The frame's z = Σ S and a = Σ S log S (as frameStats), and u = Σ log S · d, v = Σ d over the entries with S > 0:
   * then Σ ∂ℒ/∂S · d = c (u + s v) (tangentDot). Entries with S = 0 have |X| = 0, where d = 0 (see specScale).
   */
  frameTangent(s: Float64Array, d: Float64Array, count: number, stats: Float64Array, q: number, tangent: Float64Array, t: number): void {
    const logs = sharedLogKernel();
    let z = 0;
    let a = 0;
    let u = 0;
    let v = 0;
    for (let c0 = 0; c0 < count; c0 += logs.capacity) {
      const c1 = count - c0 < logs.capacity ? count : c0 + logs.capacity;
      const lg = logs.logs(s, c0, c1 - c0); // bit for bit Math.log, two at a time
      for (let m = c0; m < c1; m++) {
        const sm = s[m];
        if (sm > 0) {
          const ls = lg[m - c0];
          const dm = d[m];
          z += sm;
          a += sm * ls;
          u += ls * dm;
          v += dm;
        }
      }
    }
    stats[q] = z;
    stats[q + 1] = a;
    tangent[t] = u;
    tangent[t + 1] = v;
  },
  tangentDot(tangent: Float64Array, t: number, coef: Float64Array, b: number): number {
    return coef[3 * b] * (tangent[t] + coef[3 * b + 1] * tangent[t + 1]);
  },
  frameGrad(work: Float64Array, shape: SpecShape, n0: number, n1: number, _stats: Float64Array, coef: Float64Array): void {
    const { batch: B, freqs: F, frames: T } = shape;
    for (let b = 0; b < B; b++) {
      const c = coef[3 * b];
      const shift = coef[3 * b + 1];
      const atZero = coef[3 * b + 2];
      for (let m = 0; m < F; m++) {
        const row = (b * F + m) * T;
        for (let k = row + n0, end = row + n1; k < end; k++) {
          const ls = work[k];
          work[k] = ls === Number.NEGATIVE_INFINITY ? atZero : c * (ls + shift);
        }
      }
    }
  },
});

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
  framewise: shannonFramewise,
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
