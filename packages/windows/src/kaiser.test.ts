import { ParameterError } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { KAISER_MAX_BETA, besselI0, besselI1, besselI1OverZ, kaiser } from './index.js';

// scipy.special.i0 / i1 (float64)
const I0: [number, number][] = [
  [0, 1],
  [0.5, 1.0634833707413234],
  [1, 1.2660658777520082],
  [5, 27.239871823604442],
  [8, 427.56411572180474],
  [20, 43558282.559553534],
  [100, 1.0737517071310738e42],
];
const I1: [number, number][] = [
  [0.5, 0.25789430539089636],
  [1, 0.5651591039924851],
  [5, 24.335642142450524],
  [8, 399.8731367825599],
  [20, 42454973.385127775],
  [100, 1.0683693903381625e42],
];

function evaluate(xs: number[], theta: number, beta: number) {
  const n = xs.length;
  const out = { w: new Float64Array(n), dTheta: new Float64Array(n), dX: new Float64Array(n) };
  kaiser.evaluate(Float64Array.from(xs), 0, n, theta, kaiser.resolveParams({ beta }), out);
  return out;
}

describe('Bessel I0, I1 by power series', () => {
  it('match scipy.special to a few ulps', () => {
    for (const [z, v] of I0) expect(Math.abs(besselI0(z) - v) / v, `I0(${z})`).toBeLessThanOrEqual(1e-15 * Math.max(1, z / 5));
    for (const [z, v] of I1) expect(Math.abs(besselI1(z) - v) / v, `I1(${z})`).toBeLessThanOrEqual(1e-15 * Math.max(1, z / 5));
    expect(besselI1(0)).toBe(0);
    expect(besselI1OverZ(0)).toBe(0.5);
    expect(besselI0(-5)).toBe(besselI0(5));
    expect(besselI1(-5)).toBe(-besselI1(5));
  });
});

describe('kaiser', () => {
  it('with θ = N and x = j - N/2 is the periodic Kaiser window (scipy get_window(("kaiser", β), N))', () => {
    const scipy16 = [
      0.002338830512733327, 0.02369490262783185, 0.08273981505097754, 0.19672670271730525, 0.36897272261583314, 0.5801448192819524,
      0.788752446605349, 0.9430220043362008, 1.0, 0.9430220043362008, 0.788752446605349, 0.5801448192819524, 0.36897272261583314,
      0.19672670271730525, 0.08273981505097754, 0.02369490262783185,
    ];
    const scipy9 = [
      0.13553434913875384, 0.3563100513394141, 0.6152835056779191, 0.8459726478388895, 0.9819488030569411, 0.9819488030569411,
      0.8459726478388895, 0.6152835056779191, 0.3563100513394141,
    ];
    const w16 = evaluate(Array.from({ length: 16 }, (_, j) => j - 8), 16, 8).w;
    scipy16.forEach((v, j) => expect(Math.abs(w16[j] - v)).toBeLessThanOrEqual(2e-15));
    const w9 = evaluate(Array.from({ length: 9 }, (_, j) => j - 4.5), 9, 3.5).w;
    scipy9.forEach((v, j) => expect(Math.abs(w9[j] - v)).toBeLessThanOrEqual(2e-15));
  });

  it('has a finite derivative up to the edge, tending to β²/(I₀(β)·θ) as u → -1/2', () => {
    const theta = 40;
    const beta = 8;
    const limit = (beta * beta) / I0[4][1] / theta; // g'(-1/2) = -4u·β²·(1/2)/I₀(β) at u = -1/2
    const { w, dX, dTheta } = evaluate([-20, -20 + 1e-10, -20 + 1e-6], theta, beta);
    expect(w[0]).toBeCloseTo(1 / I0[4][1], 16);
    expect(Math.abs(dX[0] - limit) / limit).toBeLessThanOrEqual(1e-14);
    expect(Math.abs(dX[1] - limit) / limit).toBeLessThanOrEqual(1e-6);
    // ∂w/∂θ = -∂w/∂x · x/θ for a dilation
    for (let k = 0; k < 3; k++) expect(dTheta[k]).toBeCloseTo((-dX[k] * [-20, -20 + 1e-10, -20 + 1e-6][k]) / theta, 14);
    expect(Number.isFinite(dX[2])).toBe(true);
  });

  it('β = 0 is a box window with zero derivatives', () => {
    const { w, dX, dTheta } = evaluate([-5, -1.3, 0, 4.9, 5], 10, 0);
    expect(Array.from(w)).toEqual([1, 1, 1, 1, 0]);
    expect(Array.from(dX).every((v) => v === 0)).toBe(true);
    expect(Array.from(dTheta).every((v) => v === 0)).toBe(true);
  });

  it('defaults to β = 8, is not continuous in θ, and validates beta', () => {
    expect(kaiser.resolveParams({})).toEqual({ beta: 8 });
    expect(kaiser.continuousInTheta).toBe(false);
    for (const bad of [-1, Number.NaN, KAISER_MAX_BETA + 1, Number.POSITIVE_INFINITY, '8']) {
      expect(() => kaiser.resolveParams({ beta: bad })).toThrow(ParameterError);
      expect(() => kaiser.resolveParams({ beta: bad })).toThrow(/^windowParams\.beta = .*Fix: pass e\.g\. \{ beta: 8 \}/);
    }
    expect(() => kaiser.resolveParams({ beta: KAISER_MAX_BETA })).not.toThrow();
  });

  it('stays finite for the largest β', () => {
    const { w, dX, dTheta } = evaluate([-50, -49.99, -10, 0, 25, 49.9], 100, KAISER_MAX_BETA);
    for (const a of [w, dX, dTheta]) expect(Array.from(a).every(Number.isFinite)).toBe(true);
    expect(w[3]).toBe(1);
  });
});
