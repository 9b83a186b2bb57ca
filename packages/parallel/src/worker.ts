/**
 * Worker thread: builds the same transform from the same plain options and plugin modules, then runs its share of
 * each job (thread-work.ts, the same code as the calling thread's) on shared buffers until it is terminated.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { FramewiseLoss } from '@dstft/core';
import { createDstft, type DstftOptions } from '@dstft/dstft';
import {
  ARRAYS,
  BATCH,
  BUSY_US,
  CMD_BACKWARD,
  CMD_EXIT,
  CMD_FORWARD,
  CMD_LOSS_STEP,
  CMD_THETA_STEP,
  COMMAND,
  DONE,
  FAILED,
  FLAG_LOSS_GRAD,
  FLAG_LOSS_STATS,
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
  registryWithPlugins,
  type LossMessage,
  type SetupMessage,
  type SharedBuffers,
  type SlotsMessage,
  type WorkerInit,
} from './protocol.js';
import { ParamsBlock } from './shared.js';
import { ThreadWork, contributionLength, type LossWork } from './thread-work.js';

const init = workerData as WorkerInit & { port: MessagePort };
const NONE = new Float64Array(0);
const ctrl = new Int32Array(init.control);

async function main(): Promise<void> {
  const registry = await registryWithPlugins(init.plugins);
  const dstft = createDstft(init.options as unknown as DstftOptions, { registry });
  const plan = dstft.plan;
  const work = new ThreadWork(plan);
  let buf: SharedBuffers | null = null;
  let loss: { framewise: FramewiseLoss; options: Readonly<Record<string, unknown>> } | null = null;
  const slots = new Map<number, SharedArrayBuffer>();
  /** The array of a role in this job: `length` elements of its slot from its offset. */
  const array = (role: number, length: number): Float64Array => {
    const sab = slots.get(Atomics.load(ctrl, ARRAYS + 2 * role));
    if (!sab) throw new Error(`no shared buffer in slot ${Atomics.load(ctrl, ARRAYS + 2 * role)}`);
    return new Float64Array(sab, 8 * Atomics.load(ctrl, ARRAYS + 2 * role + 1), length);
  };
  const readMessages = (): void => {
    for (let m = receiveMessageOnPort(init.port); m; m = receiveMessageOnPort(init.port)) {
      const msg = m.message as SetupMessage | SlotsMessage | LossMessage;
      if (msg.kind === 'setup') {
        buf = Object.fromEntries(Object.entries(msg.buffers).map(([k, sab]) => [k, new Float64Array(sab)])) as unknown as SharedBuffers;
      } else if (msg.kind === 'slots') {
        for (const id of msg.drop) slots.delete(id);
        for (const [id, sab] of msg.add) slots.set(id, sab);
      } else if (msg.kind === 'loss') {
        loss = { framewise: registry.get('loss', msg.id).framewise!, options: msg.options };
      }
    }
  };
  const lossWork = (b: SharedBuffers, B: number, T: number, size: number): LossWork => {
    if (loss === null) throw new Error('no loss was posted for this step');
    const { framewise, options } = loss;
    return {
      loss: framewise,
      options,
      dS: array(ROLE_DS, size),
      stats: b.stats.subarray(0, framewise.statsPerFrame * B * T),
      coef: b.coef.subarray(0, framewise.coefPerSignal * B),
      terms: b.terms.subarray(0, B),
    };
  };
  /** One job: frames (or signals) [n0, n1) of a call of B signals, T frames. */
  const run = (cmd: number, b: SharedBuffers): void => {
    const n0 = Atomics.load(ctrl, N0);
    const n1 = Atomics.load(ctrl, N1);
    const B = Atomics.load(ctrl, BATCH);
    const T = Atomics.load(ctrl, FRAMES);
    const flags = Atomics.load(ctrl, FLAGS);
    const L = plan.signalLength;
    const size = B * plan.freqs * T;
    const params = new ParamsBlock(b.params).read();
    const x = array(ROLE_X_SIGNAL, B * L);
    if (cmd === CMD_FORWARD) {
      const out = work.view(B, T, params.theta.length, array(ROLE_X, 2 * size), array(ROLE_SPEC, size));
      work.forward(x, params, null, out, n0, n1, (flags & FLAG_LOSS_STATS) !== 0 ? lossWork(b, B, T, size) : null);
    } else if (cmd === CMD_BACKWARD) {
      const spec = (flags & FLAG_SPEC) !== 0;
      const source = work.view(B, T, params.theta.length, spec ? array(ROLE_X, 2 * size) : NONE, NONE); // X only for a ∂ℒ/∂S upstream
      source.theta.set(params.theta);
      source.positions.set(params.positions!);
      const gx = (flags & FLAG_SIGNAL) !== 0 ? b.gx.subarray(0, B * L).fill(0) : null;
      const into = { contrib: b.contrib.subarray(0, contributionLength(plan, T)), gPos: b.gPos.subarray(0, T), gx };
      const upstream = spec ? { spec: array(ROLE_DS, size) } : { X: array(ROLE_G, 2 * size) };
      work.backward({ x, source, upstream, into, frames: [n0, n1], loss: (flags & FLAG_LOSS_GRAD) !== 0 ? lossWork(b, B, T, size) : null });
    } else if (cmd === CMD_THETA_STEP) {
      if (loss === null) throw new Error('no loss was posted for this step');
      const out = work.view(B, T, params.theta.length, array(ROLE_X, 2 * size), array(ROLE_SPEC, size));
      work.thetaStep({ x, params, table: null, out, frames: [n0, n1], loss, arrays: { stats: b.stats, tangent: b.tangent } }, true);
    } else if (cmd === CMD_LOSS_STEP) {
      const C = contributionLength(plan, T);
      const slots = { contrib: b.slotContrib.subarray(0, B * C), gPos: b.slotPos.subarray(0, B * T), gx: (flags & FLAG_SIGNAL) !== 0 ? b.gx.subarray(0, B * L) : null };
      const call = { x, X: array(ROLE_X, 2 * size), spec: array(ROLE_SPEC, size) };
      work.lossStepSignals(call, params, null, { batch: B, freqs: plan.freqs, frames: T }, [n0, n1], lossWork(b, B, T, size), slots);
    }
  };

  let seen = 0;
  Atomics.store(ctrl, DONE, 0);
  Atomics.store(ctrl, READY, 1);
  Atomics.notify(ctrl, READY);
  for (;;) {
    // poll a little before blocking: a blocked thread of a virtual machine can take long to be woken
    if (init.spinMs > 0) {
      const t0 = performance.now();
      while (Atomics.load(ctrl, SEQ) === seen && performance.now() - t0 < init.spinMs);
    }
    Atomics.wait(ctrl, SEQ, seen);
    const seq = Atomics.load(ctrl, SEQ);
    if (seq === seen) continue;
    seen = seq;
    const cmd = Atomics.load(ctrl, COMMAND);
    if (cmd === CMD_EXIT) return;
    const busy0 = performance.now();
    try {
      readMessages(); // buffers, slot changes and the loss posted before this command
      if (buf !== null && (cmd === CMD_FORWARD || cmd === CMD_BACKWARD || cmd === CMD_LOSS_STEP || cmd === CMD_THETA_STEP)) run(cmd, buf);
      Atomics.store(ctrl, FAILED, 0);
    } catch (e) {
      Atomics.store(ctrl, FAILED, 1);
      init.port.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
    Atomics.store(ctrl, BUSY_US, Math.min(0x7fffffff, Math.round(1000 * (performance.now() - busy0))));
    Atomics.store(ctrl, DONE, seq);
    Atomics.notify(ctrl, DONE);
  }
}

main().catch((e: unknown) => {
  init.port.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  Atomics.store(ctrl, READY, -1);
  Atomics.notify(ctrl, READY);
});
