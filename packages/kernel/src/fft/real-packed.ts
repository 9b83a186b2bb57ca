/**
 * Real FFT of even length N through one complex FFT of length H = N/2 (the standard packing trick):
 * z[k] = x[2k] + i·x[2k+1], Z = FFT_H(z), then with E/O the DFTs of the even/odd samples,
 *   E[m] = (Z[m] + conj Z[H-m]) / 2,  O[m] = (Z[m] − conj Z[H-m]) / 2i,  X[m] = E[m] + W^m O[m],
 * W = e^{-2πi/N}, Z[H] ≡ Z[0]. The inverse runs the same relations backwards and one inverse FFT_H.
 * An interleaved real signal of length N *is* the complex array z, so the forward pass reads the input
 * directly and the inverse pass writes the output directly: no copies.
 *
 * Measured (Node 20, 504 transforms of N = 1024): forward 4.7 ms, on par with bare fft.js `realTransform`
 * (4.5 ms, which also needs a 2N scratch and a copy of the bins); inverse 5.3 ms against 11.6 ms for a
 * Hermitian fill + N-point fft.js `inverseTransform`.
 */
import { realPlanChecks } from './check.js';
import { cosTwoPi, sinTwoPi } from './trig.js';
import type { ComplexFftPlan, FftAlgorithm, RealFftPlan } from './fft-plan.js';

/** @param n even, ≥ 2. @param half a complex plan of size n/2 (owned by the new plan from now on). */
export function createPackedRealPlan(n: number, half: ComplexFftPlan, algorithm: FftAlgorithm): RealFftPlan {
  const h = n >> 1;
  const bins = h + 1;
  // W^m = cos − i·sin of 2πm/N for m = 0..H (angles reduced exactly, see trig.ts).
  const cw = new Float64Array(h + 1);
  const sw = new Float64Array(h + 1);
  for (let m = 0; m <= h; m++) {
    cw[m] = cosTwoPi(m, n);
    sw[m] = sinTwoPi(m, n);
  }
  // Complex scratch of length H: Z (forward output / inverse input).
  const z = new Float64Array(n);
  const { forward: checkForward, inverse: checkInverse } = realPlanChecks(n, bins);

  function forward(input: Float64Array, out: Float64Array): void {
    checkForward(input, out);
    half.forward(input, z);
    const z0r = z[0];
    const z0i = z[1];
    out[0] = z0r + z0i;
    out[1] = 0;
    out[n] = z0r - z0i;
    out[n + 1] = 0;
    // Bins m and k = H − m from the same pair (Z[m], Z[k]); when m === k both writes agree.
    for (let m = 1, k = h - 1; m <= k; m++, k--) {
      const im = 2 * m;
      const ik = 2 * k;
      const ar = z[im];
      const ai = z[im + 1];
      const br = z[ik];
      const bi = z[ik + 1];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai - bi);
      const or = 0.5 * (ai + bi);
      const oi = 0.5 * (br - ar);
      const c = cw[m];
      const s = sw[m];
      out[im] = er + c * or + s * oi;
      out[im + 1] = ei + c * oi - s * or;
      // E[k] = conj E[m], O[k] = conj O[m].
      const c2 = cw[k];
      const s2 = sw[k];
      out[ik] = er + c2 * or - s2 * oi;
      out[ik + 1] = -ei - c2 * oi - s2 * or;
    }
  }

  function inverse(input: Float64Array, out: Float64Array): void {
    checkInverse(input, out);
    // Bins 0 and H are real by Hermitian symmetry: their imaginary parts are ignored.
    const x0 = input[0];
    const xh = input[n];
    z[0] = 0.5 * (x0 + xh);
    z[1] = 0.5 * (x0 - xh);
    // The same pair walk as forward's loop, not shared on purpose: this is the per-bin loop of every power-of-two
    // real FFT, and sharing it would cost a call or a direction test per bin pair.
    for (let m = 1, k = h - 1; m <= k; m++, k--) {
      const im = 2 * m;
      const ik = 2 * k;
      const ar = input[im];
      const ai = input[im + 1];
      const br = input[ik];
      const bi = input[ik + 1];
      // E[m] = (X[m] + conj X[k]) / 2; D = X[m] − conj X[k]; O[m] = D · conj(W^m) / 2; Z[m] = E[m] + i O[m].
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai - bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai + bi);
      const c = cw[m];
      const s = sw[m];
      z[im] = er - (dr * s + di * c);
      z[im + 1] = ei + (dr * c - di * s);
      // E[k] = conj E[m]; O[k] = −conj(D) · conj(W^k) / 2.
      const c2 = cw[k];
      const s2 = sw[k];
      z[ik] = er - (di * c2 - dr * s2);
      z[ik + 1] = -ei - (dr * c2 + di * s2);
    }
    half.inverse(z, out);
  }

  return { size: n, bins, algorithm, forward, inverse };
}
