/**
 * The optimization loop of the umbrella package: tune a transform's window lengths (and frame positions) for a
 * loss + weighted regularizers by gradient descent; a grid-search baseline; and a robust strategy for a constant
 * window length, whose loss has several local minima (scan, then bounded refinement in the best basins).
 */
import { ParameterError, type RegistryView } from '@dstft/core';
import { createMinimizer, type AbortSignalLike, type MinimizeProgress, type MinimizeResult, type StopReason } from '@dstft/optim';
import type { StftPlan } from '@dstft/kernel';
import { lossToleranceOf, resolveOptimizer } from './precision.js';
import type { Dstft } from './dstft.js';
import { checkStrictOptions, objectiveOptionsOf } from './strict-options.js';
import { createObjective, type DstftObjective, type ObjectiveOptions, type ObjectiveTerms, type PluginRef } from './objective.js';

/**
 * Progress reported by {@link optimize} after each iteration: loss and its terms, gradient norm, transforms run,
 * elapsed time, and the transform itself (holding the current parameters).
 */
export interface OptimizeProgress {
  readonly iteration: number;
  /** Total objective (loss + Σ λR) at this iteration. */
  readonly loss: number;
  readonly terms: ObjectiveTerms;
  /** L2 norm of the gradient over every learnable group. */
  readonly gradNorm: number;
  /** Forward / backward transforms so far. */
  readonly forward: number;
  readonly backward: number;
  readonly elapsedMs: number;
  /** The transform's current parameters (live arrays: copy them to keep them). */
  readonly dstft: Dstft;
}

/**
 * Options of {@link optimize}: the objective (loss, regularizers), the optimizer and its stopping rules, progress and
 * abort.
 */
export interface OptimizeOptions extends ObjectiveOptions {
  /**
   * Optimizer by id with options. Default: `lbfgs` when only a constant θ (and possibly a constant hop) is learned,
   * `adam` otherwise (per-group lr: see `lr`).
   */
  optimizer?: PluginRef;
  /** Default 100. */
  maxIterations?: number;
  /**
   * Stop when the relative change of the loss or the largest projected gradient entry falls below these. No default
   * in float64; on a float32 transform (`plan.precision`) `loss` defaults to 1e-7, what float32 resolves.
   */
  tolerance?: { loss?: number; grad?: number };
  /** Stop after this many iterations without improving the best loss by more than `minDelta`. */
  patience?: number;
  minDelta?: number;
  /** Called once per iteration; return false to stop. */
  onProgress?: (p: OptimizeProgress) => void | false;
  /** Checked before every transform (e.g. an AbortController's signal): an abort stops the run with stopReason 'aborted' and the best values so far. */
  signal?: AbortSignalLike;
}

/** One iteration of an optimization run: loss, gradient norm and the forward / backward transforms run so far. */
export interface OptimizeHistoryEntry {
  readonly iteration: number;
  readonly loss: number;
  readonly gradNorm: number;
  readonly forward: number;
  readonly backward: number;
  readonly elapsedMs: number;
}

/**
 * Outcome of {@link optimize}: the best loss (the transform is left at its parameters), the starting loss, the terms,
 * the history and why it stopped.
 */
export interface OptimizeResult {
  /** Best total objective seen; the transform's parameters are left at the best values. */
  readonly loss: number;
  /** Objective at the starting parameters. */
  readonly initialLoss: number;
  /** Terms at the best parameters (evaluated once more there). */
  readonly terms: ObjectiveTerms;
  readonly iterations: number;
  readonly stopReason: StopReason;
  readonly forward: number;
  readonly backward: number;
  readonly wallTimeMs: number;
  readonly history: readonly OptimizeHistoryEntry[];
  /** Settings used (ids and options), enough to reproduce the run with the transform's `toJSON()`. */
  readonly settings: Readonly<Record<string, unknown>>;
}

const now = (): number => {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? perf.now() : Date.now();
};

function pickOptimizer(dstft: Dstft, obj: DstftObjective, ref: PluginRef | undefined): PluginRef {
  if (ref !== undefined) return ref;
  const small = obj.groups.every((g) => g.values.length === 1);
  return small && dstft.plan.windowMode === 'constant' ? 'lbfgs' : 'adam';
}

function createOptimizerInstance(registry: RegistryView, ref: PluginRef, obj: DstftObjective, plan: Pick<StftPlan, 'precision'>) {
  const { id, plugin, options } = resolveOptimizer(registry, ref, plan);
  return { id, options, instance: plugin.create(obj.groups, options) };
}

