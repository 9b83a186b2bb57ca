import { ParameterError, type FftBackend } from '@dstft/core';
import { hann } from '@dstft/windows';
import { describe, expect, it } from 'vitest';
import { createRealFftPlan, createStftPlan, defaultFftBackend, stftAdjoint, stftForward, stftInverse, type StftConfig } from './index.js';

const L = 1500;
const x = Float64Array.from({ length: 2 * L }, (_, k) => Math.sin(0.07 * k) + 0.3 * Math.cos(1.3 * k));
const base: StftConfig = { nFft: 128, signalLength: L, window: hann, windowMode: 'time', positions: { mode: 'fixed', hop: 33.5 } };

/** A backend that counts the plans it makes and delegates to the exact float64 plans. */
function countingBackend(sizes: (n: number) => boolean): FftBackend & { plans: number; calls: number } {
  const b = {
    id: 'acme/counting',
    precision: 'float64' as const,
    plans: 0,
    calls: 0,
    supports: sizes,
    createRealPlan(n: number) {
      b.plans++;
      const inner = createRealFftPlan(n);
      return {
        size: n,
        bins: inner.bins,
        algorithm: 'counting',
        forward: (i: Float64Array, o: Float64Array) => {
          b.calls++;
          inner.forward(i, o);
        },
        inverse: (i: Float64Array, o: Float64Array) => {
          b.calls++;
          inner.inverse(i, o);
        },
      };
    },
  };
  return b;
}

describe('FFT backends in a plan', () => {
  it('the default is the exact float64 backend (fft.js, Bluestein), reported by the plan', () => {
    const plan = createStftPlan(base);
    expect(plan.fftBackend).toBe(defaultFftBackend);
    expect(defaultFftBackend).toMatchObject({ id: 'fftjs', precision: 'float64' });
    expect(plan.fft.algorithm).toBe('fftjs');
    expect(createStftPlan({ ...base, nFft: 100 }).fft.algorithm).toBe('bluestein');
    expect(defaultFftBackend.supports(3)).toBe(true);
    expect(defaultFftBackend.supports(1)).toBe(false);
  });

  it('a given backend runs every FFT of the FFT path (forward, adjoint, inverse) with the same results', () => {
    const backend = countingBackend(() => true);
    const plan = createStftPlan({ ...base, fft: backend });
    const ref = createStftPlan(base);
    expect(plan.fftBackend).toBe(backend);
    expect(backend.plans).toBe(1);
    const theta = new Float64Array(plan.frames).map((_, n) => 100 + (n % 7));
    const a = stftForward(plan, x, { theta });
    const b = stftForward(ref, x, { theta });
    expect(backend.calls).toBe(2 * plan.frames);
    expect(Array.from(a.X)).toEqual(Array.from(b.X));
    const calls = backend.calls;
    expect(Array.from(stftAdjoint(plan, a.X, { theta }))).toEqual(Array.from(stftAdjoint(ref, b.X, { theta })));
    expect(Array.from(stftInverse(plan, a, { theta }).signal)).toEqual(Array.from(stftInverse(ref, b, { theta }).signal));
    expect(backend.calls).toBeGreaterThan(calls);
  });

  it('a backend that does not support nFft is an error at plan time, never a silent fallback', () => {
    const backend = countingBackend((n) => n % 32 === 0);
    expect(() => createStftPlan({ ...base, nFft: 100, fft: backend })).toThrow(ParameterError);
    expect(() => createStftPlan({ ...base, nFft: 100, fft: { ...backend, sizes: 'multiples of 32' } })).toThrow(
      /nFft = 100: the FFT backend "acme\/counting" does not support this size \(it takes multiples of 32\)/,
    );
    // the DFT path computes no FFT: the backend is recorded, its size support does not matter
    const dft = createStftPlan({ ...base, nFft: 100, windowMode: 'frequency', fft: backend });
    expect(dft.fftBackend).toBe(backend);
  });

  it('rejects a backend whose plans do not have the requested size', () => {
    const wrong = { ...countingBackend(() => true), createRealPlan: () => createRealFftPlan(64) };
    expect(() => createStftPlan({ ...base, fft: wrong })).toThrow(/createRealPlan\(128\) returned no plan of size 128 with 65 bins/);
  });

  it('rejects something that is not a backend', () => {
    expect(() => createStftPlan({ ...base, fft: 'pffft' as never })).toThrow(/fft = "pffft": not an FFT backend/);
    expect(() => createStftPlan({ ...base, fft: { id: 'x', precision: 'float16', supports: () => true, createRealPlan: createRealFftPlan } as never })).toThrow(ParameterError);
  });
});
