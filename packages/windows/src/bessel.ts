/**
 * Modified Bessel functions of the first kind, by their power series summed to machine precision (all terms
 * are positive, so the sum is accurate to a few ulps). Polynomial approximations (Abramowitz–Stegun 9.8) are
 * only good to ~1e-7 and would spoil finite-difference checks of the Kaiser window's derivatives.
 *
 * The series need about z/2 + 10√z terms; arguments up to a few hundred are cheap enough.
 */

const MAX_TERMS = 2000;

/** I₀(z) = Σ_k (z²/4)^k / (k!)². */
export function besselI0(z: number): number {
  const q = 0.25 * z * z;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < MAX_TERMS; k++) {
    term *= q / (k * k);
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return sum;
}

/** I₁(z)/z = ½ Σ_k (z²/4)^k / (k!(k+1)!), which is ½ at z = 0 (no division by z). */
export function besselI1OverZ(z: number): number {
  const q = 0.25 * z * z;
  let term = 0.5;
  let sum = 0.5;
  for (let k = 1; k < MAX_TERMS; k++) {
    term *= q / (k * (k + 1));
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return sum;
}

/** I₁(z) = z · (I₁(z)/z). */
export function besselI1(z: number): number {
  return z * besselI1OverZ(z);
}
