import { describe, expect, it } from 'vitest';
import { DftTwiddles } from './dft-twiddles.js';

/** cos / sin of 2π k / N from the table definition, k = m(s + j) mod N with exact integer arithmetic. */
function tables(N: number): [Float64Array, Float64Array] {
  const c = new Float64Array(N);
  const s = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    c[k] = Math.cos((2 * Math.PI * k) / N);
    s[k] = Math.sin((2 * Math.PI * k) / N);
  }
  return [c, s];
}

describe('DftTwiddles', () => {
  for (const N of [2, 7, 30, 31, 32, 257]) {
    it(`N = ${N}: kept rows and per-call runs both give cosTable[m(s + j) mod N] for every bin, shift and range`, () => {
      const F = Math.floor(N / 2) + 1;
      const [cosT, sinT] = tables(N);
      const kept = new DftTwiddles(N, F, cosT, sinT, true);
      const perCall = new DftTwiddles(N, F, cosT, sinT, false);
      const shifts = [0, 1, N - 1, Math.floor(N / 3)];
      let checked = 0;
      let wrong = 0;
      for (let m = 0; m < F; m++) {
        for (const s of shifts) {
          const lo = Math.floor(N / 5);
          const hi = N;
          for (const tw of [kept, perCall]) {
            tw.run(m, s, lo, hi);
            for (let j = lo; j < hi; j++) {
              const k = (m * (s + j)) % N;
              if (tw.cos[tw.offset + j] !== cosT[k] || tw.sin[tw.offset + j] !== sinT[k]) wrong++;
              checked++;
            }
          }
        }
      }
      expect(wrong).toBe(0);
      expect(checked).toBeGreaterThan(0);
    });
  }
});
