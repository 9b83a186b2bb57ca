/**
 * @dstft/parallel: the transform and its backward pass on several cores (Node worker threads). Frames are split
 * into contiguous ranges, one per thread (the calling thread takes the first); per-frame θ contributions are
 * reduced in frame order, so X, S, ∂ℒ/∂θ and ∂ℒ/∂t_n are bitwise the same as on one thread. ∂ℒ/∂x sums the
 * threads' overlapping frames in a different order (equal to rounding, ~1e-16 relative).
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { backwardFrames, contributionLength, createBackwardScratch, finishBackward, forgetForwardState, prepareBackward, recordForwardState, type BackwardOptions, type StftGradients, type Upstream } from '@dstft/backprop';
import { ParameterError, StateError, assertSignalBatch, checkAbortSignal, checkKnownKeys, throwIfAborted, type AbortSignalLike, type LossPlugin } from '@dstft/core';
import { createDstft, type Dstft, type DstftOptions } from '@dstft/dstft';
import { resolveFrameTable, stftForwardFrames, type StftParams, type StftResult } from '@dstft/kernel';
import {
  ARRAYS,
  BATCH,
  CMD_BACKWARD,
  CMD_ENTROPY_STEP,
  CMD_EXIT,
  CMD_FORWARD,
  CMD_SETUP,
  COMMAND,
  CONTROL_INTS,
  DONE,
  FAILED,
  FLAG_ENTROPY_GRAD,
  FLAG_ENTROPY_STATS,
  FLAG_REDUCE_SUM,
  FLAG_SIGNAL,
  FLAG_SPEC,
  FLAGS,
  FRAMES,
  N0,
  N1,
  READY,
  ROLE_DS,
  ROLE_G,
  ROLE_SPEC,
  ROLE_X,
  ROLE_X_SIGNAL,
  SEQ,
  loadFftBackendModule,
  registryWithPlugins,
  type SetupMessage,
  type SharedBuffers,
  type SlotsMessage,
  type WorkerInit,
} from './protocol.js';
import { coefLength, entropyGradFrames, entropyReduce, entropyStatsFrames, reductionScale, statsLength } from './fused-entropy.js';
import { entropyStepSignals, sumSlots } from './fused-step.js';

export interface ParallelOptions {
  /** Threads in all, the calling thread included. Default min(2, available cores). 1 runs everything here. */
  threads?: number;
  /**
   * Module specifiers of third-party plugin packages (their default export goes to each thread's registry), so that
   * workers can build the same transform. They are also registered on the calling thread.
   */
  plugins?: string[];
  /**
   * FFT backend for every thread, as a module every thread loads: `'pffft'` (the float32 WebAssembly backend of
   * `@dstft/fft-pffft`, installed next to this package) or a module specifier / file URL whose default export is
   * an async loader returning an `FftBackend`. Default: the exact float64 FFT. Workers load it before they report
   * ready, so a failure shows when `createParallelDstft` is awaited.
   */
  fft?: string;
  /**
   * Milliseconds a thread polls for the other threads (workers for their next job, the calling thread for their
   * results) before it blocks, default 1; 0 blocks at once. Blocked threads of a virtual machine can take a long
   * time to wake (the hypervisor deschedules them): in interleaved runs on the project machine the median 2-thread
   * entropy step of row A went from 7.2 ms (0) to 6.6 ms (1). A worker polls after each job, then blocks.
   */
  spinMs?: number;
  /**
   * Cancellation for a loop of calls: every `forward`, `backward` and `entropyStep` checks it before it dispatches
   * work (one call is one transform), and an aborted signal throws an `AbortError`. Also checked while the
   * workers start. The threads stay usable; `close()` them when done.
   */
  signal?: AbortSignalLike;
}

