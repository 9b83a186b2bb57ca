import { ParameterError } from '@dstft/core';
import { createRng } from '@dstft/testing';
import { describe, expect, it } from 'vitest';
import { gradcheckRegularizer, layouts, makeInput } from './helpers.test-support.js';
import { bounds } from './index.js';

describe('bounds', () => {
  const input = makeInput(Float64Array.of(10, 50, 300, 1100), { rows: 2, cols: 2 }, Float64Array.of(0, 64), 128);

  it('by hand: 0 inside the box, squared distance outside, one-sided bounds', () => {
    expect(bounds.evaluate(input, null, { lower: 16, upper: 1024 })).toBe(36 + 76 * 76);
    expect(bounds.evaluate(input, null, { lower: 16, upper: null })).toBe(36);
    expect(bounds.evaluate(input, null, { lower: null, upper: 200 })).toBe(100 * 100 + 900 * 900);
    expect(bounds.evaluate(input, null, { lower: 5, upper: 2000 })).toBe(0);
    const grad = { theta: new Float64Array(4), positions: new Float64Array(2) };
    bounds.evaluate(input, grad, { lower: 16, upper: 1024 });
    expect(Array.from(grad.theta)).toEqual([-12, 0, 0, 152]);
    expect(Array.from(grad.positions)).toEqual([0, 0]);
  });

  it('gradient matches central differences for every θ layout', () => {
    const rng = createRng(11);
    for (const layout of layouts(4, 6)) {
      const theta = new Float64Array(layout.rows * layout.cols).map(() => rng.uniform(0, 600));
      const inp = makeInput(theta, layout, Float64Array.from({ length: 6 }, (_, n) => 32.5 * n), 200);
      for (const o of [
        { lower: 100.5, upper: 450.25 },
        { lower: 200, upper: null },
        { lower: null, upper: 300 },
      ]) {
        gradcheckRegularizer(bounds, inp, o);
      }
    }
  });

  it('needs at least one bound, lower ≤ upper, finite numbers: typed errors naming the parameter', () => {
    expect(() => bounds.evaluate(input, null, bounds.defaults)).toThrow(ParameterError);
    expect(() => bounds.evaluate(input, null, bounds.defaults)).toThrow(/^lower\/upper = null: .*at least one bound/);
    expect(() => bounds.evaluate(input, null, { lower: 10, upper: 5 })).toThrow(/^lower = 10: lower exceeds upper = 5/);
    expect(() => bounds.evaluate(input, null, { lower: Number.NaN, upper: 5 })).toThrow(/^lower = NaN/);
    expect(() => bounds.evaluate(input, null, { lower: null, upper: '5' as never })).toThrow(/^upper = "5"/);
  });
});
