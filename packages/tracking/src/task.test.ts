import { describe, expect, it } from 'vitest';
import { createRegistry } from '@dstft/core';
import { frequencyTracking, sampleAt, trackingLoss, trackingPreset } from './index.js';

describe('the frequency-tracking task plugin', () => {
  it('registers as kind "task" through the preset', () => {
    const reg = createRegistry().use(trackingPreset);
    expect(reg.ids('task')).toEqual(['frequency-tracking']);
    expect(reg.get('task', 'frequency-tracking')).toBe(frequencyTracking);
  });

  it('its loss is the tracking MSE against each target sampled at the frame centres', () => {
    const F = 5;
    const T = 3;
    const data = Float64Array.from({ length: 2 * F * T }, (_, i) => 1 + ((i * 7) % 5));
    const positions = Float64Array.of(0, 2.5, 5);
    const targets = [{ frequency: Float64Array.of(10, 20, 30, 40, 50, 60) }, { frequency: Float64Array.of(5, 5, 5, 5, 5, 5) }];
    const spec = { data, batch: 2, freqs: F, frames: T };
    const g1 = new Float64Array(data.length);
    const got = frequencyTracking.loss({ spec, positions, sampleRate: 80, nFft: 8, targets }, g1, { band: [5, 35] });
    const truth = new Float64Array(6);
    sampleAt(targets[0].frequency, positions, truth.subarray(0, 3));
    sampleAt(targets[1].frequency, positions, truth.subarray(3, 6));
    expect(Array.from(truth)).toEqual([10, 35, 60, 5, 5, 5]);
    const g2 = new Float64Array(data.length);
    expect(got).toBe(trackingLoss(spec, truth, { sampleRate: 80, nFft: 8, band: [5, 35] }, g2));
    expect(g1).toEqual(g2);
  });

  it('generates a reproducible data set with the requested length, and checks its inputs', () => {
    const a = frequencyTracking.generate!(3, 9, { length: 300 });
    expect(a).toHaveLength(3);
    expect(a[0].signal.length).toBe(300);
    expect(a[2].signal).toEqual(frequencyTracking.generate!(3, 9, { length: 300 })[2].signal);
    const spec = { data: new Float64Array(10).fill(1), batch: 2, freqs: 5, frames: 1 };
    expect(() => frequencyTracking.loss({ spec, positions: Float64Array.of(0), sampleRate: 8, nFft: 8, targets: [] }, null, {})).toThrow(/targets = .*one target per signal/);
    expect(() => frequencyTracking.loss({ spec, positions: Float64Array.of(0), sampleRate: 8, nFft: 8, targets: [] }, null, { ordr: 2 } as never)).toThrow(/options\.ordr.*did you mean 'order'/);
  });
});
