import { ParameterError, ShapeError } from '@dstft/core';
import { createRng } from '@dstft/testing';
import { describe, expect, it } from 'vitest';
import { gradcheckRegularizer, layouts, makeInput } from './helpers.test-support.js';
import { tfSmoothness, type TfSmoothnessOptions } from './index.js';

const positionsOf = (T: number) => Float64Array.from({ length: T }, (_, n) => 3.25 + 17.5 * n);
const opts = (o: Partial<TfSmoothnessOptions>): TfSmoothnessOptions => ({ ...tfSmoothness.defaults, ...o });

describe('tf-smoothness', () => {
  it('of a constant map is 0 (any layout, any radius)', () => {
    for (const layout of layouts(5, 7)) {
      const input = makeInput(new Float64Array(layout.rows * layout.cols).fill(123.4), layout, positionsOf(7), 200);
      for (const o of [{}, { timeRadius: 3, freqRadius: 2 }, { delta: 0 }, { diagonal: false }]) {
        const grad = { theta: new Float64Array(layout.rows * layout.cols), positions: new Float64Array(7) };
        expect(tfSmoothness.evaluate(input, grad, opts(o))).toBe(0);
        expect(grad.theta.every((g) => g === 0)).toBe(true);
      }
    }
  });

  it('of a 2×2 map by hand: each unordered pair once', () => {
    // θ = [[1, 2], [4, 8]]: row pairs |1-2|, |4-8|; column pairs |1-4|, |2-8|; diagonals |1-8|, |2-4|
    const input = makeInput(Float64Array.of(1, 2, 4, 8), { rows: 2, cols: 2 }, positionsOf(2), 50);
    expect(tfSmoothness.evaluate(input, null, opts({ delta: 0 }))).toBe(1 + 4 + 3 + 6 + 7 + 2);
    expect(tfSmoothness.evaluate(input, null, opts({ delta: 0, diagonal: false }))).toBe(1 + 4 + 3 + 6);
    expect(tfSmoothness.evaluate(input, null, opts({ delta: 0, timeRadius: 0 }))).toBe(3 + 6); // columns only
    expect(tfSmoothness.evaluate(input, null, opts({ delta: 0, freqRadius: 0 }))).toBe(1 + 4); // rows only
    const rho = (d: number, delta: number) => Math.sqrt(d * d + delta * delta) - delta;
    const smooth = [1, 4, 3, 6, 7, 2].reduce((s, d) => s + rho(d, 1), 0);
    expect(tfSmoothness.evaluate(input, null, opts({}))).toBeCloseTo(smooth, 14);
    // gradient with δ = 0: sign sums. θ00 = 1 is below all three neighbours: -3; θ11 = 8 above all: +3
    const grad = { theta: new Float64Array(4), positions: new Float64Array(2) };
    tfSmoothness.evaluate(input, grad, opts({ delta: 0 }));
    // θ01 = 2: +1 (vs 1), -1 (vs 4), -1 (vs 8); θ10 = 4: +1, +1, -1
    expect(Array.from(grad.theta)).toEqual([-3, -1, 1, 3]);
    expect(Array.from(grad.positions)).toEqual([0, 0]);
  });

  it('of a time-varying 1×T map sums differences along time up to the radius', () => {
    const input = makeInput(Float64Array.of(1, 3, 6), { rows: 1, cols: 3 }, positionsOf(3), 60);
    expect(tfSmoothness.evaluate(input, null, opts({ delta: 0 }))).toBe(2 + 3);
    expect(tfSmoothness.evaluate(input, null, opts({ delta: 0, timeRadius: 2 }))).toBe(2 + 3 + 5);
    expect(tfSmoothness.evaluate(input, null, opts({ delta: 0, timeRadius: 9 }))).toBe(2 + 3 + 5);
    expect(tfSmoothness.evaluate(makeInput(Float64Array.of(7), { rows: 1, cols: 1 }, positionsOf(3), 60), null, opts({}))).toBe(0);
  });

  it('gradient matches central differences for every layout, radii, diagonal or not, smooth and plain', () => {
    const F = 5;
    const T = 6;
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed);
      for (const layout of layouts(F, T)) {
        const theta = new Float64Array(layout.rows * layout.cols).map(() => rng.uniform(50, 400));
        const input = makeInput(theta, layout, positionsOf(T), 120);
        for (const o of [{}, { delta: 0.3 }, { delta: 0 }, { diagonal: false }, { timeRadius: 2, freqRadius: 3, delta: 5 }, { timeRadius: 0 }]) {
          gradcheckRegularizer(tfSmoothness, input, opts(o), seed);
        }
      }
    }
  });

  it('rejects bad options with typed errors naming the parameter', () => {
    const input = makeInput(Float64Array.of(1, 2, 4, 8), { rows: 2, cols: 2 }, positionsOf(2), 50);
    expect(() => tfSmoothness.evaluate(input, null, opts({ timeRadius: -1 }))).toThrow(/^timeRadius = -1/);
    expect(() => tfSmoothness.evaluate(input, null, opts({ freqRadius: 1.5 }))).toThrow(/^freqRadius = 1\.5/);
    expect(() => tfSmoothness.evaluate(input, null, opts({ diagonal: 'yes' as never }))).toThrow(/^diagonal = "yes"/);
    expect(() => tfSmoothness.evaluate(input, null, opts({ delta: -1 }))).toThrow(ParameterError);
    expect(() => tfSmoothness.evaluate(input, null, opts({ delta: -1 }))).toThrow(/^delta = -1/);
    expect(() => tfSmoothness.evaluate(makeInput(Float64Array.of(1, 2, 4), { rows: 2, cols: 2 }, positionsOf(2), 50), null, opts({}))).toThrow(ShapeError);
    expect(() => tfSmoothness.evaluate(makeInput(Float64Array.of(1, Number.POSITIVE_INFINITY), { rows: 1, cols: 2 }, positionsOf(2), 50), null, opts({}))).toThrow(/^theta\.data\[1\] = Infinity/);
  });
});
