/**
 * The calling thread's side of a parallel transform: splits each call into frame ranges (or whole signals), puts
 * what the workers read in shared memory, runs its own share with the same `ThreadWork` as the workers, joins, and
 * reduces (θ contributions and ∂ℒ/∂t_n in frame / signal order, so results do not depend on the thread count).
 */
import {
  cacheOf,
  finishBackward,
  forgetForwardState,
  recordForwardState,
  signalChecksum,
  stftBackwardInto,
  thetaTangentUnsupported,
  type BackwardOptions,
  type StftGradients,
  type Upstream,
} from '@dstft/backprop';
import { ParameterError, checkKnownKeys, throwIfAborted, type AbortSignalLike, type FramewiseLoss, type LossPlugin } from '@dstft/core';
import type { Dstft } from '@dstft/dstft';
import { frameRange, resolveFrameTable, type StftParams, type StftResult } from '@dstft/kernel';
import { SplitBalance, type BalanceMode } from './balance.js';
import type { WorkerPool } from './pool.js';
import {
  CMD_BACKWARD,
  CMD_FORWARD,
  CMD_LOSS_STEP,
  CMD_SETUP,
  CMD_THETA_STEP,
  FLAG_LOSS_GRAD,
  FLAG_LOSS_STATS,
  FLAG_SIGNAL,
  FLAG_SPEC,
  ROLE_DS,
  ROLE_G,
  ROLE_SPEC,
  ROLE_X,
  ROLE_X_SIGNAL,
  type LossMessage,
  type SetupMessage,
  type SharedBuffers,
} from './protocol.js';
import { ParamsBlock, SlotTable, Staging, isShared, sharedF64 } from './shared.js';
import { ThreadWork, contributionLength, shapeOf, sumSlots, type LossWork } from './thread-work.js';
import type { EntropyStep, EntropyStepOptions, LossStep, LossStepOptions, ParallelDstft, ThetaStep, ThetaStepOptions } from './types.js';

type Signal = Float64Array | readonly number[];
const asSignal = (x: Signal): Float64Array => (x instanceof Float64Array ? x : Float64Array.from(x));

const LOSS_STEP_KEYS = ['params', 'out', 'signal', 'lossOptions', 'split'] as const;
const ENTROPY_STEP_KEYS = ['params', 'out', 'reduction', 'signal', 'split'] as const;
const THETA_STEP_KEYS = ['params', 'out', 'lossOptions'] as const;

/** A framewise loss and its options (merged over its defaults). */
interface LossSpec {
  readonly framewise: FramewiseLoss;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A fused loss step: the loss (with a `framewise` member), its options, the call's parameters. */
interface FusedStep {
  readonly plugin: LossPlugin;
  readonly lossOptions: Readonly<Record<string, unknown>>;
  readonly params: StftParams;
  readonly out: StftResult | undefined;
  readonly signal: boolean;
  readonly split: 'auto' | 'signals' | 'frames';
}

/** Where one forward writes: the result returned, and the object the threads fill (the same, or a staging copy). */
interface ForwardTarget {
  readonly result: StftResult;
  readonly fill: StftResult;
}

export class ParallelDriver implements ParallelDstft {
  readonly dstft: Dstft;
  readonly #pool: WorkerPool;
  readonly #work: ThreadWork;
  readonly #signal: AbortSignalLike | undefined;
  readonly #slots = new SlotTable();
  readonly #staging = new Staging();
  /** Small shared buffers (sized for the largest call so far) and each worker's ∂ℒ/∂x. */
  #shared: Omit<SharedBuffers, 'gx'> | null = null;
  #workerGx: Float64Array[] = [];
  #cap = { params: 0, BL: 0, FT: 0, BT: 0, B: 0, stats: 0, coef: 0, tangent: 0 };
  /** The signal the last forward staged (a non-shared x), so that its backward does not copy it again. */
  #stagedFrom: Float64Array | null = null;
  /** ∂ℒ/∂S of loss steps (the work array of a framewise loss): shared, grown on demand, reused. */
  #lossGrad: Float64Array | null = null;
  /** The loss last posted to the workers. */
  #lossKey = '';
  /** The calling thread's share of each kind of call (balance.ts). */
  readonly #balance: { readonly forward: SplitBalance; readonly backward: SplitBalance; readonly signals: SplitBalance };

