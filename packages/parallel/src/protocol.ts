/**
 * Main thread ↔ worker protocol. Each worker has one control block (Int32Array on a SharedArrayBuffer): the main
 * thread writes a job, bumps `SEQ` and notifies; the worker runs frames [n0, n1) of that job on shared buffers,
 * then sets `DONE = SEQ` and notifies. Both sides block with Atomics.wait, so forward and backward stay synchronous
 * calls. New buffers travel on a MessagePort and are read with receiveMessageOnPort (synchronously) on `SETUP`.
 */
import { StateError } from '@dstft/core';
import { createDefaultRegistry, type Pluggable, type Registry } from '@dstft/dstft';

/** The default registry plus the default export of each plugin module: built the same way on every thread. */
export async function registryWithPlugins(plugins: readonly string[]): Promise<Registry> {
  const registry = createDefaultRegistry();
  for (const spec of plugins) {
    let mod: { default?: Pluggable };
    try {
      mod = (await import(spec)) as { default?: Pluggable };
    } catch (e) {
      const install = spec.startsWith('@dstft/') ? `install ${spec.split('/').slice(0, 2).join('/')} next to @dstft/parallel` : 'pass a module specifier resolvable from @dstft/parallel, or a file URL';
      throw new StateError(`plugin module ${JSON.stringify(spec)} could not be imported (${e instanceof Error ? e.message : String(e)}). Fix: ${install}`);
    }
    registry.use(mod.default ?? null);
  }
  return registry;
}
/**
 * FFT backends of our own packages by id, loaded on every thread when `options.fft` names one that the default
 * registry and the given plugin modules lack (so `fft: 'pffft'` works with nothing else to pass).
 */
export const FFT_PLUGIN_MODULES: Readonly<Record<string, string>> = { pffft: '@dstft/fft-pffft/plugin' };

/** The plugin modules every thread loads: the given ones, plus the module of an FFT backend named by id. */
export function pluginModules(plugins: readonly string[], fft: unknown): string[] {
  const extra = typeof fft === 'string' ? FFT_PLUGIN_MODULES[fft] : undefined;
  return extra !== undefined && !plugins.includes(extra) ? [...plugins, extra] : [...plugins];
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
/** The worker's time on its last job (reading its messages and running it), in microseconds: what the split learns from. */
export const BUSY_US = ARRAYS + 2 * ROLES;
export const CONTROL_INTS = BUSY_US + 1;

/** Commands. Every command first reads the messages waiting on the port (buffers, slot changes); SETUP only that. */
export const CMD_SETUP = 1;
export const CMD_FORWARD = 2;
export const CMD_BACKWARD = 3;
export const CMD_EXIT = 4;
/** The whole fused loss step of signals [N0, N1) of the batch (thread-work.ts `lossStepSignals`): forward, loss, backward. */
export const CMD_LOSS_STEP = 5;
/** Frames [N0, N1) of a one-pass step (thread-work.ts `thetaStep`): forward with the loss's θ tangent, no backward. */
export const CMD_THETA_STEP = 6;

/** FLAGS bit: the backward job also wants ∂ℒ/∂x. */
export const FLAG_SIGNAL = 1;
/** FLAGS bit: the upstream is ∂ℒ/∂S (role DS, with X in role X) rather than G (role G). */
export const FLAG_SPEC = 2;
/** FLAGS bit of a forward job: also the framewise loss's statistics of its frames (`framewise.frameStats`). */
export const FLAG_LOSS_STATS = 4;
/** FLAGS bit of a backward job: first the framewise loss's ∂ℒ/∂S of its frames (`framewise.frameGrad`). */
export const FLAG_LOSS_GRAD = 8;

/** Small shared buffers of a worker (views on SharedArrayBuffers), sent once and again when they grow. */
export interface SharedBuffers {
  /** The parameter block (shared.ts `ParamsBlock`). */
  params: Float64Array;
  /** Per-frame θ contributions and ∂ℒ/∂t_n of a backward split by frames. */
  contrib: Float64Array;
  gPos: Float64Array;
  /** This worker's own ∂ℒ/∂x accumulator (frames of different workers overlap in samples). */
  gx: Float64Array;
  /** A framewise loss's per-frame statistics, per-signal coefficients and per-signal terms. */
  stats: Float64Array;
  coef: Float64Array;
  terms: Float64Array;
  /** Per-signal θ contributions and ∂ℒ/∂t_n of a step split by signals (loss-step.ts). */
  slotContrib: Float64Array;
  slotPos: Float64Array;
  /** A loss's per-frame tangent sums of a one-pass step (`framewise.frameTangent`). */
  tangent: Float64Array;
}

export interface SetupMessage {
  kind: 'setup';
  buffers: { [K in keyof SharedBuffers]: SharedArrayBuffer };
}

/** The loss of the next fused steps: a loss id of the worker's registry and its options (merged over defaults). */
export interface LossMessage {
  kind: 'loss';
  id: string;
  options: Readonly<Record<string, unknown>>;
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
  /** How long (ms) a worker polls for its next job before it blocks (`ParallelOptions.spinMs`). */
  spinMs: number;
  control: SharedArrayBuffer;
}
