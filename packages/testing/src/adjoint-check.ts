/**
 * `adjointCheck` (the "dot-product test"): for a linear map A and its claimed adjoint Aᵀ, checks
 * ⟨A v, u⟩ = ⟨v, Aᵀ u⟩ for random v, u. Inner products are real: complex vectors are passed as interleaved
 * [re, im] pairs, and Re⟨a, b⟩_ℂ is exactly the real inner product of the interleaved arrays, so Aᵀ here is the
 * real adjoint of the interleaved map (for a complex-linear A, the conjugate transpose).
 */
import { fmt } from './format.js';
import type { Rng } from './rng.js';

/**
 * Options of {@link adjointCheck}: the linear map A and its claimed adjoint Aᵀ as in-place functions, their sizes,
 * the tolerance and the number of random trials.
 */
export interface AdjointCheckOptions {
  /** out = A v (`out` has length outSize and is zeroed before each call). */
  forward: (v: Float64Array, out: Float64Array) => void;
  /** out = Aᵀ u (`out` has length inSize and is zeroed before each call). */
  adjoint: (u: Float64Array, out: Float64Array) => void;
  inSize: number;
  outSize: number;
  /** Source of the random v, u (uniform in [-1, 1)): an `Rng` from `createRng`, or any () => [0, 1) function. */
  rng: Rng | (() => number);
  /** Relative tolerance (default 1e-12). */
  tol?: number;
  /** Number of random (v, u) pairs (default 3); the worst is reported. */
  trials?: number;
}

/**
 * Outcome of {@link adjointCheck}: whether ⟨A v, u⟩ = ⟨v, Aᵀ u⟩ held within the tolerance, with the worst trial's
 * values.
 */
export interface AdjointCheckResult {
  readonly ok: boolean;
  /** ⟨A v, u⟩ of the worst trial */
  readonly lhs: number;
  /** ⟨v, Aᵀ u⟩ of the worst trial */
  readonly rhs: number;
  /** |lhs - rhs| / max(|lhs|, |rhs|), worst over the trials (0 when both are 0). */
  readonly relError: number;
  readonly tol: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Checks that `adjoint` is the adjoint of `forward` (⟨A v, u⟩ = ⟨v, Aᵀ u⟩) on seeded random vectors v and u, in
 * float64.
 */
export function adjointCheck(opts: AdjointCheckOptions): AdjointCheckResult {
  const { forward, adjoint, inSize, outSize } = opts;
  const tol = opts.tol ?? 1e-12;
  const trials = opts.trials ?? 3;
  if (!Number.isInteger(inSize) || inSize < 1 || !Number.isInteger(outSize) || outSize < 1) {
    throw new RangeError(`adjointCheck: inSize = ${inSize}, outSize = ${outSize}. Fix: pass the positive integer lengths of v and A v`);
  }
  const next = typeof opts.rng === 'function' ? opts.rng : opts.rng.next;
  const v = new Float64Array(inSize);
  const u = new Float64Array(outSize);
  const av = new Float64Array(outSize);
  const atu = new Float64Array(inSize);
  let worst = { lhs: 0, rhs: 0, relError: -1 };
  for (let t = 0; t < trials; t++) {
    for (let i = 0; i < inSize; i++) v[i] = 2 * next() - 1;
    for (let i = 0; i < outSize; i++) u[i] = 2 * next() - 1;
    av.fill(0);
    atu.fill(0);
    forward(v, av);
    adjoint(u, atu);
    const lhs = dot(av, u);
    const rhs = dot(v, atu);
    const denom = Math.max(Math.abs(lhs), Math.abs(rhs));
    const relError = denom === 0 ? 0 : Number.isFinite(lhs) && Number.isFinite(rhs) ? Math.abs(lhs - rhs) / denom : Number.POSITIVE_INFINITY;
    if (relError > worst.relError || Number.isNaN(relError)) worst = { lhs, rhs, relError };
  }
  return { ok: worst.relError <= tol, lhs: worst.lhs, rhs: worst.rhs, relError: worst.relError, tol };
}

/** Runs `adjointCheck` and throws a readable Error when it fails. */
export function expectAdjoint(opts: AdjointCheckOptions): AdjointCheckResult {
  const r = adjointCheck(opts);
  if (!r.ok) {
    throw new Error(
      `adjointCheck: <A v, u> = ${fmt(r.lhs)} but <v, Aᵀ u> = ${fmt(r.rhs)}: relative error ${fmt(r.relError)} > tol ${r.tol}. ` +
        'The adjoint is not the transpose of the forward map (check scaling, conjugation, index order, and that both write every entry)',
    );
  }
  return r;
}