/** A running optimization, one iteration per `next()` (what a UI in a Web Worker steps through). */
export interface Optimization {
  /** One iteration; returns its progress, or null once stopped. */
  next(): OptimizeProgress | null;
  /** Stops now (stopReason 'aborted'); the parameters go to the best values seen. */
  stop(): void;
  /** Runs to the end and returns the result (also what `optimize` does). */
  run(): OptimizeResult;
  readonly done: boolean;
  /** The result, once done. */
  readonly result: OptimizeResult | null;
}

function checkIterations(n: number | undefined): number {
  const v = n ?? 100;
  if (!Number.isInteger(v) || v < 0) throw new ParameterError('maxIterations', n, 'expected an integer ≥ 0', 'pass e.g. 100');
  return v;
}

/**
 * The stopping tolerance: the caller's; on a float32 transform the loss tolerance defaults to what float32 can
 * resolve (`lossToleranceOf`), since without it a line search that has converged keeps hunting in the rounding noise
 * until maxIterations (81 iterations and 1191 transforms instead of 7 on the built-in example). Float64 keeps no default,
 * as before, so its results are unchanged.
 */
function toleranceOf(given: OptimizeOptions['tolerance'], plan: Pick<StftPlan, 'precision'>): OptimizeOptions['tolerance'] {
  if (plan.precision !== 'float32') return given;
  return { loss: lossToleranceOf(plan), ...given };
}

/** Step-wise optimization of `dstft`'s learnable parameters on `x` (one signal or a batch `[B, L]`). */
export function createOptimization(dstft: Dstft, x: Float64Array, options: OptimizeOptions = {}): Optimization {
  checkStrictOptions('optimize', options);
  const obj = createObjective(dstft, x, objectiveOptionsOf(options));
  const optRef = pickOptimizer(dstft, obj, options.optimizer);
  const { id: optimizerId, options: optimizerOptions, instance } = createOptimizerInstance(dstft.registry, optRef, obj, dstft.plan);
  const maxIterations = checkIterations(options.maxIterations);
  const tolerance = toleranceOf(options.tolerance, dstft.plan);
  const start = now();
  const history: OptimizeHistoryEntry[] = [];
  let last: OptimizeProgress | null = null;
  let result: OptimizeResult | null = null;
  const minimizer = createMinimizer({
    groups: obj.groups,
    objective: obj.objective,
    optimizer: instance,
    maxIterations,
    ...(tolerance ? { tolerance } : {}),
    ...(options.patience !== undefined ? { patience: options.patience } : {}),
    ...(options.minDelta !== undefined ? { minDelta: options.minDelta } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (p: MinimizeProgress) => {
      const entry = { iteration: p.iteration, loss: p.loss, gradNorm: p.gradNorm, forward: obj.counts.forward, backward: obj.counts.backward, elapsedMs: now() - start };
      history.push(entry);
      obj.sync();
      last = { ...entry, terms: obj.terms, dstft };
      if (options.onProgress && options.onProgress(last) === false) return false;
      return undefined;
    },
  });

  const finish = (r: MinimizeResult): OptimizeResult => {
    obj.sync(); // the minimizer restored the best values into the groups
    obj.value(); // the terms at the best values (one forward)
    result = {
      loss: r.loss,
      initialLoss: r.initialLoss,
      terms: obj.terms,
      iterations: r.iterations,
      stopReason: r.stopReason,
      forward: obj.counts.forward,
      backward: obj.counts.backward,
      wallTimeMs: now() - start,
      history,
      settings: {
        loss: options.loss ?? 'shannon',
        regularizers: options.regularizers ?? [],
        optimizer: { id: optimizerId, options: optimizerOptions },
        learn: { theta: obj.groups.some((g) => g.name === 'theta'), positions: obj.groups.some((g) => g.name !== 'theta') },
        maxIterations,
        ...(options.lr ? { lr: options.lr } : {}),
        ...(options.bounds ? { bounds: options.bounds } : {}),
        ...(tolerance ? { tolerance } : {}),
        ...(options.patience !== undefined ? { patience: options.patience, minDelta: options.minDelta ?? 0 } : {}),
      },
    };
    return result;
  };

  const self: Optimization = {
    next() {
      if (result) return null;
      last = null;
      const step = minimizer.next();
      if (step === null || minimizer.done) finish(minimizer.finish());
      return step === null ? null : last;
    },
    stop() {
      if (!result) finish(minimizer.stop());
    },
    run() {
      while (!result) self.next();
      return result as OptimizeResult;
    },
    get done() {
      return result !== null;
    },
    get result() {
      return result;
    },
  };
  return self;
}

/**
 * Optimizes the transform's learnable parameters on `x` in place (they end at the best values seen) and returns
 * the history. A constant θ alone defaults to L-BFGS, anything larger to Adam.
 */
export function optimize(dstft: Dstft, x: Float64Array, options: OptimizeOptions = {}): OptimizeResult {
  return createOptimization(dstft, x, options).run();
}
