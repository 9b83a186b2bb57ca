import { ParameterError } from '@dstft/core';
import { createRng } from '@dstft/testing';
import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { minimize } from './minimize.js';
import { quadratic, rosenbrock } from './problems.test-support.js';

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

describe('adam', () => {
  it('first step is lr·sign(g) whatever the gradient scale (independent check)', () => {
    const rng = createRng(11);
    const n = 12;
    const values = new Float64Array(n);
    const g = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      values[i] = rng.uniform(50, 500);
      // gradients over 8 orders of magnitude, both signs
      g[i] = (rng.next() < 0.5 ? -1 : 1) * Math.pow(10, rng.uniform(-2, 6));
    }
    const start = Float64Array.from(values);
    const group = { name: 'theta', values };
    adam.create([group], { lr: 2.5 }).step([g], ctx(0));
    for (let i = 0; i < n; i++) {
      // m̂ = g, v̂ = g²: the step is lr·g/(|g| + eps) = lr·sign(g)·(1 - eps/(|g|+eps))
      expect(values[i] - (start[i] - 2.5 * Math.sign(g[i]))).toBeCloseTo(0, 6);
    }
  });

  it('two steps match the bias-corrected formula (hand-computed)', () => {
    // t=1: m = 0.1·2 = 0.2, s = 0.001·4 = 0.004; m̂ = 2, v̂ = 4 → x = 10 - 0.5·2/(2 + 1e-8)
    // t=2: m = 0.9·0.2 + 0.1·(-1) = 0.08, s = 0.999·0.004 + 0.001·1 = 0.004996
    //      m̂ = 0.08/0.19, v̂ = 0.004996/0.001999 → x -= 0.5·m̂/(√v̂ + 1e-8)
    const group = { name: 'a', values: Float64Array.of(10) };
    const opt = adam.create([group], { lr: 0.5 });
    opt.step([Float64Array.of(2)], ctx(0));
    const x1 = 10 - (0.5 * 2) / (2 + 1e-8);
    expect(group.values[0]).toBeCloseTo(x1, 14);
    opt.step([Float64Array.of(-1)], ctx(1));
    const mHat = 0.08 / (1 - 0.81);
    const vHat = 0.004996 / (1 - 0.998001);
    expect(group.values[0]).toBeCloseTo(x1 - (0.5 * mHat) / (Math.sqrt(vHat) + 1e-8), 12);
  });

  it('weightDecay in adam is an L2 term in the gradient', () => {
    // g' = 2 + 0.1·10 = 3 → first step lr·3/(3 + eps)
    const group = { name: 'a', values: Float64Array.of(10) };
    adam.create([group], { lr: 0.5, weightDecay: 0.1 }).step([Float64Array.of(2)], ctx(0));
    expect(group.values[0]).toBeCloseTo(10 - (0.5 * 3) / (3 + 1e-8), 14);
  });

  it('amsgrad uses the running maximum of the second moment', () => {
    // t=1 as above; t=2 with g = 0: s = 0.999·0.004 = 0.003996 < max 0.004 → v̂ = 0.004/0.001999
    const plain = { name: 'a', values: Float64Array.of(10) };
    const ams = { name: 'a', values: Float64Array.of(10) };
    const p = adam.create([plain], { lr: 0.5 });
    const a = adam.create([ams], { lr: 0.5, amsgrad: true });
    for (const [opt] of [[p], [a]] as const) {
      opt.step([Float64Array.of(2)], ctx(0));
      opt.step([Float64Array.of(0)], ctx(1));
    }
    const x1 = 10 - (0.5 * 2) / (2 + 1e-8);
    const mHat = 0.18 / 0.19;
    expect(plain.values[0]).toBeCloseTo(x1 - (0.5 * mHat) / (Math.sqrt(0.003996 / 0.001999) + 1e-8), 12);
    expect(ams.values[0]).toBeCloseTo(x1 - (0.5 * mHat) / (Math.sqrt(0.004 / 0.001999) + 1e-8), 12);
  });

  it('reaches the Rosenbrock minimum within 1e-2 with a decaying schedule', () => {
    const group = { name: 'xy', values: Float64Array.of(-1.2, 1) };
    const r = minimize({
      groups: [group],
      objective: rosenbrock(group),
      optimizer: adam.create([group], { lr: 0.05, schedule: { kind: 'cosine', total: 3000, min: 0.001 } }),
      maxIterations: 3000,
    });
    expect(r.stopReason).toBe('max-iterations');
    expect(Math.abs(group.values[0] - 1)).toBeLessThan(1e-2);
    expect(Math.abs(group.values[1] - 1)).toBeLessThan(1e-2);
  });

  it('per-group lr: groups on very different scales both converge', () => {
    // window length θ ~ hundreds of samples, hop ~ a few samples; curvatures differ by 1e4
    const theta = { name: 'theta', values: Float64Array.of(100), lower: 10, upper: 1000, lr: 20 };
    const hop = { name: 'hop', values: Float64Array.of(40), lower: 1, upper: 500, lr: 1 };
    const objective = quadratic([theta, hop], [[1e-4], [1]], [[400], [3]]);
    const opt = adam.create([theta, hop], { schedule: { kind: 'exponential', gamma: 0.99 } });
    // the first step moves each group by its own lr
    const g = [new Float64Array(1), new Float64Array(1)];
    const loss = objective(g);
    opt.step(g, { loss, iteration: 0 });
    expect(theta.values[0]).toBeCloseTo(120, 4); // |g| = 0.03: eps shortens the step by lr·eps/|g| ≈ 7e-6
    expect(hop.values[0]).toBeCloseTo(39, 6);
    minimize({ groups: [theta, hop], objective, optimizer: opt, maxIterations: 1000 });
    expect(theta.values[0]).toBeCloseTo(400, 1);
    expect(hop.values[0]).toBeCloseTo(3, 2);
  });

  it('defaults: lr 1 sample, PyTorch betas/eps; adamw decays 0.01 by default', () => {
    expect(adam.defaults).toEqual({ lr: 1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, schedule: { kind: 'constant' } });
    expect(adamw.defaults).toEqual({ ...adam.defaults, weightDecay: 0.01 });
  });

  it.each([
    [{ beta1: 1 }, 'adam.beta1'],
    [{ beta2: -0.5 }, 'adam.beta2'],
    [{ eps: 0 }, 'adam.eps'],
    [{ lr: -1 }, 'adam.lr'],
    [{ weightDecay: Number.POSITIVE_INFINITY }, 'adam.weightDecay'],
    [{ amsgrad: 1 }, 'adam.amsgrad'],
    [{ betas: [0.9, 0.99] }, 'adam.betas'],
    [{ schedule: { kind: 'exponential', gamma: 2 } }, 'adam.schedule.gamma'],
  ])('rejects %j naming %s', (options, name) => {
    const e = errorOf(() => adam.create([{ name: 'a', values: Float64Array.of(1) }], options as never));
    expect(e.parameter).toBe(name);
    expect(e.message).toContain('Fix:');
  });
});

