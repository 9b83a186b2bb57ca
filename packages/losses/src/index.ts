/**
 * @dstft/losses: built-in loss plugins (on a spectrogram S `[batch, freqs, frames]`) and regularizer plugins (on
 * the window lengths θ and frame positions t_n), each with its exact gradient. Layer 1: depends only on
 * @dstft/core, as a peer.
 */
export { shannon, shannonFramewise, P_FLOOR, LOG_P_FLOOR, type ShannonOptions } from './shannon.js';
export { renyi, type RenyiOptions } from './renyi.js';
export { kurtosis, type KurtosisOptions } from './kurtosis.js';
export { coverage, coverageViolations, type CoverageOptions, type CoverageViolation } from './coverage.js';
export { tfSmoothness, type TfSmoothnessOptions } from './tf-smoothness.js';
export { l2, type L2Options, type L2Target } from './l2.js';
export { bounds, type BoundsOptions } from './bounds.js';
export { lossesPreset } from './preset.js';
export { badSum as spectrogramSumError, type Reduction } from './check.js';
export type { BuiltinLoss, BuiltinRegularizer } from './types.js';
