/**
 * What one thread does with its share of a call, the same code on the calling thread and on every worker, all of it
 * through the public frame-range API: `stftForward(…, { frames })` of @dstft/kernel (x checked once by the calling
 * thread: `signalChecked`), and `ForwardCache` +
 * `stftBackwardInto(…, { frames })` of @dstft/backprop; a loss through its plugin's `framewise` member
 * (@dstft/core's `FramewiseLoss`, e.g. the `shannon` loss of @dstft/losses).
 */
import { BackwardScratch, ForwardCache, stftBackwardInto, ThetaTangentScratch, type BackwardBuffers, type TangentLoss, type Upstream } from '@dstft/backprop';
import type { FramewiseLoss, SpecShape } from '@dstft/core';
import { FrameTable, resolveFrameTable, stftForward, type StftParams, type StftPlan, type StftResult } from '@dstft/kernel';

/** The arrays of one call in shared memory (views), `[B, F, T]` layouts. */
export interface CallArrays {
  /** Signals `[B, L]`. */
  readonly x: Float64Array;
  readonly X: Float64Array;
  readonly spec: Float64Array;
}

/** The loss of a fused step: its framewise member, merged options, and the shared arrays it works in. */
export interface LossWork {
  readonly loss: FramewiseLoss;
  readonly options: Readonly<Record<string, unknown>>;
  /** The per-entry work array that ends as ∂ℒ/∂S, `[B, F, T]`. */
  readonly dS: Float64Array;
  /** statsPerFrame·B·T, coefPerSignal·B and B entries. */
  readonly stats: Float64Array;
  readonly coef: Float64Array;
  readonly terms: Float64Array;
}

/** One thread's part of a one-pass step (`ThreadWork.thetaStep`). */
export interface ThetaShare {
  readonly x: Float64Array;
  readonly params: StftParams;
  /** The calling thread's frame table, or null on a worker (which resolves its own). */
  readonly table: FrameTable | null;
  readonly out: StftResult;
  readonly frames: readonly [number, number];
  readonly loss: TangentLoss;
  /** Per-frame statistics and tangent sums, shared by the threads. */
  readonly arrays: { readonly stats: Float64Array; readonly tangent: Float64Array };
}

export class ThreadWork {
  readonly plan: StftPlan;
  readonly scratch: BackwardScratch;
  /** The last two result views, most recent first. */
  readonly #views: StftResult[] = [];
  #tangent: ThetaTangentScratch | null = null;
  /** This thread's frame table of its last call, refilled by the next (`resolveFrameTable`'s `reuse`): no allocation. */
  #table: FrameTable | undefined = undefined;

  constructor(plan: StftPlan) {
    this.plan = plan;
    this.scratch = new BackwardScratch(plan);
  }

  /**
   * A result object over shared X and S (its small arrays local to this thread), for `stftForward`'s `out` and the
   * cache of a backward. The last two are kept and reused while their shape and arrays stay: a forward's (X and S)
   * and a backward's (X alone, or nothing) alternate in a training loop, and one slot made a new view, with three
   * arrays, for every job.
   */
  view(B: number, T: number, thetaLength: number, X: Float64Array, spec: Float64Array): StftResult {
    const views = this.#views;
    for (let i = 0; i < views.length; i++) {
      const v = views[i]!;
      if (v.batch === B && v.frames === T && v.theta.length === thetaLength && sameView(v.X, X) && sameView(v.spec, spec)) {
        if (i > 0) {
          views[i] = views[0]!;
          views[0] = v;
        }
        return v;
      }
    }
    const plan = this.plan;
    const v: StftResult = {
      batch: B,
      freqs: plan.freqs,
      frames: T,
      nFft: plan.nFft,
      X,
      spec,
      positions: new Float64Array(T),
      times: new Float64Array(T),
      frequencies: plan.frequencies,
      theta: new Float64Array(thetaLength),
    };
    views.unshift(v);
    if (views.length > 2) views.length = 2;
    return v;
  }

  /**
   * The frame table of a call: the calling thread's (it resolved the parameters already), or on a worker this thread's
   * own, refilled from the parameters in shared memory. It serves this call only: the next call refills it.
   */
  #tableOf(params: StftParams, table: FrameTable | null): FrameTable {
    return table ?? (this.#table = resolveFrameTable(this.plan, params, this.#table));
  }

