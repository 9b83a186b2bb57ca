/**
 * Paper Sec. VI-A: a chirp, a close stationary tone and a transient. Constant θ by entropy (grid search of 901
 * candidates versus the robust gradient strategy), then a time-frequency-varying θ from the constant optimum, with
 * and without the smoothness regularizer.
 */
import {
  chirpToneBurst,
  createDstft,
  gridSearch,
  optimize,
  optimizeConstantTheta,
  type DstftOptions,
  type OptimizeResult,
  throwIfAborted,
  type AbortSignalLike,
} from '@dstft/dstft';
import { hstack, lineFigure, mapFigure, spectrogramFigure, vstack, type Image } from '@dstft/plot';
import { round } from '@dstft/node-io';
import type { Log } from './registry.js';

export interface ViAConfig {
  sampleRate: number;
  duration: number;
  nFft: number;
  hop: number;
  /** Grid of the baseline: θ from, to, step. */
  grid: { from: number; to: number; step: number };
  /** Scan size and refined starts of the robust strategy. */
  scan: number;
  starts: number;
  /** TF-varying stage: Adam iterations, learning rate (samples per step), θ bounds, smoothness weight λ. */
  tf: { iterations: number; lr: number; thetaMin: number; lambda: number; delta: number };
}

/**
 * The paper's VI-A setting: 1 s at 8 kHz, nFft 1024, a 901-point θ grid from 100 to 1000 against the robust gradient
 * route, then a TF-varying θ.
 */
export const VI_A_FULL: ViAConfig = {
  sampleRate: 8000,
  duration: 1,
  nFft: 1024,
  hop: 64,
  grid: { from: 100, to: 1000, step: 1 },
  scan: 24,
  starts: 3,
  tf: { iterations: 60, lr: 10, thetaMin: 32, lambda: 1e-7, delta: 1 },
};

/** A reduced size for tests and quick looks (same signal shape, 0.5 s at 8 kHz, N = 512, hop 64). */
export const VI_A_QUICK: ViAConfig = {
  sampleRate: 8000,
  duration: 0.5,
  nFft: 512,
  hop: 64,
  grid: { from: 50, to: 512, step: 1 },
  scan: 12,
  starts: 2,
  tf: { iterations: 25, lr: 8, thetaMin: 16, lambda: 1e-7, delta: 1 },
};

/** What an experiment returns: a JSON summary (numbers, settings) and its figures as images, by file name. */
export interface ExperimentOutput {
  summary: Record<string, unknown>;
  figures: Record<string, Image>;
}


function history(r: OptimizeResult) {
  return r.history.map((h) => ({ iteration: h.iteration, loss: round(h.loss, 8), gradNorm: round(h.gradNorm, 4) }));
}

/** Sum over horizontal and vertical neighbour pairs of |Δθ| per pair, averaged: how rough a θ map is. */
export function meanAbsNeighbourDiff(theta: Float64Array, rows: number, cols: number): number {
  let acc = 0;
  let pairs = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = theta[r * cols + c]!;
      if (c + 1 < cols) {
        acc += Math.abs(v - theta[r * cols + c + 1]!);
        pairs++;
      }
      if (r + 1 < rows) {
        acc += Math.abs(v - theta[(r + 1) * cols + c]!);
        pairs++;
      }
    }
  }
  return pairs ? acc / pairs : 0;
}

/**
 * Runs the paper's Sec. VI-A experiment (entropy-optimal constant θ by grid and by gradient, then a TF-varying θ map)
 * and returns its summary and figures; `log` receives progress lines.
 */
