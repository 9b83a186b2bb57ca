/**
 * Analytic backward pass of the DSTFT (docs/design.md §5, paper Sec. IV), no autograd tape.
 *
 * For G = ∂ℒ/∂Re X + i ∂ℒ/∂Im X and any parameter q, dℒ/dq = Σ Re(conj(G) ∂X/∂q). With
 *   r_n[j] = Re Σ_{m=0}^{F-1} conj(G[m,n]) e^{-2πi m (i_n + j)/N}
 * (one inverse real FFT per frame and signal on the FFT path):
 *   dℒ/dθ_n = Σ_j x_n[j] r_n[j] ∂w/∂θ,   dℒ/dt_n = -Σ_j x_n[j] r_n[j] ∂w/∂x,   dℒ/dx[i_n - c + j] += w r_n[j].
 * On the DFT path (θ depends on the bin) the same three sums run per (m, n) with q_j = Re(conj(G) e^{-iφ_j}).
 * Then: constant θ sums over n, θ_m over n; hops: dℒ/dh = Σ n dℒ/dt_n (constant), dℒ/dh_i = Σ_{n>i} dℒ/dt_n
 * (time-varying), dℒ/dt_0 = Σ_n dℒ/dt_n; fixed-overlap adds θ's path through t_n = (first + n)(1-α)θ.
 */
import { FrameWindow, ParameterError, ShapeError, StateError, assertSignalBatch } from '@dstft/core';
import {
  FrameTable,
  binsToSamples,
  resolveFrameTable,
  tableRuns,
  frameRange,
  overlapFrameRange,
  stftForward,
  type BinsScratch,
  type DftTwiddles,
  type ForwardOptions,
  type SampleSink,
  type StftParams,
  type StftPlan,
  type StftResult,
  type UpstreamView,
} from '@dstft/kernel';

export type { UpstreamView } from '@dstft/kernel';

/**
 * Backward scratch: a window sampler with derivatives and the loop's buffers. Made once per plan and thread by its
 * owner (a forward cache hands its scratch on to the next cache of the same plan; a parallel worker makes one).
 */
export class BackwardScratch implements BinsScratch {
  readonly plan: StftPlan;
  readonly fw: FrameWindow;
  readonly spec: Float64Array;
  readonly R: Float64Array;
  readonly r: Float64Array;
  constructor(plan: StftPlan) {
    this.plan = plan;
    this.fw = new FrameWindow(plan.window, plan.windowParams, plan.normalization, plan.nFft, { theta: true, x: true });
    this.spec = new Float64Array(2 * plan.freqs);
    this.R = new Float64Array(plan.nFft);
    this.r = new Float64Array(plan.nFft);
  }
}

/**
 * A cheap order-sensitive checksum of the signal: the cache's check that x was not modified before backward. Even and
 * odd samples add into separate sums (two dependency chains, not one: 1.6× faster on a 16 000-sample signal). A sum
 * stays finite only if every sample is: a finite checksum also proves x finite (see `stftForwardWithState`).
 */
function checksum(x: Float64Array): number {
  const n = x.length;
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const w = (i & 1023) + 1; // i is even: sample i + 1 has weight w + 1
    const u = x[i];
    const v = x[i + 1];
    a0 += u;
    a1 += v;
    b0 += u * w;
    b1 += v * (w + 1);
  }
  if (i < n) {
    a0 += x[i];
    b0 += x[i] * ((i & 1023) + 1);
  }
  return (a0 + a1) * 1.000001 + (b0 + b1);
}

/**
 * What a forward call keeps for its backward, declared (as tfjs gradients declare inputsToSave / outputsToSave):
 * the inputs x (by reference) and θ, t_n (copies, with their frame table), and the output X (by reference, for a
 * `{ spec }` upstream). Made by `stftForwardWithState`, which attaches it to its result as `result.cache`; passed
 * to `stftBackward` (the result or the cache itself). No module-level state: the cache is the only link.
 *
 * Misuse is a typed `StateError`: a cache used with another plan, a cache whose result was overwritten by a later
 * forward into the same `out` (or by a forward that failed half-way), and a signal modified after the forward (the
 * cache owns a checksum of x, computed at the forward and compared at the backward: one pass over x each; a copy of x
 * instead when the checksum overflows, as it can for finite samples near ±1.8e308).
 */
