/**
 * Constant window length: the grid-search baseline and a robust gradient strategy. The loss of a constant θ is
 * not convex (on the VI-A-type signal it has local minima near θ ≈ 540, 640, 731, 929), so plain descent from one
 * start can stop in the wrong basin. `optimizeConstantTheta` scans a few θ values (forward only), keeps the best
 * local minima of the scan, and refines each inside its bracket with bounded L-BFGS on the analytic gradient.
 */
import { ParameterError, checkAbortSignal, throwIfAborted, type AbortSignalLike } from '@dstft/core';
import { minimize } from '@dstft/optim';
import type { Dstft } from './dstft.js';
import { lossToleranceOf, resolveOptimizer } from './precision.js';
import { createObjective, type ObjectiveOptions, type PluginRef } from './objective.js';
import { checkStrictOptions, objectiveOptionsOf } from './strict-options.js';

/** The objective options of the constant-θ searches: the loss and the regularizers (`ObjectiveOptions`). */
export type ConstantObjectiveOptions = Pick<ObjectiveOptions, 'loss' | 'regularizers'>;

/** Options of {@link gridSearch}: the θ values to try (samples) and the loss, with progress and abort. */
export interface GridSearchOptions extends ConstantObjectiveOptions {
  /** The θ values to evaluate (samples), or an inclusive range. */
  thetas: readonly number[] | { from: number; to: number; step?: number };
  onProgress?: (done: number, total: number) => void;
  /** Checked before every candidate; an abort throws an `AbortError` (a partial grid has no best θ). */
  signal?: AbortSignalLike;
}

/** Outcome of {@link gridSearch}: every θ tried with its loss, the best one, and the transforms run. */
export interface GridSearchResult {
  readonly thetas: Float64Array;
  readonly losses: Float64Array;
  readonly best: { readonly theta: number; readonly loss: number; readonly index: number };
  /** Forward transforms run (one per candidate). */
  readonly forward: number;
  readonly wallTimeMs: number;
}

const now = (): number => {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? perf.now() : Date.now();
};

function assertConstant(dstft: Dstft, what: string): void {
  const mode = dstft.plan.windowMode;
  if (mode !== 'constant' && mode !== 'fixed') {
    throw new ParameterError('windowMode', mode, `${what} tunes one window length`, 'create the transform with windowMode "constant"');
  }
}

/** Most candidates of a grid or a scan (checked before anything is allocated; the paper's VI-A grid has 901). */
const MAX_CANDIDATES = 1_000_000;

function gridValues(spec: GridSearchOptions['thetas']): Float64Array {
  if (Array.isArray(spec)) return Float64Array.from(spec as number[]);
  const { from, to, step = 1 } = spec as { from: number; to: number; step?: number };
  if (!Number.isFinite(from) || !Number.isFinite(to) || !(step > 0) || to < from) {
    throw new ParameterError('thetas', spec, 'expected { from ≤ to, step > 0 }', 'pass e.g. { from: 100, to: 1000, step: 1 }');
  }
  const n = Math.floor((to - from) / step + 1e-9) + 1;
  if (!(n <= MAX_CANDIDATES)) {
    throw new ParameterError('thetas', spec, `${n} candidates (one forward transform each), more than ${MAX_CANDIDATES}`, `raise step to at least ${(to - from) / (MAX_CANDIDATES - 1)} or narrow [from, to]`);
  }
  return Float64Array.from({ length: n }, (_, k) => from + k * step);
}

/**
 * Evaluates the loss (forward only) at every θ of a grid. Leaves θ at the best value. The baseline the gradient
 * route is compared with (paper Sec. VI-A: 901 candidates from 100 to 1000).
 */
