import { describe, expect, it } from 'vitest';
import { testSignal } from './naive-dft.fixture.js';
import { createStftPlan, stftAdjoint, stftForward, stftInverse, type PositionsConfig, type StftParams, type WindowMode } from './index.js';
import { hannPlugin } from './naive-dft.fixture.js';

const L = 257;

/** max |a - b| over covered samples / max |b| */
function coveredError(a: Float64Array, b: Float64Array, covered: Uint8Array, B: number): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < B * L; k++) {
    den = Math.max(den, Math.abs(b[k]!));
    if (covered[k % L]) num = Math.max(num, Math.abs(a[k]! - b[k]!));
  }
  return num / den;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

const configs: { name: string; windowMode: WindowMode; positions: PositionsConfig; params: (F: number, T: number, N: number) => StftParams }[] = [
  { name: 'constant θ, fractional hop', windowMode: 'constant', positions: { mode: 'fixed', hop: 11.3 }, params: (_F, _T, N) => ({ theta: Float64Array.of((40.7 * N) / 64) }) },
  {
    name: 'time θ, time-varying hops',
    windowMode: 'time',
    positions: { mode: 'time', frames: 20 },
    params: (_F, T, N) => ({
      theta: Float64Array.from({ length: T }, (_, n) => ((30 + 20 * Math.abs(Math.sin(n))) * N) / 64),
      t0: 0.4,
      hops: Float64Array.from({ length: T - 1 }, (_, i) => 9 + 5 * Math.abs(Math.cos(i))),
    }),
  },
  {
    name: 'time θ, free positions',
    windowMode: 'time',
    positions: { mode: 'free', frames: 18 },
    params: (_F, T, N) => ({
      theta: Float64Array.from({ length: T }, (_, n) => ((34 + 14 * Math.abs(Math.sin(2 * n))) * N) / 64),
      positions: Float64Array.from({ length: T }, (_, n) => -6.2 + n * 15.3 + 2 * Math.sin(n)),
    }),
  },
  {
    name: 'TF θ (least squares)',
    windowMode: 'time-frequency',
    positions: { mode: 'fixed', hop: 9.5 },
    params: (F, T, N) => ({ theta: Float64Array.from({ length: F * T }, (_, k) => ((36 + 12 * Math.abs(Math.sin(0.3 * k))) * N) / 64) }),
  },
  {
    name: 'frequency θ (least squares)',
    windowMode: 'frequency',
    positions: { mode: 'fixed', hop: 8 },
    params: (F, _T, N) => ({ theta: Float64Array.from({ length: F }, (_, m) => ((28 + (20 * m) / F) * N) / 64) }),
  },
];

describe('adjoint: ⟨A v, G⟩ = ⟨v, Aᵀ G⟩', () => {
  for (const N of [64, 50, 33]) {
    for (const c of configs) {
      it(`N=${N}, ${c.name}`, () => {
        const plan = createStftPlan({ nFft: N, signalLength: L, window: hannPlugin, windowMode: c.windowMode, positions: c.positions, normalization: 'paper' });
        const params = c.params(plan.freqs, plan.frames, N);
        const v = testSignal(L, 2, 3);
        const Av = stftForward(plan, v, params).X;
        const G = testSignal(Av.length, 1, 4);
        const AtG = stftAdjoint(plan, G, params);
        const lhs = dot(Av, G);
        const rhs = dot(v, AtG);
        expect(Math.abs(lhs - rhs) / Math.abs(lhs)).toBeLessThan(1e-12);
      });
    }
  }
});

describe('inverse', () => {
  for (const N of [64, 50, 33]) {
    for (const c of configs) {
      it(`round trip N=${N}, ${c.name}`, () => {
        const plan = createStftPlan({ nFft: N, signalLength: L, window: hannPlugin, windowMode: c.windowMode, positions: c.positions });
        const params = c.params(plan.freqs, plan.frames, N);
        const x = testSignal(L, 2, 21);
        const fwd = stftForward(plan, x, params);
        const inv = stftInverse(plan, fwd, params);
        expect(inv.batch).toBe(2);
        expect(coveredError(inv.signal, x, inv.covered, 2)).toBeLessThan(1e-10);
        expect(inv.method).toBe(plan.path === 'fft' ? 'overlap-add' : 'least-squares');
        if (inv.method === 'least-squares') {
          for (const r of inv.residual) expect(r).toBeLessThan(1e-10);
          for (const it of inv.iterations) expect(it).toBeGreaterThan(0);
        }
      });
    }
  }

  it('θ = N Hann at hop N/4 covers every sample of the signal', () => {
    const plan = createStftPlan({ nFft: 64, signalLength: L, window: hannPlugin, windowMode: 'fixed', positions: { mode: 'fixed', hop: 16 } });
    const x = testSignal(L, 1, 2);
    const params = { theta: Float64Array.of(64) };
    const inv = stftInverse(plan, stftForward(plan, x, params), params);
    expect(inv.uncoveredCount).toBe(0);
    expect(inv.uncoveredRanges).toEqual([]);
    expect(coveredError(inv.signal, x, inv.covered, 1)).toBeLessThan(1e-12);
  });

  it('reports the samples no frame covers and fills them (0 or NaN), never silently', () => {
    // windows of length 20 every 40 samples leave gaps
    const plan = createStftPlan({ nFft: 32, signalLength: L, window: hannPlugin, windowMode: 'fixed', positions: { mode: 'fixed', hop: 40 } });
    const x = testSignal(L, 1, 8);
    const params = { theta: Float64Array.of(20) };
    const fwd = stftForward(plan, x, params);
    const inv = stftInverse(plan, fwd, params);
    // frame n covers samples p with |p - 40n| < 10 (Hann zero at the left edge p = 40n - 10)
    const expectedCovered = (p: number) => Math.abs(p - 40 * Math.round(p / 40)) < 10;
    let count = 0;
    for (let p = 0; p < L; p++) {
      expect(inv.covered[p]).toBe(expectedCovered(p) ? 1 : 0);
      if (!expectedCovered(p)) count++;
    }
    expect(inv.uncoveredCount).toBe(count);
    expect(inv.uncoveredRanges[0]).toEqual([10, 31]);
    for (const [a, b] of inv.uncoveredRanges) for (let p = a; p < b; p++) expect(inv.signal[p]).toBe(0);
    const nan = stftInverse(plan, fwd, params, { fill: 'nan' });
    expect(Number.isNaN(nan.signal[15])).toBe(true);
    expect(coveredError(inv.signal, x, inv.covered, 1)).toBeLessThan(1e-10);
  });

  it('rejects a transform that does not match the parameters', () => {
    const plan = createStftPlan({ nFft: 32, signalLength: L, window: hannPlugin, windowMode: 'fixed', positions: { mode: 'fixed', hop: 8 } });
    const x = testSignal(L, 1, 8);
    const fwd = stftForward(plan, x, { theta: Float64Array.of(30) });
    expect(() => stftInverse(plan, { X: fwd.X.subarray(2), batch: 1, frames: fwd.frames }, { theta: Float64Array.of(30) })).toThrow(/invert with the same parameters/);
  });
});
