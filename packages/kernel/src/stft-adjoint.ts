/**
 * The adjoint (transpose) of the forward transform with respect to the signal: for the real-linear map
 * A: x ↦ X (R^L → C^{F×T} seen as R^{2FT}) and G = ∂ℒ/∂Re X + i ∂ℒ/∂Im X,
 *
 *   (Aᵀ G)[p] = Σ_{m,n} Re( conj(G[m,n]) · ∂X[m,n]/∂x[p] ) = Σ_n w_n[j] · r_n[j],  j = p - i_n + c,
 *   r_n[j] = Re Σ_{m=0}^{F-1} conj(G[m,n]) e^{-2πi m (i_n + j)/N}
 *
 * FFT path: r_n is one inverse real FFT per frame (bins 1..⌈N/2⌉-1 halved, to undo the Hermitian extension that
 * counts them twice, and ×N to undo its 1/N) of the unrotated G[·, n], read circularly shifted:
 * r_n[j] = q[(j + i_n) mod N] with q[k] = Re Σ_m G[m,n] e^{+2πi m k/N} (frame-shift.ts). DFT path: direct sums.
 * This is ∂ℒ/∂x (docs/design.md §5), the least-squares inverse's normal operator, and is checked by dot-product tests.
 */
import { ShapeError } from '@dstft/core';
import { ScatterSink, binsToSamples } from './bins-to-samples.js';
import { resolveFrameTable } from './frame-table.js';
import type { StftPlan } from './stft-plan.js';
import type { StftParams } from './types.js';

/**
 * Writes Aᵀ G into `out` (`[batch, L]`, overwritten). `G` is interleaved `[batch, F, T]` (length 2·B·F·T) for the
 * frame count that `params` give. Returns `out`.
 */
export function stftAdjoint(plan: StftPlan, G: Float64Array, params: StftParams, out?: Float64Array): Float64Array {
  const L = plan.signalLength;
  const F = plan.freqs;
  const table = resolveFrameTable(plan, params);
  const T = table.frames;
  if (!(G instanceof Float64Array) || G.length === 0 || G.length % (2 * F * T) !== 0) {
    throw new ShapeError('G', G, `expected interleaved complex [batch, F=${F}, T=${T}] (a multiple of ${2 * F * T} values)`, 'pass the gradient with the layout of the forward output X');
  }
  const B = G.length / (2 * F * T);
  const res = out ?? new Float64Array(B * L);
  if (res.length !== B * L) {
    throw new ShapeError('out', res, `expected length batch·L = ${B * L}`, 'pass an output buffer of the signal batch size, or none');
  }
  res.fill(0);
  const fw = plan.frameWindow;
  binsToSamples({
    plan,
    table,
    batch: B,
    upstream: { G, X: null, dS: null, power: plan.power },
    window: fw,
    scale: 'adjoint',
    direct: false,
    n0: 0,
    n1: T,
    sink: new ScatterSink(res, fw.w, table, plan.signalLength),
    scratch: plan.binsScratch,
  });
  return res;
}
