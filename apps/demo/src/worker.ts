/**
 * The optimization worker: builds the transform, steps `createOptimization` one iteration at a time, and posts
 * θ and the loss after every iteration (the spectrogram at most every SPEC_INTERVAL_MS and at the end), yielding
 * to its event loop between iterations so that a `stop` message is seen at once.
 */
import type { Dstft } from '@dstft/dstft';
import { createOptimization, optimizeConstantTheta } from '@dstft/dstft';
import type { ErrorInfo, FromWorker, ToWorker } from './protocol.js';
import { registryFor } from './fft.js';
import { benchRuns, buildTransform, fftInfo, objectiveAt, specData, thetaData } from './run.js';
import { optimizeOptions, type DemoSettings } from './settings.js';

/** The slice of a dedicated worker's global scope used here (the DOM lib has no worker types). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const SPEC_INTERVAL_MS = 50;
let activeRun = 0;
let stopRequested = 0;

function post(message: FromWorker): void {
  const transfer: Transferable[] = [];
  for (const value of Object.values(message)) {
    if (value instanceof Float64Array) transfer.push(value.buffer);
    else if (value && typeof value === 'object') {
      for (const inner of Object.values(value)) if (inner instanceof Float64Array) transfer.push(inner.buffer);
    }
  }
  scope.postMessage(message, transfer);
}

function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(e) };
}

/** Lets queued messages (stop) run: a macrotask through a MessageChannel, without setTimeout's clamping. */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** The transform of the settings, with the chosen FFT backend (pffft's wasm is loaded on its first use). */
async function transform(settings: DemoSettings, samples: Float64Array, sampleRate: number): Promise<Dstft> {
  return buildTransform(settings, samples.length, sampleRate, await registryFor(settings.fft));
}

async function preview(runId: number, samples: Float64Array, sampleRate: number, settings: DemoSettings): Promise<Dstft> {
  const dstft = await transform(settings, samples, sampleRate);
  const loss = objectiveAt(dstft, samples, settings);
  const res = dstft.forward(samples);
  post({ type: 'preview', runId, before: specData(res), theta: thetaData(dstft), loss, fft: fftInfo(dstft) });
  return dstft;
}

async function start(runId: number, samples: Float64Array, sampleRate: number, settings: DemoSettings): Promise<void> {
  const dstft = await preview(runId, samples, sampleRate, settings);
  if (activeRun !== runId) return; // superseded while the backend loaded
  const opt = createOptimization(dstft, samples, optimizeOptions(settings));
  let lastSpec = -Infinity;
  for (;;) {
    await yieldToEvents();
    if (activeRun !== runId) return; // superseded by a newer run
    if (stopRequested === runId) opt.stop();
    const p = opt.done ? null : opt.next();
    if (p === null) break;
    const now = performance.now();
    const msg: FromWorker = { type: 'progress', runId, iteration: p.iteration, loss: p.loss, gradNorm: p.gradNorm, elapsedMs: p.elapsedMs, theta: thetaData(dstft) };
    if (now - lastSpec >= SPEC_INTERVAL_MS) {
      lastSpec = now;
      post({ ...msg, after: specData(dstft.forward(samples)) });
    } else post(msg);
  }
  const r = opt.result;
  if (!r) throw new Error('the optimization ended without a result');
  const res = dstft.forward(samples);
  const after = specData(res);
  const inv = dstft.inverse(res);
  let maxError = 0;
  for (let p = 0; p < samples.length; p++) maxError = Math.max(maxError, Math.abs(inv.signal[p]! - samples[p]!));
  post({
    type: 'done',
    runId,
    initialLoss: r.initialLoss,
    loss: r.loss,
    iterations: r.iterations,
    stopReason: r.stopReason,
    wallTimeMs: r.wallTimeMs,
    after,
    theta: thetaData(dstft),
    fft: fftInfo(dstft),
    params: dstft.toJSON(),
    reconstructed: inv.signal.slice(0, samples.length),
    maxError,
    uncovered: inv.uncoveredCount,
  });
}

async function constantOptimum(runId: number, samples: Float64Array, sampleRate: number, settings: DemoSettings): Promise<void> {
  const dstft = await transform({ ...settings, windowMode: 'constant' }, samples, sampleRate);
  const t0 = performance.now();
  const r = optimizeConstantTheta(dstft, samples, { loss: settings.loss });
  post({ type: 'constant-optimum', runId, theta: r.theta, loss: r.loss, transforms: r.forward + r.backward, wallTimeMs: performance.now() - t0 });
}

scope.onmessage = (event) => {
  const m = event.data;
  const run = async (): Promise<void> => {
    switch (m.type) {
      case 'stop':
        stopRequested = m.runId;
        return;
      case 'preview':
        activeRun = m.runId;
        await preview(m.runId, m.samples, m.sampleRate, m.settings);
        return;
      case 'start':
        activeRun = m.runId;
        await start(m.runId, m.samples, m.sampleRate, m.settings);
        return;
      case 'constant-optimum':
        activeRun = m.runId;
        await constantOptimum(m.runId, m.samples, m.sampleRate, m.settings);
        return;
      case 'bench':
        activeRun = m.runId;
        post({ type: 'bench', runId: m.runId, results: benchRuns() });
        return;
    }
  };
  run().catch((e: unknown) => post({ type: 'error', runId: 'runId' in m ? m.runId : 0, error: errorInfo(e) }));
};
