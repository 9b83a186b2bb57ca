/**
 * @dstft/windows: built-in window plugins (layer 1: depends only on @dstft/core, as a peer).
 * Each plugin gives w(x, θ), ∂w/∂θ and ∂w/∂x exactly; normalizations live in @dstft/core's FrameWindow.
 */
import type { NoParams } from './define-dilation-window.js';
import type { GaussianParams } from './gaussian.js';
import type { KaiserParams } from './kaiser.js';

export {
  defineDilationWindow,
  type DilationWindowPlugin,
  type DilationWindowSpec,
  type NoParams,
  type WindowParamsOf,
} from './define-dilation-window.js';
export { hann } from './hann.js';
export { gaussian, type GaussianParams } from './gaussian.js';
export { blackman } from './blackman.js';
export { hamming } from './hamming.js';
export { kaiser, KAISER_MAX_BETA, type KaiserParams } from './kaiser.js';
export { besselI0, besselI1, besselI1OverZ } from './bessel.js';
export { windowsPreset } from './preset.js';

// Convenience re-exports: sampling a window on a frame, with normalization and its chain rule.
export { FrameWindow, NORMALIZATIONS, type Normalization } from '@dstft/core';

declare module '@dstft/core' {
  interface WindowParamsMap {
    hann: NoParams;
    blackman: NoParams;
    hamming: NoParams;
    gaussian: GaussianParams;
    kaiser: KaiserParams;
  }
}
