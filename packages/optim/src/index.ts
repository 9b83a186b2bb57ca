/**
 * @dstft/optim: optimizer plugins (sgd, adam, adamw, lbfgs) on bounded Float64Array parameter groups in
 * natural units (samples), learning-rate schedules as plain data, and the optimization loop (`minimize`,
 * `createMinimizer`). Layer 1: imports only @dstft/core (types and stateless helpers).
 */
export { sgd, type SgdDefaults, type SgdOptions } from './sgd.js';
export { adam, type AdamDefaults, type AdamOptions, type AdamPlugin } from './adam.js';
export { adamw } from './adamw.js';
export { lbfgs, LINE_SEARCHES, type LbfgsDefaults, type LbfgsOptions, type LineSearch } from './lbfgs.js';
export { optimPreset } from './preset.js';
export {
  SCHEDULE_KINDS,
  scheduleFactor,
  validateSchedule,
  type ConstantSchedule,
  type CosineSchedule,
  type ExponentialSchedule,
  type Schedule,
  type StepSchedule,
  type WarmupSchedule,
} from './schedule.js';
export {
  createMinimizer,
  minimize,
  type AbortSignalLike,
  type MinimizeOptions,
  type MinimizeProgress,
  type MinimizeResult,
  type Minimizer,
  type StopReason,
} from './minimize.js';
