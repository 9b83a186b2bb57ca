/**
 * @dstft/parallel: the transform and its backward pass on several cores (Node worker threads). Frames are split
 * into contiguous ranges, one per thread (the calling thread takes the first); per-frame θ contributions are
 * reduced in frame order, so X, S, ∂ℒ/∂θ and ∂ℒ/∂t_n are bitwise the same as on one thread. ∂ℒ/∂x sums the
 * threads' overlapping frames in a different order (equal to rounding, ~1e-16 relative).
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { backwardFrames, contributionLength, finishBackward, prepareBackward, recordForwardState, type BackwardOptions, type StftGradients, type Upstream } from '@dstft/backprop';
import { ParameterError, StateError, assertSignalBatch } from '@dstft/core';
import { createDstft, type Dstft, type DstftOptions } from '@dstft/dstft';
import { resolveFrames, stftForwardFrames, type StftParams, type StftResult } from '@dstft/kernel';
import {
  BATCH,
  CMD_BACKWARD,
  CMD_EXIT,
  CMD_FORWARD,
  CMD_SETUP,
  COMMAND,
  CONTROL_INTS,
  DONE,
  FAILED,
  FLAG_SIGNAL,
  FLAG_SPEC,
  FLAGS,
  FRAMES,
  N0,
  N1,
  READY,
  SEQ,
  loadFftBackendModule,
  registryWithPlugins,
  type SetupMessage,
  type SharedBuffers,
  type WorkerInit,
} from './protocol.js';

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
}

export interface ParallelDstft {
  readonly threads: number;
  readonly dstft: Dstft;
  readonly params: Dstft['params'];
  readonly frames: number;
  readonly freqs: number;
  /** Same contract as `Dstft.forward` (synchronous); frames are computed on every thread. */
  forward(x: Float64Array | readonly number[], params?: StftParams, out?: StftResult): StftResult;
  /** Same contract as `Dstft.backward` (synchronous). */
  backward(result: StftResult, upstream: Upstream, options?: BackwardOptions): StftGradients;
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
  const fftSpec = parallel.fft ?? null;
  if (fftSpec !== null && (typeof fftSpec !== 'string' || fftSpec === '')) {
    throw new ParameterError('fft', fftSpec, 'expected a module name', "pass 'pffft' (needs @dstft/fft-pffft) or a module specifier whose default export loads an FftBackend; omit it for the exact float64 FFT");
  }
  const registry = await registryWithPlugins(plugins);
  const fft = fftSpec !== null ? await loadFftBackendModule(fftSpec) : undefined;
  const dstft = createDstft(options, fft ? { registry, fft } : { registry });
  const plan = dstft.plan;
  const workers: WorkerHandle[] = [];
  const workerUrl = new URL('./worker.js', import.meta.url);
  for (let w = 1; w < threads; w++) {
    const control = new SharedArrayBuffer(CONTROL_INTS * 4);
    const { port1, port2 } = new MessageChannel();
    const init: WorkerInit & { port: MessagePort } = { options: options as unknown as Record<string, unknown>, plugins, fft: fftSpec, control, port: port2 };
    const worker = new Worker(workerUrl, { workerData: init, transferList: [port2] });
    const gx = sharedF64(1);
    workers.push({ worker, ctrl: new Int32Array(control), port: port1, seq: 0, gx: gx.view, gxBuffer: gx.sab });
  }

  // shared buffers, grown on demand (then re-sent to every worker)
  const cap = { BL: 0, FT: 0 };
  let shared: { [K in keyof SharedBuffers]: { sab: SharedArrayBuffer; view: Float64Array } } | null = null;
  let sharedXOwner: unknown = null;
  /** The result whose X the shared X buffer holds (the last forward), so backward copies it only when needed. */
  let sharedXResult: StftResult | null = null;

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
    if (shared && BL <= cap.BL && FT <= cap.FT) return;
    cap.BL = Math.max(BL, cap.BL);
    cap.FT = Math.max(FT, cap.FT);
    const Tmax = Math.max(T, plan.frames);
    const batchMax = Math.ceil(cap.BL / plan.signalLength);
    shared = {
      x: sharedF64(cap.BL),
      theta: sharedF64(Math.max(cap.FT, Tmax, plan.freqs)),
      positions: sharedF64(Tmax),
      X: sharedF64(2 * batchMax * cap.FT),
      spec: sharedF64(batchMax * cap.FT),
      G: sharedF64(2 * batchMax * cap.FT),
      dS: sharedF64(batchMax * cap.FT),
      contrib: sharedF64(cap.FT),
      gPos: sharedF64(Tmax),
      gx: sharedF64(1),
    };
    sharedXOwner = null;
    sharedXResult = null;
    for (const h of workers) {
      const gx = sharedF64(cap.BL);
      h.gx = gx.view;
      h.gxBuffer = gx.sab;
      const msg: SetupMessage = {
        kind: 'setup',
        buffers: {
          x: shared.x.sab,
          theta: shared.theta.sab,
          positions: shared.positions.sab,
          X: shared.X.sab,
          spec: shared.spec.sab,
          G: shared.G.sab,
          dS: shared.dS.sab,
          contrib: shared.contrib.sab,
          gPos: shared.gPos.sab,
          gx: gx.sab,
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

  const forward = (input: Float64Array | readonly number[], params: StftParams = dstft.params, out?: StftResult): StftResult => {
    if (workers.length === 0) return dstft.forward(input, params, out);
    const x = asSignal(input);
    const L = plan.signalLength;
    assertSignalBatch('x', x, L);
    const B = x.length / L;
    const T = resolveFrames(plan, params);
    ensure(B, T);
    const sh = shared!;
    const F = plan.freqs;
    sh.x.view.set(x);
    sharedXOwner = x;
    const theta = params.theta;
    sh.theta.view.set(theta);
    sh.positions.view.set(plan.positionBuffer.subarray(0, T));
    const ranges = frameRanges(T, workers.length + 1);
    for (let r = 1; r < ranges.length; r++) dispatch(workers[r - 1]!, CMD_FORWARD, ranges[r]![0], ranges[r]![1], B, T, 0);
    const pos = sh.positions.view.subarray(0, T);
    stftForwardFrames(plan, sh.x.view.subarray(0, B * L), B, T, sh.theta.view.subarray(0, theta.length), pos, ranges[0]![0], ranges[0]![1], sh.X.view, sh.spec.view);
    for (let r = 1; r < ranges.length; r++) join(workers[r - 1]!);
    const size = B * F * T;
    const reuse = out && out.batch === B && out.frames === T && out.freqs === F && out.theta.length === theta.length;
    const result: StftResult = reuse
      ? out
      : {
          batch: B,
          freqs: F,
          frames: T,
          nFft: plan.nFft,
          X: new Float64Array(2 * size),
          spec: new Float64Array(size),
          positions: new Float64Array(T),
          times: new Float64Array(T),
          frequencies: plan.frequencies.slice(),
          theta: new Float64Array(theta.length),
        };
    result.X.set(sh.X.view.subarray(0, 2 * size));
    result.spec.set(sh.spec.view.subarray(0, size));
    result.positions.set(pos);
    for (let n = 0; n < T; n++) result.times[n] = pos[n]! / plan.sampleRate;
    result.theta.set(theta);
    sharedXResult = result;
    recordForwardState(plan, x, result);
    return result;
  };

  const backward = (result: StftResult, upstream: Upstream, options: BackwardOptions = {}): StftGradients => {
    if (workers.length === 0) return dstft.backward(result, upstream, options);
    const job = prepareBackward(result, upstream, plan);
    const { x, batch: B, frames: T, theta, positions } = job.state;
    ensure(B, T);
    const sh = shared!;
    const L = plan.signalLength;
    if (sharedXOwner !== x) {
      sh.x.view.set(x);
      sharedXOwner = x;
    }
    sh.theta.view.set(theta);
    sh.positions.view.set(positions);
    const up = job.upstream;
    let flags = 0;
    if (up.G !== null) sh.G.view.set(up.G);
    else {
      flags |= FLAG_SPEC;
      sh.dS.view.set(up.dS!);
      if (sharedXResult !== result) {
        sh.X.view.set(up.X!);
        sharedXResult = result;
      }
    }
    const shUp = up.G !== null ? { G: sh.G.view, X: null, dS: null, power: up.power } : { G: null, X: sh.X.view, dS: sh.dS.view, power: up.power };
    const signal = options.signal === true;
    if (signal) flags |= FLAG_SIGNAL;
    const ranges = frameRanges(T, workers.length + 1);
    for (let r = 1; r < ranges.length; r++) dispatch(workers[r - 1]!, CMD_BACKWARD, ranges[r]![0], ranges[r]![1], B, T, flags);
    const gx = signal ? new Float64Array(B * L) : null;
    const contrib = sh.contrib.view.subarray(0, contributionLength(plan, T));
    const gPos = sh.gPos.view.subarray(0, T);
    backwardFrames(plan, sh.x.view.subarray(0, B * L), B, T, sh.theta.view.subarray(0, theta.length), sh.positions.view.subarray(0, T), shUp, ranges[0]![0], ranges[0]![1], contrib, gPos, gx);
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
    close,
  };
}
