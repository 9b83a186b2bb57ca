import { describe, expect, it } from 'vitest';
import { pairedDifference, tQuantile975 } from './experiment.js';

describe('paired differences between table rows', () => {
  it('a − b seed by seed: mean, standard error, 95 % t interval, ahead / level / behind', () => {
    // d = 0.05, 0, 0.05 (seed 4 has no partner and is left out): mean 1/30, sd = √(1/1200), se = sd/√3 = 1/60
    const a = new Map([[1, 0.9], [2, 0.8], [3, 0.95], [4, 0.5]]);
    const b = new Map([[1, 0.85], [2, 0.8], [3, 0.9]]);
    const p = pairedDifference(a, b)!;
    expect(p.n).toBe(3);
    expect(p.mean).toBeCloseTo(1 / 30, 12);
    expect(p.se).toBeCloseTo(1 / 60, 12);
    expect(p.ci95[0]).toBeCloseTo(1 / 30 - 4.303 / 60, 12);
    expect(p.ci95[1]).toBeCloseTo(1 / 30 + 4.303 / 60, 12);
    expect([p.ahead, p.level, p.behind]).toEqual([2, 1, 0]);
    // swapping the rows mirrors everything
    const q = pairedDifference(b, a)!;
    expect(q.mean).toBeCloseTo(-1 / 30, 12);
    expect([q.ahead, q.level, q.behind]).toEqual([0, 1, 2]);
  });

  it('needs two pairs', () => {
    expect(pairedDifference(new Map([[1, 0.9]]), new Map([[1, 0.8]]))).toBeNull();
    expect(pairedDifference(new Map([[1, 0.9], [2, 0.7]]), new Map([[3, 0.8]]))).toBeNull();
  });

  it("Student's t quantiles (published values: df 2 → 4.303, df 5 → 2.571, df 30 → 2.042, df 120 → 1.980)", () => {
    expect(tQuantile975(2)).toBe(4.303);
    expect(tQuantile975(5)).toBe(2.571);
    expect(Math.abs(tQuantile975(30) - 2.042)).toBeLessThan(0.01);
    expect(Math.abs(tQuantile975(120) - 1.98)).toBeLessThan(0.01);
    expect(() => tQuantile975(0)).toThrow(/df = 0/);
  });
});
