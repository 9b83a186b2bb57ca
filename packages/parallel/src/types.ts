/** The public types of @dstft/parallel. */
import type { BackwardOptions, StftGradients, Upstream } from '@dstft/backprop';
import type { AbortSignalLike, LossPlugin } from '@dstft/core';
import type { Dstft } from '@dstft/dstft';
import type { StftParams, StftResult } from '@dstft/kernel';

export interface ParallelOptions {
  /** Threads in all, the calling thread included. Default min(2, available cores). 1 runs everything here. */
  threads?: number;
  /**
   * Module specifiers of third-party plugin packages (their default export goes to each thread's registry), so that
   * workers can build the same transform. They are also registered on the calling thread. An FFT backend is chosen
   * by id in the transform's options (`fft: 'pffft'`); for `pffft` its plugin module (`@dstft/fft-pffft/plugin`,
   * installed next to this package) is added here by itself.
   */
  plugins?: string[];
  /**
   * Milliseconds a thread polls for the other threads (workers for their next job, the calling thread for their
   * results) before it blocks, default 1; 0 blocks at once. Blocked threads of a virtual machine can take a long
   * time to wake (the hypervisor deschedules them): in interleaved runs on the project machine the median 2-thread
   * entropy step of row A went from 7.2 ms (0) to 6.6 ms (1). A worker polls after each job, then blocks.
   */
  spinMs?: number;
  /**
   * How each call is split over the threads. `'adaptive'` (the default): the calling thread's share follows the
   * measured speed of the threads, so that a worker slowed by a loaded host gets fewer frames, and calls run on the
   * calling thread alone while the workers add less than a tenth (they are tried again every 32 calls). `'even'`:
   * equal shares always (what benchmarks of the split itself want). Results are the same either way, bit for bit.
   */
  balance?: 'adaptive' | 'even';
  /**
   * Cancellation for a loop of calls: every `forward`, `backward`, `lossStep`, `entropyStep` and `thetaStep` checks it before it dispatches
   * work (one call is one transform), and an aborted signal throws an `AbortError`. Also checked while the
   * workers start. The threads stay usable; `close()` them when done.
   */
  signal?: AbortSignalLike;
}

/**
 * Options of {@link ParallelDstft.entropyStep}: the parameters of this step, a result to fill in place, the reduction
 * over signals, whether to return ∂ℒ/∂x, and how the work is split over the threads.
 */
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

/**
 * Outcome of {@link ParallelDstft.entropyStep}: the entropy loss (nats), the entropy of each signal, the forward
 * result, the gradients and ∂ℒ/∂S.
 */
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

/**
 * Options of {@link ParallelDstft.lossStep}: the parameters of this step, a result to fill in place, the loss's
 * options, whether to return ∂ℒ/∂x, and how the work is split over the threads.
 */
export interface LossStepOptions {
  /** Parameters of this step (default: the transform's own, `.params`). */
  params?: StftParams;
  /** A previous step's result to fill in place (as `forward`'s `out`). */
  out?: StftResult;
  /** Also return ∂ℒ/∂x (as `backward`'s `signal` option). */
  signal?: boolean;
  /** Options of the loss, merged over its defaults (e.g. `{ reduction: 'sum' }`). */
  lossOptions?: Readonly<Record<string, unknown>>;
  /** How the threads share a fused step (a loss with a `framewise` member): as `EntropyStepOptions.split`. */
  split?: 'auto' | 'signals' | 'frames';
}

/** Options of {@link ParallelDstft.thetaStep}: the parameters of this step, a result to fill in place, the loss's options. */
export interface ThetaStepOptions {
  /** Parameters of this step (default: the transform's own, `.params`). */
  params?: StftParams;
  /** A previous step's result to fill in place (as `forward`'s `out`). */
  out?: StftResult;
  /** Options of the loss, merged over its defaults (e.g. `{ reduction: 'sum' }`). */
  lossOptions?: Readonly<Record<string, unknown>>;
}

/** Outcome of {@link ParallelDstft.thetaStep}: the loss, the forward result, ∂ℒ/∂θ. */
export interface ThetaStep {
  /** ℒ, as the loss plugin's framewise form gives it (the same value as `lossStep`'s to rounding). */
  value: number;
  /** The forward result (no backward cache: a one-pass step needs none). */
  result: StftResult;
  /** ∂ℒ/∂θ, θ's layout. */
  gradTheta: Float64Array;
}

/** Outcome of {@link ParallelDstft.lossStep}: the loss value, the forward result, the gradients and ∂ℒ/∂S. */
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

/**
 * A DSTFT whose forward and backward run split over worker threads (Node), with the same results as the
 * single-threaded `Dstft` of `@dstft/dstft`; made by `createParallelDstft`, closed with `close()`.
 */
export interface ParallelDstft {
  readonly threads: number;
  /**
   * The calling thread's current share of forward calls, backward calls and steps split by signals (1/threads when
   * even), and whether calls run on it alone for now (`ParallelOptions.balance`).
   */
  readonly split: { readonly forward: number; readonly backward: number; readonly signals: number; readonly solo: boolean };
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
   * The loss and ∂ℒ/∂θ in one pass over the frames (forward mode, `lossWithThetaGradient` of @dstft/backprop): each
   * thread runs the forward of its frames with the loss's θ tangent (one more FFT per frame, no backward), and the
   * threads meet once, at the end. For what an optimization of θ alone needs: θ constant or per frame (FFT path),
   * positions not learned, a loss with a forward-mode form (`shannon` has one; default). No ∂ℒ/∂t_n, ∂ℒ/∂x or ∂ℒ/∂S:
   * use `lossStep` for those. A clear error names what is missing otherwise. Results do not depend on the number of
   * threads or the split (per-frame sums, reduced in frame order).
   */
  thetaStep(x: Float64Array | readonly number[], loss?: string | LossPlugin, options?: ThetaStepOptions): ThetaStep;
  /**
   * One training step of any loss plugin: a built-in of @dstft/losses by id (`'renyi'`, `'kurtosis'` …, from the
   * transform's registry, which also holds the `plugins` given to `createParallelDstft`) or a loss plugin object
   * (a third-party one included). The forward and the backward run on every thread. A loss of the registry with a
   * `framewise` member (the `shannon` loss; a third-party one loaded through `plugins`) runs fused, its statistics
   * and ∂ℒ/∂S on every thread next to the transform (as `entropyStep`); any other loss runs on this thread, and the
   * step equals `forward` + `loss.evaluate` + `backward({ spec })`.
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