export function gridSearch(dstft: Dstft, x: Float64Array, options: GridSearchOptions): GridSearchResult {
  checkStrictOptions('gridSearch', options);
  assertConstant(dstft, 'gridSearch');
  const signal = checkAbortSignal(options.signal, 'gridSearch.signal');
  const thetas = gridValues(options.thetas);
  if (thetas.length === 0) throw new ParameterError('thetas', options.thetas, 'no candidate', 'pass at least one θ');
  const { thetaMin, thetaMax } = dstft.plan;
  for (const t of thetas) {
    if (!(t >= thetaMin && t <= thetaMax)) {
      throw new ParameterError('thetas', t, `outside the transform's bounds [${thetaMin}, ${thetaMax}]`, 'restrict the grid, or create the transform with other thetaMin / thetaMax');
    }
  }
  const obj = createObjective(dstft, x, { ...objectiveOptionsOf(options), learn: { theta: dstft.plan.windowMode !== 'fixed', positions: false } });
  const start = now();
  const losses = new Float64Array(thetas.length);
  let best = 0;
  for (let k = 0; k < thetas.length; k++) {
    throwIfAborted(signal, 'gridSearch');
    dstft.params.theta[0] = thetas[k]!;
    losses[k] = obj.value();
    if (losses[k]! < losses[best]!) best = k;
    options.onProgress?.(k + 1, thetas.length);
  }
  dstft.params.theta[0] = thetas[best]!;
  return { thetas, losses, best: { theta: thetas[best]!, loss: losses[best]!, index: best }, forward: obj.counts.forward, wallTimeMs: now() - start };
}

/**
 * Options of {@link optimizeConstantTheta}: the scan (how many θ, spacing, range) and the L-BFGS refinements from its
 * best minima.
 */
export interface ConstantThetaOptions extends ConstantObjectiveOptions {
  /** Scan: how many θ values (default 24), spaced geometrically (default) or linearly over [lower, upper]. */
  scan?: number | readonly number[];
  spacing?: 'log' | 'linear';
  /** Range scanned and refined. Default the transform's [thetaMin, thetaMax]. */
  lower?: number;
  upper?: number;
  /** How many of the scan's local minima are refined (default 3). */
  starts?: number;
  /** Refinement optimizer (default `lbfgs`) and its iteration cap per start (default 30). */
  optimizer?: PluginRef;
  maxIterations?: number;
  /**
   * Refinement stops when the largest gradient entry is below `grad` (default 1e-9) or the relative loss change is
   * below `loss` (default 1e-12 on a float64 transform, 1e-7 on a float32 FFT backend, whose losses are not resolved
   * finer).
   */
  tolerance?: { loss?: number; grad?: number };
  /** Checked before every transform (scan and refinement); an abort throws an `AbortError`. */
  signal?: AbortSignalLike;
}

/** Outcome of {@link optimizeConstantTheta}: the best θ (samples) and loss, the scan, and each refinement. */
export interface ConstantThetaResult {
  readonly theta: number;
  readonly loss: number;
  readonly scan: { readonly thetas: Float64Array; readonly losses: Float64Array };
  readonly refinements: readonly {
    readonly start: number;
    readonly bracket: readonly [number, number];
    readonly theta: number;
    readonly loss: number;
    readonly iterations: number;
    readonly stopReason: string;
  }[];
  /** Transforms run: forwards (scan + refinement) and backwards (refinement). */
  readonly forward: number;
  readonly backward: number;
  readonly wallTimeMs: number;
}

function scanValues(lo: number, hi: number, scan: number | readonly number[], spacing: 'log' | 'linear'): Float64Array {
  if (typeof scan !== 'number') return Float64Array.from(scan).sort();
  if (!Number.isInteger(scan) || scan < 3 || scan > MAX_CANDIDATES) throw new ParameterError('scan', scan, `expected an integer in [3, ${MAX_CANDIDATES}]`, 'pass e.g. 24');
  const out = new Float64Array(scan);
  for (let k = 0; k < scan; k++) {
    const u = k / (scan - 1);
    out[k] = spacing === 'log' ? lo * Math.pow(hi / lo, u) : lo + (hi - lo) * u;
  }
  out[0] = lo;
  out[scan - 1] = hi;
  return out;
}

/**
 * Robust constant-θ optimization: a forward-only scan, then bounded L-BFGS from the `starts` best local minima of
 * the scan, each inside the bracket of its scan neighbours (so it cannot wander into another basin). θ is left at
 * the best refined value.
 */
