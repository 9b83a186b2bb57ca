/**
 * Through the spectrogram: S = |X|^p + eps  ⇒  G = ∂ℒ/∂Re X + i ∂ℒ/∂Im X = (∂ℒ/∂S) · p |X|^{p-2} X,
 * defined as 0 where |X| = 0 (docs/design.md §5.4).
 */

/** s such that G = s·X for a spectrogram gradient d at |X|² = m2 (0 where |X| = 0). */
export function specScale(m2: number, d: number, power: number): number {
  if (!(m2 > 0)) return 0;
  if (power === 1) return d / Math.sqrt(m2);
  if (power === 2) return 2 * d;
  return d * power * Math.pow(m2, power / 2 - 1);
}

/** G from ∂ℒ/∂S for a whole array (the backward pass forms G on the fly with `specScale` instead). */
export function magnitudeVjp(X: Float64Array, dS: Float64Array, power: number, G: Float64Array): void {
  for (let k = 0; k < dS.length; k++) {
    const re = X[2 * k];
    const im = X[2 * k + 1];
    const s = specScale(re * re + im * im, dS[k], power);
    G[2 * k] = s * re;
    G[2 * k + 1] = s * im;
  }
}
