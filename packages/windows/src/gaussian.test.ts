import { ParameterError } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { gaussian } from './index.js';

describe('gaussian', () => {
  it('is exp(-½ (x/(σθ))²) with σ = 1/8 by default, and is not truncated at ±θ/2', () => {
    const p = gaussian.resolveParams({});
    expect(p).toEqual({ sigma: 0.125 });
    const theta = 40;
    const xs = Float64Array.from([0, 3, -7.5, 20, -20, 35, -60]);
    const w = new Float64Array(xs.length);
    gaussian.evaluate(xs, 0, xs.length, theta, p, { w, dTheta: null, dX: null });
    xs.forEach((x, k) => expect(w[k]).toBeCloseTo(Math.exp(-0.5 * (x / 5) ** 2), 15));
    expect(w[3]).toBeGreaterThan(0); // at θ/2: exp(-8)
    expect(w[5]).toBeGreaterThan(0); // beyond θ/2
    expect(gaussian.supportHalfWidth(theta, p)).toBe(Number.POSITIVE_INFINITY);
    expect(gaussian.continuousInTheta).toBe(true);
  });

  it('holds all but erfc(2√2) ≈ 6.33e-5 of its mass inside ±θ/2', () => {
    const theta = 64;
    const n = 64 * 8 * 256; // x ∈ [-4θ, 4θ), step 1/256
    const x = Float64Array.from({ length: n }, (_, k) => -4 * theta + k / 256);
    const w = new Float64Array(n);
    gaussian.evaluate(x, 0, n, theta, { sigma: 0.125 }, { w, dTheta: null, dX: null });
    let inside = 0;
    let total = 0;
    for (let k = 0; k < n; k++) {
      total += w[k];
      if (Math.abs(x[k]) < theta / 2) inside += w[k];
      else if (Math.abs(x[k]) === theta / 2) inside += w[k] / 2; // trapezoid at the boundary
    }
    const tail = (total - inside) / total;
    expect(Math.abs(tail - 6.334248366623973e-5) / 6.334248366623973e-5).toBeLessThan(1e-5);
  });

  it('sigma scales the width: σ = 0.25 at x = σθ gives exp(-1/2)', () => {
    const x = Float64Array.from([0.25 * 30]);
    const w = new Float64Array(1);
    gaussian.evaluate(x, 0, 1, 30, gaussian.resolveParams({ sigma: 0.25 }), { w, dTheta: null, dX: null });
    expect(w[0]).toBeCloseTo(Math.exp(-0.5), 15);
  });

  it.each([0, -0.1, Number.NaN, Number.POSITIVE_INFINITY, '0.1', null])('rejects sigma = %s with a ParameterError naming sigma, the value and the fix', (bad) => {
    let err: unknown;
    try {
      gaussian.resolveParams({ sigma: bad });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParameterError);
    const e = err as ParameterError;
    expect(e.parameter).toBe('windowParams.sigma');
    expect(e.message).toMatch(/^windowParams\.sigma = /);
    expect(e.message).toContain(typeof bad === 'number' && Number.isNaN(bad) ? 'NaN' : String(typeof bad === 'string' ? JSON.stringify(bad) : bad));
    expect(e.message).toMatch(/Fix: .*sigma: 0\.125/);
  });
});
