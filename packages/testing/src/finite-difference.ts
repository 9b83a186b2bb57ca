/**
 * Central finite differences in float64 with one Richardson extrapolation step:
 * D(h) = (f(t+h) - f(t-h)) / 2h has error O(h²); R = (4·D(h/2) - D(h)) / 3 has error O(h⁴).
 * With h ≈ 1e-5 × scale the truncation error is ~1e-20 relative and the roundoff ~3·eps·|f|/h, so a
 * relative agreement of 1e-6 with an exact derivative is reachable for smooth functions.
 */

/** Plain central difference (f(t+h) - f(t-h)) / 2h (with the exact step taken). */
export function centralDifference(f: (t: number) => number, t: number, h: number): number {
  const tp = t + h;
  const tm = t - h;
  // divide by the step actually taken (t ± h are rounded to doubles)
  return (f(tp) - f(tm)) / (tp - tm);
}

/** Richardson-extrapolated central difference (4·D(h/2) - D(h)) / 3, using f at t ± h and t ± h/2. */
export function richardsonDifference(f: (t: number) => number, t: number, h: number): number {
  const d1 = centralDifference(f, t, h);
  const d2 = centralDifference(f, t, h / 2);
  return (4 * d2 - d1) / 3;
}
