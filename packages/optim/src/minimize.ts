/**
 * The optimization loop, in a step-wise form (`createMinimizer`: one iteration per `next()` call, what a
 * Web-Worker UI needs to check for a stop message between iterations) and a run-to-the-end form (`minimize`,
 * built on it). Works with any OptimizerInstance.
 */
import {
  AbortError,
  ParameterError,
  StateError,
  throwIfAborted,
  type AbortSignalLike,
  assertInRange,
  assertInteger,
  type Objective,
  type OptimizerInstance,
  type ParamGroup,
} from '@dstft/core';
import { checkOptionKeys } from './groups.js';

/** Structural subset of the DOM / Node `AbortSignal` (any real AbortSignal fits); defined in @dstft/core. */
export type { AbortSignalLike };

export type StopReason = 'max-iterations' | 'loss-tolerance' | 'grad-tolerance' | 'patience' | 'converged' | 'aborted' | 'callback';

/** One record per iteration. */
export interface MinimizeProgress {
  /** Completed iterations (1 for the first record). */
  readonly iteration: number;
  /** Loss at the values after this iteration. */
  readonly loss: number;
  /** L2 norm of the gradient after this iteration, over all groups (not projected onto the bounds). */
  readonly gradNorm: number;
  /** Objective calls so far, the initial evaluation and line-search calls included. */
  readonly evaluations: number;
  /** Copies of every group's values after this iteration; only with `snapshot: true`. */
  readonly values?: Float64Array[];
  /** Milliseconds since the minimizer was created (for display only). */
  readonly elapsedMs: number;
}

/**
 * Options of {@link minimize} / {@link createMinimizer}: the groups, the objective, the optimizer instance and the
 * stopping rules (iterations, tolerances, patience, abort).
 */
export interface MinimizeOptions {
  /** The groups the optimizer was created with (same objects, same order). */
  readonly groups: readonly ParamGroup[];
  /** Loss at the groups' current values; writes one gradient array per group. */
  readonly objective: Objective;
  /** An instance from `plugin.create(groups, options)`. */
  readonly optimizer: OptimizerInstance;
  /** Most iterations (integer ≥ 0). */
  readonly maxIterations: number;
  readonly tolerance?: {
    /** Stop when |loss - previous loss| ≤ loss·max(|loss|, |previous loss|). */
    readonly loss?: number;
    /** Stop when the largest |projected gradient| entry is ≤ grad (entries on a bound pointing outward count 0). */
    readonly grad?: number;
  };
  /** Stop after this many consecutive iterations that did not lower the best loss by more than `minDelta`. */
  readonly patience?: number;
  /** Improvement (absolute, in loss units) that resets the patience counter; default 0. */
  readonly minDelta?: number;
  /** Called with every record; return `false` to stop (stopReason 'callback'). */
  readonly onProgress?: (progress: MinimizeProgress) => void | false;
  /** Checked once per iteration, before the step (stopReason 'aborted'). */
  readonly signal?: AbortSignalLike;
  /** Include a copy of the values in every progress record (default false: cheap records). */
  readonly snapshot?: boolean;
}

/**
 * Outcome of a minimization: the loss at the values left in the groups, iterations and evaluations made, and why it
 * stopped.
 */
export interface MinimizeResult {
  /**
   * Loss at the values the groups hold on return: the lowest loss seen, except that a later point whose loss
   * ties it to rounding (within 1e-12 relative) is preferred (near a shallow optimum the loss stops resolving
   * progress that the gradient still makes).
   */
  readonly loss: number;
  /** Loss at the starting values. */
  readonly initialLoss: number;
  readonly iterations: number;
  /** Objective calls, the initial evaluation and line-search calls included. */
  readonly evaluations: number;
  readonly stopReason: StopReason;
  /** One record per iteration. */
  readonly history: MinimizeProgress[];
}

/**
 * A minimization run driven step by step (`next()` until `done`, then `result()`), for callers that report or render
 * between iterations.
 */
