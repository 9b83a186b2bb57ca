/**
 * Main thread ↔ worker protocol. Each worker has one control block (Int32Array on a SharedArrayBuffer): the main
 * thread writes a job, bumps `SEQ` and notifies; the worker runs frames [n0, n1) of that job on shared buffers,
 * then sets `DONE = SEQ` and notifies. Both sides block with Atomics.wait, so forward and backward stay synchronous
 * calls. New buffers travel on a MessagePort and are read with receiveMessageOnPort (synchronously) on `SETUP`.
 */
import { createDefaultRegistry, type Pluggable, type Registry } from '@dstft/dstft';

/** The default registry plus the default export of each plugin module: built the same way on every thread. */
export async function registryWithPlugins(plugins: readonly string[]): Promise<Registry> {
  const registry = createDefaultRegistry();
  for (const spec of plugins) registry.use(((await import(spec)) as { default?: Pluggable }).default ?? null);
  return registry;
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
export const CONTROL_INTS = 10;

export const CMD_SETUP = 1;
export const CMD_FORWARD = 2;
export const CMD_BACKWARD = 3;
export const CMD_EXIT = 4;

/** FLAGS bit: the backward job also wants ∂ℒ/∂x. */
export const FLAG_SIGNAL = 1;
/** FLAGS bit: the upstream is ∂ℒ/∂S (in `dS`, with X in `X`) rather than G (in `G`). */
export const FLAG_SPEC = 2;

/** Shared buffers as seen by a worker (Float64Array views on SharedArrayBuffers). */
export interface SharedBuffers {
  x: Float64Array;
  theta: Float64Array;
  positions: Float64Array;
  X: Float64Array;
  spec: Float64Array;
  G: Float64Array;
  dS: Float64Array;
  contrib: Float64Array;
  gPos: Float64Array;
  /** This worker's own ∂ℒ/∂x accumulator (frames of different workers overlap in samples). */
  gx: Float64Array;
}

export interface SetupMessage {
  kind: 'setup';
  buffers: { [K in keyof SharedBuffers]: SharedArrayBuffer };
}

export interface WorkerInit {
  /** Plain DSTFT options, the same on every thread. */
  options: Record<string, unknown>;
  /** Module specifiers whose default export is registered (third-party plugins). */
  plugins: string[];
  control: SharedArrayBuffer;
}