export interface EntropyStepOptions {
  /** Parameters of this step (default: the transform's own, `.params`). */
  params?: StftParams;
  /** A previous step's result to fill in place (as `forward`'s `out`). */
  out?: StftResult;
  /** How the per-signal entropies are combined over the batch: 'mean' (default) or 'sum', as the `shannon` loss. */
  reduction?: 'mean' | 'sum';
  /** Also return ∂ℒ/∂x (as `backward`'s `signal` option). */
  signal?: boolean;
  /**
   * How the threads share the step. `'signals'`: each thread takes whole signals of the batch and runs forward,
   * entropy and backward on them alone (one dispatch and one join per step; each signal's arrays stay in cache
   * between its forward and backward). `'frames'`: each thread takes a range of frames of every signal; the
   * threads meet once between forward and backward (the entropy normalizes by ΣS over all frames). `'auto'` (the
   * default): by signals when the batch divides evenly among the threads (and on one thread), by frames otherwise;
   * always by frames on the DFT path (frequency-dependent θ), where the two routes round ∂ℒ/∂t_n differently.
   * Both give the same value, ∂ℒ/∂S and ∂ℒ/∂θ bit for bit on the FFT path.
   */
  split?: 'auto' | 'signals' | 'frames';
}

export interface EntropyStep {
  /** ℒ: the mean (or sum) over signals of the Shannon entropy of p = S / ΣS. */
  value: number;
  /** H_b of each signal. */
  perSignal: Float64Array;
  /** The forward result (in shared memory; pass it back as `out` next step). */
  result: StftResult;
  /** ∂ℒ/∂θ, ∂ℒ/∂t_n … as `backward` returns them. */
  grads: StftGradients;
  /** ∂ℒ/∂S, `[B, F, T]`: a buffer of this transform, overwritten by the next step. */
  specGrad: Float64Array;
}

export interface LossStepOptions {
  /** Parameters of this step (default: the transform's own, `.params`). */
  params?: StftParams;
  /** A previous step's result to fill in place (as `forward`'s `out`). */
  out?: StftResult;
  /** Also return ∂ℒ/∂x (as `backward`'s `signal` option). */
  signal?: boolean;
  /** Options of the loss, merged over its defaults (e.g. `{ reduction: 'sum' }`). */
  lossOptions?: Readonly<Record<string, unknown>>;
}

export interface LossStep {
  /** ℒ, as the loss plugin returns it. */
  value: number;
  /** The forward result (in shared memory; pass it back as `out` next step). */
  result: StftResult;
  /** ∂ℒ/∂θ, ∂ℒ/∂t_n … as `backward` returns them. */
  grads: StftGradients;
  /** ∂ℒ/∂S, `[B, F, T]`: a buffer of this transform, overwritten by the next step. */
  specGrad: Float64Array;
}

export interface ParallelDstft {
  readonly threads: number;
  readonly dstft: Dstft;
  readonly params: Dstft['params'];
  readonly frames: number;
  readonly freqs: number;
  /** Same contract as `Dstft.forward` (synchronous); frames are computed on every thread. */
  forward(x: Float64Array | readonly number[], params?: StftParams, out?: StftResult): StftResult;
  /**
   * Same contract as `Dstft.backward` (synchronous). An upstream gradient in shared memory (`sharedArray`) is read
   * by every thread where it is; any other array is first copied into shared memory.
   */
  backward(result: StftResult, upstream: Upstream, options?: BackwardOptions): StftGradients;
  /**
   * One training step of the Shannon entropy loss (the `shannon` loss of @dstft/losses, paper Eq. 26): forward,
   * entropy and its gradient ∂ℒ/∂S, backward. The entropy is computed by every thread on its own frames right after
   * the forward, and ∂ℒ/∂S right before the backward, so the loss runs on all threads instead of in a serial pass on
   * this one. Results do not depend on the number of threads (per-frame sums, reduced in frame order); they equal
   * `shannon` + `backward` to rounding (the sums run in another order).
   */
  entropyStep(x: Float64Array | readonly number[], options?: EntropyStepOptions): EntropyStep;
  /**
   * One training step of any loss plugin: a built-in of @dstft/losses by id (`'renyi'`, `'kurtosis'` …, from the
   * transform's registry, which also holds the `plugins` given to `createParallelDstft`) or a loss plugin object
   * (a third-party one included). The forward and the backward run on every thread; the loss itself (its value and
   * ∂ℒ/∂S) on this one. Equals `forward` + `loss.evaluate` + `backward({ spec })`.
   */
  lossStep(x: Float64Array | readonly number[], loss: string | LossPlugin, options?: LossStepOptions): LossStep;
  /**
   * A zeroed Float64Array on a SharedArrayBuffer, e.g. for ∂ℒ/∂S or a signal batch: the threads read it in place
   * instead of a copy. (Results of `forward` already live in shared memory.)
   */
  sharedArray(length: number): Float64Array;
  /** Stops the worker threads. */
  close(): Promise<void>;
}