export interface Minimizer {
  /** Runs one iteration and returns its record, or null once the run has stopped (then see `result()`). */
  next(): MinimizeProgress | null;
  /** True once stopped; the groups then hold the best values seen. */
  readonly done: boolean;
  readonly stopReason: StopReason | null;
  /** Loss at the groups' current values. */
  readonly loss: number;
  /** Loss at the best values so far (see MinimizeResult.loss). */
  readonly bestLoss: number;
  readonly iterations: number;
  readonly evaluations: number;
  /** Stops now (reason 'aborted' unless already stopped), restores the best values, returns the result. */
  stop(): MinimizeResult;
  /** The result of a stopped run; StateError while it is still running. */
  result(): MinimizeResult;
  /** The result, ending the run first (as `stop()`) if it is still running. */
  finish(): MinimizeResult;
}

/** Relative loss difference treated as a tie when picking the best values (a few thousand ulps). */
const TIE = 1e-12;

const KNOWN = ['groups', 'objective', 'optimizer', 'maxIterations', 'tolerance', 'patience', 'minDelta', 'onProgress', 'signal', 'snapshot'] as const;

function now(): number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf !== undefined ? perf.now() : Date.now();
}

function checkMinimizeOptions(options: MinimizeOptions): void {
  const o = checkOptionKeys('minimize', options, KNOWN);
  const groups = o['groups'];
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new ParameterError('minimize.groups', groups, 'expected a non-empty array of parameter groups', 'pass the groups the optimizer was created with');
  }
  groups.forEach((g: ParamGroup, i) => {
    if (g === null || typeof g !== 'object' || !(g.values instanceof Float64Array)) {
      throw new ParameterError(`minimize.groups[${i}]`, g, 'expected a group with Float64Array values', 'pass the groups the optimizer was created with');
    }
  });
  if (typeof o['objective'] !== 'function') {
    throw new ParameterError('minimize.objective', o['objective'], 'expected a function (grads) => loss', 'pass the objective evaluated at the groups\' current values');
  }
  const opt = o['optimizer'] as OptimizerInstance | undefined;
  if (opt === null || typeof opt !== 'object' || typeof opt.step !== 'function') {
    throw new ParameterError('minimize.optimizer', opt, 'expected an optimizer instance with step()', 'pass plugin.create(groups, options), e.g. lbfgs.create(groups, {})');
  }
  assertInteger('minimize.maxIterations', o['maxIterations'], 0, 'pass the most iterations (an integer ≥ 0)');
  const tol = o['tolerance'];
  if (tol !== undefined) {
    if (tol === null || typeof tol !== 'object') {
      throw new ParameterError('minimize.tolerance', tol, 'expected { loss?, grad? }', 'pass e.g. { loss: 1e-9, grad: 1e-6 } or leave it out');
    }
    const t = checkOptionKeys('minimize.tolerance', tol, ['loss', 'grad']);
    if (t['loss'] !== undefined) assertInRange('minimize.tolerance.loss', t['loss'], 0, Number.MAX_VALUE, 'pass a relative loss change ≥ 0, e.g. 1e-9');
    if (t['grad'] !== undefined) assertInRange('minimize.tolerance.grad', t['grad'], 0, Number.MAX_VALUE, 'pass a gradient size ≥ 0, e.g. 1e-6');
  }
  if (o['patience'] !== undefined) assertInteger('minimize.patience', o['patience'], 1, 'pass a number of iterations (an integer ≥ 1)');
  if (o['minDelta'] !== undefined) assertInRange('minimize.minDelta', o['minDelta'], 0, Number.MAX_VALUE, 'pass an absolute loss improvement ≥ 0');
  if (o['onProgress'] !== undefined && typeof o['onProgress'] !== 'function') {
    throw new ParameterError('minimize.onProgress', o['onProgress'], 'expected a function', 'pass (progress) => void | false, or leave it out');
  }
  const signal = o['signal'] as AbortSignalLike | undefined;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw new ParameterError('minimize.signal', signal, 'expected an AbortSignal', 'pass controller.signal of an AbortController, or leave it out');
  }
  if (o['snapshot'] !== undefined && typeof o['snapshot'] !== 'boolean') {
    throw new ParameterError('minimize.snapshot', o['snapshot'], 'expected a boolean', 'pass true or false');
  }
}

