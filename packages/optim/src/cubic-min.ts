/**
 * Minimizer of the cubic interpolating (x1, f1, f1') and (x2, f2, f2'), clamped to [lo, hi]; the midpoint of
 * [lo, hi] when the cubic has no minimum or an input is not finite. Used by the strong-Wolfe line search
 * (Nocedal & Wright eq. 3.59; the same formula as minFunc's `polyinterp` for two points).
 */
export function cubicMin(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, lo: number, hi: number): number {
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const sq = d1 * d1 - g1 * g2;
  if (sq >= 0) {
    const d2 = Math.sqrt(sq);
    const t = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    if (Number.isFinite(t)) return t < lo ? lo : t > hi ? hi : t;
  }
  return 0.5 * (lo + hi);
}