export function optimizeConstantTheta(dstft: Dstft, x: Float64Array, options: ConstantThetaOptions = {}): ConstantThetaResult {
  checkStrictOptions('optimizeConstantTheta', options);
  assertConstant(dstft, 'optimizeConstantTheta');
  const signal = checkAbortSignal(options.signal, 'optimizeConstantTheta.signal');
  if (dstft.plan.windowMode === 'fixed') {
    throw new ParameterError('windowMode', 'fixed', 'θ is not learnable in windowMode "fixed"', 'create the transform with windowMode "constant"');
  }
  const lo = options.lower ?? dstft.plan.thetaMin;
  const hi = options.upper ?? dstft.plan.thetaMax;
  if (!(lo >= dstft.plan.thetaMin && hi <= dstft.plan.thetaMax && lo < hi)) {
    throw new ParameterError('lower/upper', [lo, hi], `expected thetaMin ${dstft.plan.thetaMin} ≤ lower < upper ≤ thetaMax ${dstft.plan.thetaMax}`, 'pass a range inside the transform bounds');
  }
  const spacing = options.spacing ?? 'log';
  if (spacing !== 'log' && spacing !== 'linear') throw new ParameterError('spacing', spacing, 'unknown spacing', 'use "log" or "linear"');
  const thetas = scanValues(lo, hi, options.scan ?? 24, spacing);
  const starts = options.starts ?? 3;
  if (!Number.isInteger(starts) || starts < 1) throw new ParameterError('starts', starts, 'expected an integer ≥ 1', 'pass e.g. 3');
  const start = now();
  const obj = createObjective(dstft, x, { loss: options.loss, regularizers: options.regularizers, learn: { theta: true, positions: false } });
  const theta = dstft.params.theta;
  const losses = new Float64Array(thetas.length);
  for (let k = 0; k < thetas.length; k++) {
    throwIfAborted(signal, 'optimizeConstantTheta');
    theta[0] = thetas[k]!;
    losses[k] = obj.value();
  }
  // local minima of the scan (ends included), best first
  const minima: number[] = [];
  for (let k = 0; k < thetas.length; k++) {
    const left = k === 0 ? Infinity : losses[k - 1]!;
    const right = k === thetas.length - 1 ? Infinity : losses[k + 1]!;
    if (losses[k]! <= left && losses[k]! <= right) minima.push(k);
  }
  minima.sort((a, b) => losses[a]! - losses[b]!);
  const chosen = minima.slice(0, starts);

  const optRef = options.optimizer ?? 'lbfgs';
  const { plugin, options: optOptions } = resolveOptimizer(dstft.registry, optRef, dstft.plan);
  const refinements: ConstantThetaResult['refinements'][number][] = [];
  let bestTheta = thetas[chosen[0]!]!;
  let bestLoss = losses[chosen[0]!]!;
  for (const k of chosen) {
    const bracket: [number, number] = [thetas[Math.max(0, k - 1)]!, thetas[Math.min(thetas.length - 1, k + 1)]!];
    theta[0] = thetas[k]!;
    const group = { name: 'theta', values: theta, lower: bracket[0], upper: bracket[1] };
    const r = minimize({
      groups: [group],
      objective: obj.objective,
      optimizer: plugin.create([group], optOptions),
      maxIterations: options.maxIterations ?? 30,
      tolerance: { loss: options.tolerance?.loss ?? lossToleranceOf(dstft.plan), grad: options.tolerance?.grad ?? 1e-9 },
      ...(signal !== undefined ? { signal } : {}),
    });
    if (r.stopReason === 'aborted') {
      theta[0] = bestTheta;
      throwIfAborted(signal, 'optimizeConstantTheta');
    }
    refinements.push({ start: thetas[k]!, bracket, theta: theta[0]!, loss: r.loss, iterations: r.iterations, stopReason: r.stopReason });
    if (r.loss < bestLoss) {
      bestLoss = r.loss;
      bestTheta = theta[0];
    }
  }
  theta[0] = bestTheta;
  return {
    theta: bestTheta,
    loss: bestLoss,
    scan: { thetas, losses },
    refinements,
    forward: obj.counts.forward,
    backward: obj.counts.backward,
    wallTimeMs: now() - start,
  };
}