export function runViA(config: ViAConfig = VI_A_FULL, log: Log = () => {}, signal?: AbortSignalLike): ExperimentOutput {
  const stop = { ...(signal !== undefined ? { signal } : {}) };
  const { samples, sampleRate } = chirpToneBurst({ sampleRate: config.sampleRate, duration: config.duration });
  const L = samples.length;
  const base: DstftOptions = {
    nFft: config.nFft,
    hop: config.hop,
    signalLength: L,
    sampleRate,
    window: 'hann',
    windowMode: 'constant',
    thetaMin: config.grid.from,
    thetaMax: config.grid.to,
    theta: config.grid.to,
  };
  const entropy = { loss: 'shannon' as const };

  // 1. the baseline: grid search over every candidate
  log(`grid search: θ = ${config.grid.from}..${config.grid.to} step ${config.grid.step}`);
  const gridDstft = createDstft(base);
  const grid = gridSearch(gridDstft, samples, { ...entropy, thetas: config.grid, ...stop });
  const localMinima: number[] = [];
  for (let k = 1; k + 1 < grid.losses.length; k++) {
    if (grid.losses[k]! < grid.losses[k - 1]! && grid.losses[k]! <= grid.losses[k + 1]!) localMinima.push(grid.thetas[k]!);
  }
  log(`  best θ = ${grid.best.theta}, H = ${grid.best.loss.toFixed(6)}, ${grid.forward} transforms, ${grid.wallTimeMs.toFixed(0)} ms`);

  // 2. the robust gradient strategy: scan, then bounded L-BFGS in the best basins
  log(`robust constant θ: scan of ${config.scan}, ${config.starts} refined starts`);
  const robustDstft = createDstft(base);
  const robust = optimizeConstantTheta(robustDstft, samples, { ...entropy, scan: config.scan, starts: config.starts, ...stop });
  const transforms = robust.forward + robust.backward;
  log(`  θ = ${robust.theta.toFixed(3)}, H = ${robust.loss.toFixed(6)}, ${robust.forward} forward + ${robust.backward} backward, ${robust.wallTimeMs.toFixed(0)} ms`);

  // 3. what a single gradient start does (the loss is not convex): L-BFGS from θ = upper bound
  const singleDstft = createDstft(base);
  const single = optimize(singleDstft, samples, { ...entropy, optimizer: 'lbfgs', maxIterations: 50, tolerance: { grad: 1e-9, loss: 1e-12 }, ...stop });
  throwIfAborted(signal, 'vi-a');
  const singleTheta = singleDstft.params.theta[0]!;
  log(`  single L-BFGS start from θ = ${config.grid.to}: θ = ${singleTheta.toFixed(3)}, H = ${single.loss.toFixed(6)}`);

  // 4. TF-varying θ from the constant optimum, with and without the smoothness regularizer
  const tfOptions: DstftOptions = { ...base, windowMode: 'time-frequency', thetaMin: config.tf.thetaMin, thetaMax: config.nFft, theta: robust.theta };
  const runTf = (lambda: number) => {
    const d = createDstft(tfOptions);
    const r = optimize(d, samples, {
      ...entropy,
      regularizers: lambda > 0 ? [{ id: 'tf-smoothness', weight: lambda, options: { delta: config.tf.delta } }] : [],
      optimizer: { id: 'adam', options: { lr: config.tf.lr } },
      maxIterations: config.tf.iterations,
      ...stop,
    });
    throwIfAborted(signal, 'vi-a');
    return { d, r };
  };
  log(`TF-varying θ with smoothness λ = ${config.tf.lambda} (${config.tf.iterations} Adam iterations)`);
  const tfReg = runTf(config.tf.lambda);
  log(`  H = ${tfReg.r.terms.loss.toFixed(6)} (total ${tfReg.r.loss.toFixed(6)}), ${tfReg.r.wallTimeMs.toFixed(0)} ms`);
  log('TF-varying θ without the regularizer');
  const tfFree = runTf(0);
  log(`  H = ${tfFree.r.terms.loss.toFixed(6)}, ${tfFree.r.wallTimeMs.toFixed(0)} ms`);
  const F = tfReg.d.freqs;
  const T = tfReg.d.frames;

  const summary = {
    experiment: 'VI-A',
    signal: {
      name: 'chirpToneBurst',
      definition: 'sin(2π(1000 t + 500 t²/D)) + 0.8 sin(2π·900 t) + 1.5 e^{-(t-0.6D)²/(2·0.004²)} sin(2π·3000 t)',
      sampleRate,
      duration: config.duration,
      samples: L,
    },
    transform: { nFft: config.nFft, hop: config.hop, window: 'hann', power: 1, loss: 'shannon (Eq. 26)' },
    grid: {
      candidates: grid.thetas.length,
      bestTheta: grid.best.theta,
      bestEntropy: round(grid.best.loss, 10),
      transforms: grid.forward,
      wallTimeMs: round(grid.wallTimeMs, 4),
      localMinima,
    },
    robust: {
      theta: round(robust.theta, 8),
      entropy: round(robust.loss, 10),
      distanceToGridBest: round(Math.abs(robust.theta - grid.best.theta), 4),
      entropyMinusGridBest: robust.loss - grid.best.loss,
      forward: robust.forward,
      backward: robust.backward,
      transforms,
      transformsVsGrid: round(transforms / grid.forward, 4),
      wallTimeMs: round(robust.wallTimeMs, 4),
      scan: Array.from(robust.scan.thetas, (t, k) => ({ theta: round(t, 6), entropy: round(robust.scan.losses[k]!, 8) })),
      refinements: robust.refinements.map((r) => ({ ...r, theta: round(r.theta, 8), loss: round(r.loss, 10) })),
    },
    singleStart: {
      from: config.grid.to,
      theta: round(singleTheta, 8),
      entropy: round(single.loss, 10),
      iterations: single.iterations,
      note: 'one L-BFGS start from the upper bound: where plain descent ends on a non-convex loss',
    },
    tfVarying: {
      start: 'constant optimum (robust)',
      shape: [F, T],
      thetaBounds: [config.tf.thetaMin, config.nFft],
      optimizer: { id: 'adam', lr: config.tf.lr, iterations: config.tf.iterations },
      withSmoothness: {
        lambda: config.tf.lambda,
        delta: config.tf.delta,
        entropy: round(tfReg.r.terms.loss, 10),
        total: round(tfReg.r.loss, 10),
        iterations: tfReg.r.iterations,
        wallTimeMs: round(tfReg.r.wallTimeMs, 4),
        meanAbsNeighbourDiff: round(meanAbsNeighbourDiff(tfReg.d.params.theta, F, T), 6),
        history: history(tfReg.r),
      },
      withoutRegularizer: {
        entropy: round(tfFree.r.terms.loss, 10),
        iterations: tfFree.r.iterations,
        wallTimeMs: round(tfFree.r.wallTimeMs, 4),
        meanAbsNeighbourDiff: round(meanAbsNeighbourDiff(tfFree.d.params.theta, F, T), 6),
        history: history(tfFree.r),
      },
    },
    benchmark: {
      gridMs: round(grid.wallTimeMs, 4),
      robustGradientMs: round(robust.wallTimeMs, 4),
      speedup: round(grid.wallTimeMs / robust.wallTimeMs, 3),
    },
  };

  // figures
  const specOf = (opts: DstftOptions, theta?: Float64Array) => {
    const d = createDstft(opts);
    if (theta) d.params.theta.set(theta);
    return d.forward(samples);
  };
  const axes = (r: ReturnType<typeof specOf>) => ({ freqs: r.freqs, frames: r.frames, times: r.times, frequencies: r.frequencies, power: 1 as const });
  const initial = specOf({ ...base, theta: config.nFft > config.grid.to ? config.grid.to : config.nFft });
  const constant = specOf({ ...base, theta: robust.theta });
  const tfS = specOf(tfOptions, tfReg.d.params.theta);
  const tfFreeS = specOf(tfOptions, tfFree.d.params.theta);
  const figures: Record<string, Image> = {
    'spectrograms.png': vstack([
      hstack([
        spectrogramFigure(initial.spec, { ...axes(initial), title: `Fixed θ = ${base.theta} (H = ${grid.losses[grid.losses.length - 1]!.toFixed(3)})` }),
        spectrogramFigure(constant.spec, { ...axes(constant), title: `Constant optimum θ = ${robust.theta.toFixed(1)} (H = ${robust.loss.toFixed(3)})` }),
      ]),
      hstack([
        spectrogramFigure(tfS.spec, { ...axes(tfS), title: `TF-varying θ, λ = ${config.tf.lambda} (H = ${tfReg.r.terms.loss.toFixed(3)})` }),
        spectrogramFigure(tfFreeS.spec, { ...axes(tfFreeS), title: `TF-varying θ, no regularizer (H = ${tfFree.r.terms.loss.toFixed(3)})` }),
      ]),
    ]),
    'theta-maps.png': hstack([
      mapFigure(tfReg.d.params.theta, F, T, { times: tfS.times, frequencies: tfS.frequencies, title: `θ map with smoothness (λ = ${config.tf.lambda})`, colorbarLabel: 'θ (samples)' }),
      mapFigure(tfFree.d.params.theta, F, T, { times: tfS.times, frequencies: tfS.frequencies, title: 'θ map without regularizer', colorbarLabel: 'θ (samples)' }),
    ]),
    'entropy-vs-theta.png': lineFigure(
      [
        { x: Array.from(grid.thetas), y: Array.from(grid.losses), label: `grid (${grid.thetas.length} forward transforms)` },
        { x: Array.from(robust.scan.thetas), y: Array.from(robust.scan.losses), label: `scan (${robust.scan.thetas.length})`, line: false },
        { x: robust.refinements.map((r) => r.theta), y: robust.refinements.map((r) => r.loss), label: 'refined (L-BFGS)', line: false },
      ],
      { title: 'Entropy versus constant window length', xLabel: 'θ (samples)', yLabel: 'Shannon entropy (nats)' },
    ),
    'loss-curves.png': lineFigure(
      [
        { x: tfReg.r.history.map((h) => h.iteration), y: tfReg.r.history.map((h) => h.loss), label: `entropy + λR (λ = ${config.tf.lambda})` },
        { x: tfFree.r.history.map((h) => h.iteration), y: tfFree.r.history.map((h) => h.loss), label: 'entropy, no regularizer' },
      ],
      { title: 'TF-varying θ: loss per Adam iteration', xLabel: 'iteration', yLabel: 'loss (nats)' },
    ),
  };
  return { summary, figures };
}
