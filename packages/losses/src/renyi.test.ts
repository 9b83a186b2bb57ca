import { ParameterError, type SpecView } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { gradcheckLoss, logNormalSpec, randomSpec } from './helpers.test-support.js';
import { renyi, shannon } from './index.js';

/** Independent reference with Math.pow: H_α = log(Σ p^α)/(1-α), per signal. */
function naiveRenyi(spec: SpecView, alpha: number): number[] {
  const per = spec.freqs * spec.frames;
  const out: number[] = [];
  for (let b = 0; b < spec.batch; b++) {
    let z = 0;
    for (let k = 0; k < per; k++) z += spec.data[b * per + k];
    let s = 0;
    for (let k = 0; k < per; k++) s += Math.pow(spec.data[b * per + k] / z, alpha);
    out.push(Math.log(s) / (1 - alpha));
  }
  return out;
}

describe('renyi', () => {
  it('defaults to α = 3, mean over the batch', () => {
    expect(renyi.defaults).toEqual({ alpha: 3, reduction: 'mean' });
  });

  it('of a uniform spectrogram is log(F·T) for every α', () => {
    const F = 17;
    const T = 23;
    const spec = { data: new Float64Array(F * T).fill(0.37), batch: 1, freqs: F, frames: T };
    for (const alpha of [0.05, 0.3, 0.5, 0.8, 0.999, 1, 1.001, 1.3, 2, 2.5, 3, 7, 40, 200, 5000]) {
      expect(Math.abs(renyi.evaluate(spec, null, { alpha, reduction: 'mean' }) - Math.log(F * T)), `α = ${alpha}`).toBeLessThan(1e-11);
    }
  });

  it('matches the Math.pow definition for orders on both sides of 1, integer and not', () => {
    const spec = logNormalSpec(5, 2, 8, 13, 1);
    for (const alpha of [0.2, 0.5, 0.8, 0.9, 1.1, 1.2, 1.5, 2, 2.5, 3, 4, 7.5]) {
      const ref = naiveRenyi(spec, alpha);
      const got = renyi.evaluate(spec, null, { alpha, reduction: 'sum' });
      expect(Math.abs(got - (ref[0] + ref[1])) / Math.abs(ref[0] + ref[1]), `α = ${alpha}`).toBeLessThan(1e-12);
    }
  });

  it('tends to Shannon as α → 1 (numerically, from both sides) and equals it at α = 1', () => {
    const spec = logNormalSpec(6, 3, 10, 9);
    const h = shannon.evaluate(spec, null, { reduction: 'mean' });
    expect(renyi.evaluate(spec, null, { alpha: 1, reduction: 'mean' })).toBe(h);
    for (const eps of [1e-2, 1e-4, 1e-6, 1e-9, 1e-12]) {
      for (const alpha of [1 - eps, 1 + eps]) {
        const d = Math.abs(renyi.evaluate(spec, null, { alpha, reduction: 'mean' }) - h);
        // H_α = H - (α-1)·Var(log p)/2 + O((α-1)²): the distance shrinks in proportion to |α - 1|, to rounding
        expect(d, `α = ${alpha}`).toBeLessThan(10 * eps + 1e-13);
      }
    }
    // and the gradient tends to Shannon's
    const gS = new Float64Array(spec.data.length);
    const gR = new Float64Array(spec.data.length);
    shannon.evaluate(spec, gS, { reduction: 'mean' });
    renyi.evaluate(spec, gR, { alpha: 1 + 1e-9, reduction: 'mean' });
    for (let k = 0; k < gS.length; k++) expect(Math.abs(gR[k] - gS[k])).toBeLessThan(1e-8 * (1 + Math.abs(gS[k])));
  });

  it('is continuous where it switches between its two forms (|α - 1| = 1/4)', () => {
    const spec = logNormalSpec(7, 1, 12, 12);
    for (const edge of [0.75, 1.25]) {
      const a = renyi.evaluate(spec, null, { alpha: edge - 1e-12, reduction: 'mean' });
      const b = renyi.evaluate(spec, null, { alpha: edge + 1e-12, reduction: 'mean' });
      expect(Math.abs(a - b)).toBeLessThan(1e-10);
    }
  });

  it('stays finite for large α (no underflow), between the min-entropy H_∞ and α/(α-1)·H_∞', () => {
    const spec = logNormalSpec(8, 1, 64, 64, 0.3);
    let z = 0;
    let m = 0;
    for (const s of spec.data) {
      z += s;
      m = Math.max(m, s);
    }
    const hInf = -Math.log(m / z);
    for (const alpha of [60, 300, 3000]) {
      const h = renyi.evaluate(spec, null, { alpha, reduction: 'mean' });
      expect(h).toBeGreaterThanOrEqual(hInf - 1e-12);
      expect(h).toBeLessThanOrEqual((alpha / (alpha - 1)) * hInf + 1e-12);
    }
  });

  it('gradient matches central differences (α on both sides of 1, batch 1 and 3, non-square, several seeds)', () => {
    for (const seed of [1, 2]) {
      for (const [B, F, T] of [
        [1, 9, 6],
        [3, 5, 8],
      ] as const) {
        for (const alpha of [0.3, 0.6, 0.9, 1, 1.1, 1.6, 2, 2.5, 3, 12]) {
          for (const reduction of ['mean', 'sum'] as const) gradcheckLoss(renyi, randomSpec(seed * 31 + B, B, F, T), { alpha, reduction });
          gradcheckLoss(renyi, logNormalSpec(seed, B, F, T, 1), { alpha, reduction: 'mean' });
        }
      }
    }
  });

  it('zero entries: value term 0, exact gradient for α > 1, finite gradient for α < 1', () => {
    const spec = randomSpec(4, 1, 4, 5);
    spec.data[3] = 0;
    spec.data[11] = 0;
    for (const alpha of [0.5, 0.9, 1.1, 2, 3.5]) {
      const grad = new Float64Array(20);
      const v = renyi.evaluate(spec, grad, { alpha, reduction: 'mean' });
      expect(Math.abs(v - naiveRenyi(spec, alpha)[0])).toBeLessThan(1e-12);
      for (const g of grad) expect(Number.isFinite(g)).toBe(true);
      if (alpha >= 2) {
        // ∂H/∂S_k at S_k = 0 is α/((α-1)·Z) for α > 1 (the one-sided derivative: check it with a forward difference,
        // whose error is O(h^(α-1)), hence α ≥ 2 here)
        const h = 1e-7;
        const bumped = Float64Array.from(spec.data);
        bumped[3] = h;
        const fd = (renyi.evaluate({ ...spec, data: bumped }, null, { alpha, reduction: 'mean' }) - v) / h;
        expect(Math.abs(fd - grad[3]) / Math.abs(grad[3])).toBeLessThan(1e-5);
      } else if (alpha < 1) {
        expect(grad[3]).toBeGreaterThan(1e3); // towards +∞ (taken at p = P_FLOOR)
      }
    }
  });

  it('rejects α ≤ 0 or non-finite, naming alpha, and a bad reduction', () => {
    const spec = randomSpec(1, 1, 3, 3);
    for (const alpha of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '3']) {
      expect(() => renyi.evaluate(spec, null, { alpha: alpha as number, reduction: 'mean' })).toThrow(ParameterError);
      expect(() => renyi.evaluate(spec, null, { alpha: alpha as number, reduction: 'mean' })).toThrow(/^alpha = .*Fix: .*shannon/);
    }
    expect(() => renyi.evaluate(spec, null, { alpha: 2, reduction: 'none' as never })).toThrow(/^reduction = "none"/);
    const zero = { ...spec, data: new Float64Array(9) };
    expect(() => renyi.evaluate(zero, null, renyi.defaults)).toThrow(/signal 0/);
  });
});
