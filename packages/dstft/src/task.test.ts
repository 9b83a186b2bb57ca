import { describe, expect, it } from 'vitest';
import { gradcheck } from '@dstft/testing';
import { createDstft, evaluateTask, frequencyTracking, trainTask, variablePeriodSines, type TaskExample } from './index.js';

/** A small VII-A set: noisy variable-period sines at 1 kHz, 512 samples each. */
function data(count: number, seed: number): TaskExample[] {
  return frequencyTracking.generate!(count, seed, { length: 512, snrDb: [0, 5] });
}

describe('the frequency-tracking task through the transform', () => {
  const examples = data(3, 4);
  for (const windowMode of ['constant', 'time'] as const) {
    it(`∂(tracking MSE)/∂θ matches central differences to 1e-6 (${windowMode} θ, power 2, a band)`, () => {
      const d = createDstft({ nFft: 128, signalLength: 512, sampleRate: 1000, hop: 32, windowMode, power: 2, theta: windowMode === 'constant' ? [70.3] : undefined });
      if (windowMode === 'time') for (let n = 0; n < d.params.theta.length; n++) d.params.theta[n] = 50.3 + 3.7 * n; // no support edge exactly on a sample: Hann is C¹, not C², there
      const task = { id: 'frequency-tracking', options: { band: [60, 420] } } as const;
      const x = new Float64Array(3 * 512);
      examples.forEach((e, b) => x.set(e.signal, b * 512));
      const lossAndGrad = (grad: Float64Array | null): number => {
        const r = d.forward(x);
        const dS = new Float64Array(r.spec.length);
        const loss = frequencyTracking.loss(
          { spec: { data: r.spec, batch: r.batch, freqs: r.freqs, frames: r.frames }, positions: r.positions, sampleRate: 1000, nFft: 128, targets: examples.map((e) => e.target as { frequency: Float64Array }) },
          grad ? dS : null,
          task.options,
        );
        if (grad) grad.set(d.backward(r, { spec: dS }).theta);
        return loss;
      };
      const grad = new Float64Array(d.params.theta.length);
      lossAndGrad(grad);
      const res = gradcheck({ f: () => lossAndGrad(null), grad, params: d.params.theta });
      expect(res.maxError).toBeLessThanOrEqual(1e-6);
      // and evaluateTask computes the same mean loss
      expect(evaluateTask(d, task, examples)).toBeCloseTo(lossAndGrad(null), 12);
    });
  }
});

describe('trainTask', () => {
  it('lowers the held-out tracking loss and moves θ, with every step going through the registry optimizer', () => {
    const train = data(24, 1);
    const validation = data(8, 2);
    const d = createDstft({ nFft: 256, signalLength: 512, sampleRate: 1000, hop: 16, power: 2, theta: [250], thetaMin: 8, thetaMax: 256 });
    const seen: number[] = [];
    const res = trainTask(d, { task: 'frequency-tracking', train, validation, batchSize: 8, epochs: 4, optimizer: { id: 'adam', options: { lr: 8 } }, onStep: (s) => seen.push(s.theta[0]!) });
    expect(res.steps).toBe(12);
    expect(seen).toHaveLength(12);
    expect(res.history).toHaveLength(5);
    expect(res.theta[0]).not.toBe(250);
    const last = res.history[res.history.length - 1]!;
    expect(last.validationLoss!).toBeLessThan(res.initialLoss);
    expect(res.forward).toBeGreaterThan(res.backward);
    expect(res.settings).toMatchObject({ task: { id: 'frequency-tracking' }, optimizer: { id: 'adam' }, batchSize: 8, epochs: 4 });
  });

  it('rejects a fixed window, empty data, wrong signal lengths and unknown tasks, naming them', () => {
    const d = createDstft({ nFft: 64, signalLength: 512, sampleRate: 1000 });
    expect(() => trainTask(d, { task: 'frequency-tracking', train: [] })).toThrow(/train = .*no training examples/);
    expect(() => trainTask(d, { task: 'nope', train: data(1, 1) })).toThrow(/task id = "nope".*frequency-tracking/);
    const short = variablePeriodSines(1, 1, { length: 256 }).map((e) => ({ signal: e.signal, target: { frequency: e.frequency } }));
    expect(() => trainTask(d, { task: 'frequency-tracking', train: short })).toThrow(/signalLength = 512/);
    const fixed = createDstft({ nFft: 64, signalLength: 512, windowMode: 'fixed' });
    expect(() => trainTask(fixed, { task: 'frequency-tracking', train: data(1, 1) })).toThrow(/windowMode = "fixed"/);
    expect(() => evaluateTask(d, { id: 'frequency-tracking', options: { bandd: [1, 2] } }, data(1, 1))).toThrow(/options\.bandd.*did you mean 'band'/);
  });
});
