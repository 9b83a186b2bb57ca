import { ParameterError, ShapeError, type SpecView } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { gradcheckLoss, logNormalSpec, randomSpec } from './helpers.test-support.js';
import { kurtosis } from './index.js';

/** Independent reference: -mean over (b, n ∈ frames) of F·Σ_m S² / (Σ_m S)². */
function naiveKurtosisLoss(spec: SpecView, frames: readonly number[]): number {
  const { data, batch, freqs: F, frames: T } = spec;
  let total = 0;
  for (let b = 0; b < batch; b++) {
    for (const n of frames) {
      let a = 0;
      let q = 0;
      for (let m = 0; m < F; m++) {
        const s = data[b * F * T + m * T + n];
        a += s;
        q += s * s;
      }
      total += (F * q) / (a * a);
    }
  }
  return -total / (batch * frames.length);
}

describe('kurtosis', () => {
  it('of a flat frame is 1 and of a one-hot frame is F (loss = -mean K)', () => {
    const F = 9;
    const T = 4;
    const flat = { data: new Float64Array(F * T).fill(0.8), batch: 1, freqs: F, frames: T };
    expect(kurtosis.evaluate(flat, null, kurtosis.defaults)).toBeCloseTo(-1, 14);
    const oneHot = { data: new Float64Array(F * T), batch: 1, freqs: F, frames: T };
    for (let n = 0; n < T; n++) oneHot.data[((n * 2) % F) * T + n] = 3 + n; // one bin per frame
    expect(kurtosis.evaluate(oneHot, null, kurtosis.defaults)).toBeCloseTo(-F, 13);
    // mixed: frames 0, 1 flat, frames 2, 3 one-hot: mean of 1, 1, F, F
    const mixed = Float64Array.from(flat.data);
    for (let m = 0; m < F; m++) for (const n of [2, 3]) mixed[m * T + n] = m === 4 ? 2 : 0;
    expect(kurtosis.evaluate({ ...flat, data: mixed }, null, kurtosis.defaults)).toBeCloseTo(-(2 + 2 * F) / 4, 13);
    expect(kurtosis.evaluate({ ...flat, data: mixed }, null, { frames: [2] })).toBeCloseTo(-F, 13);
  });

  it('with S = |X|² equals F·Σ|X|⁴/(Σ|X|²)² (the reference kurtosis on |X|)', () => {
    const mag = randomSpec(9, 1, 16, 3, 0, 1); // |X|
    const power = { ...mag, data: mag.data.map((x) => x * x) };
    for (let n = 0; n < 3; n++) {
      let s4 = 0;
      let s2 = 0;
      for (let m = 0; m < 16; m++) {
        const x = mag.data[m * 3 + n];
        s4 += x ** 4;
        s2 += x ** 2;
      }
      expect(kurtosis.evaluate(power, null, { frames: [n] })).toBeCloseTo((-16 * s4) / (s2 * s2), 12);
    }
  });

  it('matches the definition, over all frames or a subset, batch 1 and 3', () => {
    for (const [B, F, T] of [
      [1, 11, 7],
      [3, 6, 10],
    ] as const) {
      const spec = logNormalSpec(B, B, F, T);
      const all = Array.from({ length: T }, (_, n) => n);
      expect(kurtosis.evaluate(spec, null, { frames: 'all' })).toBeCloseTo(naiveKurtosisLoss(spec, all), 12);
      expect(kurtosis.evaluate(spec, null, { frames: [5, 0, 3] })).toBeCloseTo(naiveKurtosisLoss(spec, [5, 0, 3]), 12);
    }
  });

  it('gradient matches central differences (batch 1 and 3, non-square, all frames and a subset; unselected frames get 0)', () => {
    for (const seed of [1, 2, 3]) {
      for (const [B, F, T] of [
        [1, 7, 12],
        [3, 10, 4],
      ] as const) {
        gradcheckLoss(kurtosis, randomSpec(seed, B, F, T), { frames: 'all' });
        gradcheckLoss(kurtosis, logNormalSpec(seed, B, F, T, 1.5), { frames: 'all' });
        gradcheckLoss(kurtosis, randomSpec(seed + 5, B, F, T), { frames: [T - 1, 1] });
      }
    }
    const spec = randomSpec(4, 2, 5, 6);
    const grad = new Float64Array(60).fill(Number.NaN);
    kurtosis.evaluate(spec, grad, { frames: [2] });
    for (let i = 0; i < 60; i++) if (i % 6 !== 2) expect(grad[i]).toBe(0);
  });

  it('rejects bad frames, zero frames and bad shapes with typed errors naming the parameter', () => {
    const spec = randomSpec(1, 2, 4, 5);
    expect(() => kurtosis.evaluate(spec, null, { frames: 'some' as never })).toThrow(/^frames = "some"/);
    expect(() => kurtosis.evaluate(spec, null, { frames: [] })).toThrow(/^frames = \[\]: no frame selected/);
    expect(() => kurtosis.evaluate(spec, null, { frames: [1, 5] })).toThrow(/^frames\[1\] = 5: .*T = 5/);
    expect(() => kurtosis.evaluate(spec, null, { frames: [1, 1] })).toThrow(/^frames\[1\] = 1: frame 1 is listed twice/);
    expect(() => kurtosis.evaluate(spec, null, { frames: [0.5] })).toThrow(ParameterError);
    const zero = Float64Array.from(spec.data);
    for (let m = 0; m < 4; m++) zero[20 + m * 5 + 3] = 0; // signal 1, frame 3
    expect(() => kurtosis.evaluate({ ...spec, data: zero }, null, kurtosis.defaults)).toThrow(/signal 1, frame 3/);
    expect(kurtosis.evaluate({ ...spec, data: zero }, null, { frames: [0, 1, 2, 4] })).toBeLessThan(0); // left out: fine
    expect(() => kurtosis.evaluate({ ...spec, freqs: 3 }, null, kurtosis.defaults)).toThrow(ShapeError);
    const neg = Float64Array.from(spec.data);
    neg[7] = -1;
    expect(() => kurtosis.evaluate({ ...spec, data: neg }, null, kurtosis.defaults)).toThrow(/^spec\.data\[7\] = -1/);
  });
});
