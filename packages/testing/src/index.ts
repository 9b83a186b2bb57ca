/**
 * @dstft/testing: test helpers for dstft-ts and its plugins (layer 4; vitest is a peer dependency).
 */
export { mulberry32, createRng, type Rng } from './rng.js';
export { centralDifference, richardsonDifference } from './finite-difference.js';
export { maxRelativeError } from './compare.js';
export {
  gradcheck,
  expectGradcheck,
  formatGradcheck,
  type GradcheckOptions,
  type GradcheckResult,
  type GradcheckEntry,
} from './gradcheck.js';
export { adjointCheck, expectAdjoint, type AdjointCheckOptions, type AdjointCheckResult } from './adjoint-check.js';
export {
  checkWindowDerivatives,
  checkWindowSupport,
  checkWindowFiniteness,
  checkWindowGrid,
  checkWindowBounds,
  checkWindowRegistration,
  checkWindowParameters,
  checkWindowEdgeContinuity,
  checkFrameWindow,
  resolveWindowParams,
  type CheckReport,
  type WindowCheckOptions,
} from './window-checks.js';
export { describeWindowPlugin, assertReport, type DescribeWindowPluginOptions } from './describe-window-plugin.js';