  constructor(dstft: Dstft, pool: WorkerPool, signal: AbortSignalLike | undefined, balance: BalanceMode = 'adaptive') {
    this.dstft = dstft;
    this.#pool = pool;
    this.#work = new ThreadWork(dstft.plan);
    this.#signal = signal;
    const threads = pool.size + 1;
    this.#balance = { forward: new SplitBalance(threads, balance), backward: new SplitBalance(threads, balance), signals: new SplitBalance(threads, balance) };
  }

  get threads(): number {
    return this.#pool.size + 1;
  }
  get split(): ParallelDstft['split'] {
    const { forward, backward, signals } = this.#balance;
    return { forward: forward.share, backward: backward.share, signals: signals.share, solo: forward.solo || backward.solo || signals.solo };
  }
  get params(): Dstft['params'] {
    return this.dstft.params;
  }
  get frames(): number {
    return this.dstft.frames;
  }
  get freqs(): number {
    return this.dstft.freqs;
  }

  forward(x: Signal, params: StftParams = this.dstft.params, out?: StftResult): StftResult {
    throwIfAborted(this.#signal, 'ParallelDstft.forward');
    return this.#forward(x, params, out, null).result;
  }

  backward(result: StftResult, upstream: Upstream, options: BackwardOptions = {}): StftGradients {
    throwIfAborted(this.#signal, 'ParallelDstft.backward');
    return this.#backward(result, upstream, options, null);
  }

  lossStep(x: Signal, loss: string | LossPlugin, options: LossStepOptions = {}): LossStep {
    throwIfAborted(this.#signal, 'ParallelDstft.lossStep');
    checkKnownKeys(options, LOSS_STEP_KEYS, { owner: 'lossStep()' });
    const plugin = typeof loss === 'string' ? this.dstft.registry.get('loss', loss) : loss;
    if (plugin === null || typeof plugin !== 'object' || plugin.kind !== 'loss' || typeof plugin.evaluate !== 'function') {
      throw new ParameterError('loss', loss, 'not a loss plugin', "pass a loss id of the registry (e.g. 'shannon') or a loss plugin object ({ kind: 'loss', evaluate })");
    }
    const lossOptions = { ...plugin.defaults, ...options.lossOptions };
    const split = readSplit(options.split);
    const params = options.params ?? this.dstft.params;
    const signal = options.signal === true;
    if (plugin.framewise !== undefined && this.#workersKnow(plugin)) {
      const step = this.#fusedStep(x, { plugin, lossOptions, params, out: options.out, signal, split });
      return { value: step.value, result: step.result, grads: step.grads, specGrad: step.specGrad };
    }
    // the loss on this thread: forward and backward on every thread
    const { result } = this.#forward(x, params, options.out, null);
    const dS = this.#lossGradOf(result.spec.length);
    const value = plugin.evaluate({ data: result.spec, batch: result.batch, freqs: result.freqs, frames: result.frames }, dS, lossOptions);
    const grads = this.#backward(result, { spec: dS }, { signal }, null);
    return { value, result, grads, specGrad: dS };
  }

  entropyStep(x: Signal, options: EntropyStepOptions = {}): EntropyStep {
    throwIfAborted(this.#signal, 'ParallelDstft.entropyStep');
    if (options === null || typeof options !== 'object') {
      throw new ParameterError('options', options, 'expected { params?, out?, reduction?, signal?, split? }', 'pass an options object or nothing');
    }
    checkKnownKeys(options, ENTROPY_STEP_KEYS, { owner: 'entropyStep()' });
    const shannon = this.dstft.registry.get('loss', 'shannon');
    const lossOptions = { ...shannon.defaults, reduction: options.reduction ?? 'mean' };
    shannon.framewise!.combine(new Float64Array(0), lossOptions); // checks the reduction before any work
    return this.#fusedStep(x, { plugin: shannon, lossOptions, params: options.params ?? this.dstft.params, out: options.out, signal: options.signal === true, split: readSplit(options.split) });
  }

  thetaStep(x: Signal, loss: string | LossPlugin = 'shannon', options: ThetaStepOptions = {}): ThetaStep {
    throwIfAborted(this.#signal, 'ParallelDstft.thetaStep');
    if (options === null || typeof options !== 'object') {
      throw new ParameterError('options', options, 'expected { params?, out?, lossOptions? }', 'pass an options object or nothing');
    }
    checkKnownKeys(options, THETA_STEP_KEYS, { owner: 'thetaStep()' });
    const plugin = typeof loss === 'string' ? this.dstft.registry.get('loss', loss) : loss;
    const plan = this.dstft.plan;
    const why = plugin !== null && typeof plugin === 'object' ? thetaTangentUnsupported(plan, plugin.framewise) : 'not a loss plugin';
    if (why !== null) {
      throw new ParameterError('loss', typeof loss === 'string' ? loss : plugin?.id, `no one-pass θ step here: ${why}`, 'use lossStep (forward, loss and backward), which also gives ∂ℒ/∂t_n and ∂ℒ/∂S');
    }
    const framewise = plugin.framewise!;
    const lossOptions = { ...plugin.defaults, ...options.lossOptions };
    framewise.combine(new Float64Array(0), lossOptions); // checks the loss's options (e.g. its reduction) before any work
    const params = options.params ?? this.dstft.params;
    const { xs, B, T, table } = this.#startCall(x, params, framewise);
    const target = this.#target(B, T, params, options.out);
    const sh = this.#shared!;
    const arrays = { stats: sh.stats, tangent: sh.tangent };
    const tangentLoss = { framewise, options: lossOptions };
    const scratch = this.#work.tangent;
    scratch.begin(tangentLoss, B, T, arrays);
    // workers build the loss by id from their registries: a loss they do not hold runs on this thread alone
    const ranges = this.#workersKnow(plugin) ? this.#balance.forward.ranges(T) : [[0, T] as [number, number]];
    if (ranges.length > 1) {
      this.#postLoss(plugin.id, lossOptions);
      this.#bind(ROLE_X_SIGNAL, xs);
      this.#bind(ROLE_X, target.fill.X);
      this.#bind(ROLE_SPEC, target.fill.spec);
      this.#flush(3);
    }
    const mine = (n0: number, n1: number): void => this.#work.thetaStep({ x: xs, params, table, out: target.fill, frames: [n0, n1], loss: tangentLoss, arrays }, false);
    this.#run(ranges, { cmd: CMD_THETA_STEP, batch: B, frames: T, flags: 0 }, mine, this.#balance.forward);
    this.#finishTarget(target); // (a staged fill shares the result's positions, times and θ arrays)
    const result = target.result;
    const gradTheta = new Float64Array(params.theta.length);
    const value = scratch.finish(B, gradTheta, table.thetaBase);
    return { value, result, gradTheta };
  }

  sharedArray(length: number): Float64Array {
    if (!Number.isInteger(length) || length < 0) {
      throw new ParameterError('length', length, 'must be an integer ≥ 0', 'pass the number of values, e.g. result.spec.length');
    }
    return new Float64Array(new SharedArrayBuffer(8 * length));
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  // ---- forward and backward by frames ----

  /** The forward by frames; with `lossSpec`, every thread also computes the loss's statistics of its frames. */
  #forward(input: Signal, given: StftParams, out: StftResult | undefined, lossSpec: LossSpec | null): { result: StftResult; loss: LossWork | null } {
    // on a copy of θ (the caller may change its own before the backward): the result's cache then keeps this call's
    // frame table instead of copying θ and t_n and building another
    const params: StftParams = given?.theta instanceof Float64Array ? { theta: given.theta.slice(), hop: given.hop, t0: given.t0, hops: given.hops, positions: given.positions } : given;
    const { x, xs, B, T, table, checksum } = this.#startCall(input, params, lossSpec?.framewise ?? null);
    const target = this.#target(B, T, params, out);
    const ranges = this.#balance.forward.ranges(T);
    const F = this.dstft.plan.freqs;
    const loss = lossSpec ? this.#lossWork(lossSpec.framewise, lossSpec.options, B, T, B * F * T) : null;
    this.#bind(ROLE_X_SIGNAL, xs);
    this.#bind(ROLE_X, target.fill.X);
    this.#bind(ROLE_SPEC, target.fill.spec);
    if (loss) this.#bind(ROLE_DS, loss.dS);
    this.#flush(loss ? 4 : 3);
    try {
      this.#run(ranges, { cmd: CMD_FORWARD, batch: B, frames: T, flags: loss ? FLAG_LOSS_STATS : 0 }, (n0, n1) => this.#work.forward(xs, params, table, target.fill, n0, n1, loss), this.#balance.forward);
    } catch (e) {
      forgetForwardState(target.result); // X and S are partly written: no backward on them
      throw e;
    }
    this.#finishTarget(target);
    return { result: recordForwardState(this.dstft.plan, x, target.result, { table, checksum }), loss };
  }

  /** The backward by frames; with `loss`, every thread first turns the loss's work array into ∂ℒ/∂S on its frames. */
  #backward(result: StftResult, upstream: Upstream, options: BackwardOptions, loss: LossWork | null, signalUnchanged = false): StftGradients {
    checkKnownKeys(options, ['signal', 'frames'], { owner: 'backward()' });
    const plan = this.dstft.plan;
    const cache = cacheOf(result);
    const { batch: B, frames: T } = cache;
    const signal = options.signal === true;
    const [a, b] = frameRange(options.frames, T);
    this.#ensure(B, T, ParamsBlock.lengthFor(cache), loss?.loss ?? null);
    const sh = this.#shared!;
    // the threads write the frames of [a, b) into the shared arrays; the other frames stay 0 (that range's gradients)
    const C = contributionLength(plan, T);
    const shared = { contrib: sh.contrib.subarray(0, C).fill(0), gPos: sh.gPos.subarray(0, T).fill(0), gx: signal ? new Float64Array(B * plan.signalLength) : null };
    // every check of the call (cache, signal unchanged, upstream shape) before any thread runs: an empty range
    stftBackwardInto(cache, upstream, shared, { frames: [0, 0], plan, signalUnchanged });
    new ParamsBlock(sh.params).write(cache);
    const xs = this.#sharedSignal(cache.x);
    this.#bind(ROLE_X_SIGNAL, xs);
    let flags = signal ? FLAG_SIGNAL : 0;
    if (loss) flags |= FLAG_LOSS_GRAD;
    let up: Upstream;
    if (upstream.spec !== undefined) {
      flags |= FLAG_SPEC;
      const dS = this.#shareOf('dS', upstream.spec);
      this.#bind(ROLE_DS, dS);
      this.#bind(ROLE_X, this.#shareOf('X', cache.X));
      up = { spec: dS };
    } else {
      const G = this.#shareOf('G', upstream.X!);
      this.#bind(ROLE_G, G);
      up = { X: G };
    }
    this.#flush(3);
    const ranges = this.#balance.backward.ranges(b - a).map(([p, q]) => [a + p, a + q] as [number, number]);
    this.#run(
      ranges,
      { cmd: CMD_BACKWARD, batch: B, frames: T, flags },
      (n0, n1) => {
        if (loss) loss.loss.frameGrad(loss.dS, { batch: B, freqs: plan.freqs, frames: T }, n0, n1, loss.stats, loss.coef, loss.options);
        stftBackwardInto(cache, up, shared, { frames: [n0, n1], signalUnchanged: true });
      },
      this.#balance.backward,
    );
    const gx = shared.gx;
    if (gx) {
      for (let w = 0; w < ranges.length - 1; w++) {
        const wgx = this.#workerGx[w]!;
        for (let k = 0; k < gx.length; k++) gx[k] = gx[k]! + wgx[k]!;
      }
    }
    // θ contributions are reduced into a new array; ∂ℒ/∂t_n is returned, so it leaves shared memory as a copy
    return finishBackward(cache, { contrib: shared.contrib, gPos: shared.gPos.slice(), gx });
  }

  // ---- the fused loss step ----

  #fusedStep(input: Signal, step: FusedStep): EntropyStep {
    const { plugin, lossOptions, params, out, signal, split } = step;
    const framewise = plugin.framewise!;
    this.#postLoss(plugin.id, lossOptions);
    const threads = this.threads;
    const batch = ((input as ArrayLike<number> | null)?.length ?? Number.NaN) / this.dstft.plan.signalLength; // checked by the route taken
    const bySignals = split === 'signals' || (split === 'auto' && this.dstft.plan.path === 'fft' && (threads === 1 || batch % threads === 0));
    if (bySignals) return this.#stepBySignals(input, plugin, lossOptions, params, out, signal);
    // by frames: statistics in the forward, the terms here, ∂ℒ/∂S in the backward
    const { result, loss } = this.#forward(input, params, out, { framewise, options: lossOptions });
    const work = loss!;
    const B = result.batch;
    const perSignal = new Float64Array(B);
    const shape = shapeOf(result);
    for (let b = 0; b < B; b++) perSignal[b] = framewise.signalTerm(work.stats, b, shape, work.coef, lossOptions);
    const value = framewise.combine(perSignal, lossOptions);
    const specGrad = work.dS.subarray(0, result.spec.length);
    // the forward of this step has just read x (nothing ran in between): no checksum pass before its backward
    const grads = this.#backward(result, { spec: specGrad }, { signal }, work, true);
    return { value, perSignal, result, grads, specGrad };
  }

  /** The step of a batch split by whole signals: one dispatch and one join (thread-work.ts `lossStepSignals`). */
  #stepBySignals(input: Signal, plugin: LossPlugin, lossOptions: Readonly<Record<string, unknown>>, params: StftParams, out: StftResult | undefined, signal: boolean): EntropyStep {
    const plan = this.dstft.plan;
    const framewise = plugin.framewise!;
    const { x, xs, B, T, table } = this.#startCall(input, params, framewise);
    const target = this.#target(B, T, params, out);
    const L = plan.signalLength;
    const size = B * plan.freqs * T;
    // the result's small arrays, and its cache (which also rejects a window without derivatives before any work)
    const r = target.result;
    r.positions.set(table.positions);
    for (let n = 0; n < T; n++) r.times[n] = table.positions[n]! / plan.sampleRate;
    r.theta.set(params.theta);
    const cache = cacheOf(recordForwardState(plan, x, r));
    const work = this.#lossWork(framewise, lossOptions, B, T, size);
    const sh = this.#shared!;
    const C = contributionLength(plan, T);
    this.#bind(ROLE_X_SIGNAL, xs);
    this.#bind(ROLE_X, target.fill.X);
    this.#bind(ROLE_SPEC, target.fill.spec);
    this.#bind(ROLE_DS, work.dS);
    this.#flush(4);
    const gx = signal ? new Float64Array(B * L) : null;
    const slots = { contrib: sh.slotContrib.subarray(0, B * C), gPos: sh.slotPos.subarray(0, B * T), gx };
    const ranges = this.#balance.signals.ranges(B);
    const call = { x: xs, X: target.fill.X, spec: target.fill.spec };
    const shape = { batch: B, freqs: plan.freqs, frames: T };
    try {
      this.#run(ranges, { cmd: CMD_LOSS_STEP, batch: B, frames: T, flags: signal ? FLAG_SIGNAL : 0 }, (b0, b1) => this.#work.lossStepSignals(call, params, table, shape, [b0, b1], work, slots), this.#balance.signals);
    } catch (e) {
      forgetForwardState(r);
      throw e;
    }
    if (gx) for (let w = 1; w < ranges.length; w++) gx.set(this.#workerGx[w - 1]!.subarray(ranges[w]![0] * L, ranges[w]![1] * L), ranges[w]![0] * L);
    this.#finishTarget(target);
    const perSignal = work.terms.slice(0, B);
    const value = framewise.combine(perSignal, lossOptions);
    const into = { contrib: new Float64Array(C), gPos: new Float64Array(T), gx };
    sumSlots(slots.contrib, B, into.contrib);
    sumSlots(slots.gPos, B, into.gPos);
    return { value, perSignal, result: r, grads: finishBackward(cache, into), specGrad: work.dS };
  }

  // ---- parts ----

  /**
   * Runs `mine` on ranges[0] here and the other ranges on workers 0, 1 …; joins them all (also after a failure).
   * Tells `balance` how long this thread's share and the whole call took, for the next call's split.
   */
  #run(ranges: [number, number][], job: { cmd: number; batch: number; frames: number; flags: number }, mine: (n0: number, n1: number) => void, balance: SplitBalance): void {
    const pool = this.#pool;
    const t0 = performance.now();
    for (let r = 1; r < ranges.length; r++) pool.dispatch(r - 1, { ...job, n0: ranges[r]![0], n1: ranges[r]![1] });
    let failure: unknown = null;
    try {
      mine(ranges[0]![0], ranges[0]![1]);
    } catch (e) {
      failure = e;
    }
    const t1 = performance.now();
    try {
      pool.joinAll(ranges.length - 1);
    } catch (e) {
      failure ??= e;
    }
    if (failure !== null) throw failure;
    const own = ranges[0]![1] - ranges[0]![0];
    balance.record(own, ranges[ranges.length - 1]![1] - ranges[0]![0] - own, t1 - t0, performance.now() - t0, pool.busyMs(ranges.length - 1));
  }

  /** Checks the signal (one pass) and the parameters; the signal in shared memory; shared buffers for the call. */
  #startCall(input: Signal, params: StftParams, loss: FramewiseLoss | null) {
    const plan = this.dstft.plan;
    const x = asSignal(input);
    // the check of x (assertSignalBatch's) and the checksum a forward's cache keeps, in one pass
    const checksum = signalChecksum(x, plan.signalLength);
    const table = resolveFrameTable(plan, params);
    const B = x.length / plan.signalLength;
    const T = table.frames;
    this.#ensure(B, T, ParamsBlock.lengthFor(params), loss);
    new ParamsBlock(this.#shared!.params).write(params);
    return { x, xs: this.#sharedSignal(x, true), B, T, table, checksum };
  }

  /**
   * The result of a forward: `out` when it has the call's shape (filled in place when its arrays are shared, else
   * through staging copies), or a new result in shared memory. A reused result loses its previous cache now.
   */
  #target(B: number, T: number, params: StftParams, out: StftResult | undefined): ForwardTarget {
    const plan = this.dstft.plan;
    const F = plan.freqs;
    const reuse = out !== undefined && out.batch === B && out.frames === T && out.freqs === F && out.theta.length === params.theta.length;
    if (reuse) {
      forgetForwardState(out);
      if ((isShared(out.X) && isShared(out.spec)) || this.#pool.size === 0) return { result: out, fill: out };
      const fill = { ...out, X: this.#staging.get('X', out.X.length), spec: this.#staging.get('spec', out.spec.length) };
      return { result: out, fill };
    }
    const size = B * F * T;
    const result: StftResult = {
      batch: B,
      freqs: F,
      frames: T,
      nFft: plan.nFft,
      X: sharedF64(2 * size).subarray(0, 2 * size),
      spec: sharedF64(size).subarray(0, size),
      positions: new Float64Array(T),
      times: new Float64Array(T),
      frequencies: plan.frequencies.slice(),
      theta: new Float64Array(params.theta.length),
    };
    return { result, fill: result };
  }

  /** X and S from staging into a result that is not in shared memory. */
  #finishTarget(target: ForwardTarget): void {
    if (target.fill !== target.result) {
      target.result.X.set(target.fill.X);
      target.result.spec.set(target.fill.spec);
    }
  }

  /** The loss's arrays for a call of B signals, T frames (the shared buffers sized by `#startCall` for it). */
  #lossWork(framewise: FramewiseLoss, options: Readonly<Record<string, unknown>>, B: number, T: number, size: number): LossWork {
    const sh = this.#shared!;
    return {
      loss: framewise,
      options,
      dS: this.#lossGradOf(size),
      stats: sh.stats.subarray(0, framewise.statsPerFrame * B * T),
      coef: sh.coef.subarray(0, framewise.coefPerSignal * B),
      terms: sh.terms.subarray(0, B),
    };
  }

  #lossGradOf(size: number): Float64Array {
    if (this.#lossGrad === null || this.#lossGrad.length < size) this.#lossGrad = sharedF64(size);
    return this.#lossGrad.length === size ? this.#lossGrad : this.#lossGrad.subarray(0, size);
  }

  /** Whether the workers can build this loss: by id from their registries (which hold the same plugin modules). */
  #workersKnow(plugin: LossPlugin): boolean {
    const registry = this.dstft.registry;
    return registry.has('loss', plugin.id) && registry.get('loss', plugin.id) === plugin;
  }