export class ForwardCache {
  /** The inputs and outputs this cache keeps. */
  static readonly saves = { inputs: ['x', 'theta', 'positions'], outputs: ['X'] } as const;
  readonly plan: StftPlan;
  readonly x: Float64Array;
  readonly X: Float64Array;
  readonly batch: number;
  readonly frames: number;
  readonly theta: Float64Array;
  readonly positions: Float64Array;
  readonly table: FrameTable;
  readonly scratch: BackwardScratch;
  readonly #checksum: number | null;
  /** A copy of x, kept only when its checksum overflowed (finite samples near ±1.8e308) and cannot tell a change. */
  readonly #copy: Float64Array | null;
  #valid = true;

  /**
   * `result` must hold what the forward of `plan` on `x` wrote (its batch, frames, θ, t_n and X). Options:
   * `scratch`, a backward scratch of the same plan to reuse (e.g. `previousCache.scratch`); `verifySignal: false`
   * skips the checksum of x (for drivers that own x and guarantee it does not change, e.g. a worker thread reading
   * shared memory that the calling thread checks).
   */
  constructor(plan: StftPlan, x: Float64Array, result: ForwardCacheSource, options: ForwardCacheOptions = {}) {
    const known = (options as InternalCacheOptions)[KNOWN_CHECKSUM];
    // a known checksum is used only when finite: one that overflowed calls for the copy of x below
    this.#checksum = options.verifySignal === false ? null : known !== undefined && Number.isFinite(known) ? known : checksum(x);
    this.#copy = this.#checksum !== null && !Number.isFinite(this.#checksum) ? x.slice() : null;
    const scratch = options.scratch;
    this.plan = plan;
    this.x = x;
    this.X = result.X;
    this.batch = result.batch;
    this.frames = result.frames;
    const table = options.table;
    if (table === undefined) {
      this.theta = result.theta.slice();
      this.positions = result.positions.slice();
      this.table = new FrameTable(plan, this.theta, this.positions, this.frames);
    } else {
      assertTableOf(table, plan, result);
      this.theta = table.theta;
      this.positions = table.positions;
      this.table = table;
    }
    this.scratch = scratch !== undefined && scratch.plan === plan ? scratch : new BackwardScratch(plan);
  }

  /** False once a later forward overwrote the result this cache belongs to (or failed half-way into it). */
  get valid(): boolean {
    return this.#valid;
  }

  invalidate(): void {
    this.#valid = false;
  }

  /** Throws a StateError when the cache is stale or comes from another plan than `plan` (when given). */
  assertUsable(plan?: StftPlan): void {
    if (plan !== undefined && this.plan !== plan) {
      throw new StateError('backward(result): this result comes from another transform. Fix: call backward on the transform whose forward produced it');
    }
    if (!this.#valid) {
      throw new StateError(
        'backward(result): no forward state is saved for this result (a later forward overwrote it, or failed half-way into it). Fix: run the differentiable forward again, then call backward with that result',
      );
    }
  }

  /** Throws a StateError when the signal changed since the forward (one pass over x). */
  assertSignalUnchanged(): void {
    if (this.#checksum !== null && (this.#copy !== null ? !sameValues(this.x, this.#copy) : checksum(this.x) !== this.#checksum)) {
      throw new StateError('backward(result): the signal x was modified after the forward call. Fix: pass a copy to forward if you reuse the buffer, or run forward again');
    }
  }
}

/** Whether a and b are the same array, or of one length with equal values (a NaN value equals none). */
function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A checksum of x that `stftForwardWithState` has just computed (module-private: not an option callers can set). */
const KNOWN_CHECKSUM = Symbol('known checksum');
interface InternalCacheOptions extends ForwardCacheOptions {
  readonly [KNOWN_CHECKSUM]?: number | undefined;
}

/** What a cache reads from a forward result. */
export type ForwardCacheSource = Pick<StftResult, 'X' | 'batch' | 'frames' | 'theta' | 'positions'>;

/**
 * Options of `recordForwardState` / the {@link ForwardCache} constructor: a scratch to reuse, signal verification,
 * the forward's frame table.
 */
export interface ForwardCacheOptions {
  /** A backward scratch of the same plan to reuse (made when absent or of another plan). */
  readonly scratch?: BackwardScratch;
  /** Default true: keep a checksum of x and refuse a backward after x changed. */
  readonly verifySignal?: boolean;
  /**
   * The forward's frame table (of this plan, holding the result's θ and t_n: checked by value). The cache keeps it
   * instead of copying θ and t_n and building its own, so its arrays must not change until the backward: for drivers
   * that resolved the table once for a call and run its backward within that call (e.g. `@dstft/parallel`'s step
   * split by signals). Default: copies.
   */
  readonly table?: FrameTable;
}