describe('adamw', () => {
  it('decoupled decay: x ← x·(1 - lr·λ) then the Adam step (hand-computed, one step)', () => {
    // 10·(1 - 0.5·0.1) = 9.5, then - 0.5·2/(2 + 1e-8): the decay does NOT enter the moments
    const group = { name: 'a', values: Float64Array.of(10) };
    adamw.create([group], { lr: 0.5, weightDecay: 0.1 }).step([Float64Array.of(2)], ctx(0));
    expect(group.values[0]).toBeCloseTo(9.5 - (0.5 * 2) / (2 + 1e-8), 14);
  });

  it('decay uses the scheduled, per-group lr', () => {
    // factor 0.5 at t = 0 (warm-up of 2): rate = 4·0.5 = 2 → 10·(1 - 2·0.01) = 9.8, then - 2·sign(g)
    const group = { name: 'a', values: Float64Array.of(10), lr: 4 };
    adamw.create([group], { schedule: { kind: 'warmup', iterations: 2 } }).step([Float64Array.of(-3)], ctx(0));
    expect(group.values[0]).toBeCloseTo(9.8 + (2 * 3) / (3 + 1e-8), 14);
  });

  it('names its own options in errors', () => {
    expect(errorOf(() => adamw.create([{ name: 'a', values: Float64Array.of(1) }], { beta1: 2 })).parameter).toBe('adamw.beta1');
  });
});
