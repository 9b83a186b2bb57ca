/**
 * The worker threads of a parallel transform and the control-block protocol (protocol.ts) that drives them: start
 * (every worker builds the same transform), dispatch a job, join it (poll `spinMs`, then block), post messages,
 * close. Nothing here knows about transforms; driver.ts says what the jobs are.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { StateError, throwIfAborted, type AbortSignalLike } from '@dstft/core';
import { BATCH, BUSY_US, COMMAND, CONTROL_INTS, DONE, FAILED, FLAGS, FRAMES, N0, N1, READY, SEQ, type WorkerInit } from './protocol.js';

interface Handle {
  readonly worker: Worker;
  readonly ctrl: Int32Array;
  readonly port: MessagePort;
  seq: number;
}

/** A job's range and shape, as the control block carries them. */
export interface JobHeader {
  readonly cmd: number;
  readonly n0: number;
  readonly n1: number;
  readonly batch: number;
  readonly frames: number;
  readonly flags: number;
}

export class WorkerPool {
  readonly #handles: Handle[];
  readonly #spinMs: number;
  /** Control blocks of the workers (slot bindings are written into them before a dispatch). */
  readonly controls: readonly Int32Array[];

  private constructor(handles: Handle[], spinMs: number) {
    this.#handles = handles;
    this.#spinMs = spinMs;
    this.controls = handles.map((h) => h.ctrl);
  }

  /** Starts `count` workers running `workerUrl` and waits until each has built its transform (or one failed). */
  static async start(count: number, workerUrl: URL, init: Omit<WorkerInit, 'control'>, signal: AbortSignalLike | undefined): Promise<WorkerPool> {
    const handles: Handle[] = [];
    for (let w = 0; w < count; w++) {
      const control = new SharedArrayBuffer(CONTROL_INTS * 4);
      const { port1, port2 } = new MessageChannel();
      const data: WorkerInit & { port: MessagePort } = { ...init, control, port: port2 };
      const worker = new Worker(workerUrl, { workerData: data, transferList: [port2] });
      handles.push({ worker, ctrl: new Int32Array(control), port: port1, seq: 0 });
    }
    const pool = new WorkerPool(handles, init.spinMs);
    const failures = await Promise.all(handles.map((h) => waitReady(h)));
    const failure = failures.find((m) => m !== null);
    if (signal?.aborted || failure !== undefined) {
      await pool.close();
      throwIfAborted(signal, 'createParallelDstft');
      throw new StateError(`a worker thread could not build the transform: ${failure}`);
    }
    // started: idle workers must not keep the process alive (close() still ends them explicitly)
    for (const h of handles) {
      h.worker.unref();
      h.port.unref();
    }
    return pool;
  }

  get size(): number {
    return this.#handles.length;
  }

  /** Posts a message to every worker (read at the start of its next job). */
  post(message: unknown): void {
    for (const h of this.#handles) h.port.postMessage(message);
  }

  /** Posts a message to worker w alone. */
  postTo(w: number, message: unknown): void {
    this.#handles[w]!.port.postMessage(message);
  }

  /** Starts job `job` on worker w (ranges differ per worker). */
  dispatch(w: number, job: JobHeader): void {
    const h = this.#handles[w]!;
    const c = h.ctrl;
    c[COMMAND] = job.cmd;
    c[N0] = job.n0;
    c[N1] = job.n1;
    c[BATCH] = job.batch;
    c[FRAMES] = job.frames;
    c[FLAGS] = job.flags;
    h.seq++;
    Atomics.store(c, SEQ, h.seq);
    Atomics.notify(c, SEQ);
  }

  /** Waits for worker w's job; rethrows its failure (its message) as a StateError. */
  join(w: number): void {
    const h = this.#handles[w]!;
    if (this.#spinMs > 0) {
      const t0 = performance.now();
      while (Atomics.load(h.ctrl, DONE) !== h.seq && performance.now() - t0 < this.#spinMs);
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
  }

  /** The longest of workers [0, count)'s times on their last jobs (ms, as each measured it: no dispatch, no wake-up). */
  busyMs(count = this.#handles.length): number {
    let t = 0;
    for (let w = 0; w < count; w++) t = Math.max(t, Atomics.load(this.#handles[w]!.ctrl, BUSY_US) / 1000);
    return t;
  }

  /** Joins every worker, then throws the first failure (so that no worker is left running a job). */
  joinAll(count = this.#handles.length): void {
    let first: unknown = null;
    for (let w = 0; w < count; w++) {
      try {
        this.join(w);
      } catch (e) {
        first ??= e;
      }
    }
    if (first !== null) throw first;
  }

  async close(): Promise<void> {
    const handles = this.#handles.splice(0);
    await Promise.all(handles.map((h) => h.worker.terminate()));
  }
}

/** null once the worker reports ready, or its error message. */
async function waitReady(h: Handle): Promise<string | null> {
  for (;;) {
    const state = Atomics.load(h.ctrl, READY);
    if (state !== 0) return state === 1 ? null : ((receiveMessageOnPort(h.port)?.message as { message?: string } | undefined)?.message ?? 'unknown error');
    const r = Atomics.waitAsync(h.ctrl, READY, 0, 30_000);
    if (r.async) await r.value;
  }
}