/** A ParameterError unless `table` is a frame table of `plan` with the θ and t_n of `result`. */
function assertTableOf(table: FrameTable, plan: StftPlan, result: ForwardCacheSource): void {
  if (!(table instanceof FrameTable) || table.plan !== plan || table.frames !== result.frames || !sameValues(table.theta, result.theta) || !sameValues(table.positions, result.positions.subarray(0, result.frames))) {
    throw new ParameterError('table', table, "is not the frame table of this result's forward (another plan, θ or t_n)", 'pass the table the forward used, or leave the option out');
  }
}

/** A forward result that carries its cache (`result.cache`, not enumerable: not copied, cloned or serialized). */
export type DifferentiableResult = StftResult & { readonly cache: ForwardCache };

/** The cache of a result (or the cache itself), or a StateError saying how to get one. */
export function cacheOf(source: StftResult | ForwardCache): ForwardCache {
  if (source instanceof ForwardCache) return source;
  const cache = (source as Partial<DifferentiableResult> | null | undefined)?.cache;
  if (!(cache instanceof ForwardCache)) {
    throw new StateError(
      'backward(result): no forward state is saved for this result. Fix: produce it with the differentiable forward ' +
        '(dstft.forward / stftForwardWithState) of this transform, then call backward with that result',
    );
  }
  return cache;
}

function attachCache(result: StftResult, cache: ForwardCache): DifferentiableResult {
  Object.defineProperty(result, 'cache', { value: cache, enumerable: false, configurable: true, writable: true });
  return result as DifferentiableResult;
}

/** Rejects a plan whose window cannot be differentiated (or lacks what its learnable parameters need). */
function assertBackwardable(plan: StftPlan): void {
  plan.assertDifferentiable();
  const has = plan.window.gradients;
  if (!has.theta || !has.x) {
    throw new ParameterError(
      'window',
      plan.window.id,
      'provides no analytic derivatives (∂w/∂θ and ∂w/∂x), so this transform has no backward pass',
      'use stftForward for inference with this window, or a window plugin with gradients { theta: true, x: true }',
    );
  }
}

/**
 * Forward transform that returns its cache for the backward: `result.cache` (see `ForwardCache`; do not modify `x`
 * before `stftBackward`: a changed signal is detected and rejected). Same arguments as `stftForward`.
 */
export function stftForwardWithState(plan: StftPlan, x: Float64Array, params: StftParams, out?: StftResult, options: ForwardOptions = {}): DifferentiableResult {
  assertBackwardable(plan);
  const previous = out ? (out as Partial<DifferentiableResult>).cache : undefined;
  // the result is about to be overwritten: its old cache must not serve a backward any more, even if this fails
  previous?.invalidate();
  if (options.table !== undefined || !(x instanceof Float64Array)) {
    // a caller's table (its arrays are the caller's): the cache copies θ and t_n and builds its own
    const res = stftForward(plan, x, params, out, options);
    return attachCache(res, new ForwardCache(plan, x, res, { scratch: previous?.scratch }));
  }
  // One pass over x for both checks (signalChecksum). Errors keep their order: the signal's before the parameters'.
  const sum = options.signalChecked === true ? checksum(x) : signalChecksum(x, plan.signalLength);
  // The forward runs on a copy of θ (the caller may change params.theta before the backward), and its frame table,
  // new and owned here, is the one the cache keeps: no second table, no second copy of θ and t_n.
  // (each member read, not spread: a params object whose members are getters keeps them)
  const own: StftParams = params?.theta instanceof Float64Array ? { theta: params.theta.slice(), hop: params.hop, t0: params.t0, hops: params.hops, positions: params.positions } : params;
  const table = resolveFrameTable(plan, own);
  const res = stftForward(plan, x, own, out, { ...options, table, signalChecked: true });
  return attachCache(res, new ForwardCache(plan, x, res, { scratch: previous?.scratch, table, [KNOWN_CHECKSUM]: sum } as InternalCacheOptions));
}

/**
 * Checks a batch of signals `[batch, signalLength]` as `assertSignalBatch` does (same errors) and returns the checksum
 * a forward cache keeps of it, in one pass over x: the checksum is a sum that stays finite only if every sample is,
 * so only a non-finite result needs the sample-by-sample check, which then names the bad sample. For drivers that
 * check x before a forward and then record it (`recordForwardState(…, { checksum })`): one pass instead of two.
 */
