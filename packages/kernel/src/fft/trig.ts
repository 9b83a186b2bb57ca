/**
 * Twiddle factors with exact argument reduction (internal to src/fft, plan-construction time only).
 * The angle 2πp/q is reduced in integers to a quadrant and then to [0, π/4] before Math.cos / Math.sin
 * run, so the only rounding is that of a small argument: results are within ~1 ulp, bit-symmetric
 * across quadrants, and exactly 0 / ±1 at multiples of π/2.
 */

/** cos(2πp/q) for integers p, q with q > 0 and |p|, 4q < 2^53. */
export function cosTwoPi(p: number, q: number): number {
  let r = p % q;
  if (r < 0) r += q;
  // 2πr/q = quadrant·π/2 + φ with φ = 2πρ/(4q) = πρ/(2q) ∈ [0, π/2).
  let rho = 4 * r;
  let quadrant = 0;
  while (rho >= q) {
    rho -= q;
    quadrant++;
  }
  if (quadrant === 0) return cosQuarter(rho, q);
  if (quadrant === 1) return -sinQuarter(rho, q);
  if (quadrant === 2) return -cosQuarter(rho, q);
  return sinQuarter(rho, q);
}

/** sin(2πp/q) = cos(2π(4p − q)/(4q)), same domain as cosTwoPi. */
export function sinTwoPi(p: number, q: number): number {
  return cosTwoPi(4 * p - q, 4 * q);
}

/** cos(πρ/(2q)) for 0 ≤ ρ < q, through sin of the complement above π/4. */
function cosQuarter(rho: number, q: number): number {
  return 2 * rho <= q ? Math.cos((Math.PI * rho) / (2 * q)) : Math.sin((Math.PI * (q - rho)) / (2 * q));
}

/** sin(πρ/(2q)) for 0 ≤ ρ < q, through cos of the complement above π/4. */
function sinQuarter(rho: number, q: number): number {
  return 2 * rho <= q ? Math.sin((Math.PI * rho) / (2 * q)) : Math.cos((Math.PI * (q - rho)) / (2 * q));
}
