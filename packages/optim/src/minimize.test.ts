import { ParameterError, StateError, type Objective, type OptimizerInstance } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';
import { lbfgs } from './lbfgs.js';
import { createMinimizer, minimize, type MinimizeProgress } from './minimize.js';
import { quadratic, rosenbrock, watched } from './problems.test-support.js';
import { sgd } from './sgd.js';

// Node 20 and browsers have AbortController; the package compiles against ES2022 only (no DOM / Node types).
declare const AbortController: new () => { readonly signal: { readonly aborted: boolean }; abort(): void };

/** f(x) = x²/2 on one value. */
function parabola(start: number) {
  const group = { name: 'x', values: Float64Array.of(start) };
  return { group, groups: [group], objective: quadratic([group], [[1]], [[0]]) };
}

describe('minimize', () => {
  it('max-iterations: one history record per iteration, evaluations = 1 + iterations for first-order methods', () => {
    const { groups, objective } = parabola(10);
    const w = watched(groups, objective);
    const r = minimize({ groups, objective: w.objective, optimizer: sgd.create(groups, { lr: 0.1 }), maxIterations: 7 });
    expect(r.stopReason).toBe('max-iterations');
    expect(r.iterations).toBe(7);
    expect(r.history).toHaveLength(7);
    expect(r.history.map((h) => h.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.evaluations).toBe(8);
    expect(w.calls()).toBe(8);
    expect(r.history.map((h) => h.evaluations)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(r.initialLoss).toBe(50);
    // x_k = 10·0.9^k, loss = x²/2, gradNorm = |x|
    expect(r.history[6].loss).toBeCloseTo(50 * Math.pow(0.81, 7), 12);
    expect(r.history[6].gradNorm).toBeCloseTo(10 * Math.pow(0.9, 7), 12);
    expect(r.loss).toBe(r.history[6].loss);
    expect(r.history[0].values).toBeUndefined();
  });

  it('maxIterations 0: evaluates once and stops', () => {
    const { groups, objective } = parabola(3);
    const r = minimize({ groups, objective, optimizer: sgd.create(groups, { lr: 0.1 }), maxIterations: 0 });
    expect(r).toMatchObject({ stopReason: 'max-iterations', iterations: 0, evaluations: 1, loss: 4.5, history: [] });
  });

  it('loss-tolerance: stops at the first relative change ≤ tol', () => {
    const { groups, objective } = parabola(10);
    // loss ratio 0.99² per step: relative change 1 - 0.9801 = 0.0199 every iteration
    const tight = minimize({ groups, objective, optimizer: sgd.create(groups, { lr: 0.01 }), maxIterations: 100, tolerance: { loss: 0.01 } });
    expect(tight.stopReason).toBe('max-iterations');
    const { groups: g2, objective: o2 } = parabola(10);
    const loose = minimize({ groups: g2, objective: o2, optimizer: sgd.create(g2, { lr: 0.01 }), maxIterations: 100, tolerance: { loss: 0.02 } });
    expect(loose.stopReason).toBe('loss-tolerance');
    expect(loose.iterations).toBe(1);
  });

  it('grad-tolerance: on the projected gradient (a bound pushing outward counts 0)', () => {
    const x = { name: 'x', values: Float64Array.of(1), lower: 0, upper: 2 };
    const objective = quadratic([x], [[1]], [[5]]); // minimum outside: gradient -3 at the upper bound
    const r = minimize({ groups: [x], objective, optimizer: sgd.create([x], { lr: 0.5 }), maxIterations: 100, tolerance: { grad: 1e-12 } });
    expect(r.stopReason).toBe('grad-tolerance');
    expect(r.iterations).toBe(1); // 1 - 0.5·(-4) = 3, projected onto the upper bound 2
    expect(r.history[r.history.length - 1].gradNorm).toBe(3); // the reported norm is not projected
  });

  it('grad-tolerance already met at the start: no iteration', () => {
    const { groups, objective } = parabola(0);
    const r = minimize({ groups, objective, optimizer: sgd.create(groups, { lr: 1 }), maxIterations: 10, tolerance: { grad: 0 } });
    expect(r).toMatchObject({ stopReason: 'grad-tolerance', iterations: 0, evaluations: 1 });
  });

  it('patience: stops after that many iterations without beating the best loss by more than minDelta', () => {
    // SGD with lr 2 on x²/2 flips x ↦ -x: the loss never improves
    const { groups, objective } = parabola(1);
    const r = minimize({ groups, objective, optimizer: sgd.create(groups, { lr: 2 }), maxIterations: 100, patience: 3 });
    expect(r).toMatchObject({ stopReason: 'patience', iterations: 3 });
    // lr 0.1: improves by 19% per step; minDelta larger than the improvement after a while
    const p = parabola(1);
    const r2 = minimize({ groups: p.groups, objective: p.objective, optimizer: sgd.create(p.groups, { lr: 0.1 }), maxIterations: 1000, patience: 2, minDelta: 1e-3 });
    expect(r2.stopReason).toBe('patience');
    const losses = [0.5, ...r2.history.map((h) => h.loss)];
    // the last two iterations each improved the best loss by ≤ 1e-3 (relative to the best before them)
    const n = losses.length;
    expect(losses[n - 3] - losses[n - 1]).toBeLessThanOrEqual(1e-3 + 1e-15);
  });

  it('converged: L-BFGS reports that no descent is possible', () => {
    const theta = { name: 'theta', values: Float64Array.of(100), lower: 16, upper: 50_000 };
    const objective = quadratic([theta], [[1e-3]], [[700]]);
    const r = minimize({ groups: [theta], objective, optimizer: lbfgs.create([theta], {}), maxIterations: 100 });
    expect(r.stopReason).toBe('converged');
    expect(theta.values[0]).toBeCloseTo(700, 9);
  });

  it('aborted: an AbortController aborted in onProgress stops before the next iteration', () => {
    const { groups, objective } = parabola(10);
    const controller = new AbortController();
    const r = minimize({
      groups,
      objective,
      optimizer: sgd.create(groups, { lr: 0.1 }),
      maxIterations: 100,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.iteration === 4) controller.abort();
      },
    });
    expect(r).toMatchObject({ stopReason: 'aborted', iterations: 4, evaluations: 5 });
    expect(r.history).toHaveLength(4);
  });

  it('callback: onProgress returning false stops after that iteration', () => {
    const { groups, objective } = parabola(10);
    const seen: MinimizeProgress[] = [];
    const r = minimize({
      groups,
      objective,
      optimizer: sgd.create(groups, { lr: 0.1 }),
      maxIterations: 100,
      onProgress: (p) => {
        seen.push(p);
        return p.iteration < 2 ? undefined : false;
      },
    });
    expect(r).toMatchObject({ stopReason: 'callback', iterations: 2 });
    expect(seen).toEqual(r.history);
  });

  it('restores the best values seen, not the last ones', () => {
    // lr 2.2 on x²/2: x ↦ -1.2x, the loss grows every step; the start is the best point
    const { group, groups, objective } = parabola(1);
    const r = minimize({ groups, objective, optimizer: sgd.create(groups, { lr: 2.2 }), maxIterations: 5 });
    expect(r.history[4].loss).toBeCloseTo(0.5 * Math.pow(1.2, 10), 12);
    expect(r.loss).toBe(0.5);
    expect(group.values[0]).toBe(1);
    // and in the middle of a run: Adam overshoots on a parabola, the best point is kept
    const p = parabola(3);
    const r2 = minimize({ groups: p.groups, objective: p.objective, optimizer: adam.create(p.groups, { lr: 1 }), maxIterations: 20 });
    const best = Math.min(...r2.history.map((h) => h.loss));
    expect(r2.loss).toBe(best);
    expect(0.5 * p.group.values[0] * p.group.values[0]).toBe(best);
  });

  it('L-BFGS: line-search calls are counted and the loop never re-evaluates after it', () => {
    const group = { name: 'xy', values: Float64Array.of(-1.2, 1) };
    const w = watched([group], rosenbrock(group));
    const r = minimize({ groups: [group], objective: w.objective, optimizer: lbfgs.create([group], {}), maxIterations: 10 });
    expect(r.iterations).toBe(10);
    expect(r.evaluations).toBe(w.calls());
    expect(r.evaluations).toBeGreaterThan(r.iterations + 1);
  });

  it('re-evaluates only when the step returns no loss and gradients', () => {
    const { groups, objective } = parabola(4);
    let calls = 0;
    const counted: Objective = (g) => {
      calls++;
      return objective(g);
    };
    // a step that reports its own loss and gradients (x ← x/2)
    const halving: OptimizerInstance = {
      step: (_grads, ctx) => {
        groups[0].values[0] *= 0.5;
        const g = [new Float64Array(1)];
        const loss = objective(g);
        return { evaluations: 1, loss, grads: g, converged: ctx.iteration === 2 };
      },
    };
    const r = minimize({ groups, objective: counted, optimizer: halving, maxIterations: 10 });
    expect(calls).toBe(1); // the initial evaluation only
    expect(r).toMatchObject({ stopReason: 'converged', iterations: 3 });
    expect(r.history[2].gradNorm).toBe(0.5);
  });

  it('snapshot: true copies the values into each record', () => {
    const { groups, objective } = parabola(10);
    const r = minimize({ groups, objective, optimizer: sgd.create(groups, { lr: 0.5 }), maxIterations: 3, snapshot: true });
    expect(r.history.map((h) => h.values![0][0])).toEqual([5, 2.5, 1.25]);
  });

  it('objective errors propagate; a non-finite loss is a StateError after restoring the best values', () => {
    const { groups } = parabola(1);
    const boom = new Error('boom');
    expect(() => minimize({ groups, objective: () => { throw boom; }, optimizer: sgd.create(groups, { lr: 1 }), maxIterations: 3 })).toThrow(boom);
    const p = parabola(1);
    let k = 0;
    const nanLater: Objective = (g) => (k++ < 2 ? p.objective(g) : Number.NaN);
    expect(() => minimize({ groups: p.groups, objective: nanLater, optimizer: sgd.create(p.groups, { lr: 0.5 }), maxIterations: 5 })).toThrow(StateError);
    expect(p.group.values[0]).toBe(0.5); // the best point (after iteration 1)
  });

  it.each([
    [{ maxIterations: -1 }, 'minimize.maxIterations'],
    [{ maxIterations: 1.5 }, 'minimize.maxIterations'],
    [{ tolerance: { loss: -1 } }, 'minimize.tolerance.loss'],
    [{ tolerance: { gradient: 1 } }, 'minimize.tolerance.gradient'],
    [{ patience: 0 }, 'minimize.patience'],
    [{ minDelta: -1 }, 'minimize.minDelta'],
    [{ onProgress: 1 }, 'minimize.onProgress'],
    [{ signal: {} }, 'minimize.signal'],
    [{ maxIter: 3 }, 'minimize.maxIter'],
    [{ objective: undefined }, 'minimize.objective'],
    [{ optimizer: {} }, 'minimize.optimizer'],
  ])('rejects %j naming %s', (bad, name) => {
    const { groups, objective } = parabola(1);
    let err: unknown;
    try {
      minimize({ groups, objective, optimizer: sgd.create(groups, { lr: 1 }), maxIterations: 3, ...bad } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParameterError);
    expect((err as ParameterError).parameter).toBe(name);
  });
});

describe('createMinimizer', () => {
  it('next() returns one record per call, then null; the loop a Web Worker runs', () => {
    const { groups, objective } = parabola(10);
    const m = createMinimizer({ groups, objective, optimizer: sgd.create(groups, { lr: 0.1 }), maxIterations: 3 });
    expect(m.done).toBe(false);
    expect(m.loss).toBe(50);
    expect(m.evaluations).toBe(1);
    const records: MinimizeProgress[] = [];
    for (let p = m.next(); p !== null; p = m.next()) records.push(p);
    expect(records.map((p) => p.iteration)).toEqual([1, 2, 3]);
    expect(m.done).toBe(true);
    expect(m.next()).toBeNull();
    expect(m.result()).toMatchObject({ stopReason: 'max-iterations', iterations: 3, history: records });
  });

  it('stop() ends the run (aborted) and restores the best values; result() before the end is a StateError', () => {
    const { group, groups, objective } = parabola(1);
    const m = createMinimizer({ groups, objective, optimizer: sgd.create(groups, { lr: 2.2 }), maxIterations: 100 });
    expect(() => m.result()).toThrow(StateError);
    m.next();
    m.next();
    expect(group.values[0]).toBeCloseTo(1.44, 12);
    const r = m.stop();
    expect(r).toMatchObject({ stopReason: 'aborted', iterations: 2, loss: 0.5 });
    expect(group.values[0]).toBe(1);
    expect(m.next()).toBeNull();
    expect(m.stop()).toEqual(r);
    expect(m.finish()).toEqual(r);
  });

  it('finish() returns the result of a finished run, or ends a running one like stop()', () => {
    const a = parabola(1);
    const done = createMinimizer({ groups: a.groups, objective: a.objective, optimizer: sgd.create(a.groups, { lr: 0.1 }), maxIterations: 1 });
    done.next();
    expect(done.finish()).toMatchObject({ stopReason: 'max-iterations', iterations: 1 });
    const b = parabola(1);
    const running = createMinimizer({ groups: b.groups, objective: b.objective, optimizer: sgd.create(b.groups, { lr: 0.1 }), maxIterations: 10 });
    running.next();
    expect(running.finish()).toMatchObject({ stopReason: 'aborted', iterations: 1 });
  });
});
