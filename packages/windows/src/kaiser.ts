import { ParameterError, markBuiltin } from '@dstft/core';
import { besselI0, besselI1OverZ } from './bessel.js';
import { defineDilationWindow } from './define-dilation-window.js';

/** Parameters of the `kaiser` window. */
export type KaiserParams = {
  /** Shape parameter β ≥ 0 (default 8; 0 is a box, larger is narrower with lower side lobes). */
  readonly beta: number;
};

/** Largest accepted β: I₀(β) stays far from overflow (I₀(700) ≈ 1.5e302) and the series short. */
export const KAISER_MAX_BETA = 500;

// I₀(β) is the same for every sample of an evaluation: remember the last one (a pure memo, not state).
let memoBeta = Number.NaN;
let memoI0 = Number.NaN;
function i0Beta(beta: number): number {
  if (beta !== memoBeta) {
    memoI0 = besselI0(beta);
    memoBeta = beta;
  }
  return memoI0;
}

/**
 * Kaiser: g(u) = I₀(β√(1 - 4u²)) / I₀(β) on [-1/2, 1/2), with `beta` (default 8). Truncated where it is still
 * 1/I₀(β) > 0, so `continuousInTheta: false` (meant for fixed-parameter work; derivatives are exact wherever w is
 * smooth). With θ = N, x = j - N/2 it is the periodic Kaiser window of length N.
 *
 * g'(u) = -4u β² · [I₁(βs)/(βs)] / I₀(β) with s = √(1 - 4u²): written with I₁(z)/z, whose series is finite at z = 0,
 * so the derivative stays exact up to the edge (limit β²/I₀(β)·(-4u)/2 as s → 0).
 */
export const kaiser = markBuiltin(
  defineDilationWindow<'kaiser', KaiserParams>({
    id: 'kaiser',
    continuousInTheta: false,
    defaults: { beta: 8 },
    parameters: [
      {
        name: 'beta',
        type: 'number',
        min: 0,
        max: KAISER_MAX_BETA,
        default: 8,
        description: 'shape parameter β (0: box; larger: narrower main lobe, lower side lobes; 14 is Blackman-Harris-like)',
      },
    ],
    resolveParams: (params) => {
      const beta = params['beta'];
      if (typeof beta !== 'number' || !Number.isFinite(beta) || beta < 0 || beta > KAISER_MAX_BETA) {
        throw new ParameterError(
          'beta',
          beta,
          `the Kaiser window needs a finite β in [0, ${KAISER_MAX_BETA}]`,
          'pass e.g. { beta: 8 } (the default); 0 gives a box window, 14 a Blackman-Harris-like one',
        );
      }
      return { beta };
    },
    shape: (u, p) => {
      const beta = p.beta;
      const s2 = 1 - 4 * u * u;
      const s = s2 > 0 ? Math.sqrt(s2) : 0;
      return besselI0(beta * s) / i0Beta(beta);
    },
    dShape: (u, p) => {
      const beta = p.beta;
      const s2 = 1 - 4 * u * u;
      const s = s2 > 0 ? Math.sqrt(s2) : 0;
      return (-4 * u * beta * beta * besselI1OverZ(beta * s)) / i0Beta(beta);
    },
  }),
);