  #postLoss(id: string, options: Readonly<Record<string, unknown>>): void {
    const key = JSON.stringify([id, options]);
    if (key === this.#lossKey || this.#pool.size === 0) return;
    const msg: LossMessage = { kind: 'loss', id, options };
    this.#pool.post(msg);
    this.#lossKey = key;
  }

  /**
   * The signal where workers read it: itself when shared (or without workers), else the staging copy, copied again
   * only when it holds another signal (or `fresh`: a forward, whose caller may have changed x since).
   */
  #sharedSignal(x: Float64Array, fresh = false): Float64Array {
    if (this.#pool.size === 0 || isShared(x)) return x;
    if (!fresh && this.#stagedFrom === x) return this.#staging.get('x', x.length);
    this.#stagedFrom = x;
    return this.#stage('x', x);
  }

  #stage(name: string, a: Float64Array): Float64Array {
    const s = this.#staging.get(name, a.length);
    s.set(a);
    return s;
  }

  /** `a` in shared memory (itself, or a staged copy) when there are workers to read it. */
  #shareOf(name: string, a: Float64Array): Float64Array {
    return this.#pool.size === 0 || isShared(a) ? a : this.#stage(name, a);
  }

  #bind(role: number, a: Float64Array): void {
    if (this.#pool.size > 0) this.#slots.bind(this.#pool.controls, role, a);
  }

