// FrameWindow: normalizations none / paper / unit, their chain rule, the sampled range. Core is layer 0, so the
// plugins and the finite differences are written inline here.
import { describe, expect, it } from 'vitest';
import { API_VERSION, FrameWindow, NORMALIZATIONS, ParameterError, type Normalization, type WindowPlugin } from './index.js';

/** cos²(πx/θ) on [-θ/2, θ/2): ∂/∂x = -(π/θ) sin(2πx/θ), ∂/∂θ = (πx/θ²) sin(2πx/θ). */
const cosine: WindowPlugin = {
  kind: 'window',
  id: 'test/cosine',
  apiVersion: API_VERSION,
  gradients: { theta: true, x: true },
  continuousInTheta: true,
  defaults: {},
  supportHalfWidth: (theta) => theta / 2,
  evaluate(x, start, end, theta, _p, out) {
    for (let k = start; k < end; k++) {
      const xk = x[k]!;
      const inside = xk >= -theta / 2 && xk < theta / 2;
      const s = Math.sin((2 * Math.PI * xk) / theta);
      out.w[k] = inside ? Math.cos((Math.PI * xk) / theta) ** 2 : 0;
      if (out.dX) out.dX[k] = inside ? (-Math.PI / theta) * s : 0;
      if (out.dTheta) out.dTheta[k] = inside ? ((Math.PI * xk) / theta ** 2) * s : 0;
    }
  },
};

/** 1 on [-θ/2, θ/2), derivatives 0. */
const box: WindowPlugin = {
  ...cosine,
  id: 'test/box',
  continuousInTheta: false,
  evaluate(x, start, end, theta, _p, out) {
    for (let k = start; k < end; k++) {
      out.w[k] = x[k]! >= -theta / 2 && x[k]! < theta / 2 ? 1 : 0;
      if (out.dX) out.dX[k] = 0;
      if (out.dTheta) out.dTheta[k] = 0;
    }
  },
};

/** exp(-x²/(2(θ/8)²)), never zero: supportHalfWidth = Infinity. */
const bell: WindowPlugin = {
  ...cosine,
  id: 'test/bell',
  supportHalfWidth: () => Number.POSITIVE_INFINITY,
  evaluate(x, start, end, theta, _p, out) {
    for (let k = start; k < end; k++) {
      const v = (8 * x[k]!) / theta;
      const g = Math.exp(-0.5 * v * v);
      out.w[k] = g;
      if (out.dX) out.dX[k] = ((-v * 8) / theta) * g;
      if (out.dTheta) out.dTheta[k] = ((v * v) / theta) * g;
    }
  },
};

/** `cosine` with an `evaluateGrid` that evaluates at x_k = x0 + k·step and counts its calls. */
let gridCalls = 0;
const cosineGrid: WindowPlugin = {
  ...cosine,
  id: 'test/cosine-grid',
  evaluateGrid(x0, step, start, end, theta, p, out) {
    gridCalls++;
    const x = new Float64Array(end);
    for (let k = start; k < end; k++) x[k] = x0 + k * step;
    cosine.evaluate(x, start, end, theta, p, out);
  },
};

const ALL = { theta: true, x: true };

function sampled(plugin: WindowPlugin, norm: Normalization, n: number, theta: number, frac: number) {
  const fw = new FrameWindow(plugin, {}, norm, n, ALL);
  fw.sample(theta, frac);
  return { w: Float64Array.from(fw.w), dTheta: Float64Array.from(fw.dTheta!), dX: Float64Array.from(fw.dX!), lo: fw.lo, hi: fw.hi, rawSum: fw.rawSum };
}

/** Richardson-extrapolated central difference of a vector-valued function of one variable. */
function fd(f: (t: number) => Float64Array, t: number, h: number): Float64Array {
  const d = (s: number) => {
    const p = f(t + s);
    const m = f(t - s);
    return p.map((v, j) => (v - m[j]!) / (t + s - (t - s)));
  };
  const d1 = d(h);
  const d2 = d(h / 2);
  return d1.map((v, j) => (4 * d2[j]! - v) / 3);
}