interface WorkerHandle {
  worker: Worker;
  ctrl: Int32Array;
  port: MessagePort;
  seq: number;
  gx: Float64Array;
  gxBuffer: SharedArrayBuffer;
}

function sharedF64(length: number): { sab: SharedArrayBuffer; view: Float64Array } {
  const sab = new SharedArrayBuffer(Math.max(1, length) * 8);
  return { sab, view: new Float64Array(sab) };
}

/** Whether the array's memory is shared (so worker threads can use it in place). */
function isShared(a: Float64Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** Large shared buffers the workers hold at most (least recently used ones are dropped beyond it). */
const MAX_SLOTS = 8;

/** Splits [0, T) into at most `parts` contiguous ranges of near-equal size. */
export function frameRanges(T: number, parts: number): [number, number][] {
  const k = Math.max(1, Math.min(parts, T));
  const out: [number, number][] = [];
  for (let p = 0; p < k; p++) out.push([Math.floor((p * T) / k), Math.floor(((p + 1) * T) / k)]);
  return out;
}

export async function createParallelDstft(options: DstftOptions, parallel: ParallelOptions = {}): Promise<ParallelDstft> {
  const threads = parallel.threads ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ParameterError('threads', threads, 'must be an integer ≥ 1', 'pass the number of threads to use, e.g. 2');
  }
  const plugins = parallel.plugins ?? [];
  const spinMs = parallel.spinMs ?? 1;
  if (typeof spinMs !== 'number' || !(spinMs >= 0) || spinMs === Number.POSITIVE_INFINITY) {
    throw new ParameterError('spinMs', spinMs, 'must be a finite number of milliseconds ≥ 0', 'pass e.g. 1 (the default), or 0 to block at once');
  }
  const fftSpec = parallel.fft ?? null;
  if (fftSpec !== null && (typeof fftSpec !== 'string' || fftSpec === '')) {
    throw new ParameterError('fft', fftSpec, 'expected a module name', "pass 'pffft' (needs @dstft/fft-pffft) or a module specifier whose default export loads an FftBackend; omit it for the exact float64 FFT");
  }
  const abortSignal = checkAbortSignal(parallel.signal, 'signal');
  throwIfAborted(abortSignal, 'createParallelDstft');
  const registry = await registryWithPlugins(plugins);
  const fft = fftSpec !== null ? await loadFftBackendModule(fftSpec) : undefined;
  const dstft = createDstft(options, fft ? { registry, fft } : { registry });
  const plan = dstft.plan;
  const scratch = createBackwardScratch(plan); // this thread's backward scratch
  const workers: WorkerHandle[] = [];
  const workerUrl = new URL('./worker.js', import.meta.url);
  for (let w = 1; w < threads; w++) {
    const control = new SharedArrayBuffer(CONTROL_INTS * 4);
    const { port1, port2 } = new MessageChannel();
    const init: WorkerInit & { port: MessagePort } = { options: options as unknown as Record<string, unknown>, plugins, fft: fftSpec, spinMs, control, port: port2 };
    const worker = new Worker(workerUrl, { workerData: init, transferList: [port2] });
    const gx = sharedF64(1);
    workers.push({ worker, ctrl: new Int32Array(control), port: port1, seq: 0, gx: gx.view, gxBuffer: gx.sab });
  }

  // small shared buffers (θ, positions, per-frame gradients, ∂ℒ/∂x per worker), grown on demand and re-sent
  const cap = { BL: 0, FT: 0, BT: 0, B: 0 };
  let shared: { [K in Exclude<keyof SharedBuffers, 'gx'>]: { sab: SharedArrayBuffer; view: Float64Array } } | null = null;

  // large arrays travel as shared buffers in slots (protocol.ts): ids the workers hold, least recently used first
  const slotIds = new WeakMap<SharedArrayBuffer, number>();
  const liveSlots: number[] = [];
  let nextSlot = 1;
  let pendingSlots: SlotsMessage | null = null;
  const slotOf = (sab: SharedArrayBuffer): number => {
    const known = slotIds.get(sab);
    if (known !== undefined) {
      const at = liveSlots.indexOf(known);
      if (at >= 0) {
        if (at !== liveSlots.length - 1) {
          liveSlots.splice(at, 1);
          liveSlots.push(known);
        }
        return known;
      }
    }
    const id = nextSlot++;
    slotIds.set(sab, id);
    liveSlots.push(id);
    pendingSlots ??= { kind: 'slots', add: [], drop: [] };
    pendingSlots.add.push([id, sab]);
    return id;
  };
  /** Puts array `a` (shared) in role `role` of the next job of every worker. */
  const bind = (role: number, a: Float64Array): void => {
    const id = slotOf(a.buffer as SharedArrayBuffer);
    for (const h of workers) {
      h.ctrl[ARRAYS + 2 * role] = id;
      h.ctrl[ARRAYS + 2 * role + 1] = a.byteOffset / 8;
    }
  };
  /** Sends slot changes (after every bind of a job, before its dispatch), dropping the least recently used beyond MAX_SLOTS. */
  const flushSlots = (inUse: number): void => {
    if (pendingSlots === null) return;
    while (liveSlots.length > Math.max(MAX_SLOTS, inUse)) pendingSlots.drop.push(liveSlots.shift()!);
    for (const h of workers) h.port.postMessage(pendingSlots);
    pendingSlots = null;
  };
  // staging copies of arrays that are not shared: the signal, X and S (an `out` not made here), G, ∂ℒ/∂S
  const staging: { x: Float64Array | null; X: Float64Array | null; spec: Float64Array | null; G: Float64Array | null; dS: Float64Array | null } = {
    x: null,
    X: null,
    spec: null,
    G: null,
    dS: null,
  };
  const stage = (key: keyof typeof staging, length: number): Float64Array => {
    let a = staging[key];
    if (a === null || a.length < length) {
      a = sharedF64(length).view;
      staging[key] = a;
    }
    return a.length === length ? a : a.subarray(0, length);
  };
  /** The signal the last forward staged (a non-shared x), so that its backward does not copy it again. */
  let stagedX: Float64Array | null = null;

  const dispatch = (h: WorkerHandle, cmd: number, n0: number, n1: number, B: number, T: number, flags: number): void => {
    h.ctrl[COMMAND] = cmd;
    h.ctrl[N0] = n0;
    h.ctrl[N1] = n1;
    h.ctrl[BATCH] = B;
    h.ctrl[FRAMES] = T;
    h.ctrl[FLAGS] = flags;
    h.seq++;
    Atomics.store(h.ctrl, SEQ, h.seq);
    Atomics.notify(h.ctrl, SEQ);
  };
  const join = (h: WorkerHandle): void => {
    if (spinMs > 0) {
      const t0 = performance.now();
      while (Atomics.load(h.ctrl, DONE) !== h.seq && performance.now() - t0 < spinMs);
    }
    for (;;) {
      const done = Atomics.load(h.ctrl, DONE);
      if (done === h.seq) break;
      Atomics.wait(h.ctrl, DONE, done, 60_000);
    }
    if (Atomics.load(h.ctrl, FAILED) !== 0) {
      let message = 'unknown error';
      for (let m = receiveMessageOnPort(h.port); m; m = receiveMessageOnPort(h.port)) {
        const msg = m.message as { kind?: string; message?: string };
        if (msg.kind === 'error' && msg.message) message = msg.message;
      }
      throw new StateError(`a worker thread failed: ${message}`);
    }
  };

  const ensure = (B: number, T: number): void => {
    const BL = B * plan.signalLength;
    const FT = plan.freqs * T;
    if (shared && BL <= cap.BL && FT <= cap.FT && B * T <= cap.BT && B <= cap.B) return;
    cap.BL = Math.max(BL, cap.BL);
    cap.FT = Math.max(FT, cap.FT);
    cap.BT = Math.max(B * T, cap.BT);
    cap.B = Math.max(B, cap.B);
    const Tmax = Math.max(T, plan.frames);
    shared = {
      theta: sharedF64(Math.max(cap.FT, Tmax, plan.freqs)),
      positions: sharedF64(Tmax),
      contrib: sharedF64(cap.FT),
      gPos: sharedF64(Tmax),
      stats: sharedF64(statsLength(1, cap.BT)),
      coef: sharedF64(coefLength(cap.B)),
      slotContrib: sharedF64(plan.path === 'fft' ? cap.BT : cap.B * cap.FT),
      slotPos: sharedF64(cap.BT),
    };
    for (const h of workers) {
      const gx = sharedF64(cap.BL);
      h.gx = gx.view;
      h.gxBuffer = gx.sab;
      const msg: SetupMessage = {
        kind: 'setup',
        buffers: {
          theta: shared.theta.sab,
          positions: shared.positions.sab,
          contrib: shared.contrib.sab,
          gPos: shared.gPos.sab,
          gx: gx.sab,
          stats: shared.stats.sab,
          coef: shared.coef.sab,
          slotContrib: shared.slotContrib.sab,
          slotPos: shared.slotPos.sab,
        },
      };
      h.port.postMessage(msg);
      dispatch(h, CMD_SETUP, 0, 0, 0, 0, 0);
    }
    for (const h of workers) join(h);
  };

  // wait until every worker has built its transform (or failed)
  const started = await Promise.all(
    workers.map(async (h) => {
      for (;;) {
        const state = Atomics.load(h.ctrl, READY);
        if (state !== 0) return state === 1 ? null : ((receiveMessageOnPort(h.port)?.message as { message?: string } | undefined)?.message ?? 'unknown error');
        const r = Atomics.waitAsync(h.ctrl, READY, 0, 30_000);
        if (r.async) await r.value;
      }
    }),
  );
  const failure = started.find((m) => m !== null);
  if (abortSignal?.aborted) {
    await Promise.all(workers.map((h) => h.worker.terminate()));
    throwIfAborted(abortSignal, 'createParallelDstft');
  }
  if (failure !== undefined) {
    await Promise.all(workers.map((h) => h.worker.terminate()));
    throw new StateError(`a worker thread could not build the transform: ${failure}`);
  }
  // started: idle workers must not keep the process alive (close() still ends them explicitly)
  for (const h of workers) {
    h.worker.unref();
    h.port.unref();
  }

  const asSignal = (x: Float64Array | readonly number[]): Float64Array => (x instanceof Float64Array ? x : Float64Array.from(x));

  /** ∂ℒ/∂S of entropy steps (log S after their forward): shared, grown on demand, reused. */
  let lossGrad: Float64Array | null = null;
  const lossGradOf = (size: number): Float64Array => {
    if (lossGrad === null || lossGrad.length < size) lossGrad = sharedF64(size).view;
    return lossGrad.length === size ? lossGrad : lossGrad.subarray(0, size);
  };

  /**
   * What every forward route does first: checks the signal and parameters, puts θ and t_n in shared memory, the
   * signal too (in place when shared, else one copy), and picks where X and S are written: in place when the result
   * (a reused `out`, or one made here) lives in shared memory, else in staging copies (`finishForward` copies back).
   */
  const startForward = (input: Float64Array | readonly number[], params: StftParams, out: StftResult | undefined) => {
    const x = asSignal(input);
    const L = plan.signalLength;
    assertSignalBatch('x', x, L);
    const B = x.length / L;
    const table = resolveFrameTable(plan, params);
    const T = table.frames;
    ensure(B, T);
    const sh = shared!;
    const F = plan.freqs;
    const size = B * F * T;
    const theta = params.theta;
    sh.theta.view.set(theta);
    sh.positions.view.set(table.positions);
    let xs = x;
    if (!isShared(x) && workers.length > 0) {
      xs = stage('x', B * L);
      xs.set(x);
      stagedX = x;
    }
    const reuse = out && out.batch === B && out.frames === T && out.freqs === F && out.theta.length === theta.length;
    const result: StftResult = reuse
      ? out
      : {
          batch: B,
          freqs: F,
          frames: T,
          nFft: plan.nFft,
          X: sharedF64(2 * size).view,
          spec: sharedF64(size).view,
          positions: new Float64Array(T),
          times: new Float64Array(T),
          frequencies: plan.frequencies.slice(),
          theta: new Float64Array(theta.length),
        };
    // a reused result loses its previous forward's state now: if this fill fails half-way, backward on it is refused
    if (reuse) forgetForwardState(out);
    const inPlace = isShared(result.X) && isShared(result.spec);
    const X = inPlace ? result.X : stage('X', 2 * size);
    const S = inPlace ? result.spec : stage('spec', size);
    const pos = sh.positions.view.subarray(0, T);
    return { x, xs, B, T, F, size, theta: sh.theta.view.subarray(0, theta.length), pos, result, X, S, inPlace };
  };
  type ForwardJob = ReturnType<typeof startForward>;
  /** The result's small arrays (before `recordForwardState`, which copies them). */
  const describeResult = (job: ForwardJob): void => {
    const { result, pos, T } = job;
    result.positions.set(pos);
    for (let n = 0; n < T; n++) result.times[n] = pos[n]! / plan.sampleRate;
    result.theta.set(job.theta);
  };
  /** X and S from staging into a result that is not in shared memory. */
  const finishForward = (job: ForwardJob): void => {
    if (!job.inPlace) {
      job.result.X.set(job.X);
      job.result.spec.set(job.S);
    }
  };

  /** The forward; with `entropy`, also log S into `lossGradOf(size)` and the per-frame statistics (every thread). */
  const runForward = (input: Float64Array | readonly number[], params: StftParams, out: StftResult | undefined, entropy: boolean): StftResult => {
    if (workers.length === 0 && !entropy) return dstft.forward(input, params, out);
    if (workers.length === 0) {
      const r = dstft.forward(input, params, out);
      ensure(r.batch, r.frames);
      entropyStatsFrames(r.spec, lossGradOf(r.spec.length), r.batch, r.freqs, r.frames, 0, r.frames, shared!.stats.view);
      return r;
    }
    const job = startForward(input, params, out);
    const { xs, B, T, F, size, theta, pos, X, S } = job;
    bind(ROLE_X_SIGNAL, xs);
    bind(ROLE_X, X);
    bind(ROLE_SPEC, S);
    const logS = entropy ? lossGradOf(size) : null;
    if (logS) bind(ROLE_DS, logS);
    flushSlots(logS ? 4 : 3);
    const ranges = frameRanges(T, workers.length + 1);
    for (let r = 1; r < ranges.length; r++) dispatch(workers[r - 1]!, CMD_FORWARD, ranges[r]![0], ranges[r]![1], B, T, logS ? FLAG_ENTROPY_STATS : 0);
    stftForwardFrames(plan, xs, B, T, theta, pos, ranges[0]![0], ranges[0]![1], X, S);
    if (logS) entropyStatsFrames(S, logS, B, F, T, ranges[0]![0], ranges[0]![1], shared!.stats.view);
    for (let r = 1; r < ranges.length; r++) join(workers[r - 1]!);
    finishForward(job);
    describeResult(job);
    recordForwardState(plan, job.x, job.result);
    return job.result;
  };

  const forward = (input: Float64Array | readonly number[], params: StftParams = dstft.params, out?: StftResult): StftResult => {
    throwIfAborted(abortSignal, 'ParallelDstft.forward');
    return runForward(input, params, out, false);
  };

  /** The backward; with `entropy`, the upstream ∂ℒ/∂S is first formed from log S on every thread (its own frames). */
  const runBackward = (result: StftResult, upstream: Upstream, options: BackwardOptions, entropy: boolean): StftGradients => {
    if (workers.length === 0) {
      if (entropy) entropyGradFrames(upstream.spec!, result.batch, result.freqs, result.frames, 0, result.frames, shared!.coef.view);
      return dstft.backward(result, upstream, options);
    }
    const job = prepareBackward(result, upstream, plan, { signalUnchanged: entropy });
    const { x, batch: B, frames: T, theta, positions } = job.state;
    ensure(B, T);
    const sh = shared!;
    const L = plan.signalLength;
    const size = B * plan.freqs * T;
    sh.theta.view.set(theta);
    sh.positions.view.set(positions);
    // the signal of the forward (checked unchanged by prepareBackward): in place, staged already, or copied now
    let xs = x;
    if (!isShared(x)) {
      xs = stage('x', B * L);
      if (stagedX !== x) {
        xs.set(x);
        stagedX = x;
      }
    }
    bind(ROLE_X_SIGNAL, xs);
    const up = job.upstream;
    let flags = 0;
    let shUp: typeof up;
    if (up.G !== null) {
      const G = isShared(up.G) ? up.G : stage('G', 2 * size);
      if (G !== up.G) G.set(up.G);
      bind(ROLE_G, G);
      shUp = { G, X: null, dS: null, power: up.power };
    } else {
      flags |= FLAG_SPEC;
      const dS = isShared(up.dS!) ? up.dS! : stage('dS', size);
      if (dS !== up.dS) dS.set(up.dS!);
      const X = isShared(up.X!) ? up.X! : stage('X', 2 * size);
      if (X !== up.X) X.set(up.X!);
      bind(ROLE_DS, dS);
      bind(ROLE_X, X);
      shUp = { G: null, X, dS, power: up.power };
    }
    flushSlots(3);
    const signal = options.signal === true;
    if (signal) flags |= FLAG_SIGNAL;
    if (entropy) flags |= FLAG_ENTROPY_GRAD;
    const ranges = frameRanges(T, workers.length + 1);
    for (let r = 1; r < ranges.length; r++) dispatch(workers[r - 1]!, CMD_BACKWARD, ranges[r]![0], ranges[r]![1], B, T, flags);
    if (entropy) entropyGradFrames(shUp.dS!, B, plan.freqs, T, ranges[0]![0], ranges[0]![1], sh.coef.view);
    const gx = signal ? new Float64Array(B * L) : null;
    const contrib = sh.contrib.view.subarray(0, contributionLength(plan, T));
    const gPos = sh.gPos.view.subarray(0, T);
    backwardFrames(plan, xs, B, T, sh.theta.view.subarray(0, theta.length), sh.positions.view.subarray(0, T), shUp, ranges[0]![0], ranges[0]![1], contrib, gPos, gx, scratch);
    for (let r = 1; r < ranges.length; r++) {
      const h = workers[r - 1]!;
      join(h);
      if (gx) {
        const wgx = h.gx;
        for (let k = 0; k < gx.length; k++) gx[k] += wgx[k]!;
      }
    }
    return finishBackward(job.state, contrib.slice(), gPos.slice(), gx);
  };

  const backward = (result: StftResult, upstream: Upstream, options: BackwardOptions = {}): StftGradients => {
    throwIfAborted(abortSignal, 'ParallelDstft.backward');
    return runBackward(result, upstream, options, false);
  };

  /** The entropy step of a batch split by whole signals (fused-step.ts): one dispatch and one join. */
  const entropyStepBySignals = (input: Float64Array | readonly number[], params: StftParams, out: StftResult | undefined, reduction: 'mean' | 'sum', signal: boolean): EntropyStep => {
    const job = startForward(input, params, out);
    const { xs, B, T, size, theta, pos, X, S, result } = job;
    const L = plan.signalLength;
    const sh = shared!;
    // the state backward checks is recorded first: it also rejects a window without derivatives before any thread runs
    describeResult(job);
    recordForwardState(plan, job.x, result);
    const dS = lossGradOf(size);
    bind(ROLE_X_SIGNAL, xs);
    bind(ROLE_X, X);
    bind(ROLE_SPEC, S);
    bind(ROLE_DS, dS);
    flushSlots(4);
    const flags = (signal ? FLAG_SIGNAL : 0) | (reduction === 'sum' ? FLAG_REDUCE_SUM : 0);
    const ranges = frameRanges(B, workers.length + 1);
    const gx = signal ? new Float64Array(B * L) : null;
    const C = contributionLength(plan, T);
    try {
      for (let r = 1; r < ranges.length; r++) dispatch(workers[r - 1]!, CMD_ENTROPY_STEP, ranges[r]![0], ranges[r]![1], B, T, flags);
      entropyStepSignals(plan, B, T, theta, pos, reductionScale(reduction, B), ranges[0]![0], ranges[0]![1], {
        x: xs,
        X,
        spec: S,
        dS,
        stats: sh.stats.view,
        coef: sh.coef.view,
        slotContrib: sh.slotContrib.view,
        slotPos: sh.slotPos.view,
        gx,
        scratch,
      });
      for (let r = 1; r < ranges.length; r++) {
        const h = workers[r - 1]!;
        join(h);
        if (gx) gx.set(h.gx.subarray(ranges[r]![0] * L, ranges[r]![1] * L), ranges[r]![0] * L);
      }
    } catch (e) {
      forgetForwardState(result); // X and S are partly written: no backward on them
      throw e;
    }
    finishForward(job);
    // the value, and the check of every signal's ΣS (the threads computed their signals' coefficients unchecked)
    const perSignal = new Float64Array(B);
    const value = entropyReduce(sh.stats.view, B, T, reduction, perSignal, sh.coef.view);
    const contrib = new Float64Array(C);
    const gPos = new Float64Array(T);
    sumSlots(sh.slotContrib.view, B, contrib);
    sumSlots(sh.slotPos.view, B, gPos);
    const state = prepareBackward(result, { spec: dS }, plan, { signalUnchanged: true }).state;
    return { value, perSignal, result, grads: finishBackward(state, contrib, gPos, gx), specGrad: dS };
  };

  const LOSS_STEP_KEYS = ['params', 'out', 'signal', 'lossOptions'] as const;

  /** Any loss plugin: the transform on every thread, the loss on this one (forward, evaluate, backward). */
  const lossStep = (input: Float64Array | readonly number[], loss: string | LossPlugin, options: LossStepOptions = {}): LossStep => {
    throwIfAborted(abortSignal, 'ParallelDstft.lossStep');
    checkKnownKeys(options, LOSS_STEP_KEYS, { owner: 'lossStep()' });
    const plugin = typeof loss === 'string' ? dstft.registry.get('loss', loss) : loss;
    if (plugin === null || typeof plugin !== 'object' || plugin.kind !== 'loss' || typeof plugin.evaluate !== 'function') {
      throw new ParameterError('loss', loss, 'not a loss plugin', "pass a loss id of the registry (e.g. 'shannon') or a loss plugin object ({ kind: 'loss', evaluate })");
    }
    const result = runForward(input, options.params ?? dstft.params, options.out, false);
    const dS = lossGradOf(result.spec.length);
    const view = { data: result.spec, batch: result.batch, freqs: result.freqs, frames: result.frames };
    const value = plugin.evaluate(view, dS, { ...plugin.defaults, ...options.lossOptions });
    const grads = runBackward(result, { spec: dS }, { signal: options.signal === true }, false);
    return { value, result, grads, specGrad: dS };
  };

  const entropyStep = (input: Float64Array | readonly number[], options: EntropyStepOptions = {}): EntropyStep => {
    throwIfAborted(abortSignal, 'ParallelDstft.entropyStep');
    if (options === null || typeof options !== 'object') {
      throw new ParameterError('options', options, 'expected { params?, out?, reduction?, signal?, split? }', 'pass an options object or nothing');
    }
    const reduction = options.reduction ?? 'mean';
    if (reduction !== 'mean' && reduction !== 'sum') {
      throw new ParameterError('reduction', reduction, "the entropy reduces over the batch by 'mean' or 'sum'", "pass { reduction: 'mean' } (the default) or { reduction: 'sum' }");
    }
    const split = options.split ?? 'auto';
    if (split !== 'auto' && split !== 'signals' && split !== 'frames') {
      throw new ParameterError('split', split, "the step splits the batch by 'signals' or by 'frames' (or 'auto')", "pass { split: 'auto' } (the default), 'signals' or 'frames'");
    }
    const params = options.params ?? dstft.params;
    const signal = options.signal === true;
    const threads = workers.length + 1;
    const batch = ((input as ArrayLike<number> | null)?.length ?? Number.NaN) / plan.signalLength; // checked by the route taken
    const bySignals = split === 'signals' || (split === 'auto' && plan.path === 'fft' && (threads === 1 || batch % threads === 0));
    if (bySignals) return entropyStepBySignals(input, params, options.out, reduction, signal);
    const result = runForward(input, params, options.out, true);
    const B = result.batch;
    const sh = shared!;
    const perSignal = new Float64Array(B);
    const value = entropyReduce(sh.stats.view, B, result.frames, reduction, perSignal, sh.coef.view);
    const specGrad = lossGradOf(result.spec.length);
    const grads = runBackward(result, { spec: specGrad }, { signal }, true);
    return { value, perSignal, result, grads, specGrad };
  };

  const sharedArray = (length: number): Float64Array => {
    if (!Number.isInteger(length) || length < 0) {
      throw new ParameterError('length', length, 'must be an integer ≥ 0', 'pass the number of values, e.g. result.spec.length');
    }
    return new Float64Array(new SharedArrayBuffer(8 * length));
  };

  const close = async (): Promise<void> => {
    for (const h of workers) dispatch(h, CMD_EXIT, 0, 0, 0, 0, 0);
    await Promise.all(workers.map((h) => h.worker.terminate()));
    workers.length = 0;
  };

  return {
    threads: workers.length + 1,
    dstft,
    params: dstft.params,
    frames: dstft.frames,
    freqs: dstft.freqs,
    forward,
    backward,
    entropyStep,
    lossStep,
    sharedArray,
    close,
  };
}
