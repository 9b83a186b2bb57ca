import { describe, expect, it } from 'vitest';
import { FrameWindow, hann } from './index.js';

function evalAt(xs: number[], theta: number) {
  const x = Float64Array.from(xs);
  const out = { w: new Float64Array(xs.length), dTheta: new Float64Array(xs.length), dX: new Float64Array(xs.length) };
  hann.evaluate(x, 0, xs.length, theta, {}, out);
  return out;
}

describe('hann', () => {
  it('with θ = N and x = j - N/2 is the periodic Hann window 0.5 - 0.5 cos(2πj/N) (to 1e-15)', () => {
    for (const n of [4, 7, 16, 17, 128, 1000, 1024, 4096]) {
      const xs = Array.from({ length: n }, (_, j) => j - n / 2);
      const { w } = evalAt(xs, n);
      let worst = 0;
      for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(w[j] - (0.5 - 0.5 * Math.cos((2 * Math.PI * j) / n))));
      expect(worst, `N = ${n}`).toBeLessThanOrEqual(1e-15);
      expect(w[0]).toBe(0);
    }
  });

  it('FrameWindow(hann, none, N).sample(N, 0) is the periodic Hann window (torch.hann_window(N))', () => {
    for (const n of [16, 64, 1024]) {
      const fw = new FrameWindow(hann, {}, 'none', n, { theta: false, x: false });
      fw.sample(n, 0);
      for (let j = 0; j < n; j++) expect(Math.abs(fw.w[j] - (0.5 - 0.5 * Math.cos((2 * Math.PI * j) / n)))).toBeLessThanOrEqual(1e-15);
    }
  });

  it('equals cos²(πx/θ) inside [-θ/2, θ/2) and 0 outside, for real θ', () => {
    const theta = 77.3;
    const xs = [-38.65, -38.6, -20.1, -0.5, 0, 3.3, 38.64, 38.65, 40, -40];
    const { w, dTheta, dX } = evalAt(xs, theta);
    xs.forEach((x, k) => {
      const inside = x >= -theta / 2 && x < theta / 2;
      const expected = inside ? Math.cos((Math.PI * x) / theta) ** 2 : 0;
      expect(Math.abs(w[k] - expected), `x = ${x}`).toBeLessThanOrEqual(1e-15);
      // d/dx cos²(πx/θ) = -(π/θ) sin(2πx/θ); d/dθ = (πx/θ²) sin(2πx/θ)
      const s = Math.sin((2 * Math.PI * x) / theta);
      expect(dX[k]).toBeCloseTo(inside ? (-Math.PI / theta) * s : 0, 14);
      expect(dTheta[k]).toBeCloseTo(inside ? ((Math.PI * x) / theta ** 2) * s : 0, 14);
    });
  });

  it('is continuous in θ, a built-in with no options', () => {
    expect(hann.id).toBe('hann');
    expect(hann.continuousInTheta).toBe(true);
    expect(hann.gradients).toEqual({ theta: true, x: true });
    expect(hann.supportHalfWidth(10, {})).toBe(5);
    expect(hann.resolveParams({})).toEqual({});
  });
});
