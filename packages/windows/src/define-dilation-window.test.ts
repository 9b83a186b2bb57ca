import { API_VERSION, ParameterError, PluginApiError, createRegistry, markBuiltin, type WindowParams } from '@dstft/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineDilationWindow, type DilationWindowPlugin } from './index.js';

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