  /** This thread's one-pass scratch (made on first use). */
  get tangent(): ThetaTangentScratch {
    return (this.#tangent ??= new ThetaTangentScratch(this.plan));
  }

  /**
   * Frames [n0, n1) of a one-pass step: the forward into `out` with the loss's θ tangent, each frame's statistics and
   * tangent sums into `arrays` (shared by the threads). `begin`: false when the caller already began `tangent` for
   * this call (the calling thread, which then calls `finish`).
   */
  thetaStep(call: ThetaShare, begin: boolean): void {
    const { x, params, table, out, frames, loss, arrays } = call;
    const scratch = this.tangent;
    if (begin) scratch.begin(loss, out.batch, out.frames, arrays);
    stftForward(this.plan, x, params, out, { frames: [frames[0], frames[1]], signalChecked: true, table: this.#tableOf(params, table), tangent: scratch });
  }

  /**
   * Frames [n0, n1) of the forward into `out` (which must have the call's shape), then the loss's statistics.
   * `table`: the calling thread's frame table of these parameters (it resolved them already), or null on a worker,
   * which resolves its own from the parameters in shared memory (shipping the table to the workers was measured
   * slower on row B, see the README).
   */
  forward(x: Float64Array, params: StftParams, table: FrameTable | null, out: StftResult, n0: number, n1: number, lossWork: LossWork | null): void {
    stftForward(this.plan, x, params, out, { frames: [n0, n1], signalChecked: true, table: this.#tableOf(params, table) });
    if (lossWork !== null) lossWork.loss.frameStats(out.spec, lossWork.dS, shapeOf(out), n0, n1, lossWork.stats, lossWork.options);
  }

  /**
   * Frames [n0, n1) of the backward of a forward with θ and t_n as given (`source` holds the call's X, θ, t_n), into
   * `into`; with `lossWork`, first the loss's ∂ℒ/∂S of those frames (the upstream then reads it).
   */
  backward(share: BackwardShare): void {
    const { x, source, upstream, into, frames, loss } = share;
    if (loss !== null) loss.loss.frameGrad(loss.dS, shapeOf(source), frames[0], frames[1], loss.stats, loss.coef, loss.options);
    // θ and t_n of `source` sit in shared memory, unchanged for the whole call: the cache may keep them uncopied
    const table = new FrameTable(this.plan, source.theta, source.positions, source.frames);
    const cache = new ForwardCache(this.plan, x, source, { scratch: this.scratch, verifySignal: false, table });
    stftBackwardInto(cache, upstream, into, { frames });
  }

  /**
   * The whole fused step for signals [b0, b1) of the batch, one signal after the other (each signal's X, S and ∂ℒ/∂S
   * still in cache when its backward reads them): forward, the loss's statistics, its term and coefficients, ∂ℒ/∂S,
   * backward into per-signal slots (`slotContrib[b·C …]`, `slotPos[b·T …]`, summed in signal order by the caller),
   * ∂ℒ/∂x into gx at the signal's offset. A thread that owns whole signals needs nothing from the others.
   */
  lossStepSignals(call: CallArrays, params: StftParams, table: FrameTable | null, shape: SpecShape, signals: readonly [number, number], lossWork: LossWork, slots: SignalSlots): void {
    const [b0, b1] = signals;
    const plan = this.plan;
    const L = plan.signalLength;
    const { frames: T, freqs: F } = shape;
    const FT = F * T;
    const { loss, options } = lossWork;
    const spf = loss.statsPerFrame;
    const cps = loss.coefPerSignal;
    const C = slots.contrib.length / shape.batch;
    const one: SpecShape = { batch: 1, freqs: F, frames: T };
    const own = this.#tableOf(params, table);
    for (let b = b0; b < b1; b++) {
      const x = call.x.subarray(b * L, (b + 1) * L);
      const X = call.X.subarray(2 * b * FT, 2 * (b + 1) * FT);
      const S = call.spec.subarray(b * FT, (b + 1) * FT);
      const dS = lossWork.dS.subarray(b * FT, (b + 1) * FT);
      const out = this.view(1, T, params.theta.length, X, S);
      stftForward(plan, x, params, out, { signalChecked: true, table: own });
      loss.frameStats(S, dS, one, 0, T, lossWork.stats.subarray(b * T * spf, (b + 1) * T * spf), options);
      lossWork.terms[b] = loss.signalTerm(lossWork.stats, b, shape, lossWork.coef, options);
      loss.frameGrad(dS, one, 0, T, lossWork.stats.subarray(b * T * spf, (b + 1) * T * spf), lossWork.coef.subarray(b * cps, (b + 1) * cps), options);
      const into: BackwardBuffers = {
        contrib: slots.contrib.subarray(b * C, (b + 1) * C),
        gPos: slots.gPos.subarray(b * T, (b + 1) * T),
        gx: slots.gx === null ? null : slots.gx.subarray(b * L, (b + 1) * L).fill(0),
      };
      // the table's θ is the caller's params.theta, read only during this call: the cache may keep it uncopied
      const cache = new ForwardCache(plan, x, out, { scratch: this.scratch, verifySignal: false, table: own });
      stftBackwardInto(cache, { spec: dS }, into, {});
    }
  }
}

/** A thread's share of a backward: frames [a, b) of a call whose forward `source` describes (X, θ, t_n). */
export interface BackwardShare {
  readonly x: Float64Array;
  readonly source: StftResult;
  readonly upstream: Upstream;
  readonly into: BackwardBuffers;
  readonly frames: readonly [number, number];
  /** With a fused loss: first its ∂ℒ/∂S on these frames (the upstream then reads it). */
  readonly loss: LossWork | null;
}

/** Where a step split by signals writes: per-signal θ contributions (B·C), ∂ℒ/∂t_n (B·T), ∂ℒ/∂x `[B, L]` or null. */
export interface SignalSlots {
  readonly contrib: Float64Array;
  readonly gPos: Float64Array;
  readonly gx: Float64Array | null;
}

/** Whether two arrays are views of the same memory (workers make a new view per job of the same slot). */
function sameView(a: Float64Array, b: Float64Array): boolean {
  return a === b || (a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length);
}

/** Entries of the per-frame θ contributions of a call of T frames: T on the FFT path, F·T on the DFT path (θ per bin). */
export function contributionLength(plan: StftPlan, T: number): number {
  return plan.path === 'fft' ? T : plan.freqs * T;
}

export function shapeOf(r: Pick<StftResult, 'batch' | 'freqs' | 'frames'>): SpecShape {
  return { batch: r.batch, freqs: r.freqs, frames: r.frames };
}

/** out[k] = Σ_b slots[b·n + k] over b = 0 … B-1 in order (from 0, as the kernel accumulates over a batch). */
export function sumSlots(slots: Float64Array, B: number, out: Float64Array): void {
  const n = out.length;
  out.fill(0);
  for (let b = 0; b < B; b++) {
    const o = b * n;
    for (let k = 0; k < n; k++) out[k] = out[k]! + slots[o + k]!;
  }
}