export function signalChecksum(x: Float64Array, signalLength: number): number {
  const sum = x instanceof Float64Array ? checksum(x) : Number.NaN;
  if (!(Number.isFinite(sum) && x.length > 0 && x.length % signalLength === 0 && signalLength >= 1)) assertSignalBatch('x', x, signalLength);
  return sum;
}

/**
 * Attaches a cache to a forward result computed by other means (e.g. frames split across threads, each running
 * `stftForward(…, { frames })` into the same result): `result` must hold exactly what `stftForward(plan, x, params)`
 * returns, and `x` is the signal the backward will read. Options: the forward's frame table and the signal's
 * checksum, when the caller has them ({@link RecordOptions}).
 */
export function recordForwardState(plan: StftPlan, x: Float64Array, result: StftResult, options: RecordOptions = {}): DifferentiableResult {
  assertBackwardable(plan);
  const previous = (result as Partial<DifferentiableResult>).cache;
  previous?.invalidate();
  const { table, checksum: known } = options;
  if (known !== undefined && typeof known !== 'number') {
    throw new ParameterError('checksum', known, 'expected the number signalChecksum(x, signalLength) returned', 'pass that value, or leave it out');
  }
  const cacheOptions: InternalCacheOptions = { scratch: previous?.scratch, [KNOWN_CHECKSUM]: known };
  return attachCache(result, new ForwardCache(plan, x, result, table === undefined ? cacheOptions : { ...cacheOptions, table }));
}

/** Options of {@link recordForwardState}. */
export interface RecordOptions {
  /**
   * The forward's frame table, for the cache to keep instead of copying θ and t_n and building its own (see
   * `ForwardCacheOptions.table`: its θ and t_n must not change until the backward, e.g. a table over a copy of θ).
   */
  readonly table?: FrameTable;
  /**
   * `signalChecksum(x, signalLength)` of this very x, computed after its last change (e.g. when the driver checked
   * the signal): the cache keeps it instead of taking its own pass over x. A value of another signal makes every
   * backward refuse this x as modified.
   */
  readonly checksum?: number;
}

/**
 * Invalidates the cache of a result (for drivers that fill a result in place: a fill that fails half-way must not
 * leave the previous forward's cache on a result whose X and S no longer match it). `backward` on it is then
 * refused until a forward records it again.
 */
export function forgetForwardState(result: StftResult): void {
  (result as Partial<DifferentiableResult>).cache?.invalidate();
}

/** The upstream gradient: with respect to the complex transform, or to the spectrogram (exactly one). */
export interface Upstream {
  /** ∂ℒ/∂Re X + i ∂ℒ/∂Im X, interleaved `[B, F, T]` like `result.X`. */
  readonly X?: Float64Array;
  /** ∂ℒ/∂S for S = |X|^power + eps, `[B, F, T]` like `result.spec`. */
  readonly spec?: Float64Array;
}

/** Options of {@link stftBackward}: whether to return ∂ℒ/∂x, and which frames contribute. */
export interface BackwardOptions {
  /** Also return ∂ℒ/∂x (the adjoint transform applied to G). Default false. */
  readonly signal?: boolean;
  /**
   * Only the contributions of frames [a, b) (0 ≤ a ≤ b ≤ T), as if the upstream gradient were zero on the other
   * frames: the gradients of disjoint ranges add up to the whole backward's (up to rounding). Default: every frame.
   */
  readonly frames?: readonly [number, number];
}

/** Gradients in natural units (per sample of θ, per sample of position), shaped like the parameters. */
export interface StftGradients {
  /** ∂ℒ/∂θ, same length and layout as params.theta (fixed-overlap: window shape and positions paths). */
  readonly theta: Float64Array;
  /** ∂ℒ/∂t_n for every frame (whatever the positions mode). */
  readonly positions: Float64Array;
  /** positions mode `constant`: ∂ℒ/∂hop. */
  readonly hop?: number;
  /** positions mode `time`: ∂ℒ/∂t_0 and ∂ℒ/∂h_i. */
  readonly t0?: number;
  readonly hops?: Float64Array;
  /** With `signal: true`: ∂ℒ/∂x, `[B, L]`. */
  readonly x?: Float64Array;
}

