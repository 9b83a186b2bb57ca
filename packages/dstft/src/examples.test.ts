import { ParameterError } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SIGNALS, chirpToneBurst, exampleSignal } from './index.js';

/** Frequency from zero crossings in [t0, t1): an estimate independent of the generator's formula. */
function zeroCrossingHz(x: Float64Array, sampleRate: number, t0: number, t1: number): number {
  let n = 0;
  const a = Math.round(t0 * sampleRate);
  const b = Math.round(t1 * sampleRate);
  for (let p = a + 1; p < b; p++) if (Math.sign(x[p]!) !== Math.sign(x[p - 1]!)) n++;
  return n / 2 / (t1 - t0);
}

describe('EXAMPLE_SIGNALS', () => {
  it('every example: the requested length, finite samples, a JSON ground truth', () => {
    for (const e of EXAMPLE_SIGNALS) {
      const r = e.generate({ sampleRate: e.defaults.sampleRate, duration: Math.min(2, e.defaults.duration) });
      expect(r.samples.length, e.id).toBe(Math.round(r.sampleRate * Math.min(2, e.defaults.duration)));
      expect(r.samples.every(Number.isFinite), e.id).toBe(true);
      expect(JSON.parse(JSON.stringify(r.truth)), e.id).toEqual(r.truth);
    }
  });

  it('vi-a is the chirpToneBurst of the experiments; unknown ids name the known ones', () => {
    expect(exampleSignal('vi-a').samples).toEqual(chirpToneBurst().samples);
    expect(() => exampleSignal('vi-z')).toThrow(ParameterError);
    expect(() => exampleSignal('vi-z')).toThrow(/"vi-a", "vi-b", "chirp", "accelerating-chirp", "vibration"/);
  });

  it('the chirps sweep as their truth says (zero crossings in 40 ms windows)', () => {
    for (const id of ['chirp', 'accelerating-chirp']) {
      const r = exampleSignal(id);
      const track = (r.truth['components'] as { instantaneousFrequency: { times: number[]; hz: number[] } }[])[0]!.instantaneousFrequency;
      for (const t of [0.2, 0.5, 0.8]) {
        const k = track.times.findIndex((u) => u >= t);
        expect(zeroCrossingHz(r.samples, r.sampleRate, t - 0.02, t + 0.02), `${id} at ${t} s`).toBeCloseTo(track.hz[k]!, -1.5);
      }
    }
  });
});
