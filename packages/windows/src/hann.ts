import { markBuiltin } from '@dstft/core';
import { defineDilationWindow, type NoParams } from './define-dilation-window.js';

const TWO_PI = 2 * Math.PI;
/** g(u) = 0.5 + 0.5·cos(2πu): the coefficients of its fast grid evaluation. */
const HANN_SERIES: readonly number[] = Object.freeze([0.5, 0.5]);

/**
 * Hann: g(u) = 0.5 + 0.5·cos(2πu) on [-1/2, 1/2). Zero with zero slope at the edge, so continuous in θ.
 * With θ = N and offsets x = j - N/2 it is the periodic Hann window of length N (0.5 - 0.5·cos(2πj/N)),
 * what `torch.hann_window(N)` and `scipy.signal.get_window('hann', N)` give.
 */
export const hann = markBuiltin(
  defineDilationWindow<'hann', NoParams>({
    id: 'hann',
    continuousInTheta: true,
    defaults: {},
    parameters: [],
    cosineSeries: () => HANN_SERIES,
    shape: (u) => 0.5 + 0.5 * Math.cos(TWO_PI * u),
    dShape: (u) => -Math.PI * Math.sin(TWO_PI * u),
  }),
);