/**
 * Backward pass from a forward cache (a result of `stftForwardWithState`, which carries it, or the cache itself):
 * returns the gradients of ℒ with respect to every parameter of the transform (and the signal, on request), given
 * the upstream gradient. `expectedPlan`, if given, must be the plan that produced the cache.
 */
export function stftBackward(source: StftResult | ForwardCache, upstream: Upstream, options: BackwardOptions = {}, expectedPlan?: StftPlan): StftGradients {
  const cache = cacheOf(source);
  const into = createBackwardBuffers(cache, { signal: options.signal === true });
  stftBackwardInto(cache, upstream, into, { frames: options.frames, plan: expectedPlan });
  return finishBackward(cache, into);
}

/**
 * Where a partial backward writes (`stftBackwardInto`): per-frame θ contributions, ∂ℒ/∂t_n per frame, and ∂ℒ/∂x
 * (added into, `[B, L]`) or null. Disjoint frame ranges write disjoint entries of `contrib` and `gPos`, so threads
 * (each with its own ∂ℒ/∂x) can fill one set; `finishBackward` then reduces them in frame order.
 */
export interface BackwardBuffers {
  /** T entries on the FFT path, F·T on the DFT path (θ per bin): entry m·T + n. */
  readonly contrib: Float64Array;
  /** T entries. */
  readonly gPos: Float64Array;
  readonly gx: Float64Array | null;
}

/** Zeroed backward buffers for a cache (or a result carrying one); with `signal`, a ∂ℒ/∂x array too. */
export function createBackwardBuffers(source: StftResult | ForwardCache, options: { signal?: boolean } = {}): BackwardBuffers {
  const { plan, frames: T, batch: B } = cacheOf(source);
  return {
    contrib: new Float64Array(contributionLength(plan, T)),
    gPos: new Float64Array(T),
    gx: options.signal === true ? new Float64Array(B * plan.signalLength) : null,
  };
}

/**
 * Options of {@link stftBackwardInto}: the frame range, the plan the cache must come from, whether the signal check
 * may be skipped.
 */
export interface BackwardIntoOptions {
  /** Frames [a, b) (default every frame): the contributions of the other frames are left untouched. */
  readonly frames?: readonly [number, number] | undefined;
  /** The plan the cache must come from (a StateError otherwise). */
  readonly plan?: StftPlan | undefined;
  /**
   * The caller has just checked that x is unchanged (e.g. by a call on an empty range before splitting the frames
   * across threads): the checksum pass over x is skipped. Default false.
   */
  readonly signalUnchanged?: boolean;
}

/**
 * The backward of frames [a, b) into `into`, without the final reduction: writes their θ contributions and ∂ℒ/∂t_n
 * and adds their part of ∂ℒ/∂x into `into.gx` (when not null). What a driver that splits frames (or signals) across
 * threads calls on each thread; `finishBackward(source, into)` then gives the gradients, bit for bit those of one
 * `stftBackward` whatever the split (∂ℒ/∂x: to rounding, when threads add their own arrays).
 */
export function stftBackwardInto(source: StftResult | ForwardCache, upstream: Upstream, into: BackwardBuffers, options: BackwardIntoOptions = {}): void {
  const cache = cacheOf(source);
  cache.assertUsable(options.plan);
  if (options.signalUnchanged !== true) cache.assertSignalUnchanged();
  const { plan, batch: B, frames: T } = cache;
  const up = upstreamView(cache, upstream);
  const [n0, n1] = frameRange(options.frames, T);
  checkBuffers(cache, into);
  runBackward({ plan, table: cache.table, x: cache.x, batch: B, upstream: up, n0, n1, out: into, scratch: cache.scratch });
}

function checkBuffers(cache: ForwardCache, into: BackwardBuffers): void {
  const { plan, frames: T, batch: B } = cache;
  const C = contributionLength(plan, T);
  const ok = (a: unknown, n: number): boolean => a instanceof Float64Array && a.length === n;
  if (into === null || typeof into !== 'object' || !ok(into.contrib, C) || !ok(into.gPos, T) || !(into.gx === null || ok(into.gx, B * plan.signalLength))) {
    throw new ShapeError('into', into, `expected { contrib: ${C}, gPos: ${T}, gx: null or ${B * plan.signalLength} } Float64Arrays`, 'make them with createBackwardBuffers(result)');
  }
}

