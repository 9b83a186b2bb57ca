import { describe, expect, it } from 'vitest';
import { blackman } from './index.js';

describe('blackman', () => {
  it('with θ = N and x = j - N/2 is the periodic Blackman window (to 1e-15)', () => {
    for (const n of [8, 17, 256, 2048]) {
      const x = Float64Array.from({ length: n }, (_, j) => j - n / 2);
      const w = new Float64Array(n);
      blackman.evaluate(x, 0, n, n, {}, { w, dTheta: null, dX: null });
      for (let j = 0; j < n; j++) {
        const a = (2 * Math.PI * j) / n;
        expect(Math.abs(w[j] - (0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a))), `N = ${n}, j = ${j}`).toBeLessThanOrEqual(1e-15);
      }
    }
  });

  it('is exactly 0 at the edge and never negative', () => {
    const n = 4001;
    const theta = 50.5;
    const x = Float64Array.from({ length: n }, (_, k) => -theta / 2 + (theta * k) / (n - 1));
    const w = new Float64Array(n);
    blackman.evaluate(x, 0, n, theta, {}, { w, dTheta: null, dX: null });
    expect(w[0]).toBe(0);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...w)).toBeCloseTo(1, 12);
    expect(blackman.continuousInTheta).toBe(true);
  });

  it("derivative equals -π sin(2πu) - 0.32π sin(4πu), over θ", () => {
    const theta = 33.7;
    const xs = Float64Array.from([-10, -3.2, 0, 4.4, 16]);
    const dX = new Float64Array(5);
    const dTheta = new Float64Array(5);
    blackman.evaluate(xs, 0, 5, theta, {}, { w: new Float64Array(5), dTheta, dX });
    xs.forEach((x, k) => {
      const u = x / theta;
      const g1 = -Math.PI * Math.sin(2 * Math.PI * u) - 0.32 * Math.PI * Math.sin(4 * Math.PI * u);
      expect(dX[k]).toBeCloseTo(g1 / theta, 14);
      expect(dTheta[k]).toBeCloseTo((-g1 * x) / theta ** 2, 14);
    });
  });
});
