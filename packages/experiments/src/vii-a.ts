/**
 * Paper Sec. VII-A: task-driven learning. One global window length θ learned over a data set of noisy
 * variable-period sines by minimising the tracking MSE of the spectrogram's frequency estimate (Eq. 33-34), with
 * minibatch Adam; the loss as a function of θ over the data set; the held-out MSE of the learned θ against a handful
 * of fixed θ values.
 */
import { createDstft, evaluateTask, frequencyTracking, throwIfAborted, trainTask, type AbortSignalLike, type TaskExample } from '@dstft/dstft';
import { lineFigure, vstack, type Image } from '@dstft/plot';
import { round } from '@dstft/node-io';
import type { ExperimentOutput } from './vi-a.js';
import type { Log } from './registry.js';

export interface ViiAConfig {
  /** Data set: sizes and seeds of the three splits, signal length, generator ranges. */
  data: {
    train: number;
    validation: number;
    test: number;
    seeds: [number, number, number];
    length: number;
    sampleRate: number;
    centre: [number, number];
    deviation: [number, number];
    rate: [number, number];
    snrDb: [number, number];
  };
  nFft: number;
  hop: number;
  /** Band of the frequency estimate (Hz). */
  band: [number, number];
  thetaRange: [number, number];
  /** θ values of the loss curve (validation set). */
  curve: number[];
  /** The fixed θ values a user would try. */
  fixed: number[];
  train: { start: number; epochs: number; batchSize: number; lr: number; seed: number };
}

/**
 * The paper's VII-A setting: noisy variable-period sines (256 train / 64 validation / 128 test, 3 seeds, 2048 samples
 * at 1 kHz), nFft 512, hop 16.
 */
export const VII_A_FULL: ViiAConfig = {
  data: { train: 256, validation: 64, test: 128, seeds: [1, 2, 3], length: 2048, sampleRate: 1000, centre: [100, 350], deviation: [10, 60], rate: [1, 4], snrDb: [0, 10] },
  nFft: 512,
  hop: 16,
  band: [50, 450],
  thetaRange: [16, 512],
  curve: [16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 320, 384, 448, 512],
  fixed: [32, 64, 128, 256, 512],
  train: { start: 400, epochs: 12, batchSize: 16, lr: 12, seed: 1 },
};

/** A reduced VII-A for tests and quick looks (smaller data sets, 1024 samples, nFft 256, 6 epochs). */
export const VII_A_QUICK: ViiAConfig = {
  ...VII_A_FULL,
  data: { ...VII_A_FULL.data, train: 48, validation: 16, test: 32, length: 1024 },
  nFft: 256,
  thetaRange: [16, 256],
  curve: [16, 32, 64, 96, 128, 160, 192, 256],
  fixed: [32, 64, 128, 256],
  train: { start: 240, epochs: 6, batchSize: 8, lr: 12, seed: 1 },
};


/**
 * Runs the paper's Sec. VII-A experiment (one θ learned for the frequency-tracking task, compared with fixed θ on
 * held-out data) and returns its summary and figures.
 */
