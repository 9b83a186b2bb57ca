/**
 * One training run: Adam on the network weights, a second Adam on θ's raw weight (its own learning rate),
 * softmax cross-entropy, seeded shuffling and dropout; per-epoch validation, the weights of the best validation
 * epoch kept; a checkpoint (weights, θ, optimizer moments, history) after every epoch, from which a run resumes.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { shuffled, type Dataset } from './dataset.js';
import { createModel, type Model, type ModelConfig } from './model.js';

export interface TrainOptions {
  model: ModelConfig;
  epochs: number;
  batchSize: number;
  lr: number;
  thetaLr: number;
  /**
   * Which loss θ descends (learned θ only). 'train' (default): the training batch's, with the weights (joint
   * training, the paper's setting). 'val': after each training step, one validation batch's (no dropout), for θ
   * alone: a first-order bilevel step, θ chosen for how well the network generalizes to the validation data rather
   * than for how well it fits the training data. The test data stay unseen either way.
   */
  thetaObjective?: 'train' | 'val';
  /** Seed of shuffling and dropout (the weight seed is model.seed). */
  seed: number;
  /** Write a checkpoint here after every epoch (atomic). */
  checkpoint?: string;
  /** Resume from `checkpoint` if it exists (its config must match). */
  resume?: boolean;
  log?: (line: string) => void;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  valLoss: number;
  valAcc: number;
  theta: number;
  /** The hop at the end of the epoch (moves only when learned). */
  hop?: number;
  /** Mean |∂ℒ/∂θ| over the epoch's steps, in 1/samples (0 for a fixed θ; with θ per bin, the mean over bins). */
  thetaGradAbs: number;
  seconds: number;
}

export interface Metrics {
  loss: number;
  acc: number;
}

export interface TrainResult {
  history: EpochRecord[];
  /** θ after every step (the figure), and the initial value first. */
  thetaTrace: number[];
  bestEpoch: number;
  /** Metrics of the best-validation weights. */
  train: Metrics;
  val: Metrics;
  test: Metrics;
  theta: number;
  /** Every θ (one, or one per frequency bin) and the hop, of the best-validation weights. */
  thetaValues: number[];
  hop: number;
  confusion: number[][];
  seconds: number;
  stepsPerEpoch: number;
}

function batchTensors(data: Dataset, idx: Int32Array, from: number, to: number, classes: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const L = data.length;
  const n = to - from;
  const x = new Float32Array(n * L);
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const k = idx[from + i]!;
    x.set(data.x.subarray(k * L, (k + 1) * L), i * L);
    y[i * classes + data.labels[k]!] = 1;
  }
  return { x: tf.tensor2d(x, [n, L]), y: tf.tensor2d(y, [n, classes]) };
}

/** Loss and accuracy (and optionally the confusion matrix) in inference mode. */
export function evaluate(model: Model, data: Dataset, idx: Int32Array, batchSize: number, confusion?: number[][]): Metrics {
  let loss = 0;
  let correct = 0;
  const classes = model.config.classes;
  for (let from = 0; from < idx.length; from += batchSize) {
    const to = Math.min(idx.length, from + batchSize);
    const { x, y } = batchTensors(data, idx, from, to, classes);
    const [l, pred] = tf.tidy(() => {
      const logits = model.forward(x, false);
      return [tf.sum(tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.NONE)), tf.argMax(logits, 1)];
    });
    loss += l!.dataSync()[0]!;
    const p = pred!.dataSync();
    for (let i = 0; i < p.length; i++) {
      const truth = data.labels[idx[from + i]!]!;
      if (p[i] === truth) correct++;
      if (confusion) confusion[truth]![p[i]!]!++;
    }
    tf.dispose([x, y, l!, pred!]);
  }
  return { loss: loss / Math.max(1, idx.length), acc: correct / Math.max(1, idx.length) };
}

// --- checkpoints -------------------------------------------------------------------------------------------

interface Checkpoint {
  version: 1;
  options: Omit<TrainOptions, 'log' | 'checkpoint' | 'resume'>;
  epoch: number;
  weights: Record<string, string>;
  thetaRaw: string | null;
  hopRaw?: string | null;
  theta: number;
  optNet: string[];
  optTheta: string[];
  history: EpochRecord[];
  thetaTrace: number[];
  best: { epoch: number; valAcc: number; valLoss: number } & Snapshot;
}

const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const unb64 = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

async function optimizerState(opt: tf.Optimizer): Promise<string[]> {
  const named = await opt.getWeights();
  return named.map((n) => `${n.tensor.shape.join('x')}:${b64(Float32Array.from(n.tensor.dataSync()))}`);
}

async function setOptimizerState(opt: tf.Optimizer, state: string[]): Promise<void> {
  await opt.setWeights(
    state.map((s, i) => {
      const [shape, data] = s.split(':') as [string, string];
      const dims = shape === '' ? [] : shape.split('x').map(Number);
      return { name: `state${i}`, tensor: tf.tensor(unb64(data), dims) };
    }),
  );
}