describe('FrameWindow values', () => {
  const n = 16;
  const theta = 7.3;
  const frac = 0.4;
  const c = 8;
  const ref = Array.from({ length: n }, (_, j) => {
    const x = j - c - frac;
    return x >= -theta / 2 && x < theta / 2 ? Math.cos((Math.PI * x) / theta) ** 2 : 0;
  });

  it("'none' is the plugin's value at x_j = j - floor(N/2) - frac, 0 outside the support", () => {
    const { w, rawSum } = sampled(cosine, 'none', n, theta, frac);
    ref.forEach((v, j) => expect(Math.abs(w[j]! - v), `j = ${j}`).toBeLessThanOrEqual(1e-15));
    expect(rawSum).toBeNaN(); // computed under 'unit' only
    expect(sampled(cosine, 'paper', n, theta, frac).rawSum).toBeNaN();
  });

  it("'paper' is N/θ × 'none' (values and, through the chain rule, derivatives differ)", () => {
    const none = sampled(cosine, 'none', n, theta, frac);
    const paper = sampled(cosine, 'paper', n, theta, frac);
    for (let j = 0; j < n; j++) {
      expect(paper.w[j]).toBeCloseTo((n / theta) * ref[j]!, 14);
      expect(paper.dX[j]).toBeCloseTo((n / theta) * none.dX[j]!, 14);
      // d/dθ[(N/θ) w] = (N/θ) ∂w/∂θ - (N/θ²) w
      expect(paper.dTheta[j]).toBeCloseTo((n / theta) * none.dTheta[j]! - (n / theta ** 2) * ref[j]!, 14);
    }
  });

  it("'unit' sums to 1 and is 'none' divided by its sum", () => {
    const unit = sampled(cosine, 'unit', n, theta, frac);
    const sum = ref.reduce((a, b) => a + b, 0);
    let total = 0;
    for (let j = 0; j < n; j++) {
      total += unit.w[j]!;
      expect(unit.w[j]).toBeCloseTo(ref[j]! / sum, 15);
    }
    expect(total).toBeCloseTo(1, 15);
    expect(unit.rawSum).toBeCloseTo(sum, 14);
  });

  it('uses evaluateGrid (x0 = -c - frac, step 1) when the plugin has it, with the same values and derivatives', () => {
    for (const norm of NORMALIZATIONS) {
      for (const [nn, th, fr] of [
        [16, 7.3, 0.4],
        [17, 11.2, 0.85],
        [64, 64, 0],
      ] as const) {
        const before = gridCalls;
        const fast = sampled(cosineGrid, norm, nn, th, fr);
        expect(gridCalls).toBe(before + 1);
        const slow = sampled(cosine, norm, nn, th, fr);
        expect([fast.lo, fast.hi]).toEqual([slow.lo, slow.hi]);
        for (let j = 0; j < nn; j++) {
          expect(Math.abs(fast.w[j]! - slow.w[j]!)).toBeLessThanOrEqual(1e-14);
          expect(Math.abs(fast.dTheta[j]! - slow.dTheta[j]!)).toBeLessThanOrEqual(1e-14);
          expect(Math.abs(fast.dX[j]! - slow.dX[j]!)).toBeLessThanOrEqual(1e-14);
        }
      }
    }
  });

  it('odd nFft centres at floor(N/2)', () => {
    const fw = new FrameWindow(box, {}, 'none', 17, { theta: false, x: false });
    expect(fw.center).toBe(8);
    fw.sample(3, 0);
    // x_j = j - 8 ∈ [-1.5, 1.5): j = 7, 8, 9
    expect(Array.from(fw.w).map((v, j) => (v ? j : -1)).filter((j) => j >= 0)).toEqual([7, 8, 9]);
    expect(fw.dTheta).toBeNull();
    expect(fw.dX).toBeNull();
  });
});

describe('FrameWindow derivatives match central finite differences of sample()', () => {
  const cases: [number, number, number][] = [];
  for (const n of [16, 17]) for (const theta of [5.1, 11.7, n - 0.6]) for (const frac of [0, 0.35, 0.8]) cases.push([n, theta, frac]);

  for (const norm of NORMALIZATIONS) {
    for (const plugin of [cosine, bell]) {
      it(`${plugin.id}, ${norm}`, () => {
        let compared = 0;
        for (const [n, theta, frac] of cases) {
          const c = Math.floor(n / 2);
          // keep every sample away from the support edge, where the finite difference would straddle w'' jumping
          for (let j = 0; j < n; j++) expect(Math.abs(Math.abs(j - c - frac) - theta / 2)).toBeGreaterThan(1e-2);
          const a = sampled(plugin, norm, n, theta, frac);
          const h = 1e-4 * theta;
          const nT = fd((t) => sampled(plugin, norm, n, t, frac).w, theta, h);
          const nF = fd((f) => sampled(plugin, norm, n, theta, f).w, frac, h);
          const scale = Math.max(...a.w.map(Math.abs)) / theta;
          for (let j = 0; j < n; j++) {
            const tol = 1e-6 * Math.max(Math.abs(nT[j]!), 1e-3 * scale);
            expect(Math.abs(a.dTheta[j]! - nT[j]!), `N ${n} θ ${theta} frac ${frac} dTheta[${j}]`).toBeLessThanOrEqual(tol);
            // x_j = j - c - frac, so ∂w_j/∂frac = -dX[j]
            const tolX = 1e-6 * Math.max(Math.abs(nF[j]!), 1e-3 * scale);
            expect(Math.abs(-a.dX[j]! - nF[j]!), `N ${n} θ ${theta} frac ${frac} dX[${j}]`).toBeLessThanOrEqual(tolX);
            compared++;
          }
        }
        expect(compared).toBe(9 * 16 + 9 * 17); // every entry of every case
      });
    }
  }

  it('a wrong plugin derivative is caught by the same comparison (the test can fail)', () => {
    const wrong: WindowPlugin = {
      ...cosine,
      evaluate(x, s, e, t, p, out) {
        cosine.evaluate(x, s, e, t, p, out);
        if (out.dTheta) for (let k = s; k < e; k++) out.dTheta[k]! *= 1.001;
      },
    };
    const a = sampled(wrong, 'unit', 16, 11.7, 0.35);
    const nT = fd((t) => sampled(wrong, 'unit', 16, t, 0.35).w, 11.7, 1e-3);
    const worst = Math.max(...a.dTheta.map((v, j) => Math.abs(v - nT[j]!) / Math.max(Math.abs(nT[j]!), 1e-6)));
    expect(worst).toBeGreaterThan(1e-5);
  });
});

