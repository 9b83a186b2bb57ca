/**
 * Frame positions t_n (samples) for every positions mode and frame policy (docs/design.md §3).
 * Validation of the per-call parameters happens here, once per forward call, never per frame.
 */
import { ParameterError, ShapeError } from '@dstft/core';
import type { FramePolicy, PositionsConfig, StftParams } from './types.js';

/** T under the fixed-frames policy for a hop h: 1 + floor(L / h) (what torch.stft gives with center=True). */
export function framesForHop(signalLength: number, hop: number): number {
  return 1 + Math.floor(signalLength / hop);
}

/** First and last frame index n of the fixed-overlap policy: t_n = n·hop, window [t_n - θ/2, t_n + θ/2] touching [0, L-1]. */
export function overlapFrameRange(signalLength: number, theta: number, hop: number): { first: number; count: number } {
  // t_n + θ/2 > 0  ⟺  n > -θ/(2 hop);   t_n - θ/2 < L - 1  ⟺  n < (L - 1 + θ/2) / hop
  const first = Math.floor(-theta / (2 * hop)) + 1;
  const last = Math.ceil((signalLength - 1 + theta / 2) / hop) - 1;
  return { first, count: Math.max(0, last - first + 1) };
}

function checkPositive(name: string, v: unknown, fix: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) {
    throw new ParameterError(name, v, typeof v === 'number' && Number.isFinite(v) ? 'must be > 0' : 'expected a finite number > 0', fix);
  }
  return v;
}

/**
 * Writes t_n into `out` and returns T. `frames` is the plan's T for fixed-frames policies.
 * Under fixed-overlap, `theta` (the single window length) sets the hop and T; `out` must hold the maximum T.
 */
export function computePositions(
  positions: PositionsConfig,
  policy: FramePolicy,
  frames: number,
  signalLength: number,
  params: StftParams,
  theta: number,
  out: Float64Array,
): number {
  if (policy.kind === 'fixed-overlap') {
    const hop = (1 - policy.overlap) * theta;
    const { first, count } = overlapFrameRange(signalLength, theta, hop);
    if (count > out.length) {
      throw new ParameterError(
        'theta',
        theta,
        `fixed-overlap needs ${count} frames at this θ, more than the ${out.length} planned for thetaMin`,
        'keep θ ≥ thetaMin, or lower thetaMin when building the transform',
      );
    }
    for (let n = 0; n < count; n++) out[n] = (first + n) * hop;
    return count;
  }
  switch (positions.mode) {
    case 'fixed':
    case 'constant': {
      const hop =
        positions.mode === 'fixed'
          ? positions.hop
          : checkPositive('hop', params.hop ?? positions.hop, 'pass a hop > 0 (in samples)');
      for (let n = 0; n < frames; n++) out[n] = n * hop;
      return frames;
    }
    case 'time': {
      const hops = params.hops;
      if (!(hops instanceof Float64Array) || hops.length !== frames - 1) {
        throw new ShapeError(
          'hops',
          hops,
          `positions mode "time" needs T - 1 = ${frames - 1} hops (t_n = t0 + Σ_{i<n} h_i)`,
          `pass a Float64Array of ${frames - 1} hops`,
        );
      }
      let t = params.t0 ?? 0;
      if (!Number.isFinite(t)) throw new ParameterError('t0', t, 'not finite', 'pass a finite first position t0 (samples)');
      out[0] = t;
      for (let n = 1; n < frames; n++) {
        const h = hops[n - 1];
        if (!(h > 0) || !Number.isFinite(h)) {
          throw new ParameterError(`hops[${n - 1}]`, h, 'must be a finite number > 0', 'keep every hop positive (bound it from below)');
        }
        t += h;
        out[n] = t;
      }
      return frames;
    }
    case 'free': {
      const pos = params.positions;
      if (!(pos instanceof Float64Array) || pos.length !== frames) {
        throw new ShapeError('positions', pos, `positions mode "free" needs T = ${frames} frame positions`, `pass a Float64Array of ${frames} positions (samples)`);
      }
      for (let n = 0; n < frames; n++) {
        const t = pos[n];
        if (!Number.isFinite(t)) throw new ParameterError(`positions[${n}]`, t, 'not finite', 'pass finite frame positions (samples)');
        out[n] = t;
      }
      return frames;
    }
  }
}
