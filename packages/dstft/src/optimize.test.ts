import { ParameterError } from '@dstft/core';
import { expectGradcheck } from '@dstft/testing';
import { describe, expect, it } from 'vitest';
import { chirpToneBurst, createDstft, createObjective, createOptimization, gridSearch, optimize, optimizeConstantTheta, shocks, type DstftOptions, type RegularizerRef } from './index.js';

const { samples, sampleRate } = chirpToneBurst({ sampleRate: 8000, duration: 0.1 });
const L = samples.length;

/** Flattens the objective's groups into one vector and back, for a gradient check of the whole objective. */
function checkObjective(opts: DstftOptions, loss: string, regularizers: RegularizerRef[], x: Float64Array = samples) {
  const d = createDstft({ sampleRate, ...opts, signalLength: x.length });
  const obj = createObjective(d, x, { loss, regularizers });
  const grads = obj.groups.map((g) => new Float64Array(g.values.length));
  obj.objective(grads);
  const flat = Float64Array.from(obj.groups.flatMap((g) => Array.from(g.values)));
  const analytic = Float64Array.from(grads.flatMap((g) => Array.from(g)));
  const f = (p: Float64Array): number => {
    let k = 0;
    for (const g of obj.groups) for (let i = 0; i < g.values.length; i++) g.values[i] = p[k++]!;
    const v = obj.value();
    return v;
  };
  expectGradcheck({ f, grad: analytic, params: flat, step: 1e-4 });
  return { d, obj };
}

describe('createObjective: loss + λ·regularizers, gradient through the analytic backward pass', () => {
  const cases: { name: string; opts: DstftOptions; loss: string; regs: RegularizerRef[] }[] = [
    { name: 'constant θ, entropy', opts: { nFft: 128, signalLength: L, hop: 32, theta: 101.3 }, loss: 'shannon', regs: [] },
    { name: 'constant θ + hop, Rényi + coverage', opts: { nFft: 128, signalLength: L, hop: 45.3, theta: 70.2, positionsMode: 'constant' }, loss: 'renyi', regs: [{ id: 'coverage', weight: 0.3 }] },
    {
      name: 'time θ + time hops, kurtosis + coverage (violated)',
      opts: { nFft: 128, signalLength: L, hop: 60.7, theta: 50.5, windowMode: 'time', positionsMode: 'time', t0: 3.25, power: 2 },
      loss: 'kurtosis',
      regs: [{ id: 'coverage', weight: 0.01 }],
    },
    {
      name: 'free positions, entropy + coverage + l2',
      opts: { nFft: 64, signalLength: L, hop: 40.5, theta: 40.1, windowMode: 'time', positionsMode: 'free' },
      loss: 'shannon',
      regs: [{ id: 'coverage', weight: 0.05 }, { id: 'l2', weight: 1e-4, options: { target: 48 } }],
    },
    {
      name: 'TF θ, entropy + tf-smoothness',
      opts: { nFft: 32, signalLength: 256, hop: 16, theta: 24.3, windowMode: 'time-frequency' },
      loss: 'shannon',
      regs: [{ id: 'tf-smoothness', weight: 0.002, options: { delta: 0.5 } }],
    },
    {
      name: 'fixed-overlap: coverage reaches θ through the positions',
      opts: { nFft: 128, signalLength: L, theta: 90.7, framePolicy: 'fixed-overlap', overlap: 0.6, thetaMin: 64 },
      loss: 'shannon',
      regs: [{ id: 'coverage', weight: 0.1, options: { ratio: 0.3 } }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const x = c.opts.signalLength === L ? samples : samples.subarray(0, c.opts.signalLength);
      // TF case: perturb θ so that the neighbours differ (smoothness gradient away from its kink)
      const d0 = createDstft({ sampleRate, ...c.opts });
      if (c.opts.windowMode === 'time-frequency') {
        const th = d0.params.theta.map((v, k) => v + 4 * Math.sin(1.7 * k));
        checkObjective({ ...c.opts, theta: Array.from(th) }, c.loss, c.regs, Float64Array.from(x));
      } else {
        checkObjective(c.opts, c.loss, c.regs, Float64Array.from(x));
      }
    });
  }

  it('weights regularizers and reports every term', () => {
    const d = createDstft({ nFft: 128, signalLength: L, sampleRate, hop: 90, theta: 40, positionsMode: 'constant' });
    const obj = createObjective(d, samples, { regularizers: [{ id: 'coverage', weight: 2 }] });
    const total = obj.value();
    const plain = createObjective(d, samples).value();
    expect(obj.terms.regularizers['coverage']).toBeGreaterThan(0);
    expect(total).toBeCloseTo(plain + obj.terms.regularizers['coverage']!, 12);
    expect(obj.terms.loss).toBeCloseTo(plain, 12);
  });

  it('rejects bad settings with typed errors', () => {
    const d = createDstft({ nFft: 128, signalLength: L, sampleRate });
    expect(() => createObjective(d, samples, { learn: { positions: true } })).toThrow(/learn.positions/);
    expect(() => createObjective(d, samples, { loss: 'nope' })).toThrow(/nope/);
    expect(() => createObjective(d, samples, { regularizers: [{ id: 'coverage', weight: -1 }] })).toThrow(ParameterError);
    expect(() => createObjective(d, samples.subarray(1))).toThrow(/x/);
    expect(() => createObjective(d, samples, { learn: { theta: false } })).toThrow(/nothing to learn/);
  });
});

