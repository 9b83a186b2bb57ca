/**
 * dstft-ts: the differentiable short-time Fourier transform with learnable window lengths and frame positions.
 * This umbrella package builds transforms from plain options and re-exports what users need.
 */
export { createDstft, createDefaultRegistry, type Dstft, type DstftParams, type DstftForwardOptions, type CreateDstftExtras } from './dstft.js';
export type { DstftOptions } from './options.js';
export { chirpToneBurst, shocks, SHOCKS, type ChirpToneBurstOptions, type ShocksOptions, type Shock } from './signals.js';
export { EXAMPLE_SIGNALS, exampleSignal, type ExampleSignal, type ExampleSignalOptions, type ExampleSignalResult } from './examples.js';
export { createObjective, thetaShape, type DstftObjective, type ObjectiveOptions, type ObjectiveTerms, type PluginRef, type RegularizerRef } from './objective.js';
export { optimize, createOptimization, type Optimization, type OptimizeOptions, type OptimizeProgress, type OptimizeResult, type OptimizeHistoryEntry } from './optimize.js';
export { trainTask, evaluateTask, type TrainTaskOptions, type TrainTaskResult, type TrainEpoch } from './task.js';
export { gridSearch, optimizeConstantTheta, type GridSearchOptions, type GridSearchResult, type ConstantThetaOptions, type ConstantThetaResult, type ConstantObjectiveOptions } from './search.js';

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
  AbortError,
  isAbortError,
  throwIfAborted,
  type AbortSignalLike,
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
  type TaskPlugin,
  type TaskExample,
  type TaskLossInput,
  type ParamGroup,
  type ParamView,
  type Objective,
  type RegularizerInput,
  type RegularizerGrad,
  type SpecView,
  type Pluggable,
  type Preset,
  type FftBackend,
  type RealFftPlan,
} from '@dstft/core';
export * from '@dstft/windows';
export * from '@dstft/losses';
export * from '@dstft/optim';
export * from '@dstft/tracking';
export { stftForwardWithState, stftBackward, positionsVjp, type Upstream, type BackwardOptions, type StftGradients } from '@dstft/backprop';
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