/** The upstream gradient as the loop reads it (G, or X with ∂ℒ/∂S), checked against the cache's shapes. */
function upstreamView(cache: ForwardCache, upstream: Upstream): UpstreamView {
  const { plan, batch: B, frames: T } = cache;
  const size = B * plan.freqs * T;
  if (upstream === null || typeof upstream !== 'object' || (upstream.X === undefined) === (upstream.spec === undefined)) {
    throw new ParameterError('upstream', upstream, 'pass exactly one of { X } or { spec }', 'give ∂ℒ/∂X (complex, like result.X) or ∂ℒ/∂S (like result.spec)');
  }
  if (upstream.spec !== undefined) {
    const dS = upstream.spec;
    if (!(dS instanceof Float64Array) || dS.length !== size) {
      throw new ShapeError('upstream.spec', dS, `expected ∂ℒ/∂S of length B·F·T = ${size}`, 'pass a Float64Array shaped like result.spec');
    }
    return { G: null, X: cache.X, dS, power: plan.power };
  }
  const G = upstream.X!;
  if (!(G instanceof Float64Array) || G.length !== 2 * size) {
    throw new ShapeError('upstream.X', G, `expected interleaved ∂ℒ/∂X of length 2·B·F·T = ${2 * size}`, 'pass a Float64Array shaped like result.X');
  }
  return { G, X: null, dS: null, power: plan.power };
}

/** @deprecated the forward cache: use `ForwardCache`. */
export type ForwardState = ForwardCache;

/**
 * Last step of a backward pass: θ from the per-frame contributions (summed in frame order), then the positions
 * chain: hop (constant), t0 and hops (time-varying), θ's path through the positions (fixed-overlap). The arrays of
 * `into` are kept in the gradients (gPos as `positions`, gx as `x`): pass fresh buffers per call.
 */
export function finishBackward(source: StftResult | ForwardCache, into: BackwardBuffers): StftGradients {
  const { plan, frames: T, theta } = cacheOf(source);
  const gTheta = new Float64Array(theta.length);
  reduceThetaContributions(plan, T, into.contrib, gTheta);
  const out: { -readonly [K in keyof StftGradients]: StftGradients[K] } = { theta: gTheta, positions: into.gPos };
  if (into.gx) out.x = into.gx;
  const chained = positionsVjp(plan, T, theta[0], into.gPos);
  if (chained.theta !== undefined) gTheta[0] += chained.theta;
  if (chained.hop !== undefined) out.hop = chained.hop;
  if (chained.t0 !== undefined) out.t0 = chained.t0;
  if (chained.hops !== undefined) out.hops = chained.hops;
  return out;
}

/** Gradients of ℒ with respect to the parameters that place the frames, given ∂ℒ/∂t_n. */
export interface PositionsVjp {
  /** fixed-overlap policy: ∂ℒ/∂θ through t_n = (first + n)(1 - α)θ (add it to θ's window-shape gradient). */
  readonly theta?: number;
  /** positions mode `constant` (t_n = n·hop): ∂ℒ/∂hop. */
  readonly hop?: number;
  /** positions mode `time` (t_n = t0 + Σ_{i<n} h_i): ∂ℒ/∂t0 and ∂ℒ/∂h_i. */
  readonly t0?: number;
  readonly hops?: Float64Array;
}

/**
 * Chain rule from frame positions to the parameters that set them, per positions mode and frame policy: what
 * `stftBackward` does with its own ∂ℒ/∂t_n, exposed so that penalties on positions (e.g. a coverage penalty) reach
 * hop / hops / t0 the same way. `theta0` is the (constant) window length used by the forward call; `gPos` has one
 * entry per frame in use (T). Modes `fixed` and `free` return `{}` (free positions are the parameters themselves).
 */
export function positionsVjp(plan: StftPlan, frames: number, theta0: number, gPos: Float64Array): PositionsVjp {
  const T = frames;
  if (plan.framePolicy.kind === 'fixed-overlap') {
    // t_n = (first + n)·hop, hop = (1 - α)θ  ⇒  ∂t_n/∂θ = (first + n)(1 - α)
    const a = 1 - plan.framePolicy.overlap;
    const { first } = overlapFrameRange(plan.signalLength, theta0, a * theta0);
    let acc = 0;
    for (let n = 0; n < T; n++) acc += (first + n) * gPos[n];
    return { theta: a * acc };
  }
  const mode = plan.positionsConfig.mode;
  if (mode === 'constant') {
    let acc = 0;
    for (let n = 0; n < T; n++) acc += n * gPos[n];
    return { hop: acc };
  }
  if (mode === 'time') {
    const hops = new Float64Array(Math.max(0, T - 1));
    let acc = 0;
    for (let n = T - 1; n >= 1; n--) {
      acc += gPos[n];
      hops[n - 1] = acc; // Σ_{k > n-1} dℒ/dt_k
    }
    return { hops, t0: acc + gPos[0] };
  }
  return {};
}

