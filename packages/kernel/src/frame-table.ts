/**
 * The frame geometry of one call, computed once (docs/design.md §4): for every frame n its position t_n, integer
 * start i_n = floor(t_n), fraction f_n = t_n - i_n, first signal sample i_n - c, the local range [clipLo, clipHi)
 * of j whose sample i_n - c + j lies in the signal, the circular shift i_n mod N (frame-shift.ts), and where its
 * θ sits in params.theta. Forward, adjoint, inverse and backward all read frames from here; none of them clips a
 * range or picks θ by window mode itself.
 */
import { ParameterError, ShapeError, type FrameWindow } from '@dstft/core';
import { modN } from './frame-shift.js';
import { computePositions } from './frames.js';
import type { StftPlan } from './stft-plan.js';
import { validateTheta } from './theta.js';
import type { StftParams } from './types.js';

// set by FrameTable's static block: the module's access to a table's private ownership mark
let claim: (table: FrameTable) => void;
let ownsPositions: (table: FrameTable) => boolean;

export class FrameTable {
  /** T: frames in use. */
  readonly frames: number;
  /** t_n in samples (length T). */
  readonly positions: Float64Array;
  /** θ as passed (validated), `[F or 1][T or 1]` by window mode. */
  readonly theta: Float64Array;
  /** i_n = floor(t_n). */
  readonly start: Float64Array;
  /** f_n = t_n - i_n ∈ [0, 1). */
  readonly frac: Float64Array;
  /**
   * i_n - c: the signal index of local sample j = 0 (int32: wherever a frame has samples in the signal,
   * -N < i_n - c < L; a frame far outside has an empty range and its `first` is never read).
   */
  readonly first: Int32Array;
  /** Local samples j ∈ [clipLo[n], clipHi[n]) ⊆ [0, N] lie in the signal [0, L). */
  readonly clipLo: Int32Array;
  readonly clipHi: Int32Array;
  /** i_n mod N: the circular shift that carries the phase e^{-2πi m i_n/N} (frame-shift.ts). */
  readonly shift: Int32Array;
  /** θ of frame n, bin m: theta[thetaBase[n] + m·thetaStride] (thetaStride = 0 when θ does not depend on m). */
  readonly thetaBase: Int32Array;
  readonly thetaStride: number;
  /** Range of the last `window` / `clip` call: the window's nonzero range clipped to the signal (jhi ≥ jlo). */
  jlo = 0;
  jhi = 0;

  /** The plan this table was made for. */
  readonly plan: StftPlan;

  /** Made by `resolveFrameTable`, so its t_n array is its own: a later call may refill it (`reuse`). */
  #ownsPositions = false;
  static {
    claim = (table) => {
      table.#ownsPositions = true;
    };
    ownsPositions = (table) => table.#ownsPositions;
  }

  /** From trusted t_n (already validated, e.g. a forward's positions); `resolveFrameTable` validates first. */
  constructor(plan: StftPlan, theta: Float64Array, positions: Float64Array, frames: number) {
    const T = frames;
    this.plan = plan;
    this.frames = T;
    this.theta = theta;
    this.positions = positions.length === T ? positions : positions.subarray(0, T);
    const mode = plan.windowMode;
    this.thetaStride = mode === 'time-frequency' ? T : mode === 'frequency' ? 1 : 0;
    // one allocation per table, not seven: tables are made per call (and by every thread of a parallel call), and an
    // off-heap typed array costs ~3 µs to allocate, against ~0.04 µs for a view
    const bytes = new ArrayBuffer(16 * T + 20 * T);
    this.start = new Float64Array(bytes, 0, T);
    this.frac = new Float64Array(bytes, 8 * T, T);
    this.first = new Int32Array(bytes, 16 * T, T);
    this.clipLo = new Int32Array(bytes, 20 * T, T);
    this.clipHi = new Int32Array(bytes, 24 * T, T);
    this.shift = new Int32Array(bytes, 28 * T, T);
    this.thetaBase = new Int32Array(bytes, 32 * T, T);
    fillFrames(this);
  }

  /** θ of frame n and bin m (m = 0 on the FFT path). */
  thetaOf(n: number, m: number): number {
    return this.theta[this.thetaBase[n] + m * this.thetaStride];
  }

  /**
   * Samples the window of frame n, bin m into `fw` (cached while (θ, f_n) repeat) and sets [jlo, jhi) to its
   * nonzero range clipped to the signal. Returns whether that range is non-empty.
   */
  window(fw: FrameWindow, n: number, m: number): boolean {
    fw.sampleCached(this.theta[this.thetaBase[n] + m * this.thetaStride], this.frac[n]);
    return this.clip(n, fw.lo, fw.hi);
  }