describe('FrameWindow range and reuse', () => {
  it('[lo, hi) holds exactly the j with x_j ∈ [-h, h)', () => {
    const fw = new FrameWindow(box, {}, 'none', 16, ALL);
    fw.sample(5, 0.25); // 5.75 ≤ j < 10.75
    expect([fw.lo, fw.hi]).toEqual([6, 11]);
    expect(Array.from(fw.w)).toEqual(Array.from({ length: 16 }, (_, j) => (j >= 6 && j < 11 ? 1 : 0)));
    fw.sample(4, 0); // x_j = j - 8 ∈ [-2, 2): j = 6..9, the left edge included, the right one not
    expect([fw.lo, fw.hi]).toEqual([6, 10]);
    fw.sample(100, 0.5); // wider than the frame: clipped to [0, N)
    expect([fw.lo, fw.hi]).toEqual([0, 16]);
    const g = new FrameWindow(bell, {}, 'none', 16, ALL);
    g.sample(3, 0.1); // infinite support: the whole frame
    expect([g.lo, g.hi]).toEqual([0, 16]);
  });

  it('zeroes what a previous, wider frame left outside the new range (w, dTheta, dX)', () => {
    for (const norm of NORMALIZATIONS) {
      const reused = new FrameWindow(cosine, {}, norm, 32, ALL);
      reused.sample(30.5, 0.3);
      expect(reused.w.filter((v) => v !== 0).length).toBeGreaterThan(20);
      reused.sample(6.2, 0.7);
      const fresh = sampled(cosine, norm, 32, 6.2, 0.7);
      expect(Array.from(reused.w)).toEqual(Array.from(fresh.w));
      expect(Array.from(reused.dTheta!)).toEqual(Array.from(fresh.dTheta));
      expect(Array.from(reused.dX!)).toEqual(Array.from(fresh.dX));
      for (let j = 0; j < 32; j++) {
        if (j < reused.lo || j >= reused.hi) expect([reused.w[j], reused.dTheta![j], reused.dX![j]]).toEqual([0, 0, 0]);
      }
    }
  });

  it("'unit' with a window that covers no sample throws a ParameterError naming theta", () => {
    const fw = new FrameWindow(cosine, {}, 'unit', 16, ALL);
    // θ = 0.4, frac = 0.5: x_j = j - 8.5 never lies in [-0.2, 0.2)
    let err: unknown;
    try {
      fw.sample(0.4, 0.5);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParameterError);
    expect((err as ParameterError).parameter).toBe('theta');
    expect((err as ParameterError).message).toMatch(/^theta = 0\.4: the sampled test\/cosine window sums to 0 .*divide by zero\. Fix: raise the lower bound of θ/);
    // the other normalizations just give a zero window
    const none = new FrameWindow(cosine, {}, 'none', 16, ALL);
    none.sample(0.4, 0.5);
    expect(none.w.every((v) => v === 0)).toBe(true);
    expect(none.hi - none.lo).toBe(0);
  });
});

describe('FrameWindow.sampleCached', () => {
  it('samples only when (θ, frac) change, and reports it through version', () => {
    const fw = new FrameWindow(cosine, {}, 'paper', 32, ALL);
    fw.sampleCached(20, 0.25);
    const v = fw.version;
    const w = fw.w.slice();
    fw.sampleCached(20, 0.25);
    expect(fw.version).toBe(v);
    fw.sampleCached(21, 0.25);
    expect(fw.version).toBe(v + 1);
    fw.sampleCached(20, 0.25);
    expect(fw.version).toBe(v + 2);
    expect(Array.from(fw.w)).toEqual(Array.from(w));
  });

  it('a sample that threw is not cached: the same call throws again', () => {
    const fw = new FrameWindow(box, {}, 'unit', 16, ALL);
    // a box narrower than the sample spacing, placed between samples, sums to 0 under unit normalization
    expect(() => fw.sampleCached(0.2, 0.5)).toThrow(/theta = 0.2/);
    expect(() => fw.sampleCached(0.2, 0.5)).toThrow(/theta = 0.2/);
  });
});
