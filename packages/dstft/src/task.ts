/**
 * Task-driven learning (paper Sec. VII): the transform's window length(s) learned over a data set by minibatch
 * gradient descent on a downstream loss, a `task` plugin from the registry (e.g. `frequency-tracking`), through the
 * registry's optimizers. The gradient is the analytic backward of the transform fed with the task's ∂ℒ/∂S.
 */
import { ParameterError, ShapeError, mulberry32, type OptimizerPlugin, type TaskExample, type TaskPlugin } from '@dstft/core';
import type { StftResult } from '@dstft/kernel';
import type { AbortSignalLike } from '@dstft/optim';
import type { Dstft } from './dstft.js';
import { refId, refOptions, type PluginRef } from './objective.js';
import { checkPluginRef, checkStrictOptions } from './strict-options.js';

/** A task evaluated in minibatches: forward (and optionally backward) on each, mean loss over the examples. */
interface TaskRunner {
  readonly task: TaskPlugin;
  readonly options: Record<string, unknown>;
  /** Mean loss over `examples` (forward only). */
  evaluate(examples: readonly TaskExample[]): number;
  /** Loss of one batch and ∂loss/∂θ written into `gTheta` (θ's layout). */
  lossAndGrad(batch: readonly TaskExample[], gTheta: Float64Array): number;
  readonly counts: { forward: number; backward: number };
}

function createRunner(dstft: Dstft, taskRef: PluginRef, batchSize: number): TaskRunner {
  const task = dstft.registry.get('task', refId(taskRef)) as TaskPlugin;
  const options = refOptions(taskRef, task.defaults);
  const L = dstft.plan.signalLength;
  const counts = { forward: 0, backward: 0 };
  // batch buffers by batch size (a full size and at most one remainder size): no allocation per step
  const buffers = new Map<number, { x: Float64Array; result: StftResult | null; dS: Float64Array }>();
  const targets: unknown[] = [];

  const forward = (batch: readonly TaskExample[]): { r: StftResult; buf: { x: Float64Array; result: StftResult | null; dS: Float64Array } } => {
    const B = batch.length;
    let buf = buffers.get(B);
    if (!buf) {
      buf = { x: new Float64Array(B * L), result: null, dS: new Float64Array(0) };
      buffers.set(B, buf);
    }
    targets.length = 0;
    batch.forEach((e, b) => {
      if (!(e.signal instanceof Float64Array) || e.signal.length !== L) {
        throw new ShapeError('examples[].signal', e.signal, `expected a Float64Array of signalLength = ${L} samples`, 'generate or cut the examples to the transform’s signalLength');
      }
      buf!.x.set(e.signal, b * L);
      targets.push(e.target);
    });
    const reuse = buf.result && !dstft.plan.variableFrames ? buf.result : undefined;
    const r = dstft.forward(buf.x, dstft.params, reuse);
    buf.result = r;
    counts.forward++;
    return { r, buf };
  };

  const lossOf = (r: StftResult, grad: Float64Array | null): number => {
    const loss = task.loss(
      { spec: { data: r.spec, batch: r.batch, freqs: r.freqs, frames: r.frames }, positions: r.positions, sampleRate: dstft.plan.sampleRate, nFft: dstft.plan.nFft, targets },
      grad,
      options,
    );
    if (!Number.isFinite(loss)) throw new ParameterError('loss', loss, `the task "${task.id}" gave a non-finite loss`, 'check the examples (all-zero signals?) and the task options');
    return loss;
  };

  return {
    task,
    options,
    counts,
    evaluate(examples) {
      if (examples.length === 0) throw new ParameterError('examples', 'length 0', 'no examples to evaluate', 'pass at least one example');
      let sum = 0;
      for (let i = 0; i < examples.length; i += batchSize) {
        const batch = examples.slice(i, i + batchSize);
        sum += lossOf(forward(batch).r, null) * batch.length;
      }
      return sum / examples.length;
    },
    lossAndGrad(batch, gTheta) {
      const { r, buf } = forward(batch);
      if (buf.dS.length !== r.spec.length) buf.dS = new Float64Array(r.spec.length);
      const loss = lossOf(r, buf.dS);
      const g = dstft.backward(r, { spec: buf.dS });
      counts.backward++;
      gTheta.set(g.theta);
      return loss;
    },
  };
}

export interface TrainTaskOptions {
  /** The task by id (with options), e.g. `'frequency-tracking'` or `{ id, options: { band: [50, 400] } }`. */
  task: PluginRef;
  /** Training examples (signals of the transform's signalLength, with targets). */
  train: readonly TaskExample[];
  /** Held-out examples evaluated after every epoch (and at the start). */
  validation?: readonly TaskExample[];
  /** Default 16. */
  batchSize?: number;
  /** Default 10. */
  epochs?: number;
  /** Optimizer by id with options. Default `{ id: 'adam', options: { lr: 1 } }` (lr in samples). */
  optimizer?: PluginRef;
  /** Seed of the shuffling. Default 1. */
  seed?: number;
  /** Called after every epoch; return false to stop. */
  onEpoch?: (e: TrainEpoch) => void | false;
  /** Called after every step (minibatch). */
  onStep?: (s: { step: number; epoch: number; loss: number; theta: Float64Array }) => void;
  /** Checked before every step. */
  signal?: AbortSignalLike;
}

