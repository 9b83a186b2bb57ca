/**
 * Through the spectrogram: S = |X|^p + eps  ⇒  G = ∂ℒ/∂Re X + i ∂ℒ/∂Im X = (∂ℒ/∂S) · p |X|^{p-2} X,
 * defined as 0 where |X| = 0 (DESIGN.md §4).
 */
export function magnitudeVjp(X: Float64Array, dS: Float64Array, power: number, G: Float64Array): void {
  const n = dS.length;
  if (power === 1) {
    for (let k = 0; k < n; k++) {
      const re = X[2 * k];
      const im = X[2 * k + 1];
      const mag = Math.sqrt(re * re + im * im);
      const s = mag > 0 ? dS[k] / mag : 0;
      G[2 * k] = s * re;
      G[2 * k + 1] = s * im;
    }
  } else if (power === 2) {
    for (let k = 0; k < n; k++) {
      const s = 2 * dS[k];
      G[2 * k] = s * X[2 * k];
      G[2 * k + 1] = s * X[2 * k + 1];
    }
  } else {
    const h = power / 2 - 1;
    for (let k = 0; k < n; k++) {
      const re = X[2 * k];
      const im = X[2 * k + 1];
      const m2 = re * re + im * im;
      const s = m2 > 0 ? dS[k] * power * Math.pow(m2, h) : 0;
      G[2 * k] = s * re;
      G[2 * k + 1] = s * im;
    }
  }
}
