import { API_VERSION, ParameterError, PluginApiError, createRegistry, markBuiltin, type WindowParams } from '@dstft/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { blackman, defineDilationWindow, gaussian, hamming, hann, kaiser, type DilationWindowPlugin } from './index.js';

// w(x, θ) = 1 - 4x²/θ² (Welch): ∂w/∂x = -8x/θ², ∂w/∂θ = 8x²/θ³, derived by hand (not through the helper's formulas)
const welch = defineDilationWindow({
  id: 'acme/welch',
  continuousInTheta: true,
  shape: (u) => 1 - 4 * u * u,
  dShape: (u) => -8 * u,
});

function run(plugin: DilationWindowPlugin, xs: number[], theta: number, params: WindowParams = {}) {
  const n = xs.length;
  const out = { w: new Float64Array(n), dTheta: new Float64Array(n), dX: new Float64Array(n) };
  plugin.evaluate(Float64Array.from(xs), 0, n, theta, plugin.resolveParams(params), out);
  return out;
}

describe('defineDilationWindow', () => {
  it('returns a complete window plugin', () => {
    expect(welch.kind).toBe('window');
    expect(welch.id).toBe('acme/welch');
    expect(welch.apiVersion).toBe(API_VERSION);
    expect(welch.gradients).toEqual({ theta: true, x: true });
    expect(welch.continuousInTheta).toBe(true);
    expect(welch.defaults).toEqual({});
    expect(welch.supportHalfWidth(9, {})).toBe(4.5);
    expect(welch.meta).toBeUndefined();
  });

  it('derives w = g(x/θ), ∂w/∂x = g′/θ, ∂w/∂θ = -g′·x/θ² on [-θ/2, θ/2) and 0 outside', () => {
    const theta = 13.7;
    const xs = [-6.85, -6.8, -2, 0, 1.5, 6.84, 6.85, 7, -7, 100];
    const { w, dX, dTheta } = run(welch, xs, theta);
    xs.forEach((x, k) => {
      const inside = x >= -theta / 2 && x < theta / 2;
      expect(w[k]).toBeCloseTo(inside ? 1 - (4 * x * x) / theta ** 2 : 0, 14);
      expect(dX[k]).toBeCloseTo(inside ? (-8 * x) / theta ** 2 : 0, 14);
      expect(dTheta[k]).toBeCloseTo(inside ? (8 * x * x) / theta ** 3 : 0, 14);
    });
  });

  it('takes a half-width in units of θ (here a triangle on [-θ, θ))', () => {
    const tri = defineDilationWindow({
      id: 'acme/triangle',
      continuousInTheta: true,
      halfWidth: () => 1,
      shape: (u) => 1 - Math.abs(u),
      dShape: (u) => (u > 0 ? -1 : 1),
    });
    expect(tri.supportHalfWidth(8, {})).toBe(8);
    const { w, dX } = run(tri, [-8, -4, 0.5, 7.9, 8, 9], 8);
    expect(Array.from(w)).toEqual([0, 0.5, 1 - 0.5 / 8, 1 - 7.9 / 8, 0, 0]);
    expect(Array.from(dX)).toEqual([1 / 8, 1 / 8, -1 / 8, -1 / 8, 0, 0]);
  });

  it('merges options over defaults, then runs the spec resolveParams on the merged options', () => {
    const seen: unknown[] = [];
    const pw = defineDilationWindow({
      id: 'acme/cos-power',
      continuousInTheta: true,
      defaults: { power: 2, scale: 1 },
      resolveParams: (p) => {
        seen.push(p);
        if (typeof p['power'] !== 'number' || !(p['power'] >= 1)) throw new ParameterError('power', p['power'], 'must be ≥ 1', 'pass { power: 2 }');
        return { power: p['power'], scale: Number(p['scale']) };
      },
      shape: (u, p) => p.scale * Math.cos(Math.PI * u) ** p.power,
      dShape: (u, p) => -p.scale * p.power * Math.PI * Math.cos(Math.PI * u) ** (p.power - 1) * Math.sin(Math.PI * u),
    });
    expect(pw.resolveParams({ power: 3 })).toEqual({ power: 3, scale: 1 });
    expect(seen).toEqual([{ power: 3, scale: 1 }]);
    expect(() => pw.resolveParams({ power: 0 })).toThrow(/^power = 0: must be ≥ 1\. Fix: pass \{ power: 2 \}$/);
    expect(Object.isFrozen(pw.defaults)).toBe(true);
    const { w } = run(pw, [0.25 * 10], 10, { power: 3 });
    expect(w[0]).toBeCloseTo(Math.cos(Math.PI / 4) ** 3, 15);
  });

  it('rejects a malformed spec with a PluginApiError that says how to fix it', () => {
    const ok = { id: 'acme/x', continuousInTheta: true, shape: (u: number) => u, dShape: () => 1 };
    expect(() => defineDilationWindow({ ...ok, shape: undefined as never })).toThrow(PluginApiError);
    expect(() => defineDilationWindow({ ...ok, shape: undefined as never })).toThrow(/shape\(u, params\) is missing\. Fix:/);
    expect(() => defineDilationWindow({ ...ok, dShape: 1 as never })).toThrow(/dShape/);
    expect(() => defineDilationWindow({ ...ok, continuousInTheta: undefined as never })).toThrow(/continuousInTheta must be a boolean\. Fix:/);
    expect(() => defineDilationWindow({ ...ok, id: '' })).toThrow(/non-empty/);
    expect(() => defineDilationWindow({ ...ok, halfWidth: 0.5 as never })).toThrow(/halfWidth must be a function/);
    expect(() => defineDilationWindow({ ...ok, defaults: 3 as never })).toThrow(/defaults must be an object/);
  });

  it('a plain id is rejected by the registry unless marked built in; namespaced ids register', () => {
    const spec = { continuousInTheta: true, shape: (u: number) => 1 - 4 * u * u, dShape: (u: number) => -8 * u };
    expect(() => createRegistry().use(defineDilationWindow({ id: 'welch', ...spec }))).toThrow(PluginApiError);
    expect(() => createRegistry().use(defineDilationWindow({ id: 'welch', ...spec }))).toThrow(/acme\/welch/);
    expect(createRegistry().use(markBuiltin(defineDilationWindow({ id: 'welch', ...spec }))).has('window', 'welch')).toBe(true);
    expect(createRegistry().use(welch, { override: false }).get('window', 'acme/welch')).toBe(welch);
  });

  it('types: the id stays literal and the options are inferred from defaults', () => {
    const p = defineDilationWindow({
      id: 'acme/typed',
      continuousInTheta: false,
      defaults: { a: 1 },
      shape: (u, params) => params.a * u,
      dShape: (_u, params) => params.a,
    });
    expectTypeOf(p.id).toEqualTypeOf<'acme/typed'>();
    expectTypeOf(p.defaults).toEqualTypeOf<{ a: number }>();
    expectTypeOf(p.resolveParams({})).toEqualTypeOf<{ a: number }>();
  });
});

