/**
 * Worker thread: builds the same transform from the same plain options, then runs frame ranges of forward and
 * backward jobs on shared buffers until told to exit.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { backwardFrames } from '@dstft/backprop';
import { createDstft, type DstftOptions } from '@dstft/dstft';
import { stftForwardFrames } from '@dstft/kernel';
import {
  BATCH,
  CMD_BACKWARD,
  CMD_EXIT,
  CMD_FORWARD,
  CMD_SETUP,
  COMMAND,
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

const init = workerData as WorkerInit & { port: MessagePort };
const ctrl = new Int32Array(init.control);

async function main(): Promise<void> {
  const registry = await registryWithPlugins(init.plugins);
  const fft = init.fft !== null ? await loadFftBackendModule(init.fft) : undefined;
  const dstft = createDstft(init.options as unknown as DstftOptions, fft ? { registry, fft } : { registry });
  const plan = dstft.plan;
  let buf: SharedBuffers | null = null;
  let seen = 0;
  Atomics.store(ctrl, DONE, 0);
  Atomics.store(ctrl, READY, 1);
  Atomics.notify(ctrl, READY);
  for (;;) {
    Atomics.wait(ctrl, SEQ, seen);
    const seq = Atomics.load(ctrl, SEQ);
    if (seq === seen) continue;
    seen = seq;
    const cmd = Atomics.load(ctrl, COMMAND);
    if (cmd === CMD_EXIT) return;
    try {
      if (cmd === CMD_SETUP) {
        const msg = receiveMessageOnPort(init.port)?.message as SetupMessage | undefined;
        if (!msg) throw new Error('setup without buffers');
        const b = msg.buffers;
        buf = {
          x: new Float64Array(b.x),
          theta: new Float64Array(b.theta),
          positions: new Float64Array(b.positions),
          X: new Float64Array(b.X),
          spec: new Float64Array(b.spec),
          G: new Float64Array(b.G),
          dS: new Float64Array(b.dS),
          contrib: new Float64Array(b.contrib),
          gPos: new Float64Array(b.gPos),
          gx: new Float64Array(b.gx),
        };
      } else if (buf) {
        const n0 = Atomics.load(ctrl, N0);
        const n1 = Atomics.load(ctrl, N1);
        const B = Atomics.load(ctrl, BATCH);
        const T = Atomics.load(ctrl, FRAMES);
        const L = plan.signalLength;
        const theta = buf.theta.subarray(0, plan.variableFrames ? 1 : plan.thetaLength(T));
        const x = buf.x.subarray(0, B * L);
        const pos = buf.positions.subarray(0, T);
        if (cmd === CMD_FORWARD) {
          stftForwardFrames(plan, x, B, T, theta, pos, n0, n1, buf.X, buf.spec);
        } else if (cmd === CMD_BACKWARD) {
          const signal = (Atomics.load(ctrl, FLAGS) & FLAG_SIGNAL) !== 0;
          const gx = signal ? buf.gx.subarray(0, B * L) : null;
          if (gx) gx.fill(0);
          const spec = (Atomics.load(ctrl, FLAGS) & FLAG_SPEC) !== 0;
          const up = spec ? { G: null, X: buf.X, dS: buf.dS, power: plan.power } : { G: buf.G, X: null, dS: null, power: plan.power };
          backwardFrames(plan, x, B, T, theta, pos, up, n0, n1, buf.contrib, buf.gPos, gx);
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