/**
 * The step-wise loop. Evaluates the objective once at the start (now), then each `next()` call:
 * checks `signal` (also before every objective evaluation inside a step, e.g. a line search's), calls `optimizer.step(grads, { loss, iteration, objective })`, re-evaluates the objective
 * only when the step did not return the new loss and gradients, records progress, checks the stop criteria
 * (converged, grad tolerance, loss tolerance, patience, onProgress returning false, maxIterations, in that
 * order). When the run stops the groups are set to the BEST values seen (not necessarily the last ones).
 *
 * Errors thrown by the objective propagate (the groups then hold whatever values were being evaluated). A
 * non-finite loss or gradient is a StateError; the best values are restored before it is thrown.
 */
export function createMinimizer(options: MinimizeOptions): Minimizer {
  checkMinimizeOptions(options);
  const { groups, optimizer, maxIterations, onProgress, signal } = options;
  const userObjective = options.objective;
  const lossTol = options.tolerance?.loss;
  const gradTol = options.tolerance?.grad;
  const patience = options.patience;
  const minDelta = options.minDelta ?? 0;
  const snapshot = options.snapshot ?? false;
  const start = now();

  let evaluations = 0;
  // After the first evaluation every further one checks `signal` first, so an abort is seen within one
  // evaluation even inside a line search; next() turns it into stopReason 'aborted' with the best values restored.
  let armed = false;
  const objective: Objective = (g) => {
    if (armed) throwIfAborted(signal, 'minimize');
    evaluations++;
    return userObjective(g);
  };
  const grads = groups.map((g) => new Float64Array(g.values.length));
  const best = groups.map((g) => Float64Array.from(g.values));
  const lower = groups.map((g) => (g.lower === undefined ? -Infinity : g.lower));
  const upper = groups.map((g) => (g.upper === undefined ? Infinity : g.upper));
  const history: MinimizeProgress[] = [];

  let loss = objective(grads);
  armed = true;
  const initialLoss = loss;
  let bestLoss = loss; // loss at the best values
  let lowest = loss; // lowest loss seen
  let patienceBest = loss;
  let stale = 0;
  let iterations = 0;
  let stopReason: StopReason | null = null;
  let stepConverged = false;

  let gradNorm = 0;
  let projMax = 0;
  /** Sets gradNorm (L2 over all groups) and projMax (largest |projected gradient| entry). */
  function gradStats(): void {
    let ss = 0;
    projMax = 0;
    for (let j = 0; j < groups.length; j++) {
      const v = groups[j].values;
      const g = grads[j];
      const lo = lower[j];
      const hi = upper[j];
      for (let i = 0; i < g.length; i++) {
        const gi = g[i];
        ss += gi * gi;
        const outward = (v[i] <= lo && gi > 0) || (v[i] >= hi && gi < 0);
        const a = outward ? 0 : Math.abs(gi);
        if (a > projMax) projMax = a;
      }
    }
    gradNorm = Math.sqrt(ss);
  }

  function restoreBest(): void {
    for (let j = 0; j < groups.length; j++) groups[j].values.set(best[j]);
  }

  function finish(reason: StopReason): void {
    stopReason = reason;
    loss = bestLoss;
    restoreBest();
  }

  function checkFinite(where: string, norm: number): void {
    if (Number.isFinite(loss) && Number.isFinite(norm)) return;
    stopReason = 'aborted';
    const bad = loss;
    loss = bestLoss;
    restoreBest();
    throw new StateError(
      `minimize(): the objective returned loss = ${bad}${Number.isFinite(norm) ? '' : ' or a non-finite gradient'} ${where}. ` +
        'Fix: lower the learning rate, tighten the bounds, or check the objective there (the best values seen are restored)',
    );
  }

  function result(): MinimizeResult {
    if (stopReason === null) {
      throw new StateError('minimizer.result(): the run has not stopped yet. Fix: call next() until it returns null (or done is true), or call stop()');
    }
    return { loss: bestLoss, initialLoss, iterations, evaluations, stopReason, history };
  }

  {
    gradStats();
    checkFinite('at the starting values', gradNorm);
    if (gradTol !== undefined && projMax <= gradTol) finish('grad-tolerance');
    else if (maxIterations === 0) finish('max-iterations');
  }

  return {
    next(): MinimizeProgress | null {
      if (stopReason !== null) return null;
      if (signal !== undefined && signal.aborted) {
        finish('aborted');
        return null;
      }
      const previous = loss;
      let step: ReturnType<typeof optimizer.step>;
      try {
        step = optimizer.step(grads, { loss, iteration: iterations, objective });
      } catch (e) {
        if (!(e instanceof AbortError)) throw e;
        finish('aborted');
        return null;
      }
      iterations++;
      stepConverged = step.converged === true;
      if (typeof step.loss === 'number' && step.grads !== undefined) {
        loss = step.loss;
        for (let j = 0; j < grads.length; j++) if (step.grads[j] !== grads[j]) grads[j].set(step.grads[j]);
      } else {
        try {
          loss = objective(grads);
        } catch (e) {
          if (!(e instanceof AbortError)) throw e;
          finish('aborted');
          return null;
        }
      }
      gradStats();
      checkFinite(`after iteration ${iterations}`, gradNorm);
      // a later point whose loss ties the lowest one to rounding (TIE·|lowest|) wins: near a shallow optimum the
      // loss stops resolving progress the gradient still makes
      if (loss <= lowest + TIE * Math.abs(lowest)) {
        if (loss < lowest) lowest = loss;
        bestLoss = loss;
        for (let j = 0; j < groups.length; j++) best[j].set(groups[j].values);
      }
      if (loss < patienceBest - minDelta) {
        patienceBest = loss;
        stale = 0;
      } else {
        stale++;
      }
      const progress: MinimizeProgress = snapshot
        ? { iteration: iterations, loss, gradNorm, evaluations, values: groups.map((g) => Float64Array.from(g.values)), elapsedMs: now() - start }
        : { iteration: iterations, loss, gradNorm, evaluations, elapsedMs: now() - start };
      history.push(progress);

      let reason: StopReason | null = null;
      if (stepConverged) reason = 'converged';
      else if (gradTol !== undefined && projMax <= gradTol) reason = 'grad-tolerance';
      else if (lossTol !== undefined && Math.abs(loss - previous) <= lossTol * Math.max(Math.abs(loss), Math.abs(previous))) reason = 'loss-tolerance';
      else if (patience !== undefined && stale >= patience) reason = 'patience';
      const keepGoing = onProgress === undefined ? undefined : onProgress(progress);
      if (reason === null && keepGoing === false) reason = 'callback';
      if (reason === null && iterations >= maxIterations) reason = 'max-iterations';
      if (reason !== null) finish(reason);
      return progress;
    },
    get done() {
      return stopReason !== null;
    },
    get stopReason() {
      return stopReason;
    },
    get loss() {
      return loss;
    },
    get bestLoss() {
      return bestLoss;
    },
    get iterations() {
      return iterations;
    },
    get evaluations() {
      return evaluations;
    },
    stop(): MinimizeResult {
      if (stopReason === null) finish('aborted');
      return result();
    },
    finish(): MinimizeResult {
      if (stopReason === null) finish('aborted');
      return result();
    },
    result,
  };
}

/**
 * Runs `createMinimizer(options)` to the end and returns the result; on return the groups hold the BEST
 * values seen (the loss is `result.loss`).
 */
export function minimize(options: MinimizeOptions): MinimizeResult {
  const minimizer = createMinimizer(options);
  while (minimizer.next() !== null) {
    // each call is one iteration; stop criteria are checked inside
  }
  return minimizer.result();
}
