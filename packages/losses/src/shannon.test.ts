import { ParameterError, ShapeError, type SpecView } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { gradcheckLoss, logNormalSpec, randomSpec } from './helpers.test-support.js';
import { P_FLOOR, shannon, spectrogramSumError } from './index.js';

/** Independent reference: H_b = -Σ p log p with p = S / ΣS, computed entry by entry. */
function naiveShannon(spec: SpecView): number[] {
  const per = spec.freqs * spec.frames;
  const out: number[] = [];
  for (let b = 0; b < spec.batch; b++) {
    let z = 0;
    for (let k = 0; k < per; k++) z += spec.data[b * per + k];
    let h = 0;
    for (let k = 0; k < per; k++) {
      const p = spec.data[b * per + k] / z;
      if (p > 0) h -= p * Math.log(p);
    }
    out.push(h);
  }
  return out;
}

describe('shannon', () => {
  it('of a uniform spectrogram is log(F·T), whatever the level', () => {
    for (const [F, T, level] of [
      [7, 11, 1],
      [33, 5, 1e-9],
      [129, 63, 3.7e4],
    ] as const) {
      const spec = { data: new Float64Array(F * T).fill(level), batch: 1, freqs: F, frames: T };
      expect(Math.abs(shannon.evaluate(spec, null, shannon.defaults) - Math.log(F * T))).toBeLessThan(1e-12);
    }
  });

  it('of a one-hot spectrogram is 0, with a finite gradient (the p = 0 convention)', () => {
    const F = 6;
    const T = 4;
    const data = new Float64Array(F * T);
    data[9] = 2.5;
    const grad = new Float64Array(F * T);
    expect(shannon.evaluate({ data, batch: 1, freqs: F, frames: T }, grad, shannon.defaults)).toBe(0);
    // p = 1 at the peak: -(log 1 + 0)/Z = 0; zero entries: -(log P_FLOOR + H)/Z
    expect(grad[9]).toBe(-0);
    for (let k = 0; k < F * T; k++) if (k !== 9) expect(grad[k]).toBeCloseTo(-Math.log(P_FLOOR) / 2.5, 9);
  });

  it('matches the entry-by-entry definition and reduces by mean or sum', () => {
    const spec = logNormalSpec(3, 3, 9, 14);
    const ref = naiveShannon(spec);
    const mean = shannon.evaluate(spec, null, { reduction: 'mean' });
    const sum = shannon.evaluate(spec, null, { reduction: 'sum' });
    expect(Math.abs(sum - (ref[0] + ref[1] + ref[2]))).toBeLessThan(1e-12);
    expect(Math.abs(mean - sum / 3)).toBeLessThan(1e-13);
    // options omitted or partial: the defaults (mean)
    expect(shannon.evaluate(spec, null, {} as never)).toBe(mean);
    expect(shannon.evaluate(spec, null, undefined as never)).toBe(mean);
  });

  it('gradient matches central differences (batch 1 and 3, non-square F×T, mean and sum, several seeds)', () => {
    for (const seed of [1, 2, 3]) {
      for (const [B, F, T] of [
        [1, 7, 11],
        [3, 12, 5],
      ] as const) {
        for (const reduction of ['mean', 'sum'] as const) {
          gradcheckLoss(shannon, randomSpec(seed, B, F, T), { reduction });
          gradcheckLoss(shannon, logNormalSpec(seed + 10, B, F, T, 1.5), { reduction });
        }
      }
    }
  });

  it('rejects bad options and shapes with typed errors naming the parameter', () => {
    const spec = randomSpec(1, 2, 3, 4);
    expect(() => shannon.evaluate(spec, null, { reduction: 'max' as never })).toThrow(ParameterError);
    expect(() => shannon.evaluate(spec, null, { reduction: 'max' as never })).toThrow(/^reduction = "max"/);
    expect(() => shannon.evaluate(spec, null, 3 as never)).toThrow(/^options = 3/);
    expect(() => shannon.evaluate({ ...spec, frames: 5 }, null, shannon.defaults)).toThrow(ShapeError);
    expect(() => shannon.evaluate({ ...spec, frames: 5 }, null, shannon.defaults)).toThrow(/^spec\.data = /);
    expect(() => shannon.evaluate({ ...spec, batch: 0 }, null, shannon.defaults)).toThrow(/^spec\.batch = 0/);
    expect(() => shannon.evaluate(spec, new Float64Array(3), shannon.defaults)).toThrow(/^grad = /);
    expect(() => shannon.evaluate({ ...spec, data: Array.from(spec.data) as never }, null, shannon.defaults)).toThrow(ShapeError);
  });

  it('rejects a signal whose spectrogram sums to 0 (naming its batch index) and negative / NaN entries', () => {
    const spec = randomSpec(1, 3, 3, 4);
    spec.data.fill(0, 12, 24);
    expect(() => shannon.evaluate(spec, null, shannon.defaults)).toThrow(/signal 1/);
    expect(() => shannon.evaluate(spec, null, shannon.defaults)).toThrow(ParameterError);
    // the exported error is the one thrown (code computing the loss itself reuses it)
    let thrown: unknown = null;
    try {
      shannon.evaluate(spec, null, shannon.defaults);
    } catch (e) {
      thrown = e;
    }
    const same = spectrogramSumError('shannon', 1, 0);
    expect(same).toBeInstanceOf(ParameterError);
    expect((thrown as Error).message).toBe(same.message);
    expect(spectrogramSumError('renyi', 4, Number.POSITIVE_INFINITY).message).toMatch(/signal 4.*'renyi' loss.*non-finite sum.*Fix: scale the signal down/);
    const neg = randomSpec(1, 2, 3, 4);
    neg.data[17] = -1e-3;
    expect(() => shannon.evaluate(neg, new Float64Array(24), shannon.defaults)).toThrow(/^spec\.data\[17\] = -0\.001.*signal 1, bin 1, frame 1/);
    neg.data[17] = Number.NaN;
    expect(() => shannon.evaluate(neg, null, shannon.defaults)).toThrow(/spec\.data\[17\] = NaN/);
  });
});