describe('optimize', () => {
  it('lowers the entropy of a constant θ, keeps θ in bounds, records the history', () => {
    const d = createDstft({ nFft: 256, signalLength: L, sampleRate, hop: 32, theta: 256, thetaMin: 16 });
    const seen: number[] = [];
    const r = optimize(d, samples, { maxIterations: 15, onProgress: (p) => void seen.push(p.dstft.params.theta[0]!) });
    expect(r.loss).toBeLessThan(r.initialLoss);
    expect(r.history.length).toBe(seen.length);
    expect(r.history[0]!.iteration).toBe(1);
    for (const t of seen) expect(t >= 16 && t <= 256).toBe(true);
    // the transform is left at the best parameters: evaluating there gives the reported loss
    expect(createObjective(d, samples).value()).toBeCloseTo(r.loss, 12);
    expect((r.settings['optimizer'] as { id: string }).id).toBe('lbfgs');
  });

  it('learns time-varying θ and hops with Adam, per-group learning rates', () => {
    const d = createDstft({ nFft: 128, signalLength: L, sampleRate, hop: 32, theta: 100, windowMode: 'time', positionsMode: 'time' });
    const hops0 = Float64Array.from(d.params.hops!);
    const r = optimize(d, samples, { maxIterations: 10, lr: { theta: 2, positions: 0.5 }, regularizers: [{ id: 'coverage', weight: 0.01 }] });
    expect(r.loss).toBeLessThan(r.initialLoss);
    expect((r.settings['optimizer'] as { id: string }).id).toBe('adam');
    let moved = 0;
    for (let k = 0; k < hops0.length; k++) moved = Math.max(moved, Math.abs(d.params.hops![k]! - hops0[k]!));
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(0.5 * 10 + 1e-9); // Adam moves at most ≈ lr per step
  });

  it('step-wise: stop() ends the run at the best parameters; onProgress returning false stops too', () => {
    const d = createDstft({ nFft: 128, signalLength: L, sampleRate, hop: 32, theta: 128, windowMode: 'time' });
    const run = createOptimization(d, samples, { maxIterations: 50 });
    const first = run.next();
    expect(first?.iteration).toBe(1);
    run.next();
    run.stop();
    expect(run.done).toBe(true);
    expect(run.next()).toBeNull();
    expect(run.result!.stopReason).toBe('aborted');
    const r2 = optimize(createDstft({ nFft: 128, signalLength: L, sampleRate, hop: 32, theta: 128, windowMode: 'time' }), samples, { maxIterations: 50, onProgress: (p) => (p.iteration >= 2 ? false : undefined) });
    expect(r2.iterations).toBeLessThanOrEqual(3);
  });
});