/** Length of the per-frame θ-contribution array: T on the FFT path, F·T on the DFT path. */
function contributionLength(plan: StftPlan, frames: number): number {
  return plan.path === 'fft' ? frames : plan.freqs * frames;
}

/**
 * Sums per-frame contributions into ∂ℒ/∂θ in frame order (the same order whatever thread computed them, so the
 * result does not depend on how frames were split). FFT path: contrib[n]; DFT path: contrib[m·T + n].
 */
function reduceThetaContributions(plan: StftPlan, frames: number, contrib: Float64Array, gTheta: Float64Array): void {
  const T = frames;
  gTheta.fill(0);
  switch (plan.windowMode) {
    case 'time':
    case 'time-frequency':
      gTheta.set(contrib.subarray(0, gTheta.length));
      return;
    case 'fixed':
    case 'constant': {
      let acc = 0;
      for (let n = 0; n < T; n++) acc += contrib[n];
      gTheta[0] = acc;
      return;
    }
    case 'frequency':
      for (let m = 0; m < plan.freqs; m++) {
        let acc = 0;
        for (let n = 0; n < T; n++) acc += contrib[m * T + n];
        gTheta[m] = acc;
      }
  }
}

/** What the backward core needs: the frame table of the forward, the signals, the upstream view, where to write. */
interface BackwardRun {
  readonly plan: StftPlan;
  readonly table: FrameTable;
  readonly x: Float64Array;
  readonly batch: number;
  readonly upstream: UpstreamView;
  /** Frames [n0, n1). */
  readonly n0: number;
  readonly n1: number;
  readonly out: BackwardBuffers;
  readonly scratch: BackwardScratch;
}

/**
 * The backward core on frames [n0, n1): writes the θ contributions and ∂ℒ/∂t_n of those frames and adds ∂ℒ/∂x into
 * `out.gx`. It is the kernel's bins-to-samples loop (the adjoint's, over both paths) with the sink below: with
 * r_n[j] = Re Σ_m conj(G[m,n]) e^{-2πi m (i_n + j)/N} (per bin on the DFT path),
 *   contrib += Σ_j x_n[j] r_n[j] ∂w/∂θ,   ∂ℒ/∂t_n = -Σ_j x_n[j] r_n[j] ∂w/∂x,   gx[i_n - c + j] += w r_n[j].
 * Frame ranges are independent, so threads can split [0, T).
 */
function runBackward(run: BackwardRun): void {
  const { plan, table, n0, n1, out } = run;
  const T = table.frames;
  const contrib = out.contrib;
  const gPos = out.gPos;
  const bins = plan.path === 'fft' ? 1 : plan.freqs;
  for (let m = 0; m < bins; m++) for (let n = n0; n < n1; n++) contrib[m * T + n] = 0;
  for (let n = n0; n < n1; n++) gPos[n] = 0;
  const fw = run.scratch.fw;
  binsToSamples({
    plan,
    table,
    batch: run.batch,
    upstream: run.upstream,
    window: fw,
    scale: 'adjoint',
    direct: true,
    n0,
    n1,
    sink: new VjpSink(run, fw),
    scratch: run.scratch,
  });
  for (let n = n0; n < n1; n++) gPos[n] = -gPos[n];
}

/**
 * acc[0] += Σ_j x[off + j]·r[j]·∂w/∂θ[j], acc[1] += Σ_j x[off + j]·r[j]·∂w/∂x[j] and gx[off + j] += w[j]·r[j] for
 * j ∈ [j0, j1), r[j] = buf[j + d]: one contiguous run of a frame's backward with ∂ℒ/∂x (terms added in ascending j).
 */
function sumsAndScatter(acc: Float64Array, x: Float64Array, buf: Float64Array, dT: Float64Array, dX: Float64Array, w: Float64Array, gx: Float64Array, off: number, j0: number, j1: number, d: number): void {
  let aT = acc[0];
  let aX = acc[1];
  for (let j = j0; j < j1; j++) {
    const r = buf[j + d];
    const xr = x[off + j] * r;
    aT += xr * dT[j];
    aX += xr * dX[j];
    gx[off + j] += w[j] * r;
  }
  acc[0] = aT;
  acc[1] = aX;
}

