import { describe, expect, it } from 'vitest';
import { formatTicks, logTicks, niceTicks } from './ticks.js';

describe('niceTicks', () => {
  it('uses 1-2-5 steps (hand-checked)', () => {
    expect(niceTicks(0, 1, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0, 1, 11)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(niceTicks(0, 22050, 6)).toEqual([0, 5000, 10000, 15000, 20000]);
    expect(niceTicks(-21.5, 22071.5, 10)).toEqual([0, 5000, 10000, 15000, 20000]);
    expect(niceTicks(0, 600, 7)).toEqual([0, 100, 200, 300, 400, 500, 600]);
    expect(niceTicks(0.012, 2.996, 8)).toEqual([0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(-1.3, 2.7, 5)).toEqual([-1, 0, 1, 2]);
    expect(niceTicks(0.0012, 0.0048, 4)).toEqual([0.002, 0.003, 0.004]);
    expect(niceTicks(-83.2, -3.2, 5)).toEqual([-80, -60, -40, -20]);
    expect(niceTicks(96, 516, 10)).toEqual([100, 150, 200, 250, 300, 350, 400, 450, 500]);
    expect(niceTicks(1e6, 1e6 + 3, 4)).toEqual([1e6, 1e6 + 1, 1e6 + 2, 1e6 + 3]);
  });

  it('handles equal and reversed ends', () => {
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(1, 0, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('rejects non-finite ends and too few ticks', () => {
    expect(() => niceTicks(0, Infinity)).toThrow(/hi must be finite/);
    expect(() => niceTicks(0, 1, 1)).toThrow(/maxTicks must be ≥ 2/);
  });
});

describe('logTicks', () => {
  it('uses 1-2-5 values on short ranges, powers of ten on long ones (hand-checked)', () => {
    expect(logTicks(0.025, 2.6)).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2]);
    expect(logTicks(1e-4, 100)).toEqual([1e-4, 1e-3, 0.01, 0.1, 1, 10, 100]);
    expect(logTicks(1e-6, 1e6)).toEqual([1e-6, 1e-4, 0.01, 1, 100, 1e4, 1e6]);
    expect(logTicks(3, 4.5)).toEqual([3, 3.5, 4, 4.5]);
  });

  it('rejects non-positive ranges', () => {
    expect(() => logTicks(0, 1)).toThrow(/lo must be > 0/);
  });
});

describe('formatTicks', () => {
  it('writes readable labels (hand-checked)', () => {
    expect(formatTicks([0, 0.25, 0.5, 0.75, 1])).toEqual(['0.00', '0.25', '0.50', '0.75', '1.00']);
    expect(formatTicks([0, 0.5, 1, 1.5])).toEqual(['0.0', '0.5', '1.0', '1.5']);
    expect(formatTicks([0, 100, 200])).toEqual(['0', '100', '200']);
    expect(formatTicks([0, 1000, 2000, 3000])).toEqual(['0', '1000', '2000', '3000']);
    expect(formatTicks([0, 5000, 10000, 15000, 20000])).toEqual(['0', '5k', '10k', '15k', '20k']);
    expect(formatTicks([0, 12500, 25000])).toEqual(['0', '12.5k', '25k']);
    expect(formatTicks([-80, -40, 0])).toEqual(['−80', '−40', '0']);
    expect(formatTicks([-0.5, 0, 0.5])).toEqual(['−0.5', '0.0', '0.5']);
    expect(formatTicks([1e-4, 2e-4, 3e-4])).toEqual(['1e-4', '2e-4', '3e-4']);
    expect(formatTicks([0, 2e6, 4e6])).toEqual(['0', '2e6', '4e6']);
    expect(formatTicks([0.002, 0.003, 0.004])).toEqual(['0.002', '0.003', '0.004']);
    expect(formatTicks([])).toEqual([]);
  });

  it('writes log ticks each in its shortest form', () => {
    expect(formatTicks([0.05, 0.1, 0.2, 1, 10], { log: true })).toEqual(['0.05', '0.1', '0.2', '1', '10']);
    expect(formatTicks([1e-6, 1e-4, 0.01], { log: true })).toEqual(['1e-6', '1e-4', '1e-2']);
  });

  it('rejects non-finite ticks', () => {
    expect(() => formatTicks([0, NaN])).toThrow(/ticks\[1\] = NaN/);
  });
});
