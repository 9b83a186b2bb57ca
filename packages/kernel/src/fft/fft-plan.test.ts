import { ParameterError, ShapeError } from '@dstft/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FFT_SIZE, createComplexFftPlan, createRealFftPlan } from './index.js';
import {
  mulberry32,
  naiveComplexDft,
  naiveRealDft,
  naiveRealIdft,
  randomSignal,
  relativeError,
} from './fft.test-support.js';

const POWERS_OF_TWO = [2, 4, 8, 16, 64, 256, 1024, 4096];
const EVEN = [6, 10, 12, 48, 100, 1000];
const ODD = [3, 5, 7, 9, 17, 255, 1023];
const SIZES = [...POWERS_OF_TWO, ...EVEN, ...ODD];
const TOL = 1e-12;

function forward(n: number, x: Float64Array): Float64Array {
  const plan = createRealFftPlan(n);
  const out = new Float64Array(2 * plan.bins);
  plan.forward(x, out);
  return out;
}

describe.each(SIZES)('real FFT plan, N = %i', (n) => {
  const plan = createRealFftPlan(n);
  const bins = Math.floor(n / 2) + 1;

  it('has the documented shape and backend', () => {
    expect(plan.size).toBe(n);
    expect(plan.bins).toBe(bins);
    expect(plan.algorithm).toBe((n & (n - 1)) === 0 ? 'fftjs' : 'bluestein');
  });

  it('forward matches the naive DFT to 1e-12 relative, and leaves the input alone', () => {
    for (const seed of [1, 2]) {
      const x = randomSignal(n, seed * 7919 + n);
      const copy = x.slice();
      const out = new Float64Array(2 * bins).fill(Number.NaN);
      plan.forward(x, out);
      expect(relativeError(out, naiveRealDft(x, bins), true)).toBeLessThanOrEqual(TOL);
      expect(x).toEqual(copy);
    }
  });

  it('inverse(forward(x)) = x to 1e-12', () => {
    const x = randomSignal(n, 31 + n);
    const spectrum = new Float64Array(2 * bins);
    const back = new Float64Array(n).fill(Number.NaN);
    plan.forward(x, spectrum);
    plan.inverse(spectrum, back);
    expect(relativeError(back, x, false)).toBeLessThanOrEqual(TOL);
  });

  it('inverse matches the naive inverse DFT and ignores the imaginary parts of bin 0 and Nyquist', () => {
    const spectrum = randomSignal(2 * bins, 97 + n);
    const expected = naiveRealIdft(spectrum, n); // the reference zeroes those imaginary parts itself
    const copy = spectrum.slice();
    const out = new Float64Array(n);
    plan.inverse(spectrum, out);
    expect(relativeError(out, expected, false)).toBeLessThanOrEqual(TOL);
    expect(spectrum).toEqual(copy);
    // Changing only the ignored imaginary parts changes nothing, bit for bit.
    spectrum[1] = 123.5;
    if (n % 2 === 0) spectrum[2 * bins - 1] = -77.25;
    const again = new Float64Array(n);
    plan.inverse(spectrum, again);
    expect(again).toEqual(out);
  });

  it('is linear', () => {
    const x = randomSignal(n, 5 + n);
    const y = randomSignal(n, 6 + n);
    const a = 0.75;
    const b = -2.5;
    const mix = new Float64Array(n);
    for (let i = 0; i < n; i++) mix[i] = a * x[i] + b * y[i];
    const fx = forward(n, x);
    const fy = forward(n, y);
    const expected = new Float64Array(2 * bins);
    for (let i = 0; i < 2 * bins; i++) expected[i] = a * fx[i] + b * fy[i];
    expect(relativeError(forward(n, mix), expected, true)).toBeLessThanOrEqual(TOL);
  });

  it('satisfies Parseval', () => {
    const x = randomSignal(n, 11 + n);
    const X = forward(n, x);
    let energy = 0;
    for (let i = 0; i < n; i++) energy += x[i] * x[i];
    // Bins 1..ceil(N/2)-1 appear twice in the full spectrum; bin 0 once; for even N the Nyquist bin once.
    let spectral = X[0] * X[0] + X[1] * X[1];
    const lastDoubled = n % 2 === 0 ? bins - 2 : bins - 1;
    for (let m = 1; m <= lastDoubled; m++) spectral += 2 * (X[2 * m] ** 2 + X[2 * m + 1] ** 2);
    if (n % 2 === 0) spectral += X[2 * bins - 2] ** 2 + X[2 * bins - 1] ** 2;
    expect(Math.abs(spectral / n - energy) / energy).toBeLessThanOrEqual(TOL);
  });

  it('gives the same result on a reused plan as on a fresh one (no state leaks between calls)', () => {
    const used = createRealFftPlan(n);
    const first = new Float64Array(2 * bins);
    used.forward(randomSignal(n, 1000 + n), first);
    const x = randomSignal(n, 2000 + n);
    const reused = new Float64Array(2 * bins).fill(Number.NaN);
    used.forward(x, reused);
    const fresh = new Float64Array(2 * bins);
    createRealFftPlan(n).forward(x, fresh);
    expect(reused).toEqual(fresh);
    // inverse after forward on the same plan, and forward after inverse.
    const back = new Float64Array(n);
    used.inverse(fresh, back);
    const freshBack = new Float64Array(n);
    createRealFftPlan(n).inverse(fresh, freshBack);
    expect(back).toEqual(freshBack);
    used.forward(x, reused);
    expect(reused).toEqual(fresh);
  });

  it('transforms a pure cosine to N/2 at its bin (N at bin 0 for a constant)', () => {
    const k = Math.max(1, Math.floor(n / 3));
    const x = new Float64Array(n);
    for (let j = 0; j < n; j++) x[j] = Math.cos((2 * Math.PI * ((k * j) % n)) / n);
    const X = forward(n, x);
    const expected = new Float64Array(2 * bins);
    expected[2 * k] = 2 * k === n ? n : n / 2;
    expect(relativeError(X, expected, true)).toBeLessThanOrEqual(TOL);
    const ones = new Float64Array(n).fill(1);
    const constant = new Float64Array(2 * bins);
    constant[0] = n;
    expect(relativeError(forward(n, ones), constant, true)).toBeLessThanOrEqual(TOL);
  });
});

