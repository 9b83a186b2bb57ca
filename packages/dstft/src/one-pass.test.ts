import { ParameterError, sharedLogKernel, type FramewiseLoss } from '@dstft/core';
import { ThetaTangentScratch, lossWithThetaGradient, thetaTangentUnsupported } from '@dstft/backprop';
import { resolveFrameTable, stftForward } from '@dstft/kernel';
import { shannon } from '@dstft/losses';
import { expectGradcheck } from '@dstft/testing';
import { describe, expect, it } from 'vitest';
import { chirpToneBurst, createDstft, createObjective, type DstftOptions } from './index.js';

// The one-pass objective (forward-mode θ gradient inside the forward's frame loop, @dstft/backprop loss-tangent.ts)
// against the two independent references we trust: the reverse-mode backward (forward, loss, stftBackward) and
// central finite differences of the loss itself.

const { samples, sampleRate } = chirpToneBurst({ sampleRate: 8000, duration: 0.05 });
const L = samples.length;
const batch = Float64Array.from({ length: 2 * L }, (_, k) => (k < L ? samples[k]! : 0.7 * samples[2 * L - 1 - k]! + 0.05 * Math.sin(0.3 * k)));

/** The reverse-mode reference: forward, Shannon value and ∂H/∂S, backward. */
function reverse(d: ReturnType<typeof createDstft>, x: Float64Array): { loss: number; theta: Float64Array } {
  const r = d.forward(x);
  const dS = new Float64Array(r.spec.length);
  const loss = shannon.evaluate({ data: r.spec, batch: r.batch, freqs: r.freqs, frames: r.frames }, dS, shannon.defaults!);
  return { loss, theta: d.backward(r, { spec: dS }).theta };
}

function maxRel(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < a.length; k++) {
    num = Math.max(num, Math.abs(a[k]! - b[k]!));
    den = Math.max(den, Math.abs(a[k]!), Math.abs(b[k]!));
  }
  return num / den;
}

const windows: Partial<DstftOptions>[] = [
  { window: 'hann' },
  { window: 'hamming' },
  { window: 'blackman' },
  { window: 'gaussian', windowParams: { sigma: 0.2 } },
  { window: 'kaiser', windowParams: { beta: 6 } },
];
const shapes: Partial<DstftOptions>[] = [
  { nFft: 64, hop: 16, windowMode: 'constant', theta: 41.3 },
  { nFft: 64, hop: 11.5, windowMode: 'time', theta: 37.7 },
  { nFft: 60, hop: 13, windowMode: 'constant', theta: 33.2, power: 2, normalization: 'unit' },
  { nFft: 63, hop: 10, windowMode: 'time', theta: 50.4, power: 1.5, eps: 1e-3, normalization: 'none' },
];

