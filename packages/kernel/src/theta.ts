/** Per-call validation of θ (docs/architecture.md §4.4: once per call, before any frame loop). */
import { ParameterError, ShapeError } from '@dstft/core';
import type { StftPlan } from './stft-plan.js';

/** Checks θ: right length for the mode and T, every entry finite and within [thetaMin, thetaMax]. */
export function validateTheta(plan: StftPlan, theta: Float64Array, frames: number): void {
  const want = plan.thetaLength(frames);
  if (!(theta instanceof Float64Array) || theta.length !== want) {
    const shape =
      plan.windowMode === 'time-frequency' ? `[F=${plan.freqs}][T=${frames}]` : plan.windowMode === 'time' ? `T=${frames}` : plan.windowMode === 'frequency' ? `F=${plan.freqs}` : '1';
    throw new ShapeError('theta', theta, `windowMode "${plan.windowMode}" needs ${want} window length(s) (${shape})`, `pass a Float64Array of length ${want}`);
  }
  const lo = plan.thetaMin;
  const hi = plan.thetaMax;
  for (let i = 0; i < theta.length; i++) {
    const v = theta[i];
    if (!(v >= lo && v <= hi)) {
      const name = theta.length === 1 ? 'theta' : `theta[${i}]`;
      if (!Number.isFinite(v)) throw new ParameterError(name, v, 'not finite', 'pass finite window lengths (samples)');
      if (v <= 0) throw new ParameterError(name, v, 'a window length must be > 0', `pass a length in [${lo}, ${hi}]`);
      if (v > plan.nFft) {
        throw new ParameterError(name, v, `the window is longer than nFft = ${plan.nFft}`, `use θ ≤ ${plan.nFft}, or build the transform with a larger nFft`);
      }
      throw new ParameterError(name, v, `outside the bounds [thetaMin, thetaMax] = [${lo}, ${hi}]`, 'keep θ within the bounds given when the transform was built (or widen them)');
    }
  }
}
