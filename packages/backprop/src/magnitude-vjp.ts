/**
 * Through the spectrogram: S = |X|^p + eps  ⇒  G = ∂ℒ/∂Re X + i ∂ℒ/∂Im X = (∂ℒ/∂S) · p |X|^{p-2} X,
 * defined as 0 where |X| = 0 (docs/design.md §5.4).
 */
import { specScale } from '@dstft/kernel';

export { specScale };

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
