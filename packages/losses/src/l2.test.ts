import { ParameterError, ShapeError } from '@dstft/core';
import { createRng } from '@dstft/testing';
import { describe, expect, it } from 'vitest';
import { gradcheckRegularizer, layouts, makeInput } from './helpers.test-support.js';
import { l2, type L2Options } from './index.js';

const opts = (o: Partial<L2Options>): L2Options => ({ ...l2.defaults, ...o });

describe('l2', () => {
  const input = makeInput(Float64Array.of(100, 130, 90), { rows: 1, cols: 3 }, Float64Array.of(0.5, 40, 81.25), 120);

  it('by hand: θ, positions or both, scalar or per-entry targets', () => {
    expect(l2.evaluate(input, null, opts({ target: 100 }))).toBe(0 + 900 + 100);
    expect(l2.evaluate(input, null, opts({ target: [100, 120, 100] }))).toBe(0 + 100 + 100);
    expect(l2.evaluate(input, null, opts({ on: 'positions', positionsTarget: [0, 40, 80] }))).toBe(0.25 + 0 + 1.5625);
    expect(l2.evaluate(input, null, opts({ on: 'both', target: 100, positionsTarget: Float64Array.of(0, 40, 80) }))).toBe(1000 + 1.8125);
    const grad = { theta: new Float64Array(3), positions: new Float64Array(3) };
    l2.evaluate(input, grad, opts({ on: 'both', target: 100, positionsTarget: 40 }));
    expect(Array.from(grad.theta)).toEqual([0, 60, -20]);
    expect(Array.from(grad.positions)).toEqual([-79, 0, 82.5]);
  });

  it('gradient matches central differences for every θ layout and every `on`', () => {
    const F = 3;
    const T = 5;
    const rng = createRng(7);
    for (const layout of layouts(F, T)) {
      const theta = new Float64Array(layout.rows * layout.cols).map(() => rng.uniform(60, 300));
      const positions = Float64Array.from({ length: T }, (_, n) => 12.5 * n + rng.uniform(0, 3));
      const inp = makeInput(theta, layout, positions, 80);
      const target = Array.from(theta, () => rng.uniform(60, 300));
      for (const on of ['theta', 'positions', 'both'] as const) {
        gradcheckRegularizer(l2, inp, opts({ on, target, positionsTarget: 17.5 }));
        gradcheckRegularizer(l2, inp, opts({ on, target: 128, positionsTarget: Array.from(positions, (p) => p + 1) }));
      }
    }
  });

  it('has no default target: a missing one is an error saying how to set it', () => {
    expect(() => l2.evaluate(input, null, l2.defaults)).toThrow(ParameterError);
    expect(() => l2.evaluate(input, null, l2.defaults)).toThrow(/^target = null: .*Fix: set it/);
    expect(() => l2.evaluate(input, null, opts({ on: 'both', target: 1 }))).toThrow(/^positionsTarget = null/);
    expect(l2.evaluate(input, null, opts({ on: 'positions', positionsTarget: 0 }))).toBeGreaterThan(0); // θ target not needed
  });

  it('rejects bad options with typed errors naming the parameter', () => {
    expect(() => l2.evaluate(input, null, opts({ on: 'hops' as never, target: 1 }))).toThrow(/^on = "hops"/);
    expect(() => l2.evaluate(input, null, opts({ target: [1, 2] }))).toThrow(ShapeError);
    expect(() => l2.evaluate(input, null, opts({ target: [1, 2] }))).toThrow(/^target = \[1, 2\]: expected 3 values/);
    expect(() => l2.evaluate(input, null, opts({ target: [1, Number.NaN, 2] }))).toThrow(/^target\[1\] = NaN/);
    expect(() => l2.evaluate(input, null, opts({ target: Number.POSITIVE_INFINITY }))).toThrow(/^target = Infinity/);
    expect(() => l2.evaluate(input, null, opts({ target: 'x' as never }))).toThrow(/^target = "x"/);
  });
});
