/**
 * Defaults that follow the arithmetic of a transform's results (`plan.precision`): a float32 FFT backend gives losses
 * that differ by about 1e-7 relative between evaluations that should be equal, so line searches and stopping tests
 * that expect float64 rounding (1e-16) hunt for decreases that the objective cannot resolve. With these defaults an
 * optimization on the float32 backend takes no more transforms than in float64 (docs/design.md, issue 18).
 */
import type { OptimizerPlugin, RegistryView } from '@dstft/core';
import type { StftPlan } from '@dstft/kernel';
import type { PluginRef } from './objective.js';

/** Relative noise of a loss computed from the transform (lbfgs `lossNoise`). */
export function lossNoiseOf(plan: Pick<StftPlan, 'precision'>): number {
  return plan.precision === 'float32' ? 1e-6 : 1e-10;
}

/** Default relative loss change below which a refinement stops (minimize `tolerance.loss`). */
export function lossToleranceOf(plan: Pick<StftPlan, 'precision'>): number {
  return plan.precision === 'float32' ? 1e-7 : 1e-12;
}

/**
 * An optimizer by reference (id, or `{ id, options }`) from the registry, with its options: the plugin's defaults,
 * then the caller's, then `lossNoise` for `lbfgs` from the precision unless the caller set it. What `optimize` and
 * `optimizeConstantTheta` both create their optimizers from.
 */
export function resolveOptimizer(registry: RegistryView, ref: PluginRef, plan: Pick<StftPlan, 'precision'>): { id: string; plugin: OptimizerPlugin; options: Record<string, unknown> } {
  const id = typeof ref === 'string' ? ref : ref.id;
  const plugin = registry.get('optimizer', id) as OptimizerPlugin;
  const base = plugin.defaults && typeof plugin.defaults === 'object' ? (plugin.defaults as Record<string, unknown>) : {};
  const own = typeof ref === 'string' ? {} : (ref.options ?? {});
  // the plugin's default lossNoise is float64's: the precision decides unless the caller set it
  const sized = id === 'lbfgs' && (own as Record<string, unknown>)['lossNoise'] === undefined ? { lossNoise: lossNoiseOf(plan) } : {};
  const options: Record<string, unknown> = { ...base, ...own, ...sized };
  return { id, plugin, options };
}
