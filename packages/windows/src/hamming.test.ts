import { describe, expect, it } from 'vitest';
import { hamming } from './index.js';

describe('hamming', () => {
  it('with θ = N and x = j - N/2 is the periodic Hamming window (to 1e-15)', () => {
    for (const n of [8, 31, 512]) {
      const x = Float64Array.from({ length: n }, (_, j) => j - n / 2);
      const w = new Float64Array(n);
      hamming.evaluate(x, 0, n, n, {}, { w, dTheta: null, dX: null });
      for (let j = 0; j < n; j++) expect(Math.abs(w[j] - (0.54 - 0.46 * Math.cos((2 * Math.PI * j) / n)))).toBeLessThanOrEqual(1e-15);
    }
  });

  it('is truncated where it is still 0.08, so it is not continuous in θ', () => {
    const theta = 20;
    const x = Float64Array.from([-10, -10 - 1e-12, 10 - 1e-12, 10]);
    const w = new Float64Array(4);
    const dTheta = new Float64Array(4);
    hamming.evaluate(x, 0, 4, theta, {}, { w, dTheta, dX: null });
    expect(w[0]).toBeCloseTo(0.08, 15); // [-θ/2 is inside
    expect(w[1]).toBe(0);
    expect(w[2]).toBeCloseTo(0.08, 10);
    expect(w[3]).toBe(0); // θ/2) is outside
    expect(hamming.continuousInTheta).toBe(false);
    expect(Array.from(dTheta).every(Number.isFinite)).toBe(true);
  });
});
