import { expectGradcheck, createRng } from '@dstft/testing';
import { magnitude } from '@dstft/kernel';
import { describe, expect, it } from 'vitest';
import { magnitudeVjp } from './index.js';

describe('magnitudeVjp', () => {
  for (const power of [1, 2, 1.5]) {
    it(`G = ∂ℒ/∂S · p|X|^{p-2} X matches finite differences of ℒ = Σ c·(|X|^p + eps), power ${power}`, () => {
      const r = createRng(4);
      const X = new Float64Array(40).map(() => r.uniform(-2, 2));
      const c = new Float64Array(20).map(() => r.uniform(-1, 1));
      const G = new Float64Array(40);
      magnitudeVjp(X, c, power, G);
      const S = new Float64Array(20);
      const f = (v: Float64Array) => {
        magnitude(v, S, power, 1e-12);
        return S.reduce((acc, s, k) => acc + c[k]! * s, 0);
      };
      expectGradcheck({ f, grad: G, params: X });
    });
  }

  it('is 0 where |X| = 0', () => {
    const G = new Float64Array(4).fill(9);
    magnitudeVjp(new Float64Array(4), Float64Array.of(1, 1), 1, G);
    expect(Array.from(G)).toEqual([0, 0, 0, 0]);
  });
});