export function runViiA(config: ViiAConfig = VII_A_FULL, log: Log = () => {}, signal?: AbortSignalLike): ExperimentOutput {
  const { data } = config;
  const gen = { length: data.length, sampleRate: data.sampleRate, centre: data.centre, deviation: data.deviation, rate: data.rate, snrDb: data.snrDb };
  const split = (count: number, seed: number): TaskExample[] => frequencyTracking.generate!(count, seed, gen);
  const train = split(data.train, data.seeds[0]);
  const validation = split(data.validation, data.seeds[1]);
  const test = split(data.test, data.seeds[2]);
  const task = { id: 'frequency-tracking', options: { band: config.band } };
  const d = createDstft({ nFft: config.nFft, signalLength: data.length, sampleRate: data.sampleRate, hop: config.hop, power: 2, window: 'hann', thetaMin: config.thetaRange[0], thetaMax: config.thetaRange[1], theta: config.train.start });

  // 1. the loss as a function of θ over the validation set
  log(`loss curve: ${config.curve.length} values of θ on ${validation.length} validation signals`);
  const curve = config.curve.map((theta) => {
    throwIfAborted(signal, 'vii-a');
    d.params.theta[0] = theta;
    return { theta, loss: evaluateTask(d, task, validation) };
  });
  const curveBest = curve.reduce((a, b) => (b.loss < a.loss ? b : a));
  log(`  lowest at θ = ${curveBest.theta}: ${curveBest.loss.toFixed(3)} Hz²`);

  // 2. learn θ by minibatch Adam (cosine-decayed lr)
  d.params.theta[0] = config.train.start;
  const steps = config.train.epochs * Math.ceil(train.length / config.train.batchSize);
  log(`training: θ from ${config.train.start}, ${config.train.epochs} epochs × ${Math.ceil(train.length / config.train.batchSize)} minibatches of ${config.train.batchSize}, Adam lr ${config.train.lr} (cosine)`);
  const res = trainTask(d, {
    task,
    train,
    validation,
    batchSize: config.train.batchSize,
    epochs: config.train.epochs,
    seed: config.train.seed,
    optimizer: { id: 'adam', options: { lr: config.train.lr, schedule: { kind: 'cosine', total: steps, min: 0.05 } } },
    ...(signal !== undefined ? { signal } : {}),
    onEpoch: (e) => log(`  epoch ${e.epoch}: θ = ${e.theta[0]!.toFixed(2)}, train ${e.trainLoss.toFixed(3)}, validation ${e.validationLoss!.toFixed(3)}`),
  });
  throwIfAborted(signal, 'vii-a');
  const learned = d.params.theta[0];

  // 3. held-out (test) MSE: learned θ against the fixed values
  const testMse = (theta: number): number => {
    throwIfAborted(signal, 'vii-a');
    d.params.theta[0] = theta;
    return evaluateTask(d, task, test);
  };
  const fixed = config.fixed.map((theta) => ({ theta, testMse: testMse(theta) }));
  const learnedMse = testMse(learned);
  d.params.theta[0] = learned;
  const bestFixed = fixed.reduce((a, b) => (b.testMse < a.testMse ? b : a));
  log(`  test MSE: learned θ = ${learned.toFixed(2)}: ${learnedMse.toFixed(3)} Hz²; fixed ${fixed.map((f) => `${f.theta}: ${f.testMse.toFixed(3)}`).join(', ')}`);

  const summary = {
    experiment: 'VII-A',
    data: {
      generator: 'variablePeriodSines (@dstft/tracking): sin(φ), φ′ = 2π f(t), f(t) = f0 + Δ sin(2π r t + ψ), white Gaussian noise at an SNR drawn per signal',
      ...data,
    },
    transform: { nFft: config.nFft, hop: config.hop, window: 'hann', power: 2, thetaRange: config.thetaRange },
    task: { id: 'frequency-tracking', band: config.band, loss: 'mean over signals and frames of (f̂_n − f(t_n))², f̂_n = Δf Σ m S / Σ S within the band (Eq. 33-34)' },
    curve: curve.map((c) => ({ theta: c.theta, validationMse: round(c.loss, 6) })),
    training: {
      start: config.train.start,
      learnedTheta: round(learned, 6),
      epochs: config.train.epochs,
      batchSize: config.train.batchSize,
      steps: res.steps,
      optimizer: res.settings['optimizer'],
      wallTimeMs: round(res.wallTimeMs, 4),
      forward: res.forward,
      backward: res.backward,
      history: res.history.map((h) => ({ epoch: h.epoch, theta: round(h.theta[0]!, 6), trainMse: round(h.trainLoss, 6), validationMse: round(h.validationLoss ?? NaN, 6) })),
    },
    test: {
      learned: { theta: round(learned, 6), mse: round(learnedMse, 6) },
      fixed: fixed.map((f) => ({ theta: f.theta, mse: round(f.testMse, 6) })),
      bestFixed: { theta: bestFixed.theta, mse: round(bestFixed.testMse, 6) },
      learnedBeatsBestFixed: learnedMse < bestFixed.testMse,
    },
  };

  const figures: Record<string, Image> = {
    'loss-curve.png': vstack([
      lineFigure(
        [
          { x: curve.map((c) => c.theta), y: curve.map((c) => c.loss), label: 'validation MSE', marker: 'circle' },
          { x: [learned, learned], y: [curve.reduce((a, c) => Math.min(a, c.loss), Infinity), curve.reduce((a, c) => Math.max(a, c.loss), -Infinity)], label: `learned θ = ${learned.toFixed(1)}`, dashed: true },
        ],
        { title: 'VII-A: tracking MSE as a function of θ', xLabel: 'θ (samples)', yLabel: 'MSE (Hz²)' },
      ),
      lineFigure(
        [
          { x: res.history.map((h) => h.epoch), y: res.history.map((h) => h.theta[0]!), label: 'θ after each epoch', marker: 'circle' },
        ],
        { title: 'Learned θ over training', xLabel: 'epoch', yLabel: 'θ (samples)' },
      ),
    ]),
  };
  return { summary, figures };
}
