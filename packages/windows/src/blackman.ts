import { markBuiltin } from '@dstft/core';
import { defineDilationWindow, type NoParams } from './define-dilation-window.js';

const TWO_PI = 2 * Math.PI;
/** g(u) = 0.42 + 0.5·cos(2πu) + 0.08·cos(4πu): the coefficients of its fast grid evaluation. */
const BLACKMAN_SERIES: readonly number[] = Object.freeze([0.42, 0.5, 0.08]);

/**
 * Blackman: g(u) = 0.42 + 0.5·cos(2πu) + 0.08·cos(4πu) on [-1/2, 1/2). Zero with zero slope at the edge, so
 * continuous in θ. Evaluated as (1 + c)(0.34 + 0.16c) with c = cos(2πu) (the same polynomial), which is exactly
 * 0 at the edge and never negative. With θ = N, x = j - N/2 it is the periodic Blackman window of length N.
 * Its `evaluateGrid` (used by FrameWindow) runs the cosine series instead: equal to rounding (≈1e-16 near the
 * edge, where it may be a few 1e-17 below 0).
 */
export const blackman = markBuiltin(
  defineDilationWindow<'blackman', NoParams>({
    id: 'blackman',
    continuousInTheta: true,
    defaults: {},
    parameters: [],
    cosineSeries: () => BLACKMAN_SERIES,
    shape: (u) => {
      const c = Math.cos(TWO_PI * u);
      return (1 + c) * (0.34 + 0.16 * c);
    },
    // g'(u) = -π sin(2πu) - 0.32π sin(4πu) = -π sin(2πu)(1 + 0.64 cos(2πu))
    dShape: (u) => {
      const a = TWO_PI * u;
      return -Math.PI * Math.sin(a) * (1 + 0.64 * Math.cos(a));
    },
  }),
);