// 4-term Blackman-Harris: exercises the general (Chebyshev) branch of the cosine-series grid.
const BH = [0.35875, 0.48829, 0.14128, 0.01168];
const blackmanHarris = defineDilationWindow({
  id: 'acme/blackman-harris',
  continuousInTheta: false, // g(±1/2) = 6e-5
  cosineSeries: () => BH,
  shape: (u) => BH[0] + BH[1] * Math.cos(2 * Math.PI * u) + BH[2] * Math.cos(4 * Math.PI * u) + BH[3] * Math.cos(6 * Math.PI * u),
  dShape: (u) =>
    -2 * Math.PI * (BH[1] * Math.sin(2 * Math.PI * u) + 2 * BH[2] * Math.sin(4 * Math.PI * u) + 3 * BH[3] * Math.sin(6 * Math.PI * u)),
});

/** max |evaluateGrid - evaluate| over w, ∂w/∂θ, ∂w/∂x at x_k = x0 + k·step, k in [start, end); -1 if outside [start, end) was written. */
function gridError(plugin: DilationWindowPlugin, theta: number, x0: number, step: number, start: number, end: number, size: number): number {
  const x = Float64Array.from({ length: size }, (_, k) => x0 + k * step);
  const ref = { w: new Float64Array(size), dTheta: new Float64Array(size), dX: new Float64Array(size) };
  plugin.evaluate(x, start, end, theta, {}, ref);
  const got = { w: new Float64Array(size).fill(7), dTheta: new Float64Array(size).fill(7), dX: new Float64Array(size).fill(7) };
  plugin.evaluateGrid!(x0, step, start, end, theta, {}, got);
  const values = { w: new Float64Array(size).fill(7), dTheta: null, dX: null };
  plugin.evaluateGrid!(x0, step, start, end, theta, {}, values);
  let worst = 0;
  for (let k = 0; k < size; k++) {
    if (k < start || k >= end) {
      if (got.w[k] !== 7 || got.dTheta[k] !== 7 || got.dX[k] !== 7 || values.w[k] !== 7) return -1;
      continue;
    }
    worst = Math.max(worst, Math.abs(got.w[k] - ref.w[k]), Math.abs(got.dTheta[k] - ref.dTheta[k]), Math.abs(got.dX[k] - ref.dX[k]));
    if (values.w[k] !== got.w[k]) return -1; // same values without derivative buffers
  }
  return worst;
}

