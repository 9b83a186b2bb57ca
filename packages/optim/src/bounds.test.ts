import type { OptimizerInstance, ParamGroup } from '@dstft/core';
import { createRng } from '@dstft/testing';
import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { lbfgs } from './lbfgs.js';
import { minimize } from './minimize.js';
import { quadratic, watched } from './problems.test-support.js';
import { sgd } from './sgd.js';

type Factory = (groups: readonly ParamGroup[]) => OptimizerInstance;

const OPTIMIZERS: [string, Factory][] = [
  ['sgd', (g) => sgd.create(g, { lr: 0.1 })],
  ['sgd nesterov', (g) => sgd.create(g, { lr: 0.05, momentum: 0.9, nesterov: true })],
  ['adam', (g) => adam.create(g, { lr: 0.1 })],
  ['adam amsgrad', (g) => adam.create(g, { lr: 0.1, amsgrad: true })],
  ['adamw (default decay 0.01)', (g) => adamw.create(g, { lr: 0.1 })],
  ['lbfgs strong-wolfe', (g) => lbfgs.create(g, {})],
  ['lbfgs backtracking', (g) => lbfgs.create(g, { lineSearch: 'backtracking' })],
];

describe('bounds: projected steps, never outside the box', () => {
  it.each(OPTIMIZERS)('%s ends on the bound of a quadratic whose minimum lies outside the box', (_name, make) => {
    // unconstrained minimum (5, -3); box [0, 2] × [-1, 1] → constrained minimum (2, -1)
    const x = { name: 'x', values: Float64Array.of(0.5), lower: 0, upper: 2 };
    const y = { name: 'y', values: Float64Array.of(0.5), lower: -1, upper: 1 };
    const w = watched([x, y], quadratic([x, y], [[1], [3]], [[5], [-3]]));
    let outside = 0;
    const r = minimize({
      groups: [x, y],
      objective: w.objective,
      optimizer: make([x, y]),
      maxIterations: 300,
      onProgress: () => {
        if (!(x.values[0] >= 0 && x.values[0] <= 2 && y.values[0] >= -1 && y.values[0] <= 1)) outside++;
      },
    });
    expect(w.violations()).toBe(0); // every evaluated point, line-search trials included
    expect(outside).toBe(0);
    expect(x.values[0]).toBe(2);
    expect(y.values[0]).toBe(-1);
    expect(r.loss).toBeCloseTo(0.5 * 9 + 1.5 * 4, 12);
  });

  it.each(OPTIMIZERS)('%s leaves a group with lower = upper untouched', (_name, make) => {
    const fixed = { name: 'fixed', values: Float64Array.of(64), lower: 64, upper: 64 };
    const free = { name: 'free', values: Float64Array.of(1) };
    const objective = quadratic([fixed, free], [[1], [1]], [[100], [3]]);
    minimize({ groups: [fixed, free], objective, optimizer: make([fixed, free]), maxIterations: 50 });
    expect(fixed.values[0]).toBe(64);
  });

  it('lbfgs: a time-varying θ (64 values) with many active bounds on both sides (seeded)', () => {
    const rng = createRng(21);
    const n = 64;
    const values = new Float64Array(n);
    const centre: number[] = [];
    const curvature: number[] = [];
    for (let i = 0; i < n; i++) {
      values[i] = rng.uniform(64, 512);
      centre.push(rng.uniform(-200, 800)); // the box is [32, 640]: about a third of the centres lie outside it
      curvature.push(Math.pow(10, rng.uniform(-2, 0)));
    }
    for (const lineSearch of ['strong-wolfe', 'backtracking'] as const) {
      const theta = { name: 'theta', values: Float64Array.from(values), lower: 32, upper: 640 };
      const w = watched([theta], quadratic([theta], [curvature], [centre]));
      const r = minimize({ groups: [theta], objective: w.objective, optimizer: lbfgs.create([theta], { lineSearch }), maxIterations: 300, tolerance: { grad: 1e-9 } });
      expect(r.stopReason).toBe('grad-tolerance');
      expect(w.violations()).toBe(0);
      for (let i = 0; i < n; i++) expect(Math.abs(theta.values[i] - Math.min(640, Math.max(32, centre[i])))).toBeLessThan(1e-6);
    }
  });
});
