/**
 * The fft.js 4.0.4 adapter: the ONLY module that imports fft.js (enforced by ESLint).
 *
 * fft.js traps handled here (docs/architecture.md §4.5): its types are `any`; it takes powers of two ≥ 2 only
 * (size 1 is handled here as the identity); `realTransform` leaves scratch in the upper half of its
 * 2N output (never used: the real plan goes through the packed N/2-point complex transform instead,
 * which needs no 2N scratch and measured faster, see real-packed.ts); instances keep mutable
 * per-call state, so each plan owns its own instance; `createComplexArray` returns a plain Array,
 * so all buffers here are plan-owned Float64Arrays instead.
 */
import { ParameterError } from '@dstft/core';
import FFT from 'fft.js';
import { complexPlanCheck, isPowerOfTwo } from './check.js';
import type { ComplexFftPlan, RealFftPlan } from './fft-plan.js';
import { createPackedRealPlan } from './real-packed.js';

/** Complex FFT plan of size n = 2^k, k ≥ 0, backed by one fft.js instance (none for n = 1). */
export function createFftjsComplexPlan(n: number): ComplexFftPlan {
  if (!isPowerOfTwo(n)) {
    throw new ParameterError('n', n, 'the fft.js adapter takes powers of two only', 'use createComplexFftPlan(n), which picks Bluestein otherwise');
  }
  const check = complexPlanCheck(n);
  if (n === 1) {
    // fft.js takes n ≥ 2: size 1 is the identity both ways.
    const identity = (input: Float64Array, out: Float64Array): void => {
      check(input, out);
      out[0] = input[0];
      out[1] = input[1];
    };
    return { size: 1, algorithm: 'fftjs', forward: identity, inverse: identity };
  }
  const fft = new FFT(n);

  function forward(input: Float64Array, out: Float64Array): void {
    check(input, out);
    fft.transform(out, input);
  }

  function inverse(input: Float64Array, out: Float64Array): void {
    check(input, out);
    // fft.js scales by 1/n over out.length, which the check above pinned to 2n.
    fft.inverseTransform(out, input);
  }

  return { size: n, algorithm: 'fftjs', forward, inverse };
}

/** Real FFT plan of size n = 2^k, k ≥ 1: packed into one fft.js complex transform of size n/2. */
export function createFftjsRealPlan(n: number): RealFftPlan {
  if (n < 2 || !isPowerOfTwo(n)) {
    throw new ParameterError('n', n, 'the fft.js adapter takes powers of two ≥ 2 only', 'use createRealFftPlan(n), which picks Bluestein otherwise');
  }
  return createPackedRealPlan(n, createFftjsComplexPlan(n >> 1), 'fftjs');
}
