/**
 * Bluestein's chirp-z algorithm: an FFT of any length n as a circular convolution of length M = 2^k ≥ 2n − 1,
 * done with the power-of-two complex FFT of the fft.js adapter.
 *
 * With 2mj = m² + j² − (m − j)² and the chirp w[k] = e^{-iπ k²/n}:
 *   X[m] = Σ_j x[j] e^{-2πi mj/n} = w[m] · Σ_j (x[j] w[j]) · conj(w[m − j]).
 * k² is reduced mod 2n in integers (e^{-iπ k²/n} has period 2n in k²), so chirp angles stay exact for
 * any n. The FFT of the filter conj(w) (wrapped to length M) is computed once per plan, with the 1/M of
 * the inverse FFT folded in. The inverse FFT of the convolution is done as conj(FFT(conj ·)), and the
 * inverse transform as conj(FFT(conj X))/n: both fold into the pre/post chirp multiplies for free.
 *
 * Real plans: even n are packed into a complex Bluestein transform of n/2 (real-packed.ts); odd n run a
 * complex Bluestein transform of size n on the real input (imaginary part zero) and keep F bins.
 */
import { complexPlanCheck, realPlanChecks } from './check.js';
import type { ComplexFftPlan, RealFftPlan } from './fft-plan.js';
import { createFftjsComplexPlan } from './fftjs.js';
import { createPackedRealPlan } from './real-packed.js';
import { cosTwoPi, sinTwoPi } from './trig.js';

/** Chirp, filter spectrum and scratch of one Bluestein transform of size n. */
interface ChirpCore {
  readonly n: number;
  /** Convolution (FFT) size, a power of two ≥ 2n − 1. */
  readonly m: number;
  /** w[k] = e^{-iπ k²/n} = wr[k] + i·wi[k], k = 0..n-1. */
  readonly wr: Float64Array;
  readonly wi: Float64Array;
  /** FFT_M of the wrapped filter conj(w), times 1/M; interleaved, length 2M. */
  readonly filter: Float64Array;
  /** Convolution input/output (length 2M): the caller fills a[0..2n), `convolve` zeroes the rest. */
  readonly a: Float64Array;
  /** FFT scratch (length 2M). */
  readonly t: Float64Array;
  readonly fft: ComplexFftPlan;
}

/** Smallest power of two ≥ v (v ≥ 1). */
function nextPowerOfTwo(v: number): number {
  let p = 1;
  while (p < v) p *= 2;
  return p;
}

function createChirpCore(n: number): ChirpCore {
  const m = nextPowerOfTwo(2 * n - 1);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  const period = 2 * n;
  let r = 0; // k² mod 2n, updated as (k−1)² + 2k − 1: never leaves the integers below 4n.
  for (let k = 0; k < n; k++) {
    if (k > 0) {
      r += 2 * k - 1;
      if (r >= period) r -= period;
    }
    wr[k] = cosTwoPi(r, period);
    wi[k] = -sinTwoPi(r, period);
  }
  const fft = createFftjsComplexPlan(m);
  // Filter b[k] = conj(w[|k|]) for −(n−1) ≤ k ≤ n−1, wrapped mod M; zero elsewhere.
  const b = new Float64Array(2 * m);
  b[0] = wr[0];
  b[1] = -wi[0];
  for (let k = 1; k < n; k++) {
    b[2 * k] = wr[k];
    b[2 * k + 1] = -wi[k];
    b[2 * (m - k)] = wr[k];
    b[2 * (m - k) + 1] = -wi[k];
  }
  const filter = new Float64Array(2 * m);
  fft.forward(b, filter);
  const scale = 1 / m; // exact: m is a power of two
  for (let i = 0; i < 2 * m; i++) filter[i] *= scale;
  return { n, m, wr, wi, filter, a: new Float64Array(2 * m), t: new Float64Array(2 * m), fft };
}

/**
 * In place on core.a: on entry a[0..2n) holds the chirped input; on exit conj(a[k]) is the circular
 * convolution with the filter at k = 0..n-1 (the conjugate is folded into the post-multiply).
 */
function convolve(core: ChirpCore): void {
  const a = core.a;
  const t = core.t;
  const filter = core.filter;
  const length = 2 * core.m;
  a.fill(0, 2 * core.n);
  core.fft.forward(a, t);
  for (let i = 0; i < length; i += 2) {
    const tr = t[i];
    const ti = t[i + 1];
    const fr = filter[i];
    const fi = filter[i + 1];
    t[i] = tr * fr - ti * fi;
    t[i + 1] = -(tr * fi + ti * fr);
  }
  // IFFT(P) = conj(FFT(conj P)) / M; the 1/M is in the filter, the outer conj is left to the caller.
  core.fft.forward(t, a);
}

