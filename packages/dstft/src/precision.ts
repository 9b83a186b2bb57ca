/**
 * Defaults that follow the arithmetic of a transform's results (`plan.precision`): a float32 FFT backend gives losses
 * that differ by about 1e-7 relative between evaluations that should be equal, so line searches and stopping tests
 * that expect float64 rounding (1e-16) hunt for decreases that the objective cannot resolve. With these defaults an
 * optimization on the float32 backend takes no more transforms than in float64 (docs/design.md, issue 18).
 */
import type { StftPlan } from '@dstft/kernel';

/** Relative noise of a loss computed from the transform (lbfgs `lossNoise`). */
export function lossNoiseOf(plan: Pick<StftPlan, 'precision'>): number {
  return plan.precision === 'float32' ? 1e-6 : 1e-10;
}

/** Default relative loss change below which a refinement stops (minimize `tolerance.loss`). */
export function lossToleranceOf(plan: Pick<StftPlan, 'precision'>): number {
  return plan.precision === 'float32' ? 1e-7 : 1e-12;
}

/** The optimizer's options with `lossNoise` set for `lbfgs` from the precision, unless the caller set it. */
export function withPrecisionDefaults(optimizerId: string, options: Record<string, unknown>, plan: Pick<StftPlan, 'precision'>): Record<string, unknown> {
  if (optimizerId !== 'lbfgs' || options['lossNoise'] !== undefined) return options;
  return { ...options, lossNoise: lossNoiseOf(plan) };
}
