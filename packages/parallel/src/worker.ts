/**
 * Worker thread: builds the same transform from the same plain options, then runs frame ranges of forward and
 * backward jobs on shared buffers until told to exit.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { backwardFrames, createBackwardScratch } from '@dstft/backprop';
import { createDstft, type DstftOptions } from '@dstft/dstft';
import { stftForwardFrames } from '@dstft/kernel';
import { entropyGradFrames, entropyStatsFrames, reductionScale } from './fused-entropy.js';
import { entropyStepSignals } from './fused-step.js';
import {
  ARRAYS,
  BATCH,
  CMD_BACKWARD,
  CMD_ENTROPY_STEP,
  CMD_EXIT,
  CMD_FORWARD,
  COMMAND,
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

const init = workerData as WorkerInit & { port: MessagePort };
const ctrl = new Int32Array(init.control);

async function main(): Promise<void> {
  const registry = await registryWithPlugins(init.plugins);
  const fft = init.fft !== null ? await loadFftBackendModule(init.fft) : undefined;
  const dstft = createDstft(init.options as unknown as DstftOptions, fft ? { registry, fft } : { registry });
  const plan = dstft.plan;
  const scratch = createBackwardScratch(plan);
  let buf: SharedBuffers | null = null;
  const slots = new Map<number, SharedArrayBuffer>();
  /** The array of a role in this job: `length` elements of its slot from its offset. */
  const array = (role: number, length: number): Float64Array => {
    const sab = slots.get(Atomics.load(ctrl, ARRAYS + 2 * role));
    if (!sab) throw new Error(`no shared buffer in slot ${Atomics.load(ctrl, ARRAYS + 2 * role)}`);
    return new Float64Array(sab, 8 * Atomics.load(ctrl, ARRAYS + 2 * role + 1), length);
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
    try {
      // buffers and slot changes posted before this command
      for (let m = receiveMessageOnPort(init.port); m; m = receiveMessageOnPort(init.port)) {
        const msg = m.message as SetupMessage | SlotsMessage;
        if (msg.kind === 'setup') {
          const b = msg.buffers;
          buf = {
            theta: new Float64Array(b.theta),
            positions: new Float64Array(b.positions),
            contrib: new Float64Array(b.contrib),
            gPos: new Float64Array(b.gPos),
            gx: new Float64Array(b.gx),
            stats: new Float64Array(b.stats),
            coef: new Float64Array(b.coef),
            slotContrib: new Float64Array(b.slotContrib),
            slotPos: new Float64Array(b.slotPos),
          };
        } else if (msg.kind === 'slots') {
          for (const id of msg.drop) slots.delete(id);
          for (const [id, sab] of msg.add) slots.set(id, sab);
        }
      }
      if ((cmd === CMD_FORWARD || cmd === CMD_BACKWARD || cmd === CMD_ENTROPY_STEP) && buf) {
        const n0 = Atomics.load(ctrl, N0);
        const n1 = Atomics.load(ctrl, N1);
        const B = Atomics.load(ctrl, BATCH);
        const T = Atomics.load(ctrl, FRAMES);
        const L = plan.signalLength;
        const size = B * plan.freqs * T;
        const theta = buf.theta.subarray(0, plan.variableFrames ? 1 : plan.thetaLength(T));
        const x = array(ROLE_X_SIGNAL, B * L);
        const pos = buf.positions.subarray(0, T);
        const flags = Atomics.load(ctrl, FLAGS);
        if (cmd === CMD_ENTROPY_STEP) {
          // n0, n1 are signals here; ∂ℒ/∂x of them goes into this worker's own gx at their offsets
          entropyStepSignals(plan, B, T, theta, pos, reductionScale((flags & FLAG_REDUCE_SUM) !== 0 ? 'sum' : 'mean', B), n0, n1, {
            x,
            X: array(ROLE_X, 2 * size),
            spec: array(ROLE_SPEC, size),
            dS: array(ROLE_DS, size),
            stats: buf.stats,
            coef: buf.coef,
            slotContrib: buf.slotContrib,
            slotPos: buf.slotPos,
            gx: (flags & FLAG_SIGNAL) !== 0 ? buf.gx : null,
            scratch,
          });
        } else if (cmd === CMD_FORWARD) {
          const S = array(ROLE_SPEC, size);
          stftForwardFrames(plan, x, B, T, theta, pos, n0, n1, array(ROLE_X, 2 * size), S);
          if ((flags & FLAG_ENTROPY_STATS) !== 0) entropyStatsFrames(S, array(ROLE_DS, size), B, plan.freqs, T, n0, n1, buf.stats);
        } else {
          if ((flags & FLAG_ENTROPY_GRAD) !== 0) entropyGradFrames(array(ROLE_DS, size), B, plan.freqs, T, n0, n1, buf.coef);
          const gx = (flags & FLAG_SIGNAL) !== 0 ? buf.gx.subarray(0, B * L) : null;
          if (gx) gx.fill(0);
          const up =
            (flags & FLAG_SPEC) !== 0
              ? { G: null, X: array(ROLE_X, 2 * size), dS: array(ROLE_DS, size), power: plan.power }
              : { G: array(ROLE_G, 2 * size), X: null, dS: null, power: plan.power };
          backwardFrames(plan, x, B, T, theta, pos, up, n0, n1, buf.contrib, buf.gPos, gx, scratch);
        }
      }
      Atomics.store(ctrl, FAILED, 0);
    } catch (e) {
      Atomics.store(ctrl, FAILED, 1);
      init.port.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
    Atomics.store(ctrl, DONE, seq);
    Atomics.notify(ctrl, DONE);
  }
}

main().catch((e: unknown) => {
  init.port.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  Atomics.store(ctrl, READY, -1);
  Atomics.notify(ctrl, READY);
});
