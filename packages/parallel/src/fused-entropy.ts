/**
 * The Shannon entropy loss (paper Eq. 26, the `shannon` loss of @dstft/losses) computed next to the transform, by
 * every thread on its own frames, instead of in one serial pass over S on the calling thread:
 *   forward: each thread writes log S into the ∂ℒ/∂S buffer and, per frame n of signal b, z[b, n] = Σ_m S and
 *            a[b, n] = Σ_m S log S (bins in order), right after it computed those frames;
 *   reduce:  the calling thread sums z and a over frames in frame order (so the value does not depend on how frames
 *            were split), H_b = log Z_b − A_b / Z_b, and the coefficients of the affine map below;
 *   backward: each thread turns log S into ∂ℒ/∂S = c_b (log S + s_b) on its frames, then runs its backward frames.
 * One `Math.log` per entry, on both cores; the loss adds no pass of its own over S on the calling thread.
 */
import { LOG_P_FLOOR, spectrogramSumError } from '@dstft/dstft';

/** Entries of the per-frame statistics buffer for B signals of T frames. */
export const statsLength = (B: number, T: number): number => 2 * B * T;
/** Entries of the coefficient buffer for B signals. */
export const coefLength = (B: number): number => 3 * B;

/**
 * Frames [n0, n1) of S (`[B, F, T]`): `logS` gets log S (−∞ where S = 0), `stats[2(bT + n)]` gets Σ_m S and
 * `stats[2(bT + n) + 1]` gets Σ_m S log S (bins in order, the same whatever the frame range).
 */
export function entropyStatsFrames(S: Float64Array, logS: Float64Array, B: number, F: number, T: number, n0: number, n1: number, stats: Float64Array): void {
  for (let b = 0; b < B; b++) {
    const base = b * T;
    for (let n = n0; n < n1; n++) {
      stats[2 * (base + n)] = 0;
      stats[2 * (base + n) + 1] = 0;
    }
    for (let m = 0; m < F; m++) {
      const row = (b * F + m) * T;
      for (let n = n0; n < n1; n++) {
        const k = row + n;
        const s = S[k];
        const q = 2 * (base + n);
        if (s > 0) {
          const ls = Math.log(s);
          logS[k] = ls;
          stats[q] += s;
          stats[q + 1] += s * ls;
        } else {
          // S = |X|^p + eps ≥ 0 and finite for a checked signal: 0 is the only other value (0·log 0 = 0)
          logS[k] = Number.NEGATIVE_INFINITY;
        }
      }
    }
  }
}

/**
 * From the per-frame statistics of all T frames: the entropy H_b of each signal into `perSignal`, the value
 * (mean or sum over signals), and per signal (c_b, s_b, g0_b) into `coef` with ∂ℒ/∂S = c_b (log S + s_b), or g0_b
 * where S = 0 (the derivative at p = P_FLOOR, as the `shannon` loss). Throws for a signal whose ΣS is 0 or not finite.
 */
export function entropyReduce(stats: Float64Array, B: number, T: number, reduction: 'mean' | 'sum', perSignal: Float64Array, coef: Float64Array): number {
  const scale = reductionScale(reduction, B);
  let total = 0;
  for (let b = 0; b < B; b++) {
    const z = entropySignal(stats, b, T, scale, perSignal, coef);
    if (!(z > 0 && z < Number.POSITIVE_INFINITY)) throw spectrogramSumError('shannon', b, z);
    total += perSignal[b];
  }
  return total * scale;
}

/** The factor of each signal's entropy in the value: 1/B for 'mean', 1 for 'sum'. */
export const reductionScale = (reduction: 'mean' | 'sum', B: number): number => (reduction === 'mean' ? 1 / B : 1);

/**
 * Signal b alone (what `entropyReduce` does per signal, without the check): sums its T frames' statistics in frame
 * order, writes its coefficients into `coef[3b …]` (and H_b into `perSignal[b]` when given), and returns ΣS (the
 * caller checks it: a thread owning whole signals computes them itself; the calling thread checks them all afterwards).
 */
export function entropySignal(stats: Float64Array, b: number, T: number, scale: number, perSignal: Float64Array | null, coef: Float64Array): number {
  let z = 0;
  let a = 0;
  for (let n = 0, q = 2 * b * T; n < T; n++, q += 2) {
    z += stats[q];
    a += stats[q + 1];
  }
  const logZ = Math.log(z);
  const h = logZ - a / z;
  if (perSignal) perSignal[b] = h;
  const c = -scale / z;
  coef[3 * b] = c;
  coef[3 * b + 1] = h - logZ;
  coef[3 * b + 2] = c * (LOG_P_FLOOR + h);
  return z;
}

/** Frames [n0, n1): log S (from `entropyStatsFrames`) becomes ∂ℒ/∂S in place. */
export function entropyGradFrames(dS: Float64Array, B: number, F: number, T: number, n0: number, n1: number, coef: Float64Array): void {
  for (let b = 0; b < B; b++) {
    const c = coef[3 * b];
    const shift = coef[3 * b + 1];
    const atZero = coef[3 * b + 2];
    for (let m = 0; m < F; m++) {
      const row = (b * F + m) * T;
      for (let k = row + n0, end = row + n1; k < end; k++) {
        const ls = dS[k];
        dS[k] = ls === Number.NEGATIVE_INFINITY ? atZero : c * (ls + shift);
      }
    }
  }
}
