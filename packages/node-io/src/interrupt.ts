/**
 * Ctrl-C for programs whose work is long and synchronous (the `dstft` CLI, `npm run experiment`).
 *
 * A signal handler of Node runs only when the event loop runs, and a transform, a grid search or an optimization
 * keeps it busy for seconds to minutes. So the program's work runs in a worker thread and the main thread stays
 * idle, waiting for signals:
 * 1. SIGINT / SIGTERM sets a flag in shared memory. The worker sees it through an `AbortSignalLike`
 *    (`workerAbortSignal()`), which every long loop of dstft-ts checks between units of work; the loop stops with an
 *    `AbortError`, the program removes its outputs and reports exit code 130 (143 for SIGTERM).
 * 2. If the worker has not finished `graceMs` later (one unit of work can be long: a transform of an hour of
 *    audio), or at a second Ctrl-C, the main thread terminates it and removes the outputs the worker had reported
 *    through the output journal (`setOutputJournal`): temporary files, committed files, created folders.
 * Either way the process exits with 128 + the signal number and leaves no partial output.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { AbortSignalLike } from '@dstft/core';
import { removeJournaled, setOutputJournal, type OutputJournalEntry } from './output.js';

const SIGNAL_CODES: Record<number, { name: NodeJS.Signals; exitCode: number }> = {
  1: { name: 'SIGINT', exitCode: 130 },
  2: { name: 'SIGTERM', exitCode: 143 },
};

interface WorkerMessage {
  type: 'journal' | 'done';
  entry?: OutputJournalEntry;
  exitCode?: number;
}

/**
 * Options of {@link runInterruptible}: the worker module, its input, how long to wait after Ctrl-C, and a callback on
 * interrupt.
 */
export interface InterruptibleOptions {
  /** The worker module (a file URL); it calls `workerAbortSignal()` and `reportDone(code)`. */
  worker: URL;
  /** Passed to the worker as `workerInput()`. */
  input: unknown;
  /** How long a worker may take to stop on its own after a signal before it is terminated (default 400 ms). */
  graceMs?: number;
  /** Called once, on the first signal, after the outputs were removed (a message for the user). */
  onInterrupt: (signal: NodeJS.Signals, how: 'cooperative' | 'terminated') => void;
}

/**
 * Runs `worker` and resolves with its exit code, or with 128 + the signal number when interrupted. Installs the
 * SIGINT / SIGTERM handlers for the duration of the run.
 */
export function runInterruptible({ worker: url, input, graceMs = 400, onInterrupt }: InterruptibleOptions): Promise<number> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const journal: OutputJournalEntry[] = [];
  const worker = new Worker(url, { workerData: { input, flag: flag.buffer } });
  return new Promise((resolve, reject) => {
    let settled = false;
    let interrupted: { name: NodeJS.Signals; exitCode: number } | null = null;
    let reported: number | null = null;
    let timer: NodeJS.Timeout | null = null;
    const finish = (code: number) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      resolve(code);
    };
    const terminate = () => {
      if (settled || !interrupted) return;
      const sig = interrupted;
      void worker.terminate().then(() => {
        removeJournaled(journal);
        onInterrupt(sig.name, 'terminated');
        finish(sig.exitCode);
      });
    };
    const onSignal = (code: 1 | 2) => {
      if (interrupted) {
        terminate(); // a second Ctrl-C: stop now
        return;
      }
      interrupted = SIGNAL_CODES[code]!;
      Atomics.store(flag, 0, code);
      timer = setTimeout(terminate, graceMs);
    };
    const onSigint = () => onSignal(1);
    const onSigterm = () => onSignal(2);
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'journal' && m.entry) journal.push(m.entry);
      else if (m.type === 'done') reported = m.exitCode ?? 1;
    });
    worker.on('error', (e) => {
      if (settled) return;
      if (interrupted) return terminate();
      removeJournaled(journal.filter((j) => j.kind !== 'file'));
      settled = true;
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      reject(e);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      if (interrupted) {
        // stopped on its own: whatever it committed before it saw the flag goes too
        removeJournaled(journal);
        onInterrupt(interrupted.name, 'cooperative');
        finish(interrupted.exitCode);
        return;
      }
      finish(reported ?? (code === 0 ? 0 : 1));
    });
  });
}

/** In the worker: the input the main thread passed. */
export function workerInput<T>(): T {
  return (workerData as { input: T }).input;
}

/**
 * In the worker: an abort signal that turns true when the main thread received SIGINT / SIGTERM, and sends the
 * output journal to the main thread. Outside a worker started by `runInterruptible`: a signal that never aborts.
 */
export function workerAbortSignal(): AbortSignalLike & { readonly signalName: NodeJS.Signals | null } {
  const data = workerData as { flag?: SharedArrayBuffer } | null;
  if (isMainThread || !data?.flag) return { aborted: false, signalName: null };
  const flag = new Int32Array(data.flag);
  setOutputJournal((entry) => parentPort?.postMessage({ type: 'journal', entry } satisfies WorkerMessage));
  return {
    get aborted() {
      return Atomics.load(flag, 0) !== 0;
    },
    get reason() {
      const s = SIGNAL_CODES[Atomics.load(flag, 0)];
      return s ? `interrupted by ${s.name}` : undefined;
    },
    get signalName() {
      return SIGNAL_CODES[Atomics.load(flag, 0)]?.name ?? null;
    },
  };
}

/** In the worker: the program's exit code, for `runInterruptible` to resolve with. */
export function reportDone(exitCode: number): void {
  parentPort?.postMessage({ type: 'done', exitCode } satisfies WorkerMessage);
}
