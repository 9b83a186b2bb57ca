import { describe, expect, it } from 'vitest';
import { createRng, mulberry32 } from '../src/index.js';

describe('mulberry32', () => {
  it('is deterministic per seed, in [0, 1), multiples of 2^-32', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs).not.toEqual(Array.from({ length: 1000 }, () => c()));
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      expect(Number.isInteger(x * 4294967296)).toBe(true);
    }
  });

  it('matches the reference algorithm written out with explicit uint32 arithmetic (BigInt)', () => {
    // independent re-derivation: the same steps with BigInt modulo 2^32
    const M = 1n << 32n;
    const u32 = (x: bigint) => ((x % M) + M) % M;
    const imul = (x: bigint, y: bigint) => u32(x * y);
    let state = 7n;
    const ref = (): number => {
      state = u32(state + 0x6d2b79f5n);
      let t = imul(state ^ (state >> 15n), state | 1n);
      t = u32(t + imul(t ^ (t >> 7n), t | 61n)) ^ t;
      return Number(u32(t ^ (t >> 14n))) / 4294967296;
    };
    const r = mulberry32(7);
    for (let i = 0; i < 200; i++) expect(r()).toBe(ref());
  });
});

describe('createRng', () => {
  it('uniform, int and fill respect their ranges', () => {
    const rng = createRng(1);
    for (let i = 0; i < 2000; i++) {
      const u = rng.uniform(-2, 3);
      expect(u >= -2 && u < 3).toBe(true);
      const k = rng.int(-3, 4);
      expect(Number.isInteger(k) && k >= -3 && k < 4).toBe(true);
    }
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(0, 3)));
    expect([...seen].sort()).toEqual([0, 1, 2]);
    const arr = rng.fill(new Float64Array(100), 5, 6);
    expect(arr.every((v) => v >= 5 && v < 6)).toBe(true);
    expect(() => rng.int(3, 3)).toThrow(/lo < hi/);
  });

  it('normal() has mean 0 and variance 1 (20000 samples, 4σ bounds)', () => {
    const rng = createRng(9);
    const n = 20000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(createRng(9).normal(10, 0)).toBe(10);
  });

  it('signal(length) is a deterministic, finite, non-trivial test signal', () => {
    const a = createRng(5).signal(512);
    const b = createRng(5).signal(512);
    expect(a).toHaveLength(512);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a.every(Number.isFinite)).toBe(true);
    let energy = 0;
    for (const v of a) energy += v * v;
    expect(energy / 512).toBeGreaterThan(0.01);
    expect(Array.from(createRng(6).signal(512))).not.toEqual(Array.from(a));
  });
});
