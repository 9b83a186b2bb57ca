import { describe, expect, it } from 'vitest';
import { adjointCheck, createRng, expectAdjoint, mulberry32 } from '../src/index.js';

const M = 7;
const N = 5;
const rng = createRng(31);
const A = rng.fill(new Float64Array(M * N)); // [M, N] row-major

const forward = (v: Float64Array, out: Float64Array) => {
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) out[i]! += A[i * N + j]! * v[j]!;
};
const adjoint = (u: Float64Array, out: Float64Array) => {
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) out[j]! += A[i * N + j]! * u[i]!;
};

// complex DFT of size K on interleaved [re, im]: X_m = Σ_k x_k e^{-2πi mk/K}; its adjoint is the conjugate transpose
const K = 6;
function dft(sign: number) {
  return (x: Float64Array, out: Float64Array) => {
    for (let m = 0; m < K; m++) {
      for (let k = 0; k < K; k++) {
        const a = (sign * 2 * Math.PI * m * k) / K;
        const c = Math.cos(a);
        const s = Math.sin(a);
        out[2 * m]! += x[2 * k]! * c - x[2 * k + 1]! * s;
        out[2 * m + 1]! += x[2 * k]! * s + x[2 * k + 1]! * c;
      }
    }
  };
}

describe('adjointCheck', () => {
  it('accepts a real matrix and its transpose to 1e-12', () => {
    const r = adjointCheck({ forward, adjoint, inSize: N, outSize: M, rng: createRng(1) });
    expect(r.ok).toBe(true);
    expect(r.relError).toBeLessThan(1e-14);
    expect(Math.abs(r.lhs)).toBeGreaterThan(0);
  });

  it('rejects a wrong adjoint (one entry perturbed by 1e-9, or a missing transpose)', () => {
    const nudged = (u: Float64Array, out: Float64Array) => {
      adjoint(u, out);
      out[2]! += 1e-9 * u[3]!;
    };
    expect(adjointCheck({ forward, adjoint: nudged, inSize: N, outSize: M, rng: createRng(1) }).ok).toBe(false);
    const square = (v: Float64Array, out: Float64Array) => {
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) out[i]! += A[i * N + j]! * v[j]!;
    };
    const notTransposed = square; // A itself is not symmetric
    const r = adjointCheck({ forward: square, adjoint: notTransposed, inSize: N, outSize: N, rng: createRng(2) });
    expect(r.ok).toBe(false);
    expect(r.relError).toBeGreaterThan(1e-3);
  });

  it('complex maps: the real inner product over interleaved [re, im] needs the conjugate transpose', () => {
    const ok = adjointCheck({ forward: dft(-1), adjoint: dft(+1), inSize: 2 * K, outSize: 2 * K, rng: mulberry32(5) });
    expect(ok.ok).toBe(true);
    // the plain transpose of a DFT matrix is the DFT itself (symmetric), which is not its adjoint
    const bad = adjointCheck({ forward: dft(-1), adjoint: dft(-1), inSize: 2 * K, outSize: 2 * K, rng: mulberry32(5) });
    expect(bad.ok).toBe(false);
  });

  it('expectAdjoint throws a readable error', () => {
    expect(() => expectAdjoint({ forward, adjoint, inSize: N, outSize: M, rng: createRng(3) })).not.toThrow();
    const half = (u: Float64Array, out: Float64Array) => {
      adjoint(u, out);
      for (let j = 0; j < N; j++) out[j]! *= 0.5;
    };
    expect(() => expectAdjoint({ forward, adjoint: half, inSize: N, outSize: M, rng: createRng(3) })).toThrow(/<A v, u> = .* but <v, Aᵀ u> = .*relative error/);
  });

  it('rejects bad sizes', () => {
    expect(() => adjointCheck({ forward, adjoint, inSize: 0, outSize: M, rng: createRng(1) })).toThrow(/inSize = 0/);
  });
});
