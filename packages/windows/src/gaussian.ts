import { ParameterError, markBuiltin } from '@dstft/core';
import { defineDilationWindow } from './define-dilation-window.js';

/** Parameters of the `gaussian` window. */
export type GaussianParams = {
  /** Standard deviation as a fraction of θ (default 1/8: ±θ/2 = ±4σ). */
  readonly sigma: number;
};

/**
 * Gaussian (paper Eq. 5): w(x, θ) = exp(-½ (x / (σθ))²), σ = `sigma` (a fraction of θ, default 1/8, so that
 * [-θ/2, θ/2] = ±4σ holds all but erfc(2√2) ≈ 6.3e-5 of the mass).
 *
 * Not truncated at ±θ/2: `supportHalfWidth` is `Infinity`, the frame [-N/2, N/2) cuts it, and that cut does not
 * depend on θ, so the transform is continuous (indeed smooth) in θ.
 */
export const gaussian = markBuiltin(
  defineDilationWindow<'gaussian', GaussianParams>({
    id: 'gaussian',
    continuousInTheta: true,
    defaults: { sigma: 1 / 8 },
    parameters: [
      {
        name: 'sigma',
        type: 'number',
        min: 0,
        minExclusive: true,
        default: 1 / 8,
        description: 'standard deviation as a fraction of θ (default 1/8: ±θ/2 = ±4σ; smaller is narrower)',
      },
    ],
    halfWidth: () => Number.POSITIVE_INFINITY,
    resolveParams: (params) => {
      const sigma = params['sigma'];
      if (typeof sigma !== 'number' || !Number.isFinite(sigma) || !(sigma > 0)) {
        throw new ParameterError(
          'sigma',
          sigma,
          'the Gaussian window needs a finite σ > 0 (a fraction of θ)',
          'pass e.g. { sigma: 0.125 } (the default: ±θ/2 = ±4σ); smaller values make a narrower window',
        );
      }
      return { sigma };
    },
    shape: (u, p) => {
      const v = u / p.sigma;
      return Math.exp(-0.5 * v * v);
    },
    dShape: (u, p) => {
      const s = p.sigma;
      const v = u / s;
      return (-v / s) * Math.exp(-0.5 * v * v);
    },
  }),
);