describe('real FFT plan errors', () => {
  it('rejects sizes that are not integers ≥ 2 (or beyond 2^26) with a ParameterError naming n', () => {
    for (const bad of [1, 0, -4, 2.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_FFT_SIZE * 2]) {
      expect(() => createRealFftPlan(bad)).toThrow(ParameterError);
    }
    expect(() => createRealFftPlan(1)).toThrow(/^n = 1: must be ≥ 2\. Fix:/);
  });

  it.each([8, 12, 9])('rejects wrong lengths with a ShapeError (N = %i)', (n) => {
    const plan = createRealFftPlan(n);
    const bins = plan.bins;
    const cases: [() => void, string][] = [
      [() => plan.forward(new Float64Array(n + 1), new Float64Array(2 * bins)), 'input'],
      [() => plan.forward(new Float64Array(n), new Float64Array(2 * bins - 2)), 'out'],
      [() => plan.forward(new Float64Array(n), new Float64Array(2 * n)), 'out'],
      [() => plan.inverse(new Float64Array(n), new Float64Array(n)), 'input'],
      [() => plan.inverse(new Float64Array(2 * bins), new Float64Array(n + 2)), 'out'],
    ];
    for (const [call, parameter] of cases) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ShapeError);
      expect((error as ShapeError).parameter).toBe(parameter);
      expect((error as ShapeError).message).toMatch(/expected length \d+ .*Fix: /);
    }
  });

  it.each([8, 12, 9])('rejects aliased or overlapping buffers (N = %i)', (n) => {
    const plan = createRealFftPlan(n);
    const same = new Float64Array(2 * plan.bins);
    expect(() => plan.forward(same, same)).toThrow(/^out = Float64Array\(length \d+\): shares memory with input/);
    expect(() => plan.inverse(same, same)).toThrow(ParameterError);
    const buffer = new Float64Array(4 * n + 8);
    const input = buffer.subarray(0, n);
    const overlapping = buffer.subarray(n - 1, n - 1 + 2 * plan.bins);
    expect(() => plan.forward(input, overlapping)).toThrow(/shares memory/);
    // Adjacent views of one buffer are fine.
    const adjacent = buffer.subarray(n, n + 2 * plan.bins);
    plan.forward(input, adjacent);
    const spectrum = buffer.subarray(0, 2 * plan.bins);
    expect(() => plan.inverse(spectrum, buffer.subarray(2 * plan.bins - 1, 2 * plan.bins - 1 + n))).toThrow(/shares memory/);
  });
});

describe('complex FFT plan', () => {
  it.each([1, 2, 3, 4, 5, 8, 12, 17, 64, 100, 243])('matches the naive DFT both ways (n = %i)', (n) => {
    const plan = createComplexFftPlan(n);
    expect(plan.size).toBe(n);
    expect(plan.algorithm).toBe((n & (n - 1)) === 0 ? 'fftjs' : 'bluestein');
    const z = randomSignal(2 * n, 400 + n);
    const out = new Float64Array(2 * n);
    plan.forward(z, out);
    expect(relativeError(out, naiveComplexDft(z, false), true)).toBeLessThanOrEqual(TOL);
    const back = new Float64Array(2 * n);
    plan.inverse(z, back);
    expect(relativeError(back, naiveComplexDft(z, true), true)).toBeLessThanOrEqual(TOL);
    plan.inverse(out, back);
    expect(relativeError(back, z, true)).toBeLessThanOrEqual(TOL);
  });

  it('rejects bad sizes, lengths and aliasing', () => {
    expect(() => createComplexFftPlan(0)).toThrow(ParameterError);
    const plan = createComplexFftPlan(6);
    expect(() => plan.forward(new Float64Array(6), new Float64Array(12))).toThrow(ShapeError);
    const z = new Float64Array(12);
    expect(() => plan.inverse(z, z)).toThrow(/shares memory/);
  });
});

describe('round trip property (fast-check)', () => {
  it('inverse(forward(x)) = x for any size 2..600 and any finite signal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 600 }), fc.integer(), (n, seed) => {
        const rand = mulberry32(seed);
        const x = new Float64Array(n);
        for (let i = 0; i < n; i++) x[i] = (rand() - 0.5) * 1e3;
        const plan = createRealFftPlan(n);
        const spectrum = new Float64Array(2 * plan.bins);
        const back = new Float64Array(n);
        plan.forward(x, spectrum);
        plan.inverse(spectrum, back);
        return relativeError(back, x, false) <= TOL;
      }),
      { numRuns: 150, seed: 20240601 },
    );
  });
});
