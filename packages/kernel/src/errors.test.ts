import { DstftError, ParameterError, ShapeError, SignalError, type WindowPlugin } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { createStftPlan, stftForward, type StftConfig } from './index.js';
import { hannPlugin } from './naive-dft.fixture.js';

const base: StftConfig = { nFft: 64, signalLength: 200, window: hannPlugin, windowMode: 'constant', positions: { mode: 'fixed', hop: 16 } };
const theta = Float64Array.of(50);
const x = new Float64Array(200).map((_, i) => Math.sin(i));

function errorOf(f: () => unknown): DstftError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DstftError);
    return e as DstftError;
  }
  throw new Error('expected an error');
}

describe('bad input gives a typed error naming parameter, value and fix', () => {
  it('NaN / Infinity samples', () => {
    const bad = x.slice();
    bad[37] = Number.NaN;
    const plan = createStftPlan(base);
    const e = errorOf(() => stftForward(plan, bad, { theta }));
    expect(e).toBeInstanceOf(SignalError);
    expect(e.message).toMatch(/x\[0\]\[37\] = NaN.*Fix:/);
    bad[37] = Number.NEGATIVE_INFINITY;
    expect(errorOf(() => stftForward(plan, bad, { theta })).message).toMatch(/= -Infinity/);
  });

  it('empty and too-short signals', () => {
    expect(errorOf(() => createStftPlan({ ...base, signalLength: 0 })).message).toMatch(/signalLength = 0.*Fix:/);
    expect(errorOf(() => createStftPlan({ ...base, signalLength: 1 }))).toBeInstanceOf(SignalError);
    const plan = createStftPlan(base);
    expect(errorOf(() => stftForward(plan, new Float64Array(0), { theta })).message).toMatch(/empty/);
    expect(errorOf(() => stftForward(plan, new Float64Array(150), { theta }))).toBeInstanceOf(ShapeError);
  });

  it('θ ≤ 0, θ > nFft, θ outside its bounds, non-finite θ', () => {
    const plan = createStftPlan(base);
    expect(errorOf(() => stftForward(plan, x, { theta: Float64Array.of(0) })).message).toMatch(/theta = 0: a window length must be > 0/);
    expect(errorOf(() => stftForward(plan, x, { theta: Float64Array.of(-3) }))).toBeInstanceOf(ParameterError);
    expect(errorOf(() => stftForward(plan, x, { theta: Float64Array.of(65) })).message).toMatch(/theta = 65: the window is longer than nFft = 64.*larger nFft/);
    expect(errorOf(() => stftForward(plan, x, { theta: Float64Array.of(Number.NaN) })).message).toMatch(/theta = NaN: not finite/);
    const bounded = createStftPlan({ ...base, thetaMin: 20, thetaMax: 40 });
    expect(errorOf(() => stftForward(bounded, x, { theta })).message).toMatch(/theta = 50: outside the bounds \[thetaMin, thetaMax\] = \[20, 40\]/);
    expect(errorOf(() => createStftPlan({ ...base, thetaMax: 100 })).message).toMatch(/thetaMax = 100: must be ≤ nFft = 64/);
    expect(errorOf(() => createStftPlan({ ...base, thetaMin: 50, thetaMax: 40 })).message).toMatch(/thetaMin = 50/);
  });

  it('hop ≤ 0 and bad positions', () => {
    expect(errorOf(() => createStftPlan({ ...base, positions: { mode: 'fixed', hop: 0 } })).message).toMatch(/hop = 0: must be > 0/);
    expect(errorOf(() => createStftPlan({ ...base, positions: { mode: 'fixed', hop: -4 } }))).toBeInstanceOf(ParameterError);
    const c = createStftPlan({ ...base, positions: { mode: 'constant', hop: 16 } });
    expect(errorOf(() => stftForward(c, x, { theta, hop: -1 })).message).toMatch(/hop = -1: must be > 0/);
    const t = createStftPlan({ ...base, positions: { mode: 'time', frames: 5 } });
    expect(errorOf(() => stftForward(t, x, { theta, hops: Float64Array.of(10, 10, 0, 10) })).message).toMatch(/hops\[2\] = 0/);
    expect(errorOf(() => stftForward(t, x, { theta, hops: Float64Array.of(10, 10) }))).toBeInstanceOf(ShapeError);
    const f = createStftPlan({ ...base, positions: { mode: 'free', frames: 3 } });
    expect(errorOf(() => stftForward(f, x, { theta, positions: Float64Array.of(1, Number.NaN, 3) })).message).toMatch(/positions\[1\] = NaN/);
  });

  it('mismatched parameter shapes', () => {
    const tm = createStftPlan({ ...base, windowMode: 'time' });
    expect(errorOf(() => stftForward(tm, x, { theta })).message).toMatch(/windowMode "time" needs 13 window length\(s\)/);
    const tf = createStftPlan({ ...base, windowMode: 'time-frequency' });
    expect(errorOf(() => stftForward(tf, x, { theta })).message).toMatch(/\[F=33\]\[T=13\]/);
  });

  it('bad configuration values', () => {
    expect(errorOf(() => createStftPlan({ ...base, nFft: 1 })).message).toMatch(/nFft = 1/);
    expect(errorOf(() => createStftPlan({ ...base, nFft: 64.5 })).message).toMatch(/nFft = 64.5: expected an integer/);
    expect(errorOf(() => createStftPlan({ ...base, windowMode: 'sideways' as never })).message).toMatch(/windowMode = "sideways".*time-frequency/);
    expect(errorOf(() => createStftPlan({ ...base, normalization: 'l2' as never })).message).toMatch(/normalization = "l2"/);
    expect(errorOf(() => createStftPlan({ ...base, power: 0 })).message).toMatch(/power = 0/);
    expect(errorOf(() => createStftPlan({ ...base, sampleRate: -8000 })).message).toMatch(/sampleRate = -8000/);
    expect(errorOf(() => createStftPlan({ ...base, framePolicy: { kind: 'fixed-overlap', overlap: 1 } })).message).toMatch(/overlap = 1: must lie in \[0, 1\)/);
    expect(errorOf(() => createStftPlan({ ...base, windowMode: 'time', framePolicy: { kind: 'fixed-overlap', overlap: 0.5 } })).message).toMatch(/fixed-overlap/);
  });

  it('a learnable window whose plugin lacks the derivative is rejected when the transform is built', () => {
    const noGrad: WindowPlugin = { ...hannPlugin, id: 'acme/no-grad', gradients: { theta: false, x: false } };
    const learnable = createStftPlan({ ...base, window: noGrad });
    expect(errorOf(() => learnable.assertDifferentiable()).message).toMatch(/window = "acme\/no-grad": provides no ∂w\/∂θ/);
    const fixed = createStftPlan({ ...base, window: noGrad, windowMode: 'fixed' });
    expect(() => fixed.assertDifferentiable()).not.toThrow();
    const learnPos = createStftPlan({ ...base, window: noGrad, windowMode: 'fixed', positions: { mode: 'constant', hop: 16 } });
    expect(errorOf(() => learnPos.assertDifferentiable()).message).toMatch(/no ∂w\/∂x/);
  });
});
