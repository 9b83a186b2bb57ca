/**
 * Seeded pseudo-random numbers for reproducible example signals and tests (never `Math.random`): the standard
 * mulberry32 generator (Tommy Ettinger's 32-bit generator, the one the golden data's noise `u = mulberry32(seed=7)`
 * uses). `@dstft/testing` builds its `createRng` on it.
 */

/** Standard mulberry32: returns a function giving floats in [0, 1) (multiples of 2^-32). */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
