/**
 * @dstft/parallel: the transform, its backward pass and loss steps on several cores (Node worker threads). Frames
 * (or whole signals) are split into contiguous ranges, one per thread (the calling thread takes the first); every
 * thread runs its share through the public frame-range API (`stftForward(…, { frames })`, `stftBackwardInto`), and
 * per-frame θ contributions are reduced in frame order, so X, S, ∂ℒ/∂θ and ∂ℒ/∂t_n are bitwise the same as on one
 * thread. ∂ℒ/∂x sums the threads' overlapping frames in a different order (equal to rounding, ~1e-16 relative).
 *
 * Parts: pool.ts (the worker threads and their control blocks), shared.ts (shared memory, slots, the parameter
 * block), thread-work.ts (one thread's share of a call), driver.ts (the calling thread: split, run, join, reduce),
 * worker.ts (a worker's loop), protocol.ts (the control block layout and messages).
 */
import { availableParallelism } from 'node:os';
import { ParameterError, checkAbortSignal, checkKnownKeys, throwIfAborted } from '@dstft/core';
import { createDstft, type DstftOptions } from '@dstft/dstft';
import { ParallelDriver } from './driver.js';
import { WorkerPool } from './pool.js';
import { pluginModules, registryWithPlugins } from './protocol.js';
import type { ParallelDstft, ParallelOptions } from './types.js';

export { frameRanges } from './balance.js';
export type { EntropyStep, EntropyStepOptions, LossStep, LossStepOptions, ParallelDstft, ParallelOptions, ThetaStep, ThetaStepOptions } from './types.js';

const PARALLEL_KEYS = ['threads', 'plugins', 'spinMs', 'balance', 'signal'] as const;

/**
 * Builds the transform of `options` on `threads` threads (the calling one included): every worker loads the same
 * plugin modules and builds the same transform before this resolves, so a failure shows here.
 */
export async function createParallelDstft(options: DstftOptions, parallel: ParallelOptions = {}): Promise<ParallelDstft> {
  if (parallel === null || typeof parallel !== 'object') {
    throw new ParameterError('parallel', parallel, 'expected { threads?, plugins?, spinMs?, balance?, signal? }', 'pass an options object or nothing');
  }
  const legacyFft = (parallel as { fft?: unknown }).fft;
  if (legacyFft !== undefined) {
    throw new ParameterError('fft', legacyFft, 'is chosen by id in the transform options now, not in the parallel options', `pass createParallelDstft({ ...options, fft: ${JSON.stringify(legacyFft)} }, { threads })`);
  }
  checkKnownKeys(parallel, PARALLEL_KEYS, { owner: 'createParallelDstft() parallel options' });
  const threads = parallel.threads ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ParameterError('threads', threads, 'must be an integer ≥ 1', 'pass the number of threads to use, e.g. 2');
  }
  const spinMs = parallel.spinMs ?? 1;
  if (typeof spinMs !== 'number' || !(spinMs >= 0) || spinMs === Number.POSITIVE_INFINITY) {
    throw new ParameterError('spinMs', spinMs, 'must be a finite number of milliseconds ≥ 0', 'pass e.g. 1 (the default), or 0 to block at once');
  }
  const balance = parallel.balance ?? 'adaptive';
  if (balance !== 'adaptive' && balance !== 'even') {
    throw new ParameterError('balance', balance, "must be 'adaptive' or 'even'", "pass 'adaptive' (the default: shares follow the threads' measured speed) or 'even'");
  }
  const signal = checkAbortSignal(parallel.signal, 'signal');
  throwIfAborted(signal, 'createParallelDstft');
  const plugins = pluginModules(parallel.plugins ?? [], (options as { fft?: unknown } | null)?.fft);
  const registry = await registryWithPlugins(plugins);
  const dstft = createDstft(options, { registry });
  const pool = await WorkerPool.start(threads - 1, new URL('./worker.js', import.meta.url), { options: options as unknown as Record<string, unknown>, plugins, spinMs }, signal);
  return new ParallelDriver(dstft, pool, signal, balance);
}