describe('shannon.framewise: the loss split by frames', () => {
  /** Runs the four steps over the given frame ranges (any order), as threads would. */
  function framewise(spec: SpecView, ranges: [number, number][], reduction: 'mean' | 'sum') {
    const fw = shannon.framewise!;
    const { batch: B, frames: T } = spec;
    const opts = { reduction };
    const work = new Float64Array(spec.data.length).fill(Number.NaN);
    const stats = new Float64Array(fw.statsPerFrame * B * T).fill(Number.NaN);
    const coef = new Float64Array(fw.coefPerSignal * B);
    for (const [a, b] of ranges) fw.frameStats(spec.data, work, spec, a, b, stats, opts);
    const terms = new Float64Array(B);
    for (let b = 0; b < B; b++) terms[b] = fw.signalTerm(stats, b, spec, coef, opts);
    const value = fw.combine(terms, opts);
    for (const [a, b] of [...ranges].reverse()) fw.frameGrad(work, spec, a, b, stats, coef, opts);
    return { value, grad: work, terms };
  }

  for (const reduction of ['mean', 'sum'] as const) {
    it(`equals evaluate (value and ∂ℒ/∂S) to rounding, whatever the split (${reduction})`, () => {
      const spec = logNormalSpec(31, 3, 9, 14);
      spec.data[5] = 0; // an exact zero: 0·log 0 = 0, derivative at P_FLOOR
      const grad = new Float64Array(spec.data.length);
      const want = shannon.evaluate(spec, grad, { reduction });
      const naive = naiveShannon(spec);
      for (const ranges of [[[0, 14]], [[9, 14], [0, 4], [4, 9]], [[0, 1], [1, 13], [13, 14]]] as [number, number][][]) {
        const got = framewise(spec, ranges, reduction);
        expect(Math.abs(got.value - want) / want).toBeLessThan(1e-13);
        for (let b = 0; b < 3; b++) expect(Math.abs(got.terms[b]! - naive[b]!) / naive[b]!).toBeLessThan(1e-13);
        let err = 0;
        let peak = 0;
        for (let k = 0; k < grad.length; k++) {
          err = Math.max(err, Math.abs(got.grad[k]! - grad[k]!));
          peak = Math.max(peak, Math.abs(grad[k]!));
        }
        expect(err / peak).toBeLessThan(1e-12);
      }
    });
  }

  it('frameTangent keeps the frame statistics of frameStats bit for bit, and tangentDot is Σ ∂ℒ/∂S · d', () => {
    const fw = shannon.framewise!;
    const spec = logNormalSpec(7, 2, 9, 6);
    spec.data[4] = 0; // an exact zero (|X| = 0: d = 0 there, as the transform gives)
    const { batch: B, freqs: F, frames: T } = spec;
    const opts = { reduction: 'mean' as const };
    const d = new Float64Array(spec.data.length).map((_, k) => Math.sin(1.3 * k) * (spec.data[k] === 0 ? 0 : 1));
    const statsA = new Float64Array(2 * B * T);
    const work = new Float64Array(spec.data.length);
    fw.frameStats(spec.data, work, spec, 0, T, statsA, opts);
    const statsB = new Float64Array(2 * B * T).fill(Number.NaN);
    const tangent = new Float64Array(fw.tangentPerFrame! * B * T).fill(Number.NaN);
    const sCol = new Float64Array(F);
    const dCol = new Float64Array(F);
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < T; n++) {
        for (let m = 0; m < F; m++) {
          sCol[m] = spec.data[(b * F + m) * T + n]!;
          dCol[m] = d[(b * F + m) * T + n]!;
        }
        const q = b * T + n;
        fw.frameTangent!(sCol, dCol, F, statsB, 2 * q, tangent, fw.tangentPerFrame! * q, opts);
      }
    }
    expect(statsB).toEqual(statsA);
    const coef = new Float64Array(fw.coefPerSignal * B);
    for (let b = 0; b < B; b++) fw.signalTerm(statsA, b, spec, coef, opts);
    fw.frameGrad(work, spec, 0, T, statsA, coef, opts); // work = ∂ℒ/∂S
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < T; n++) {
        let want = 0;
        for (let m = 0; m < F; m++) want += work[(b * F + m) * T + n]! * d[(b * F + m) * T + n]!;
        const got = fw.tangentDot!(tangent, fw.tangentPerFrame! * (b * T + n), coef, b, opts);
        expect(Math.abs(got - want)).toBeLessThan(1e-12 * Math.max(1e-300, ...Array.from({ length: F }, (_, m) => Math.abs(work[(b * F + m) * T + n]! * d[(b * F + m) * T + n]!))));
      }
    }
  });

  it('a signal whose spectrogram sums to 0 is the same typed error as evaluate gives', () => {
    const spec = randomSpec(3, 2, 4, 5);
    spec.data.fill(0, 20, 40);
    expect(() => framewise(spec, [[0, 5]], 'mean')).toThrow(/signal 1.*all-zero spectrogram/);
    expect(() => shannon.framewise!.combine(new Float64Array(1), { reduction: 'median' as never })).toThrow(ParameterError);
  });
});
