import { markBuiltin } from '@dstft/core';
import { defineDilationWindow, type NoParams } from './define-dilation-window.js';

const TWO_PI = 2 * Math.PI;
/** g(u) = 0.54 + 0.46·cos(2πu): the coefficients of its fast grid evaluation. */
const HAMMING_SERIES: readonly number[] = Object.freeze([0.54, 0.46]);

/**
 * Hamming: g(u) = 0.54 + 0.46·cos(2πu), truncated to [-1/2, 1/2) where it is still 0.08 at the edge.
 * `continuousInTheta: false`: the transform jumps in θ whenever a sample enters or leaves the support, so
 * Hamming is meant for fixed-parameter work. Derivatives are still exact wherever w is smooth (everywhere
 * except at the support edge). With θ = N, x = j - N/2 it is the periodic Hamming window of length N.
 */
export const hamming = markBuiltin(
  defineDilationWindow<'hamming', NoParams>({
    id: 'hamming',
    continuousInTheta: false,
    defaults: {},
    parameters: [],
    cosineSeries: () => HAMMING_SERIES,
    shape: (u) => 0.54 + 0.46 * Math.cos(TWO_PI * u),
    dShape: (u) => -0.92 * Math.PI * Math.sin(TWO_PI * u),
  }),
);