interface Snapshot {
  weights: Record<string, string>;
  thetaRaw: string | null;
  /** Only with a learned hop (absent otherwise, so older checkpoints read the same). */
  hopRaw?: string | null;
}

function snapshot(model: Model): Snapshot {
  return {
    weights: Object.fromEntries(model.weights.map((w) => [w.name, b64(Float32Array.from(w.variable.dataSync()))])),
    thetaRaw: model.thetaRaw ? b64(Float32Array.from(model.thetaRaw.dataSync())) : null,
    ...(model.hopRaw ? { hopRaw: b64(Float32Array.from(model.hopRaw.dataSync())) } : {}),
  };
}

function restore(model: Model, s: Snapshot): void {
  for (const w of model.weights) w.variable.assign(tf.tensor(unb64(s.weights[w.name]!), w.variable.shape));
  if (model.thetaRaw && s.thetaRaw) model.thetaRaw.assign(tf.tensor(unb64(s.thetaRaw), model.thetaRaw.shape));
  if (model.hopRaw && s.hopRaw) model.hopRaw.assign(tf.tensor(unb64(s.hopRaw), model.hopRaw.shape));
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

// --- the loop ----------------------------------------------------------------------------------------------

export async function train(data: Dataset, split: { train: Int32Array; val: Int32Array; test: Int32Array }, options: TrainOptions): Promise<TrainResult> {
  const { epochs, batchSize, lr, thetaLr, seed, checkpoint, resume = false, log = () => {} } = options;
  const thetaObjective = options.thetaObjective ?? 'train';
  if (thetaObjective !== 'train' && thetaObjective !== 'val') {
    throw new Error(`thetaObjective = ${JSON.stringify(thetaObjective)}: unknown. Fix: use 'train' (joint training) or 'val' (θ on validation batches)`);
  }
  const thetaOnVal = thetaObjective === 'val' && options.model.learnTheta;
  if (thetaOnVal && split.val.length === 0) throw new Error('thetaObjective = "val" needs validation data, and the split has none. Fix: use a split with a validation set');
  const model = createModel(options.model);
  const optNet = tf.train.adam(lr);
  const optTheta = tf.train.adam(thetaLr);
  const vars = model.weights.map((w) => w.variable);
  // the transform's learned parameters (θ, and the hop if learned): their own Adam, on the training loss with the
  // weights, or on validation batches
  const transformVars = [model.thetaRaw, model.hopRaw].filter((v): v is tf.Variable => v !== null);
  const allVars = !thetaOnVal ? [...vars, ...transformVars] : vars;
  const history: EpochRecord[] = [];
  const thetaTrace: number[] = [model.theta()];
  let best = { epoch: 0, valAcc: -1, valLoss: Infinity, ...snapshot(model) };
  let startEpoch = 1;
  const stored = { ...options } as Partial<TrainOptions>;
  delete stored.log;
  delete stored.checkpoint;
  delete stored.resume;

  if (checkpoint && resume && existsSync(checkpoint)) {
    const ck = JSON.parse(readFileSync(checkpoint, 'utf8')) as Checkpoint;
    // every setting must match except the number of epochs (a run may be extended)
    const same = (o: Partial<TrainOptions>) => JSON.stringify({ ...o, epochs: 0 });
    if (same(ck.options) !== same(stored)) {
      throw new Error(`${checkpoint}: this checkpoint was made with other settings (${JSON.stringify(ck.options)}). Fix: resume with the same settings, or start a new run without --resume`);
    }
    restore(model, ck);
    await setOptimizerState(optNet, ck.optNet);
    if (transformVars.length > 0 && ck.optTheta.length > 0) await setOptimizerState(optTheta, ck.optTheta);
    // loops, not push(...) / splice(..., ...): a long run's trace passes the engine's argument limit
    for (const h of ck.history) history.push(h);
    thetaTrace.length = 0;
    for (const t of ck.thetaTrace) thetaTrace.push(t);
    best = { ...ck.best };
    startEpoch = ck.epoch + 1;
    log(`resumed from ${checkpoint} after epoch ${ck.epoch} (θ = ${model.theta().toFixed(3)})`);
  }

  const started = Date.now();
  const steps = Math.ceil(split.train.length / batchSize);
  for (let epoch = startEpoch; epoch <= epochs; epoch++) {
    const t0 = Date.now();
    const order = shuffled(split.train.length, seed * 100_003 + epoch);
    const idx = Int32Array.from(order, (k) => split.train[k]!);
    // θ on validation: batches drawn from a fresh shuffle of the validation set every epoch, cycled
    const valIdx = thetaOnVal ? Int32Array.from(shuffled(split.val.length, seed * 100_019 + epoch), (k) => split.val[k]!) : null;
    let valAt = 0;
    let lossSum = 0;
    let correct = 0;
    let gradAbs = 0;
    for (let s = 0; s < steps; s++) {
      const from = s * batchSize;
      const to = Math.min(idx.length, from + batchSize);
      const { x, y } = batchTensors(data, idx, from, to, model.config.classes);
      const dropoutSeed = (seed * 7919 + epoch * 104_729 + s) % 2_147_483_647;
      let pred: tf.Tensor | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const logits = model.forward(x, true, dropoutSeed);
        pred = tf.keep(tf.argMax(logits, 1));
        return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      }, allVars);
      optNet.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
      if (transformVars.length > 0) {
        let g = transformVars.map((v) => grads[v.name]!);
        let held: tf.Tensor[] = [];
        if (valIdx) {
          // θ on validation: the next validation batch (cycled), dropout off, gradient for θ alone
          const vFrom = valAt;
          const vTo = Math.min(valIdx.length, vFrom + batchSize);
          valAt = vTo >= valIdx.length ? 0 : vTo;
          const vb = batchTensors(data, valIdx, vFrom, vTo, model.config.classes);
          const vg = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(vb.y, model.forward(vb.x, false, 0)) as tf.Scalar, transformVars);
          g = transformVars.map((v) => vg.grads[v.name]!);
          held = [vb.x, vb.y, vg.value, ...Object.values(vg.grads)];
        }
        if (model.thetaRaw) {
          const gTheta = g[0]!.dataSync();
          const slope = model.thetaSlope();
          let sum = 0;
          for (let i = 0; i < gTheta.length; i++) sum += Math.abs(gTheta[i]! / slope[i]!);
          gradAbs += sum / gTheta.length;
        }
        optTheta.applyGradients(transformVars.map((v, i) => ({ name: v.name, tensor: g[i]! })));
        tf.dispose(held);
      }
      lossSum += value.dataSync()[0]! * (to - from);
      const p = (pred as tf.Tensor | null)!.dataSync();
      for (let i = 0; i < p.length; i++) if (p[i] === data.labels[idx[from + i]!]) correct++;
      thetaTrace.push(model.theta());
      tf.dispose([x, y, value, pred!, ...Object.values(grads)]);
    }
    const val = evaluate(model, data, split.val, 64);
    const rec: EpochRecord = {
      epoch,
      trainLoss: lossSum / idx.length,
      trainAcc: correct / idx.length,
      valLoss: val.loss,
      valAcc: val.acc,
      theta: model.theta(),
      ...(model.hopRaw ? { hop: model.hop() } : {}),
      thetaGradAbs: model.thetaRaw ? gradAbs / steps : 0,
      seconds: (Date.now() - t0) / 1000,
    };
    history.push(rec);
    if (val.acc > best.valAcc || (val.acc === best.valAcc && val.loss < best.valLoss)) best = { epoch, valAcc: val.acc, valLoss: val.loss, ...snapshot(model) };
    log(
      `epoch ${String(epoch).padStart(3)}/${epochs}  train loss ${rec.trainLoss.toFixed(4)} acc ${(100 * rec.trainAcc).toFixed(1)}%  ` +
        `val loss ${rec.valLoss.toFixed(4)} acc ${(100 * rec.valAcc).toFixed(1)}%  θ ${rec.theta.toFixed(2)}${model.thetaValues().length > 1 ? ' (mean over bins)' : ''}` +
        (model.hopRaw ? `  hop ${model.hop().toFixed(2)}` : '') +
        (model.thetaRaw ? `  |∂ℒ/∂θ| ${rec.thetaGradAbs.toExponential(2)}` : '') +
        `  ${rec.seconds.toFixed(1)} s`,
    );
    if (checkpoint) {
      const ck: Checkpoint = {
        version: 1,
        options: stored as Checkpoint['options'],
        epoch,
        ...snapshot(model),
        theta: model.theta(),
        optNet: await optimizerState(optNet),
        optTheta: transformVars.length > 0 ? await optimizerState(optTheta) : [],
        history,
        thetaTrace,
        best,
      };
      writeAtomic(checkpoint, JSON.stringify(ck));
    }
  }

  restore(model, best);
  const confusion = Array.from({ length: model.config.classes }, () => new Array<number>(model.config.classes).fill(0));
  const result: TrainResult = {
    history,
    thetaTrace,
    bestEpoch: best.epoch,
    train: evaluate(model, data, split.train, 64),
    val: evaluate(model, data, split.val, 64),
    test: evaluate(model, data, split.test, 64, confusion),
    theta: model.theta(),
    thetaValues: model.thetaValues(),
    hop: model.hop(),
    confusion,
    seconds: (Date.now() - started) / 1000 + history.slice(0, startEpoch - 1).reduce((a, h) => a + h.seconds, 0),
    stepsPerEpoch: steps,
  };
  model.dispose();
  optNet.dispose();
  optTheta.dispose();
  return result;
}
