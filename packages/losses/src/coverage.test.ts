import { ParameterError, ShapeError } from '@dstft/core';
import { createRng } from '@dstft/testing';
import { describe, expect, it } from 'vitest';
import { gradcheckRegularizer, layouts, makeInput } from './helpers.test-support.js';
import { coverage, coverageViolations } from './index.js';

describe('coverage', () => {
  it('hand-computed 3-frame example: penalty, gradient and the violation report', () => {
    // L = 100, c = 0.5, θ = 40 everywhere (covered half-width 10), t = [15, 50, 80]:
    //   start 15 - 10 = 5, gap 0: 35 - 20 = 15, gap 1: 30 - 20 = 10, end: 99 - 90 = 9  →  25 + 225 + 100 + 81 = 431
    const input = makeInput(Float64Array.of(40), { rows: 1, cols: 1 }, Float64Array.of(15, 50, 80), 100);
    const grad = { theta: new Float64Array(1), positions: new Float64Array(3) };
    expect(coverage.evaluate(input, grad, { ratio: 0.5 })).toBe(431);
    // ∂/∂t_0 = 2·5 - 2·15, ∂/∂t_1 = 2·15 - 2·10, ∂/∂t_2 = 2·10 - 2·9; ∂/∂θ = -c·(5 + 2·15 + 2·10 + 9)
    expect(Array.from(grad.positions)).toEqual([-20, 10, 2]);
    expect(grad.theta[0]).toBe(-32);
    expect(coverageViolations(input)).toEqual([
      { kind: 'start', row: 0, frame: 0, from: 0, to: 5, amount: 5 },
      { kind: 'gap', row: 0, frame: 0, from: 25, to: 40, amount: 15 },
      { kind: 'gap', row: 0, frame: 1, from: 60, to: 70, amount: 10 },
      { kind: 'end', row: 0, frame: 2, from: 90, to: 99, amount: 9 },
    ]);
    // ratio 1: half-width 20: start -5, gaps 35 - 40 < 0, 30 - 40 < 0, end 99 - 100 < 0: all covered
    expect(coverage.evaluate(input, null, { ratio: 1 })).toBe(0);
    expect(coverageViolations(input, { ratio: 1 })).toEqual([]);
  });

  it('is exactly 0 with a zero gradient when the conditions hold with equality (and strictly)', () => {
    // t_n = 10 + 20n, θ = 40, c = 0.5: every window covers [t_n - 10, t_n + 10]: start 0, gaps 0, end 99 - 99 = 0
    const T = 5;
    const positions = Float64Array.from({ length: T }, (_, n) => 10 + 20 * n);
    for (const layout of layouts(3, T)) {
      const theta = new Float64Array(layout.rows * layout.cols).fill(40);
      const input = makeInput(theta, layout, positions, 99);
      const grad = { theta: new Float64Array(theta.length), positions: new Float64Array(T) };
      expect(coverage.evaluate(input, grad, coverage.defaults)).toBe(0);
      expect(grad.theta.every((g) => g === 0)).toBe(true);
      expect(grad.positions.every((g) => g === 0)).toBe(true);
      expect(coverageViolations(input)).toEqual([]);
      theta.fill(41); // strictly
      expect(coverage.evaluate(input, null, coverage.defaults)).toBe(0);
    }
  });

  it('gradient matches central differences with violations at several places, for every θ layout, fractional positions', () => {
    const F = 4;
    const T = 9;
    for (const seed of [1, 2, 3, 4]) {
      const rng = createRng(seed);
      for (const layout of layouts(F, T)) {
        const theta = new Float64Array(layout.rows * layout.cols).map(() => rng.uniform(20, 70));
        // irregular, fractional positions: some gaps too wide for the windows, start and end not reached
        const positions = new Float64Array(T);
        let t = rng.uniform(20, 40);
        for (let n = 0; n < T; n++) {
          positions[n] = t;
          t += rng.uniform(15, 60);
        }
        const input = makeInput(theta, layout, positions, Math.round(positions[T - 1] + 60));
        for (const ratio of [0.5, 0.8]) {
          const violations = coverageViolations(input, { ratio });
          expect(violations.length, `seed ${seed}`).toBeGreaterThanOrEqual(2);
          // stay away from the kink of max(0, v)² (where the second derivative jumps)
          for (const v of violations) expect(v.amount).toBeGreaterThan(1e-3);
          const value = coverage.evaluate(input, null, { ratio });
          expect(value).toBeCloseTo(violations.reduce((s, v) => s + v.amount * v.amount, 0), 9);
          gradcheckRegularizer(coverage, input, { ratio }, seed);
        }
      }
    }
  });

  it('sums the conditions over the rows of a frequency-dependent θ', () => {
    const positions = Float64Array.of(15, 50, 80);
    const one = coverage.evaluate(makeInput(Float64Array.of(40), { rows: 1, cols: 1 }, positions, 100), null, coverage.defaults);
    const two = coverage.evaluate(makeInput(Float64Array.of(40, 120), { rows: 2, cols: 1 }, positions, 100), null, coverage.defaults);
    expect(one).toBe(431);
    expect(two).toBe(431); // row 1 (θ = 120, half-width 30) covers everything
    const report = coverageViolations(makeInput(Float64Array.of(120, 40), { rows: 2, cols: 1 }, positions, 100));
    expect(report.map((v) => v.row)).toEqual([1, 1, 1, 1]);
  });

  it('rejects a bad ratio and shapes with typed errors naming the parameter', () => {
    const input = makeInput(Float64Array.of(40), { rows: 1, cols: 1 }, Float64Array.of(15, 50, 80), 100);
    for (const ratio of [0, -0.5, 1.5, Number.NaN]) {
      expect(() => coverage.evaluate(input, null, { ratio })).toThrow(ParameterError);
      expect(() => coverage.evaluate(input, null, { ratio })).toThrow(/^ratio = /);
      expect(() => coverageViolations(input, { ratio })).toThrow(/^ratio = /);
    }
    expect(() => coverage.evaluate(makeInput(new Float64Array(2), { rows: 1, cols: 2 }, Float64Array.of(1, 2, 3), 100), null, coverage.defaults)).toThrow(/^theta\.cols = 2/);
    expect(() => coverage.evaluate(makeInput(new Float64Array(3), { rows: 2, cols: 2 }, Float64Array.of(1, 2), 100), null, coverage.defaults)).toThrow(ShapeError);
    expect(() => coverage.evaluate(makeInput(Float64Array.of(40), { rows: 1, cols: 1 }, new Float64Array(0), 100), null, coverage.defaults)).toThrow(/^positions = /);
    expect(() => coverage.evaluate({ ...input, signalLength: 0 }, null, coverage.defaults)).toThrow(/^signalLength = 0/);
    expect(() => coverage.evaluate(makeInput(Float64Array.of(40), { rows: 1, cols: 1 }, Float64Array.of(1, Number.NaN), 100), null, coverage.defaults)).toThrow(/^positions\[1\] = NaN/);
    expect(() => coverage.evaluate(input, { theta: new Float64Array(1), positions: new Float64Array(2) }, coverage.defaults)).toThrow(/^grad\.positions = /);
    expect(() => coverage.evaluate(input, { theta: new Float64Array(3), positions: new Float64Array(3) }, coverage.defaults)).toThrow(/^grad\.theta = /);
  });
});
