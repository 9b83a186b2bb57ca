import { describe, expect, it } from 'vitest';
import { cubicMin } from './cubic-min.js';

describe('cubicMin', () => {
  it('is exact for a cubic: f(t) = (t - 1)³/3 - (t - 1)·4 has its minimum at t = 3', () => {
    const f = (t: number) => Math.pow(t - 1, 3) / 3 - 4 * (t - 1);
    const g = (t: number) => Math.pow(t - 1, 2) - 4;
    expect(cubicMin(0, f(0), g(0), 5, f(5), g(5), 0, 5)).toBeCloseTo(3, 12);
    expect(cubicMin(5, f(5), g(5), 0, f(0), g(0), 0, 5)).toBeCloseTo(3, 12); // either order
    expect(cubicMin(0, f(0), g(0), 5, f(5), g(5), 0, 2)).toBe(2); // clamped
  });

  it('falls back to the midpoint when the data are not finite or the cubic has no minimum', () => {
    expect(cubicMin(0, 1, -1, 2, Number.POSITIVE_INFINITY, Number.NaN, 0, 2)).toBe(1);
    expect(cubicMin(0, 0, -1, 1, -1, -1, 1, 3)).toBe(2); // a straight line
  });
});
