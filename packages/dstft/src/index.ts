/**
 * dstft-ts: the differentiable short-time Fourier transform with learnable window lengths and frame positions.
 * This umbrella package builds transforms from plain options and re-exports what users need.
 */
export { createDstft, createDefaultRegistry, type Dstft, type DstftParams, type CreateDstftExtras } from './dstft.js';
export type { DstftOptions } from './options.js';
export { chirpToneBurst, type ChirpToneBurstOptions } from './signals.js';

// the vocabulary users meet
export {
  API_VERSION,
  DstftError,
  ParameterError,
  ShapeError,
  SignalError,
  RegistryError,
  UnknownPluginError,
  PluginApiError,
  StateError,
  createRegistry,
  FrameWindow,
  type Normalization,
  type Registry,
  type FrozenRegistry,
  type RegistryView,
  type WindowPlugin,
  type WindowEval,
  type WindowParams,
  type WindowParamsMap,
  type LossPlugin,
  type RegularizerPlugin,
  type OptimizerPlugin,
  type Pluggable,
  type Preset,
  type FftBackend,
  type RealFftPlan,
} from '@dstft/core';
export * from '@dstft/windows';
export { stftForwardWithState, stftBackward, type Upstream, type BackwardOptions, type StftGradients } from '@dstft/backprop';
export {
  createStftPlan,
  defaultFftBackend,
  stftForward,
  stftAdjoint,
  stftInverse,
  type StftPlan,
  type StftConfig,
  type StftParams,
  type StftResult,
  type InverseResult,
  type InverseOptions,
  type WindowMode,
  type PositionsMode,
  type FramePolicy,
} from '@dstft/kernel';