  #flush(inUse: number): void {
    const msg = this.#slots.flush(inUse);
    if (msg !== null) this.#pool.post(msg);
  }

  /** Grows the small shared buffers to hold a call of B signals, T frames (and the loss's statistics); re-sends them. */
  #ensure(B: number, T: number, paramsLength: number, loss: FramewiseLoss | null): void {
    const plan = this.dstft.plan;
    const need = {
      params: Math.max(paramsLength, 5 + plan.freqs * Math.max(T, plan.frames) + 2 * Math.max(T, plan.frames)),
      BL: B * plan.signalLength,
      FT: plan.freqs * Math.max(T, plan.frames),
      BT: B * Math.max(T, plan.frames),
      B,
      stats: loss ? loss.statsPerFrame * B * Math.max(T, plan.frames) : 0,
      coef: loss ? loss.coefPerSignal * B : 0,
      tangent: loss?.tangentPerFrame ? loss.tangentPerFrame * B * Math.max(T, plan.frames) : 0,
    };
    const cap = this.#cap;
    const fits = this.#shared !== null && (Object.keys(need) as (keyof typeof need)[]).every((k) => need[k] <= cap[k]);
    if (fits) return;
    for (const k of Object.keys(need) as (keyof typeof need)[]) cap[k] = Math.max(cap[k], need[k]);
    this.#shared = {
      params: sharedF64(cap.params),
      contrib: sharedF64(cap.FT),
      gPos: sharedF64(Math.max(T, plan.frames)),
      stats: sharedF64(cap.stats),
      coef: sharedF64(cap.coef),
      terms: sharedF64(cap.B),
      slotContrib: sharedF64(plan.path === 'fft' ? cap.BT : cap.B * cap.FT),
      slotPos: sharedF64(cap.BT),
      tangent: sharedF64(cap.tangent),
    };
    const sh = this.#shared;
    this.#workerGx = [];
    for (let w = 0; w < this.#pool.size; w++) {
      const gx = sharedF64(cap.BL);
      this.#workerGx.push(gx);
      const buffers = Object.fromEntries([...Object.entries(sh), ['gx', gx]].map(([k, v]) => [k, (v as Float64Array).buffer as SharedArrayBuffer]));
      const msg: SetupMessage = { kind: 'setup', buffers: buffers as SetupMessage['buffers'] };
      this.#pool.postTo(w, msg);
      this.#pool.dispatch(w, { cmd: CMD_SETUP, n0: 0, n1: 0, batch: 0, frames: 0, flags: 0 });
    }
    this.#pool.joinAll();
  }
}

function readSplit(split: unknown): 'auto' | 'signals' | 'frames' {
  const s = split ?? 'auto';
  if (s !== 'auto' && s !== 'signals' && s !== 'frames') {
    throw new ParameterError('split', s, "the step splits the batch by 'signals' or by 'frames' (or 'auto')", "pass { split: 'auto' } (the default), 'signals' or 'frames'");
  }
  return s;
}