  /** Sets [jlo, jhi) to a window range [lo, hi) clipped to frame n's samples of the signal (jhi ≥ jlo). */
  clip(n: number, lo: number, hi: number): boolean {
    const a = this.clipLo[n];
    const b = this.clipHi[n];
    const jlo = lo > a ? lo : a;
    let jhi = hi < b ? hi : b;
    if (jhi < jlo) jhi = jlo;
    this.jlo = jlo;
    this.jhi = jhi;
    return jhi > jlo;
  }

  /** True when frames [n0, n1) share one window: one θ for every frame and bin, and the same fraction f_n. */
  sharedWindow(n0: number, n1: number): boolean {
    if (this.theta.length !== 1) return false;
    const f0 = this.frac[n0];
    for (let n = n0 + 1; n < n1; n++) if (this.frac[n] !== f0) return false;
    return true;
  }
}

/** Frame n's start, fraction, first sample, clipped range, shift and θ index, for every frame of the table. */
function fillFrames(table: FrameTable): void {
  const { plan, positions, theta, frames: T } = table;
  const N = plan.nFft;
  const c = plan.center;
  const L = plan.signalLength;
  const mode = plan.windowMode;
  const perFrame = mode === 'time-frequency' || (mode === 'time' && theta.length > 1);
  const { start, frac, first: firsts, clipLo, clipHi, shift, thetaBase } = table;
  for (let n = 0; n < T; n++) {
    const t = positions[n];
    const i = Math.floor(t);
    const first = i - c;
    start[n] = i;
    frac[n] = t - i;
    firsts[n] = first;
    // clipped to [0, N]: the window's own range [lo, hi) always is, so max(lo, -first) = max(lo, clipLo)
    const lo = -first;
    const hi = L - first;
    clipLo[n] = lo > 0 ? (lo < N ? lo : N) : 0;
    clipHi[n] = hi < N ? (hi > 0 ? hi : 0) : N;
    shift[n] = modN(i, N);
    thetaBase[n] = perFrame ? n : 0;
  }
}

/**
 * Validates the per-call parameters (θ shape and bounds, hop / hops / positions) and builds the frame table.
 * Every entry point (forward, adjoint, inverse) starts here; the result is passed on, never kept in the plan.
 *
 * `reuse`: a table that this function returned earlier for the same plan and that its owner no longer needs (e.g. a
 * worker thread's table of its previous call): when the plan fixes the frame count (every policy but fixed-overlap),
 * its arrays are refilled and it is returned, with no allocation; otherwise a new table is made. Its contents are
 * unspecified after a call that throws. Any other value is a ParameterError.
 */
export function resolveFrameTable(plan: StftPlan, params: StftParams, reuse?: FrameTable): FrameTable {
  const theta = params?.theta;
  if (!(theta instanceof Float64Array) || theta.length < 1) {
    throw new ShapeError('theta', theta, 'expected a Float64Array of window lengths', 'pass params.theta, e.g. Float64Array.of(256)');
  }
  if (reuse !== undefined && !(reuse instanceof FrameTable && ownsPositions(reuse) && reuse.plan === plan)) {
    throw new ParameterError('reuse', reuse, 'is not a frame table that resolveFrameTable made for this plan', 'pass a table returned by resolveFrameTable(plan, …) of the same plan, or leave it out');
  }
  // θ of the fixed-overlap policy sets the positions: check it before using it.
  if (plan.variableFrames) validateTheta(plan, theta, 1);
  const refill = reuse !== undefined && !plan.variableFrames && reuse.frames === plan.frames;
  const positions = refill ? reuse.positions : new Float64Array(plan.frames);
  const T = computePositions(plan.positionsConfig, plan.framePolicy, plan.frames, plan.signalLength, params, theta[0], positions);
  if (!plan.variableFrames) validateTheta(plan, theta, T);
  if (refill) {
    (reuse as { theta: Float64Array }).theta = theta;
    fillFrames(reuse);
    return reuse;
  }
  const table = new FrameTable(plan, theta, positions, T);
  claim(table);
  return table;
}

/** Validates the per-call parameters and returns T (the frame table is `resolveFrameTable`'s). */
export function resolveFrames(plan: StftPlan, params: StftParams): number {
  return resolveFrameTable(plan, params).frames;
}