/** One epoch of {@link trainTask}: mean training loss, validation loss and θ at its end. */
export interface TrainEpoch {
  readonly epoch: number;
  /** Mean training loss of the epoch's minibatches (at the parameters of each step). */
  readonly trainLoss: number;
  readonly validationLoss?: number;
  /** θ after the epoch (a copy). */
  readonly theta: number[];
  readonly elapsedMs: number;
}

/** Outcome of {@link trainTask}: the learned θ (samples), the starting loss and one entry per epoch. */
export interface TrainTaskResult {
  /** θ at the end (also left in the transform), a copy. */
  readonly theta: number[];
  /** Validation loss (or training loss, without a validation set) at the start. */
  readonly initialLoss: number;
  /** One entry per epoch; entry 0 is the start (epoch 0, before any step). */
  readonly history: readonly TrainEpoch[];
  readonly steps: number;
  readonly stopReason: 'epochs' | 'callback' | 'aborted';
  readonly forward: number;
  readonly backward: number;
  readonly wallTimeMs: number;
  readonly settings: Readonly<Record<string, unknown>>;
}

const now = (): number => {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? perf.now() : Date.now();
};

function positiveInt(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ParameterError(name, v, 'expected a whole number ≥ 1', `pass e.g. ${fallback}`);
  return v;
}

/**
 * Learns the transform's window length(s) θ (in every window mode but `fixed`) for a task over a data set:
 * shuffled minibatches, one optimizer step each, `epochs` passes. The frame positions are not learned here.
 */
export function trainTask(dstft: Dstft, options: TrainTaskOptions): TrainTaskResult {
  checkStrictOptions('trainTask', options);
  if (dstft.plan.windowMode === 'fixed') {
    throw new ParameterError('windowMode', 'fixed', 'nothing to learn: the window length is fixed', 'create the transform with windowMode "constant" (or time / frequency / time-frequency)');
  }
  const batchSize = positiveInt('batchSize', options.batchSize, 16);
  const epochs = positiveInt('epochs', options.epochs, 10);
  const seed = options.seed ?? 1;
  const train = options.train;
  if (!Array.isArray(train) || train.length === 0) throw new ParameterError('train', train, 'no training examples', 'pass at least one { signal, target }');
  const runner = createRunner(dstft, options.task, batchSize);
  const optRef = options.optimizer ?? { id: 'adam', options: { lr: 1 } };
  const optPlugin = dstft.registry.get('optimizer', refId(optRef)) as OptimizerPlugin;
  const theta = dstft.params.theta;
  const group = { name: 'theta', values: theta, lower: dstft.plan.thetaMin, upper: dstft.plan.thetaMax };
  const optimizer = optPlugin.create([group], refOptions(optRef, optPlugin.defaults));
  const gTheta = new Float64Array(theta.length);
  const grads = [gTheta];
  const rand = mulberry32(seed);
  const order = train.map((_, i) => i);
  const t0 = now();
  const evalSet = options.validation && options.validation.length ? options.validation : null;
  const initialLoss = runner.evaluate(evalSet ?? train);
  const history: TrainEpoch[] = [{ epoch: 0, trainLoss: evalSet ? runner.evaluate(train) : initialLoss, ...(evalSet ? { validationLoss: initialLoss } : {}), theta: Array.from(theta), elapsedMs: now() - t0 }];
  let steps = 0;
  let stopReason: TrainTaskResult['stopReason'] = 'epochs';
  outer: for (let epoch = 1; epoch <= epochs; epoch++) {
    // Fisher-Yates with the seeded generator
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let sum = 0;
    for (let i = 0; i < order.length; i += batchSize) {
      if (options.signal?.aborted) {
        stopReason = 'aborted';
        break outer;
      }
      const currentBatch = order.slice(i, i + batchSize).map((k) => train[k]!);
      const loss = runner.lossAndGrad(currentBatch, gTheta);
      optimizer.step(grads, {
        loss,
        iteration: steps,
        objective: (g) => {
          const l = runner.lossAndGrad(currentBatch, gTheta);
          g[0]!.set(gTheta);
          return l;
        },
      });
      steps++;
      sum += loss * currentBatch.length;
      options.onStep?.({ step: steps, epoch, loss, theta });
    }
    const entry: TrainEpoch = {
      epoch,
      trainLoss: sum / order.length,
      ...(evalSet ? { validationLoss: runner.evaluate(evalSet) } : {}),
      theta: Array.from(theta),
      elapsedMs: now() - t0,
    };
    history.push(entry);
    if (options.onEpoch?.(entry) === false) {
      stopReason = 'callback';
      break;
    }
  }
  return {
    theta: Array.from(theta),
    initialLoss,
    history,
    steps,
    stopReason,
    forward: runner.counts.forward,
    backward: runner.counts.backward,
    wallTimeMs: now() - t0,
    settings: { task: { id: runner.task.id, options: runner.options }, optimizer: { id: optPlugin.id, options: refOptions(optRef, optPlugin.defaults) }, batchSize, epochs, seed, examples: train.length },
  };
}

/**
 * Mean task loss of the transform (at its current parameters) over `examples`, forward only, in minibatches.
 * For a loss curve, set θ and call it again: `dstft.params.theta[0] = v`.
 */
export function evaluateTask(dstft: Dstft, task: PluginRef, examples: readonly TaskExample[], options: { batchSize?: number } = {}): number {
  checkStrictOptions('evaluateTask', options);
  checkPluginRef('task', task, 'frequency-tracking');
  const batchSize = positiveInt('batchSize', options.batchSize, 16);
  return createRunner(dstft, task, batchSize).evaluate(examples);
}