describe('constant θ: grid search and the robust strategy', () => {
  // reduced VI-A: 0.5 s at 8 kHz, N = 512, hop 64; grid of every integer θ in [50, 512] (463 candidates; the
  // entropy has local minima at θ = 394 and 427 there)
  const sig = chirpToneBurst({ sampleRate: 8000, duration: 0.5 });
  const opts: DstftOptions = { nFft: 512, hop: 64, signalLength: sig.samples.length, sampleRate: 8000, thetaMin: 50, thetaMax: 512, theta: 512 };

  it('the robust strategy lands within 1 sample of the grid best, no higher, with ≤ 1/10 of the grid transforms', () => {
    const grid = gridSearch(createDstft(opts), sig.samples, { thetas: { from: 50, to: 512 } });
    expect(grid.forward).toBe(463);
    const interior: number[] = [];
    for (let k = 1; k + 1 < grid.losses.length; k++) if (grid.losses[k]! < grid.losses[k - 1]! && grid.losses[k]! <= grid.losses[k + 1]!) interior.push(grid.thetas[k]!);
    expect(interior.length).toBeGreaterThanOrEqual(2); // not convex: a single descent could stop in the wrong basin
    expect(grid.best.theta).toBeGreaterThan(50);
    expect(grid.best.theta).toBeLessThan(512);
    const d = createDstft(opts);
    const r = optimizeConstantTheta(d, sig.samples, { scan: 12, starts: 2 });
    expect(Math.abs(r.theta - grid.best.theta)).toBeLessThanOrEqual(1);
    expect(r.loss).toBeLessThanOrEqual(grid.best.loss + 1e-12);
    expect(r.forward + r.backward).toBeLessThanOrEqual(grid.forward / 10 + 1e-9);
    expect(d.params.theta[0]).toBe(r.theta);
  });

  it('grid search rejects θ outside the bounds and non-constant modes', () => {
    expect(() => gridSearch(createDstft(opts), sig.samples, { thetas: [10] })).toThrow(/bounds/);
    expect(() => gridSearch(createDstft({ ...opts, windowMode: 'time' }), sig.samples, { thetas: [100] })).toThrow(/windowMode/);
  });
});

describe('shocks (VI-B signal)', () => {
  it('is reproducible, has the requested SNR and zero noise at Infinity', () => {
    const a = shocks({ seed: 3 });
    const b = shocks({ seed: 3 });
    expect(a.samples).toEqual(b.samples);
    const clean = shocks({ snrDb: Infinity });
    let ps = 0;
    let pn = 0;
    for (let p = 0; p < clean.samples.length; p++) {
      ps += clean.samples[p]! ** 2;
      pn += (a.samples[p]! - clean.samples[p]!) ** 2;
    }
    expect(10 * Math.log10(ps / pn)).toBeCloseTo(20, 0);
    expect(() => shocks({ sampleRate: 4000 })).toThrow(/sampleRate/);
  });
});

describe('defaults', () => {
  it('the initial θ defaults to min(nFft, thetaMax), inside the bounds', () => {
    expect(createDstft({ nFft: 1024, signalLength: 4096, thetaMax: 1000 }).params.theta[0]).toBe(1000);
    expect(createDstft({ nFft: 1024, signalLength: 4096 }).params.theta[0]).toBe(1024);
    expect(() => createDstft({ nFft: 1024, signalLength: 4096, thetaMax: 1000, theta: 1024 })).toThrow(/theta/);
  });
});

describe('batches', () => {
  it('the objective of a batch is the mean of its signals (Shannon, mean reduction), gradients too', () => {
    const other = samples.map((v, p) => v * 0.5 + Math.sin(0.05 * p));
    const opts: DstftOptions = { nFft: 128, signalLength: L, sampleRate, hop: 32, theta: 90.5 };
    const one = (x: Float64Array) => {
      const o = createObjective(createDstft(opts), x);
      const g = [new Float64Array(1)];
      return { v: o.objective(g), g: g[0]![0]! };
    };
    const a = one(samples);
    const b = one(other);
    const batch = new Float64Array(2 * L);
    batch.set(samples);
    batch.set(other, L);
    const ab = one(batch);
    expect(ab.v).toBeCloseTo((a.v + b.v) / 2, 12);
    expect(ab.g).toBeCloseTo((a.g + b.g) / 2, 12);
  });
});
