/**
 * Main thread ↔ worker protocol. Each worker has one control block (Int32Array on a SharedArrayBuffer): the main
 * thread writes a job, bumps `SEQ` and notifies; the worker runs frames [n0, n1) of that job on shared buffers,
 * then sets `DONE = SEQ` and notifies. Both sides block with Atomics.wait, so forward and backward stay synchronous
 * calls. New buffers travel on a MessagePort and are read with receiveMessageOnPort (synchronously) on `SETUP`.
 */
import { ParameterError, StateError } from '@dstft/core';
import { createDefaultRegistry, type FftBackend, type Pluggable, type Registry } from '@dstft/dstft';

/** The default registry plus the default export of each plugin module: built the same way on every thread. */
export async function registryWithPlugins(plugins: readonly string[]): Promise<Registry> {
  const registry = createDefaultRegistry();
  for (const spec of plugins) registry.use(((await import(spec)) as { default?: Pluggable }).default ?? null);
  return registry;
}
/** Short names of FFT backend packages for `ParallelOptions.fft`. */
export const FFT_BACKEND_MODULES: Readonly<Record<string, string>> = { pffft: '@dstft/fft-pffft' };

/**
 * Loads an FFT backend from a module, the same way on every thread: `spec` is a short name (`pffft`) or a module
 * specifier whose default export is a loader, `() => FftBackend | Promise<FftBackend>` (as `@dstft/fft-pffft`'s).
 */
export async function loadFftBackendModule(spec: string): Promise<FftBackend> {
  const specifier = FFT_BACKEND_MODULES[spec] ?? spec;
  let mod: { default?: unknown };
  try {
    mod = (await import(specifier)) as { default?: unknown };
  } catch (e) {
    const install = specifier.startsWith('@dstft/') ? `install it (npm install ${specifier}) next to @dstft/parallel` : 'pass a module specifier resolvable from @dstft/parallel, or a file URL';
    throw new StateError(`fft = ${JSON.stringify(spec)}: could not import ${specifier} (${e instanceof Error ? e.message : String(e)}). Fix: ${install}`);
  }
  if (typeof mod.default !== 'function') {
    throw new ParameterError('fft', spec, `the default export of ${specifier} is not an FFT backend loader`, 'give a module whose default export is () => FftBackend | Promise<FftBackend>');
  }
  return (await (mod.default as () => FftBackend | Promise<FftBackend>)()) as FftBackend;
}

export const SEQ = 0;
export const COMMAND = 1;
export const N0 = 2;
export const N1 = 3;
export const BATCH = 4;
export const FRAMES = 5;
export const FLAGS = 6;
export const DONE = 7;
export const FAILED = 8;
/** 0 while starting, 1 when the worker has built its transform, -1 when it could not. */
export const READY = 9;
/** Where the large arrays of a job live: (slot id, offset in elements) per role, from ARRAYS on. */
export const ARRAYS = 10;
export const ROLE_X_SIGNAL = 0;
export const ROLE_X = 1;
export const ROLE_SPEC = 2;
export const ROLE_G = 3;
export const ROLE_DS = 4;
export const ROLES = 5;
export const CONTROL_INTS = ARRAYS + 2 * ROLES;

/** Commands. Every command first reads the messages waiting on the port (buffers, slot changes); SETUP only that. */
export const CMD_SETUP = 1;
export const CMD_FORWARD = 2;
export const CMD_BACKWARD = 3;
export const CMD_EXIT = 4;
/** The whole entropy step (fused-step.ts) of signals [N0, N1) of the batch: forward, entropy, backward. */
export const CMD_ENTROPY_STEP = 5;

/** FLAGS bit: the backward job also wants ∂ℒ/∂x. */
export const FLAG_SIGNAL = 1;
/** FLAGS bit: the upstream is ∂ℒ/∂S (role DS, with X in role X) rather than G (role G). */
export const FLAG_SPEC = 2;
/** FLAGS bit of a forward job: also log S into role DS and the per-frame entropy statistics (fused-entropy.ts). */
export const FLAG_ENTROPY_STATS = 4;
/** FLAGS bit of a backward job: first turn log S in role DS into ∂ℒ/∂S with the coefficients in `coef`. */
export const FLAG_ENTROPY_GRAD = 8;
/** FLAGS bit of an entropy step: the entropies are summed over the batch (else averaged). */
export const FLAG_REDUCE_SUM = 16;

/** Small shared buffers of a worker (Float64Array views on SharedArrayBuffers), sent once and when they grow. */
export interface SharedBuffers {
  theta: Float64Array;
  positions: Float64Array;
  contrib: Float64Array;
  gPos: Float64Array;
  /** This worker's own ∂ℒ/∂x accumulator (frames of different workers overlap in samples). */
  gx: Float64Array;
  /** Per-frame entropy statistics (2·B·T) and per-signal coefficients (3·B) of a fused entropy step. */
  stats: Float64Array;
  coef: Float64Array;
  /** Per-signal θ contributions (B·C) and ∂ℒ/∂t_n (B·T) of a step split by signals (fused-step.ts). */
  slotContrib: Float64Array;
  slotPos: Float64Array;
}

export interface SetupMessage {
  kind: 'setup';
  buffers: { [K in keyof SharedBuffers]: SharedArrayBuffer };
}

/**
 * Large arrays (signals, X, S, upstream gradients) are SharedArrayBuffers known to the workers by slot id: the
 * calling thread registers a buffer the first time a job uses it and tells the workers to forget the least recently
 * used ones beyond a few (so results the user dropped are not kept alive by the workers).
 */
export interface SlotsMessage {
  kind: 'slots';
  add: [number, SharedArrayBuffer][];
  drop: number[];
}

export interface WorkerInit {
  /** Plain DSTFT options, the same on every thread. */
  options: Record<string, unknown>;
  /** Module specifiers whose default export is registered (third-party plugins). */
  plugins: string[];
  /** FFT backend module (`ParallelOptions.fft`), or null for the exact float64 default. */
  fft: string | null;
  /** How long (ms) a worker polls for its next job before it blocks (`ParallelOptions.spinMs`). */
  spinMs: number;
  control: SharedArrayBuffer;
}