/**
 * contrib[m·T + n] += Σ_j x r ∂w/∂θ, gPos[n] += Σ_j x r ∂w/∂x (negated by the caller), gx += w r, with
 * r_n[j] = buf[(j + s) mod N] read in its two contiguous runs (`tableRuns`), j in ascending order.
 */
class VjpSink implements SampleSink {
  readonly #x: Float64Array;
  readonly #fw: FrameWindow;
  readonly #table: FrameTable;
  readonly #L: number;
  readonly #contrib: Float64Array;
  readonly #gPos: Float64Array;
  readonly #gx: Float64Array | null;
  readonly #runs = new Int32Array(5);
  readonly #acc = new Float64Array(2);
  constructor(run: BackwardRun, fw: FrameWindow) {
    this.#x = run.x;
    this.#fw = fw;
    this.#table = run.table;
    this.#L = run.plan.signalLength;
    this.#contrib = run.out.contrib;
    this.#gPos = run.out.gPos;
    this.#gx = run.out.gx;
  }

  frame(b: number, n: number, m: number, buf: Float64Array, s: number): void {
    const g = this.#runs;
    tableRuns(this.#table, buf.length, s, g);
    const jlo = g[0];
    const e1 = g[1];
    const s2 = g[2];
    const jhi = g[3];
    const wrap = g[4];
    const x = this.#x;
    const fw = this.#fw;
    const dT = fw.dTheta!;
    const dX = fw.dX!;
    const gx = this.#gx;
    const off = b * this.#L + this.#table.first[n];
    let aT = 0;
    let aX = 0;
    if (gx === null) {
      for (let j = jlo; j < e1; j++) {
        const xr = x[off + j] * buf[j + s];
        aT += xr * dT[j];
        aX += xr * dX[j];
      }
      for (let j = s2; j < jhi; j++) {
        const xr = x[off + j] * buf[j - wrap];
        aT += xr * dT[j];
        aX += xr * dX[j];
      }
    } else {
      // with ∂ℒ/∂x: the same sums, and gx += w·r in the same pass (r read once). A separate scatter pass over r
      // (the adjoint's scatterFrame) measured 4 % slower on row B's backward; the sums and the order in which every
      // entry receives its terms are the same either way.
      const acc = this.#acc;
      acc[0] = 0;
      acc[1] = 0;
      sumsAndScatter(acc, x, buf, dT, dX, fw.w, gx, off, jlo, e1, s);
      sumsAndScatter(acc, x, buf, dT, dX, fw.w, gx, off, s2, jhi, -wrap);
      aT = acc[0];
      aX = acc[1];
    }
    this.#contrib[m * this.#table.frames + n] += aT;
    this.#gPos[n] += aX;
  }

  /** DFT path: the same sums with r[j] = gr·cos[o + j] − gi·sin[o + j] formed in the loop (see SampleSink.bin). */
  bin(b: number, n: number, m: number, gr: number, gi: number, tw: DftTwiddles): void {
    const table = this.#table;
    const { jlo, jhi } = table;
    const { cos: c, sin: sn, offset: o } = tw;
    const x = this.#x;
    const fw = this.#fw;
    const dT = fw.dTheta!;
    const dX = fw.dX!;
    const gx = this.#gx;
    const off = b * this.#L + table.first[n];
    let aT = 0;
    let aX = 0;
    // two loops, with and without gx: a test of gx inside the loop made row C (no ∂ℒ/∂x) 6 % slower, and r through
    // a buffer (as frame() does) made row C's backward with ∂ℒ/∂x 1.13-1.23× slower
    if (gx === null) {
      for (let j = jlo; j < jhi; j++) {
        const xr = x[off + j] * (gr * c[o + j] - gi * sn[o + j]);
        aT += xr * dT[j];
        aX += xr * dX[j];
      }
    } else {
      const w = fw.w;
      for (let j = jlo; j < jhi; j++) {
        const r = gr * c[o + j] - gi * sn[o + j];
        const xr = x[off + j] * r;
        aT += xr * dT[j];
        aX += xr * dX[j];
        gx[off + j] += w[j] * r;
      }
    }
    this.#contrib[m * table.frames + n] += aT;
    this.#gPos[n] += aX;
  }
}
