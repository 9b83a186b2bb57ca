import { ParameterError, ShapeError } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { minimize } from './minimize.js';
import { quadratic } from './problems.test-support.js';
import { sgd } from './sgd.js';

const ctx = (iteration: number) => ({ loss: 0, iteration });

function errorOf(fn: () => unknown): ParameterError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParameterError) return e;
    throw e;
  }
  throw new Error('expected a ParameterError');
}

describe('sgd', () => {
  it('plain step: x ← x - lr·g', () => {
    const group = { name: 'a', values: Float64Array.of(1, -2) };
    const opt = sgd.create([group], { lr: 0.5 });
    expect(opt.step([Float64Array.of(2, -4)], ctx(0))).toEqual({ evaluations: 0 });
    expect(Array.from(group.values)).toEqual([0, 0]);
  });

  it('momentum with dampening: buffers hand-computed over two steps', () => {
    // b1 = g1 = 2 (first step: no dampening); x1 = 1 - 0.1·2 = 0.8
    // b2 = 0.9·2 + (1 - 0.1)·3 = 4.5;            x2 = 0.8 - 0.1·4.5 = 0.35
    const group = { name: 'a', values: Float64Array.of(1) };
    const opt = sgd.create([group], { lr: 0.1, momentum: 0.9, dampening: 0.1 });
    opt.step([Float64Array.of(2)], ctx(0));
    expect(group.values[0]).toBeCloseTo(0.8, 15);
    opt.step([Float64Array.of(3)], ctx(1));
    expect(group.values[0]).toBeCloseTo(0.35, 15);
  });

  it('Nesterov with weight decay: hand-computed over two steps', () => {
    // step 1: d = 2 + 0.5·1 = 2.5; b = 2.5; d = 2.5 + 0.9·2.5 = 4.75; x = 1 - 0.1·4.75 = 0.525
    // step 2: d = 3 + 0.5·0.525 = 3.2625; b = 0.9·2.5 + 3.2625 = 5.5125; d = 3.2625 + 0.9·5.5125 = 8.22375
    //         x = 0.525 - 0.822375 = -0.297375
    const group = { name: 'a', values: Float64Array.of(1) };
    const opt = sgd.create([group], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.5 });
    opt.step([Float64Array.of(2)], ctx(0));
    expect(group.values[0]).toBeCloseTo(0.525, 15);
    opt.step([Float64Array.of(3)], ctx(1));
    expect(group.values[0]).toBeCloseTo(-0.297375, 14);
  });

  it('schedule multiplies lr by the factor of context.iteration', () => {
    const group = { name: 'a', values: Float64Array.of(0) };
    const opt = sgd.create([group], { lr: 1, schedule: { kind: 'step', every: 1, gamma: 0.5 } });
    opt.step([Float64Array.of(-1)], ctx(0)); // +1
    opt.step([Float64Array.of(-1)], ctx(1)); // +0.5
    opt.step([Float64Array.of(-1)], ctx(3)); // +0.125
    expect(group.values[0]).toBe(1.625);
  });

  it('per-group lr overrides options.lr (and makes options.lr optional)', () => {
    const theta = { name: 'theta', values: Float64Array.of(100), lr: 10 };
    const hop = { name: 'hop', values: Float64Array.of(8) };
    const opt = sgd.create([theta, hop], { lr: 0.01 });
    opt.step([Float64Array.of(1), Float64Array.of(1)], ctx(0));
    expect(theta.values[0]).toBe(90);
    expect(hop.values[0]).toBeCloseTo(7.99, 15);
    expect(() => sgd.create([{ name: 'w', values: Float64Array.of(1), lr: 2 }], {})).not.toThrow();
  });

  it('SGD + Nesterov converges on an ill-conditioned convex quadratic', () => {
    const group = { name: 'x', values: Float64Array.of(5, -3, 10) };
    const objective = quadratic([group], [[1, 10, 0.5]], [[1, 2, 3]]);
    const r = minimize({
      groups: [group],
      objective,
      optimizer: sgd.create([group], { lr: 0.09, momentum: 0.9, nesterov: true }),
      maxIterations: 2000,
      tolerance: { grad: 1e-10 },
    });
    expect(r.stopReason).toBe('grad-tolerance');
    for (const [i, c] of [1, 2, 3].entries()) expect(group.values[i]).toBeCloseTo(c, 9);
  });

  it('lr is required, with a fix', () => {
    const e = errorOf(() => sgd.create([{ name: 'a', values: Float64Array.of(1) }], {}));
    expect(e.parameter).toBe('sgd.lr');
    expect(e.message).toMatch(/required/);
    expect(e.fix).toMatch(/adam/);
  });

  it.each([
    [{ lr: 0.1, momentum: 1 }, 'sgd.momentum'],
    [{ lr: 0.1, momentum: -0.1 }, 'sgd.momentum'],
    [{ lr: 0.1, dampening: 2 }, 'sgd.dampening'],
    [{ lr: 0.1, weightDecay: -1 }, 'sgd.weightDecay'],
    [{ lr: 0.1, nesterov: true }, 'sgd.nesterov'],
    [{ lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }, 'sgd.nesterov'],
    [{ lr: 0.1, nesterov: 'yes' }, 'sgd.nesterov'],
    [{ lr: 0 }, 'sgd.lr'],
    [{ lr: Number.NaN }, 'sgd.lr'],
    [{ lr: 0.1, momentun: 0.9 }, 'sgd.momentun'],
    [{ lr: 0.1, schedule: { kind: 'cosine', total: 0, min: 0 } }, 'sgd.schedule.total'],
  ])('rejects %j naming %s', (options, name) => {
    const e = errorOf(() => sgd.create([{ name: 'a', values: Float64Array.of(1) }], options as never));
    expect(e.parameter).toBe(name);
    expect(e.fix.length).toBeGreaterThan(0);
  });

  it('checks the gradients passed to step', () => {
    const opt = sgd.create([{ name: 'a', values: Float64Array.of(1, 2) }], { lr: 1 });
    expect(() => opt.step([Float64Array.of(1)], ctx(0))).toThrow(ShapeError);
    expect(() => opt.step([], ctx(0))).toThrow(ShapeError);
    expect(() => opt.step([Float64Array.of(1, 2)], { loss: 0, iteration: -1 })).toThrow(ParameterError);
  });

  it('defaults are plain data', () => {
    expect(sgd.defaults).toEqual({ momentum: 0, nesterov: false, dampening: 0, weightDecay: 0, schedule: { kind: 'constant' } });
    expect(JSON.parse(JSON.stringify(sgd.defaults))).toEqual(sgd.defaults);
  });
});
