/**
 * Bounds by reparametrization, as the PyTorch reference keeps θ and hops in range:
 *   value = lo + (hi - lo)·σ(raw),  σ(z) = 1 / (1 + e^{-z}),  so  ∂value/∂raw = (hi - lo)·σ(raw)(1 - σ(raw)).
 * Users always see and set values in samples; an optimizer working in raw space chains its gradient with
 * `boundedRawGradient`. (Our optimizers keep bounds by projection instead; both routes are available.)
 */
import { ParameterError } from './errors.js';

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function checkBounds(lo: number, hi: number): void {
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new ParameterError('bounds', [lo, hi], 'need finite lo < hi', 'pass lower and upper bounds with lo < hi');
  }
}

/** value = lo + (hi - lo)·σ(raw) */
export function boundedFromRaw(raw: number, lo: number, hi: number): number {
  checkBounds(lo, hi);
  return lo + (hi - lo) * sigmoid(raw);
}

/** raw = logit((value - lo)/(hi - lo)); the value must lie strictly inside (lo, hi). */
export function boundedToRaw(value: number, lo: number, hi: number): number {
  checkBounds(lo, hi);
  if (!(value > lo && value < hi)) {
    throw new ParameterError('value', value, `must lie strictly inside (${lo}, ${hi}) to have a raw (logit) parameter`, 'move the initial value inside the bounds, or widen them');
  }
  const u = (value - lo) / (hi - lo);
  return Math.log(u) - Math.log1p(-u);
}

/** ∂ℒ/∂raw = ∂ℒ/∂value · (hi - lo)·σ(raw)(1 - σ(raw)) */
export function boundedRawGradient(gradValue: number, raw: number, lo: number, hi: number): number {
  const s = sigmoid(raw);
  return gradValue * (hi - lo) * s * (1 - s);
}
