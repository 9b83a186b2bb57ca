/**
 * Seeded pseudo-random numbers for tests (never `Math.random`): the standard mulberry32 generator
 * (Tommy Ettinger's 32-bit generator, the same one the golden data's noise `u = mulberry32(seed=7)` uses).
 */

import { mulberry32 } from '@dstft/core';

/** mulberry32 lives in @dstft/core (example signals use it too); re-exported here for tests. */
export { mulberry32 };

export interface Rng {
  /** The next float in [0, 1). */
  next(): number;
  /** Uniform float in [lo, hi) (defaults [0, 1)). */
  uniform(lo?: number, hi?: number): number;
  /** Normal sample (Box–Muller), mean 0 and standard deviation 1 unless given. */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in [lo, hi) (hi exclusive, like `uniform`). */
  int(lo: number, hi: number): number;
  /** Fills `arr` with uniform floats in [lo, hi) (default [-1, 1)) and returns it. */
  fill<T extends Float64Array | Float32Array>(arr: T, lo?: number, hi?: number): T;
  /**
   * A test signal of `length` samples: three sinusoids of random frequency (0.01..0.45 cycles/sample),
   * amplitude (0.2..1) and phase, plus white Gaussian noise of standard deviation 0.1.
   */
  signal(length: number): Float64Array;
}

/** A seeded generator with helpers, built on `mulberry32(seed)`. */
export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  let spare = Number.NaN; // Box–Muller gives two normals per draw

  const uniform = (lo = 0, hi = 1): number => lo + (hi - lo) * next();

  const normal = (mean = 0, std = 1): number => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = Number.NaN;
      return mean + std * z;
    }
    const u1 = 1 - next(); // (0, 1]: log never sees 0
    const u2 = next();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return mean + std * r * Math.cos(2 * Math.PI * u2);
  };

  const int = (lo: number, hi: number): number => {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || !(hi > lo)) {
      throw new RangeError(`rng.int(lo, hi): got lo = ${lo}, hi = ${hi}. Fix: pass integers with lo < hi (hi is exclusive)`);
    }
    return lo + Math.floor((hi - lo) * next());
  };

  const fill = <T extends Float64Array | Float32Array>(arr: T, lo = -1, hi = 1): T => {
    for (let i = 0; i < arr.length; i++) arr[i] = lo + (hi - lo) * next();
    return arr;
  };

  const signal = (length: number): Float64Array => {
    const out = new Float64Array(length);
    for (let s = 0; s < 3; s++) {
      const f = uniform(0.01, 0.45);
      const a = uniform(0.2, 1);
      const ph = uniform(0, 2 * Math.PI);
      for (let n = 0; n < length; n++) out[n]! += a * Math.cos(2 * Math.PI * f * n + ph);
    }
    for (let n = 0; n < length; n++) out[n]! += 0.1 * normal();
    return out;
  };

  return { next, uniform, normal, int, fill, signal };
}
