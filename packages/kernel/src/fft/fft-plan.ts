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
import { ParameterError, assertInteger, type FftBackend, type RealFftPlan } from '@dstft/core';
import { createBluesteinComplexPlan, createBluesteinRealPlan } from './bluestein.js';
import { isPowerOfTwo } from './check.js';
import { createFftjsComplexPlan, createFftjsRealPlan } from './fftjs.js';

/** Largest supported transform size (2^26): keeps every index and the Bluestein size M < 2^28 exact in int32. */
export const MAX_FFT_SIZE = 67_108_864;

/** Which implementation backs a plan. */
export type FftAlgorithm = 'fftjs' | 'bluestein';

/**
 * FFT of a real signal of length N, one-sided output: the interface of `@dstft/core` (defined there so that other
 * FFT backends can implement it without depending on the kernel). The kernel's own plans report `algorithm`
 * `fftjs` (powers of two) or `bluestein` (every other size).
 */
export type { RealFftPlan } from '@dstft/core';

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

/** Whether the built-in backend takes size n: any integer 2 ≤ n ≤ MAX_FFT_SIZE. */
function supportsExact(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && n <= MAX_FFT_SIZE;
}

/**
 * The built-in, default FFT backend: exact in float64 (fft.js for powers of two, Bluestein's algorithm on top of it
 * for every other size). Transforms use it unless the user passes another backend.
 */
export const defaultFftBackend: FftBackend = Object.freeze({
  id: 'fftjs',
  precision: 'float64' as const,
  sizes: `any N from 2 to ${MAX_FFT_SIZE}`,
  supports: supportsExact,
  createRealPlan: createRealFftPlan,
});
