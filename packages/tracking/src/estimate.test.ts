import { describe, expect, it } from 'vitest';
import { createRng, gradcheck } from '@dstft/testing';
import { createStftPlan, stftForward } from '@dstft/kernel';
import { hann } from '@dstft/windows';
import { bandBins, frequencyEstimate, trackingLoss } from './index.js';

const spec = (data: number[] | Float64Array, batch: number, freqs: number, frames: number) => ({ data: Float64Array.from(data), batch, freqs, frames });

describe('frequencyEstimate (Eq. 34)', () => {
  it('is the S-weighted mean of the bin frequencies, per frame, by hand', () => {
    // F = 3 bins, T = 2 frames, bins 0, 10, 20 Hz (sampleRate 40, nFft 4)
    const s = spec([1, 0, 3, 1, 0, 3], 1, 3, 2); // S[m][n] row-major: m0 = [1, 0], m1 = [3, 1], m2 = [0, 3]
    const { estimate } = frequencyEstimate(s, { sampleRate: 40, nFft: 4 });
    expect(estimate[0]).toBeCloseTo((0 * 1 + 10 * 3 + 20 * 0) / 4, 14);
    expect(estimate[1]).toBeCloseTo((0 * 0 + 10 * 1 + 20 * 3) / 4, 14);
    const banded = frequencyEstimate(s, { sampleRate: 40, nFft: 4, band: [5, 25] }).estimate;
    expect(banded[0]).toBeCloseTo(10, 14);
    expect(banded[1]).toBeCloseTo((10 * 1 + 20 * 3) / 4, 14);
  });

  it('finds a pure tone in a power spectrogram (within the bin-centred band)', () => {
    const fs = 1000;
    const N = 256;
    const L = 2000;
    const f0 = 123.4;
    const x = Float64Array.from({ length: L }, (_, i) => Math.sin((2 * Math.PI * f0 * i) / fs));
    const plan = createStftPlan({ nFft: N, signalLength: L, sampleRate: fs, window: hann, windowMode: 'constant', positions: { mode: 'fixed', hop: 64 }, power: 2 });
    const r = stftForward(plan, x, { theta: Float64Array.of(200) });
    const { estimate } = frequencyEstimate({ data: r.spec, batch: 1, freqs: r.freqs, frames: r.frames }, { sampleRate: fs, nFft: N, band: [80, 170] });
    for (let n = 4; n < r.frames - 4; n++) expect(Math.abs(estimate[n] - f0)).toBeLessThan(0.5);
  });

  it('bandBins maps Hz to inclusive bin ranges and refuses an empty band', () => {
    expect(bandBins(129, 1000, 256, [100, 200])).toEqual([26, 51]); // 100/3.90625 = 25.6 → 26; 200/3.90625 = 51.2 → 51
    expect(bandBins(129, 1000, 256)).toEqual([0, 128]);
    expect(() => bandBins(129, 1000, 256, [100.1, 101])).toThrow(/band = .*holds no frequency bin/);
    expect(() => bandBins(129, 1000, 256, [200, 100])).toThrow(/low ≤ high/);
  });
});

describe('trackingLoss (Eq. 33) and its gradient', () => {
  const rng = createRng(11);
  const B = 2;
  const F = 9;
  const T = 5;
  const data = Float64Array.from({ length: B * F * T }, () => 0.05 + rng.uniform());
  const truth = Float64Array.from({ length: B * T }, () => 50 + 300 * rng.uniform());
  for (const opts of [
    { sampleRate: 1000, nFft: 16 },
    { sampleRate: 1000, nFft: 16, band: [100, 400] as const },
    { sampleRate: 1000, nFft: 16, band: [100, 400] as const, order: 2 },
  ]) {
    it(`matches central differences to 1e-6 (${JSON.stringify(opts)})`, () => {
      const s = { data, batch: B, freqs: F, frames: T };
      const grad = new Float64Array(data.length);
      trackingLoss(s, truth, opts, grad);
      const res = gradcheck({ f: () => trackingLoss(s, truth, opts), grad, params: data });
      expect(res.maxError).toBeLessThanOrEqual(1e-6);
      if (opts.band) {
        // bins outside the band get exactly 0
        expect(grad[0]).toBe(0);
        expect(grad[(F - 1) * T]).toBe(0);
      }
    });
  }

  it('equals the mean squared error of the estimate (by hand), divided by the order', () => {
    const s = spec([1, 0, 3, 1, 0, 3], 1, 3, 2);
    const loss = trackingLoss(s, Float64Array.of(4, 9), { sampleRate: 40, nFft: 4, order: 2 });
    expect(loss).toBeCloseTo(((7.5 / 2 - 4) ** 2 + (17.5 / 2 - 9) ** 2) / 2, 12);
    expect(() => trackingLoss(s, Float64Array.of(1), { sampleRate: 40, nFft: 4 })).toThrow(/truth = .*frames = 2/);
  });
});
