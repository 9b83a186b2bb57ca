import { describe, expect, it } from 'vitest';
import { maxRelativeError } from './compare.js';

describe('maxRelativeError', () => {
  it('is the largest difference over the largest |expected|', () => {
    expect(maxRelativeError([1, 2, -4], [1, 2.5, -4])).toBe(0.5 / 4);
    expect(maxRelativeError(Float64Array.of(3, 3), Float64Array.of(3, 3))).toBe(0);
  });
  it('falls back to the absolute difference for an all-zero expected, and refuses different lengths', () => {
    expect(maxRelativeError([0, 1e-3], [0, 0])).toBe(1e-3);
    expect(() => maxRelativeError([1], [1, 2])).toThrow(/1 entries and expected 2.*Fix:/);
  });
});
