/**
 * The FFT adapter of the kernel: one real-FFT interface, two exact float64 implementations.
 *
 * - N a power of two → the fft.js adapter (`fftjs.ts`, the only importer of fft.js).
 * - any other N ≥ 2 (even, odd, prime) → Bluestein's chirp-z algorithm (`bluestein.ts`) on top of a
 *   power-of-two complex FFT from the same adapter.
 *
 * Plans own their scratch buffers: a plan is NOT reentrant (do not call one plan from two interleaved
 * computations, e.g. across `await` in two tasks or from a callback of itself). `forward` / `inverse`
 * allocate nothing; they check lengths and aliasing once per call (O(1)).
 */
import { ParameterError, assertInteger } from '@dstft/core';
import { createBluesteinComplexPlan, createBluesteinRealPlan } from './bluestein.js';
import { isPowerOfTwo } from './check.js';
import { createFftjsComplexPlan, createFftjsRealPlan } from './fftjs.js';

/** Largest supported transform size (2^26): keeps every index and the Bluestein size M < 2^28 exact in int32. */
export const MAX_FFT_SIZE = 67_108_864;

/** Which implementation backs a plan. */
export type FftAlgorithm = 'fftjs' | 'bluestein';

/**
 * FFT of a real signal of length N, one-sided output.
 *
 * Not reentrant: a plan owns scratch memory. Share one plan between sequential calls only.
 */
export interface RealFftPlan {
  /** N ≥ 2, any integer (even, odd, prime). */
  readonly size: number;
  /** F = floor(N/2) + 1 one-sided bins. */
  readonly bins: number;
  /** Backing implementation (power of two → `fftjs`, otherwise `bluestein`). */
  readonly algorithm: FftAlgorithm;
  /**
   * `out` (length 2F, interleaved re/im): X[m] = Σ_{j=0}^{N-1} input[j] e^{-2πi m j/N}, m = 0..F-1.
   * `input` has length N. `out` must not overlap `input`. Every entry of `out` is written.
   */
  forward(input: Float64Array, out: Float64Array): void;
  /**
   * Exact inverse of `forward`: `input` holds F one-sided bins (interleaved, length 2F) of a Hermitian
   * spectrum; out[j] = (1/N) Σ_{m=0}^{N-1} X[m] e^{+2πi m j/N} with X[N-m] = conj(X[m]), j = 0..N-1.
   * The imaginary parts of bin 0 and, for even N, of bin N/2 are ignored. `out` has length N and must
   * not overlap `input`.
   */
  inverse(input: Float64Array, out: Float64Array): void;
}

/**
 * Complex FFT of length n (interleaved re/im, arrays of length 2n). Not reentrant (owns scratch).
 */
export interface ComplexFftPlan {
  /** n ≥ 1. */
  readonly size: number;
  readonly algorithm: FftAlgorithm;
  /** out[m] = Σ_j input[j] e^{-2πi m j/n}. Both length 2n, not overlapping. */
  forward(input: Float64Array, out: Float64Array): void;
  /** out[j] = (1/n) Σ_m input[m] e^{+2πi m j/n}. Both length 2n, not overlapping. */
  inverse(input: Float64Array, out: Float64Array): void;
}

function assertSize(n: number, min: number): void {
  assertInteger('n', n, min, `pass the transform length as an integer ≥ ${min}`);
  if (n > MAX_FFT_SIZE) {
    throw new ParameterError('n', n, `must be ≤ ${MAX_FFT_SIZE} (2^26)`, 'split the signal into shorter frames');
  }
}

/** Real FFT plan of size n ≥ 2: fft.js adapter for powers of two, Bluestein otherwise. */
export function createRealFftPlan(n: number): RealFftPlan {
  assertSize(n, 2);
  return isPowerOfTwo(n) ? createFftjsRealPlan(n) : createBluesteinRealPlan(n);
}

/** Complex FFT plan of size n ≥ 1: fft.js adapter for powers of two, Bluestein otherwise. */
export function createComplexFftPlan(n: number): ComplexFftPlan {
  assertSize(n, 1);
  return isPowerOfTwo(n) ? createFftjsComplexPlan(n) : createBluesteinComplexPlan(n);
}