describe('defineDilationWindow: cosineSeries → evaluateGrid', () => {
  it('gives hann, hamming, blackman an evaluateGrid, and no other window', () => {
    for (const p of [hann, hamming, blackman, blackmanHarris]) expect(typeof p.evaluateGrid).toBe('function');
    for (const p of [gaussian, kaiser, welch]) expect(p.evaluateGrid).toBeUndefined();
    expect(createRegistry().use(blackmanHarris).get('window', 'acme/blackman-harris')).toBe(blackmanHarris);
  });

  it('agrees with evaluate on frame grids (x0 = -c - frac, step 1) up to N = 8192, whole and partial, to 1e-14', () => {
    for (const p of [hann, hamming, blackman, blackmanHarris]) {
      for (const n of [16, 17, 256, 1024, 8192]) {
        const c = Math.floor(n / 2);
        for (const theta of [n, 0.93 * n + 0.1, 0.37 * n + 0.05, Math.min(n, 5.5)]) {
          for (const frac of [0, 0.29, 0.77]) {
            const whole = gridError(p, theta, -c - frac, 1, 0, n, n);
            const part = gridError(p, theta, -c - frac, 1, 3, n - 2, n);
            expect(whole, `${p.id} N ${n} θ ${theta} frac ${frac}`).toBeGreaterThanOrEqual(0);
            expect(whole, `${p.id} N ${n} θ ${theta} frac ${frac}`).toBeLessThanOrEqual(1e-14);
            expect(part, `${p.id} N ${n} θ ${theta} frac ${frac} (part)`).toBeGreaterThanOrEqual(0);
            expect(part, `${p.id} N ${n} θ ${theta} frac ${frac} (part)`).toBeLessThanOrEqual(1e-14);
          }
        }
      }
    }
  });

  it('agrees with evaluate on fine, coarse and descending grids across the support', () => {
    for (const p of [hann, hamming, blackman, blackmanHarris]) {
      for (const theta of [2, 9.3, 700.7]) {
        expect(gridError(p, theta, -0.6 * theta, (1.2 * theta) / 5000, 0, 5001, 5001)).toBeLessThanOrEqual(1e-14);
        expect(gridError(p, theta, -0.6 * theta, 0.37 * theta, 0, 5, 5)).toBeLessThanOrEqual(1e-14);
        expect(gridError(p, theta, 0.55 * theta, -theta / 333, 0, 400, 400)).toBeLessThanOrEqual(1e-14);
      }
    }
  });

  it('is exactly evaluate at the re-seeded samples (the first one inside the support, then every 64th)', () => {
    const n = 1024;
    const x0 = -n / 2 - 0.3;
    const x = Float64Array.from({ length: n }, (_, k) => x0 + k);
    const ref = { w: new Float64Array(n), dTheta: null, dX: null };
    hann.evaluate(x, 0, n, 1000.5, {}, ref);
    const got = { w: new Float64Array(n), dTheta: null, dX: null };
    hann.evaluateGrid!(x0, 1, 0, n, 1000.5, {}, got);
    // support [-500.25, 500.25): x_k = k - 512.3 enters it at k = 13
    for (let k = 0; k < 13; k++) expect(got.w[k]).toBe(0);
    for (let k = 13; k < n; k += 64) expect(got.w[k]).toBe(ref.w[k]);
    expect(got.w[13]).not.toBe(0);
  });

  it('rejects a malformed cosineSeries (at definition) and bad coefficients (when the options are resolved)', () => {
    const ok = { id: 'acme/x', continuousInTheta: true, shape: (u: number) => u, dShape: () => 1 };
    expect(() => defineDilationWindow({ ...ok, cosineSeries: [0.5, 0.5] as never })).toThrow(PluginApiError);
    expect(() => defineDilationWindow({ ...ok, cosineSeries: [0.5, 0.5] as never })).toThrow(/cosineSeries must be a function.*Fix:/);
    for (const bad of [[], [Number.NaN], ['0.5'], null]) {
      const p = defineDilationWindow({ ...ok, cosineSeries: () => bad as never });
      expect(() => p.resolveParams({})).toThrow(PluginApiError);
      expect(() => p.resolveParams({})).toThrow(/cosineSeries\(params\) returned .*Fix: return the coefficients/);
    }
    expect(hann.resolveParams({})).toEqual({});
  });
});
