// thetaStep (one pass: forward with the loss's θ tangent on every thread, one meeting at the end) against two
// independent routes: backprop's single-thread lossWithThetaGradient (the same per-frame arithmetic: bit for bit)
// and the reverse-mode route, shannon + backward (other operations: to rounding); one thread against two, bit for bit.
import { ThetaTangentScratch, lossWithThetaGradient } from '@dstft/backprop';
import type { LossPlugin } from '@dstft/core';
import { createDstft, shannon, type DstftOptions } from '@dstft/dstft';
import { afterAll, describe, expect, it } from 'vitest';
import { createParallelDstft, type ParallelDstft } from '@dstft/parallel';
import { maxRelativeError as relErr } from '@dstft/testing';

const L = 3000;
const signal = (B: number) => new Float64Array(B * L).map((_, k) => Math.sin(0.05 * k + 1e-5 * k * k) + 0.3 * Math.cos(0.9 * k) + 0.1 * Math.sin(k * k));

const open: ParallelDstft[] = [];
afterAll(async () => {
  await Promise.all(open.map((p) => p.close()));
});

const cases: { c: Partial<DstftOptions>; B: number }[] = [
  { c: { windowMode: 'constant', theta: 200, hop: 50 }, B: 1 },
  { c: { windowMode: 'constant', theta: 231.7, hop: 41.3, power: 2, window: 'blackman' }, B: 3 },
  { c: { windowMode: 'time', theta: 150.5, hop: 37.3 }, B: 1 },
  { c: { windowMode: 'time', theta: 180, hop: 64, normalization: 'paper' }, B: 2 },
];

describe('thetaStep: the loss and ∂ℒ/∂θ in one pass, frames split over the threads', () => {
  for (const { c, B } of cases) {
    it(`equals lossWithThetaGradient bitwise and shannon + backward to rounding; 1 thread = 2 threads bitwise: ${JSON.stringify(c)}, B ${B}`, async () => {
      const options: DstftOptions = { nFft: 256, signalLength: L, ...c };
      const x = signal(B);
      const one = await createParallelDstft(options, { threads: 1 });
      const even = await createParallelDstft(options, { threads: 2, balance: 'even' });
      const adaptive = await createParallelDstft(options, { threads: 2 });
      open.push(one, even, adaptive);
      const d = createDstft(options);
      // the same per-frame arithmetic on one thread (backprop)
      const gradTheta = new Float64Array(d.params.theta.length);
      const direct = lossWithThetaGradient(new ThetaTangentScratch(d.plan), x, d.params, { framewise: shannon.framewise!, options: shannon.defaults }, gradTheta);
      // reverse mode: shannon's serial pass over S, its ∂ℒ/∂S, backward
      const r = d.forward(x);
      const dS = new Float64Array(r.spec.length);
      const value = shannon.evaluate({ data: r.spec, batch: r.batch, freqs: r.freqs, frames: r.frames }, dS, shannon.defaults);
      const reverse = d.backward(r, { spec: dS });
      for (const p of [one, even, adaptive]) {
        let step = p.thetaStep(x);
        for (let k = 0; k < 3; k++) step = p.thetaStep(x, 'shannon', { out: step.result }); // a reused result, the split moving
        expect(step.value).toBe(direct.loss);
        expect(Array.from(step.gradTheta)).toEqual(Array.from(gradTheta));
        expect(Array.from(step.result.spec)).toEqual(Array.from(r.spec));
        expect(Array.from(step.result.positions)).toEqual(Array.from(r.positions));
        expect(Math.abs(step.value - value)).toBeLessThan(1e-12 * Math.abs(value));
        expect(relErr(step.gradTheta, reverse.theta)).toBeLessThan(1e-9);
      }
    });
  }

  it('a loss the workers do not hold runs on this thread alone, with the same result', async () => {
    const options: DstftOptions = { nFft: 256, signalLength: L, windowMode: 'time', theta: 150.5, hop: 37.3 };
    const two = await createParallelDstft(options, { threads: 2, balance: 'even' });
    open.push(two);
    const x = signal(1);
    const mine = { ...shannon, id: 'my-shannon' } as unknown as LossPlugin;
    const a = two.thetaStep(x, mine);
    const b = two.thetaStep(x, 'shannon');
    expect(a.value).toBe(b.value);
    expect(Array.from(a.gradTheta)).toEqual(Array.from(b.gradTheta));
  });

  it('clear errors: θ per bin, a loss without a framewise or forward-mode form, unknown options, bad samples', async () => {
    const tf = await createParallelDstft({ nFft: 256, signalLength: L, windowMode: 'time-frequency', theta: 120, hop: 64 }, { threads: 2 });
    const c = await createParallelDstft({ nFft: 256, signalLength: L, windowMode: 'constant', theta: 200, hop: 50 }, { threads: 2 });
    open.push(tf, c);
    const x = signal(1);
    expect(() => tf.thetaStep(x)).toThrow(/loss = "?shannon"?: no one-pass θ step here: window mode "time-frequency".*Fix: use lossStep/);
    expect(() => c.thetaStep(x, 'kurtosis')).toThrow(/loss = "?kurtosis"?: no one-pass θ step here: the loss has no framewise form/);
    const noTangent = { ...shannon, id: 'no-tangent', framewise: { ...shannon.framewise!, tangentPerFrame: undefined, frameTangent: undefined, tangentDot: undefined } };
    expect(() => c.thetaStep(x, noTangent as unknown as LossPlugin)).toThrow(/no-tangent.*no forward-mode form/);
    expect(() => c.thetaStep(x, 'no-such-loss')).toThrow(/no-such-loss/);
    expect(() => c.thetaStep(x, 'shannon', { split: 'frames' } as never)).toThrow(/split/);
    expect(() => c.thetaStep(x, 'shannon', { lossOptions: { reduction: 'max' } })).toThrow(/reduction/);
    expect(() => c.thetaStep(new Float64Array(L).fill(Number.NaN))).toThrow(/NaN/);
  });
});