describe('one-pass θ gradient (forward mode) = reverse mode = finite differences', () => {
  for (const w of windows) {
    for (const s of shapes) {
      for (const x of [samples, batch]) {
        const B = x.length / L;
        it(`${JSON.stringify({ ...w, ...s })}, B = ${B}`, () => {
          const d = createDstft({ signalLength: L, sampleRate, thetaMin: 8, ...w, ...s } as DstftOptions);
          const theta = d.params.theta;
          for (let n = 0; n < theta.length; n++) theta[n] = theta[n]! * (0.85 + 0.3 * (((n * 37) % 11) / 11));
          const ref = reverse(d, x);
          const obj = createObjective(d, x, { loss: 'shannon' });
          const g = new Float64Array(theta.length);
          const value = obj.objective([g]);
          expect(Math.abs(value - ref.loss)).toBeLessThan(1e-13 * Math.abs(ref.loss));
          expect(maxRel(g, ref.theta)).toBeLessThan(1e-11);
          expect(obj.counts).toEqual({ forward: 1, backward: 1 });
          // its result still carries a forward cache: a reverse-mode backward can follow it
          expect(d.backward(obj.result!, { spec: new Float64Array(obj.result!.spec.length) }).theta.length).toBe(theta.length);
          // central differences of the loss (every θ for time mode: each frame has its own)
          expectGradcheck({ f: () => obj.value(), grad: g, params: theta, step: 1e-3 });
        });
      }
    }
  }

  it('a frame of more bins than the log kernel holds (nFft 8192: F = 4097 > 4096) takes it in chunks, same answer', () => {
    const long = chirpToneBurst({ sampleRate: 8000, duration: 1.5 }).samples;
    for (const s of [{ windowMode: 'constant', theta: 5000.5 }, { windowMode: 'time', theta: 6100.25 }] as const) {
      const d = createDstft({ nFft: 8192, hop: 1500, signalLength: long.length, sampleRate, thetaMin: 64, ...s });
      expect(d.plan.freqs).toBeGreaterThan(sharedLogKernel().capacity);
      const ref = reverse(d, long);
      const obj = createObjective(d, long, { loss: 'shannon' });
      const g = new Float64Array(d.params.theta.length);
      const value = obj.objective([g]);
      expect(obj.counts).toEqual({ forward: 1, backward: 1 }); // the one-pass path, not the reverse mode
      expect(Math.abs(value - ref.loss)).toBeLessThan(1e-13 * Math.abs(ref.loss));
      expect(maxRel(g, ref.theta)).toBeLessThan(1e-11);
    }
  });

  it('is used only where it applies, and says why not elsewhere', () => {
    const tf = createDstft({ nFft: 64, hop: 16, signalLength: L, windowMode: 'time-frequency', theta: 40 });
    expect(thetaTangentUnsupported(tf.plan, shannon.framewise)).toMatch(/time-frequency/);
    const c = createDstft({ nFft: 64, hop: 16, signalLength: L, windowMode: 'constant', theta: 40 });
    expect(thetaTangentUnsupported(c.plan, shannon.framewise)).toBeNull();
    const noTangent: FramewiseLoss<typeof shannon.defaults> = { ...shannon.framewise!, tangentPerFrame: undefined, frameTangent: undefined, tangentDot: undefined };
    expect(thetaTangentUnsupported(c.plan, noTangent)).toMatch(/forward-mode form/);
    const overlap = createDstft({ nFft: 64, signalLength: L, windowMode: 'constant', theta: 40, framePolicy: 'fixed-overlap', overlap: 0.5, thetaMin: 16 });
    expect(thetaTangentUnsupported(overlap.plan, shannon.framewise)).toMatch(/fixed-overlap/);
    // a direct call where it does not apply is a typed error naming the reason
    const scratch = new ThetaTangentScratch(tf.plan);
    const g = new Float64Array(tf.params.theta.length);
    expect(() => lossWithThetaGradient(scratch, samples, tf.params, { framewise: shannon.framewise!, options: shannon.defaults! }, g)).toThrow(ParameterError);
    const cs = new ThetaTangentScratch(c.plan);
    expect(() => lossWithThetaGradient(cs, samples, c.params, { framewise: shannon.framewise!, options: shannon.defaults! }, new Float64Array(3))).toThrow(/gradTheta/);
    // a bad signal is the forward's own error
    const bad = samples.slice();
    bad[5] = Number.NaN;
    expect(() => lossWithThetaGradient(cs, bad, c.params, { framewise: shannon.framewise!, options: shannon.defaults! }, new Float64Array(1))).toThrow(/NaN/);
  });

  it('the objective writes no spectrogram in its one-pass evaluations; `result` computes it when read, at the evaluated θ', () => {
    const d = createDstft({ nFft: 64, hop: 11.5, signalLength: L, sampleRate, windowMode: 'time', theta: 37.7, thetaMin: 8 });
    const theta = d.params.theta;
    for (let n = 0; n < theta.length; n++) theta[n] = theta[n]! * (0.85 + 0.3 * (((n * 37) % 11) / 11));
    const evaluated = theta.slice();
    // the same pass with the spectrogram written (backprop's public one-pass function): value and gradient bit for bit
    const gDirect = new Float64Array(theta.length);
    const direct = lossWithThetaGradient(new ThetaTangentScratch(d.plan), batch, d.params, { framewise: shannon.framewise!, options: shannon.defaults! }, gDirect);
    const obj = createObjective(d, batch, { loss: 'shannon' });
    const g = new Float64Array(theta.length);
    expect(obj.objective([g])).toBe(direct.loss);
    expect(Array.from(g)).toEqual(Array.from(gDirect));
    // θ moves on (as an optimizer's step would), then the result is read: it is the forward at the evaluated θ
    for (let n = 0; n < theta.length; n++) theta[n] = theta[n]! + 1;
    const fresh = createDstft({ nFft: 64, hop: 11.5, signalLength: L, sampleRate, windowMode: 'time', theta: 37.7, thetaMin: 8 });
    fresh.params.theta.set(evaluated);
    const want = fresh.forward(batch);
    expect(Array.from(obj.result!.spec)).toEqual(Array.from(want.spec));
    expect(Array.from(obj.result!.theta)).toEqual(Array.from(evaluated));
    expect(obj.counts).toEqual({ forward: 1, backward: 1 }); // reading the result is not an evaluation
  });

  it('stftForward { spectrogram: false }: X and S untouched, the hook gets the same frames; only with a hook', () => {
    const d = createDstft({ nFft: 64, hop: 16, signalLength: L, windowMode: 'constant', theta: 41.3 });
    const loss = { framewise: shannon.framewise!, options: shannon.defaults! };
    const table = resolveFrameTable(d.plan, d.params);
    const run = (spectrogram: boolean) => {
      const scratch = new ThetaTangentScratch(d.plan);
      scratch.begin(loss, 2, table.frames);
      const out = d.forward(batch);
      out.X.fill(7);
      out.spec.fill(7);
      out.positions.fill(-1);
      const r = stftForward(d.plan, batch, d.params, out, { table, tangent: scratch, spectrogram });
      const grad = new Float64Array(1);
      return { r, value: scratch.finish(2, grad, table.thetaBase), grad: grad[0] };
    };
    const on = run(true);
    const off = run(false);
    expect(off.value).toBe(on.value);
    expect(off.grad).toBe(on.grad);
    expect(off.r.X.every((v) => v === 7) && off.r.spec.every((v) => v === 7)).toBe(true);
    expect(on.r.spec.some((v) => v !== 7)).toBe(true);
    expect(Array.from(off.r.positions)).toEqual(Array.from(on.r.positions));
    expect(() => stftForward(d.plan, batch, d.params, undefined, { spectrogram: false })).toThrow(/spectrogram = false.*only with a tangent hook/);
    expect(() => stftForward(d.plan, batch, d.params, undefined, { spectrogram: 0 as never })).toThrow(/spectrogram/);
  });

  it('learned positions take the reverse-mode path (same answer as before)', () => {
    const d = createDstft({ nFft: 64, signalLength: L, sampleRate, windowMode: 'constant', theta: 40, positionsMode: 'constant', hop: 15.5 });
    const obj = createObjective(d, samples);
    const grads = obj.groups.map((gr) => new Float64Array(gr.values.length));
    obj.objective(grads);
    const ref = reverse(d, samples);
    expect(maxRel(grads[0]!, ref.theta)).toBe(0);
  });
});