/**
 * Pre-multiply by the chirp: a[j] = x_j · w[j] for j in [j0, j1), x_j = src[p] + i·src[p + 1] (conjugated when
 * `conj`), p = p0, p0 + step, … (step 2: bins in order; −2: the Hermitian mirror of a one-sided spectrum).
 */
function chirpIn(core: ChirpCore, src: Float64Array, p0: number, step: number, conj: boolean, j0: number, j1: number): void {
  const { wr, wi, a } = core;
  for (let j = j0, i = 2 * j0, p = p0; j < j1; j++, i += 2, p += step) {
    const xr = src[p];
    const xi = conj ? -src[p + 1] : src[p + 1];
    const cr = wr[j];
    const ci = wi[j];
    a[i] = xr * cr - xi * ci;
    a[i + 1] = xr * ci + xi * cr;
  }
}

/** Pre-multiply of a real input: a[j] = src[j] · w[j] for j in [j0, j1) (no imaginary part to multiply). */
function chirpInReal(core: ChirpCore, src: Float64Array, j0: number, j1: number): void {
  const { wr, wi, a } = core;
  for (let j = j0, i = 2 * j0; j < j1; j++, i += 2) {
    const x = src[j];
    a[i] = x * wr[j];
    a[i + 1] = x * wi[j];
  }
}

/**
 * Post-multiply after `convolve`, k in [0, count): forward X[k] = w[k] · conj(a[k]); `inverse`
 * x[k] = conj(w[k] · conj(a[k])) / n = conj(w[k]) · a[k] / n (the outer conj of ifft(X) = conj(fft(conj X)) / n).
 */
function chirpOut(core: ChirpCore, out: Float64Array, count: number, inverse: boolean): void {
  const { wr, wi, a } = core;
  const invN = 1 / core.n;
  for (let k = 0, i = 0; k < count; k++, i += 2) {
    const ar = a[i];
    const ai = a[i + 1];
    const cr = wr[k];
    const ci = wi[k];
    if (inverse) {
      out[i] = (cr * ar + ci * ai) * invN;
      out[i + 1] = (cr * ai - ci * ar) * invN;
    } else {
      out[i] = cr * ar + ci * ai;
      out[i + 1] = ci * ar - cr * ai;
    }
  }
}

/** Complex FFT of any size n ≥ 1 by Bluestein (used for sizes that are not powers of two). */
export function createBluesteinComplexPlan(n: number): ComplexFftPlan {
  const core = createChirpCore(n);
  const check = complexPlanCheck(n);

  function forward(input: Float64Array, out: Float64Array): void {
    check(input, out);
    chirpIn(core, input, 0, 2, false, 0, n);
    convolve(core);
    chirpOut(core, out, n, false);
  }

  function inverse(input: Float64Array, out: Float64Array): void {
    check(input, out);
    // ifft(X) = conj(fft(conj X)) / n: chirp conj(X).
    chirpIn(core, input, 0, 2, true, 0, n);
    convolve(core);
    chirpOut(core, out, n, true);
  }

  return { size: n, algorithm: 'bluestein', forward, inverse };
}

/** Real FFT of any size n ≥ 2 by Bluestein (used for sizes that are not powers of two). */
export function createBluesteinRealPlan(n: number): RealFftPlan {
  if (n % 2 === 0) return createPackedRealPlan(n, createBluesteinComplexPlan(n / 2), 'bluestein');
  return createOddRealPlan(n);
}

/** Odd n: complex Bluestein on the real input, F = (n + 1)/2 bins kept. */
function createOddRealPlan(n: number): RealFftPlan {
  const core = createChirpCore(n);
  const { wr, wi, a } = core;
  const bins = (n + 1) / 2;
  const invN = 1 / n;
  const { forward: checkForward, inverse: checkInverse } = realPlanChecks(n, bins);

  function forward(input: Float64Array, out: Float64Array): void {
    checkForward(input, out);
    chirpInReal(core, input, 0, n);
    convolve(core);
    chirpOut(core, out, bins, false);
  }

  function inverse(input: Float64Array, out: Float64Array): void {
    checkInverse(input, out);
    // a[j] = conj(X[j]) · w[j] over the full Hermitian spectrum: conj(X[j]) = X[n−j] for j ≥ F.
    // Bin 0 is real (its imaginary part is ignored); odd n has no Nyquist bin.
    chirpInReal(core, input, 0, 1);
    chirpIn(core, input, 2, 2, true, 1, bins);
    chirpIn(core, input, 2 * (n - bins), -2, false, bins, n);
    convolve(core);
    // out[k] = Re(conj(w[k]) · a[k]) / n
    for (let k = 0, i = 0; k < n; k++, i += 2) {
      out[k] = (wr[k] * a[i] + wi[k] * a[i + 1]) * invN;
    }
  }

  return { size: n, bins, algorithm: 'bluestein', forward, inverse };
}
