/**
 * The objective of an optimization: loss(S) + Σ λ_k R_k(θ, t) for a transform and a signal (or batch), with its
 * gradient with respect to every learnable parameter group, from the analytic backward pass (no tape).
 */
import {
  ParameterError,
  ShapeError,
  type LossPlugin,
  type Objective,
  type ParamGroup,
  type RegularizerPlugin,
  type RegistryView,
} from '@dstft/core';
import { resolveFrameTable, stftForward, type StftResult } from '@dstft/kernel';
import { ThetaTangentScratch, forgetForwardState, positionsVjp, thetaTangentUnsupported } from '@dstft/backprop';
import type { Dstft } from './dstft.js';
import { checkStrictOptions } from './strict-options.js';

/** A plugin by id, with options merged over the plugin's defaults. */
export type PluginRef = string | { readonly id: string; readonly options?: Readonly<Record<string, unknown>> };

/** A regularizer by id with its weight λ (the penalty added to the loss is λ·R). */
export interface RegularizerRef {
  readonly id: string;
  readonly weight: number;
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * What is minimized: the loss on the spectrogram plus weighted regularizers on θ and the frame positions (plugin ids
 * with options).
 */
export interface ObjectiveOptions {
  /** Loss on the spectrogram. Default `shannon` (entropy, paper Eq. 26). */
  loss?: PluginRef;
  /** Weighted penalties on θ and the frame positions (e.g. `{ id: 'tf-smoothness', weight: 0.01 }`). */
  regularizers?: readonly RegularizerRef[];
  /**
   * What is learned. `theta` default true; `positions` default true when the positions are learnable
   * (positionsMode `constant`, `time` or `free`).
   */
  learn?: { theta?: boolean; positions?: boolean };
  /** Per-group learning rates (samples): `theta`, and `positions` for hop / hops / t0 / free positions. */
  lr?: { theta?: number; positions?: number };
  /**
   * Bounds of the position parameters, in samples. Defaults: hop and hops in [1, L], t0 and free positions in
   * [0, L - 1]. θ's bounds are the transform's thetaMin / thetaMax.
   */
  bounds?: { hop?: readonly [number, number]; t0?: readonly [number, number]; positions?: readonly [number, number] };
}

/** Values of the terms at the last evaluation. */
export interface ObjectiveTerms {
  /** Total: loss + Σ λ_k R_k. */
  readonly total: number;
  readonly loss: number;
  /** λ_k R_k per regularizer id (already weighted). */
  readonly regularizers: Readonly<Record<string, number>>;
}

/**
 * An objective built over a transform for an optimizer: the learnable groups (samples) and a function evaluating loss
 * and gradients at their current values.
 */
export interface DstftObjective {
  /** The learnable groups, in samples, as the optimizer sees them (θ is the transform's own array). */
  readonly groups: readonly ParamGroup[];
  /** Evaluates total loss and gradients at the groups' current values (writes the parameters into the transform first). */
  readonly objective: Objective;
  /** Loss only (forward, no backward) at the current parameters. */
  value(): number;
  /** Writes the groups' values into the transform's parameters (hop and t0 are numbers there). */
  sync(): void;
  /** Transforms run so far. */
  readonly counts: { forward: number; backward: number };
  /** Terms of the last evaluation. */
  readonly terms: ObjectiveTerms;
  /**
   * The last forward result (its buffers are reused by the next evaluation). After a one-pass gradient evaluation
   * (only θ learned), whose forward writes no spectrogram, reading it runs that forward at the θ of the evaluation.
   */
  readonly result: StftResult | null;
}

/** The id of a plugin reference. */
export function refId(ref: PluginRef): string {
  return typeof ref === 'string' ? ref : ref.id;
}

/** A plugin reference's options merged over the plugin's defaults. */
export function refOptions(ref: PluginRef, defaults: unknown): Record<string, unknown> {
  const base = defaults && typeof defaults === 'object' ? (defaults as Record<string, unknown>) : {};
  return typeof ref === 'string' ? { ...base } : { ...base, ...(ref.options ?? {}) };
}

/** θ's layout for regularizers: constant 1×1, time 1×T, frequency F×1, time-frequency F×T. */
export function thetaShape(dstft: Dstft, frames: number): { rows: number; cols: number } {
  switch (dstft.plan.windowMode) {
    case 'time':
      return { rows: 1, cols: frames };
    case 'frequency':
      return { rows: dstft.freqs, cols: 1 };
    case 'time-frequency':
      return { rows: dstft.freqs, cols: frames };
    default:
      return { rows: 1, cols: 1 };
  }
}

function checkBounds(name: string, b: readonly [number, number] | undefined, fallback: readonly [number, number]): readonly [number, number] {
  if (b === undefined) return fallback;
  if (!Array.isArray(b) || b.length !== 2 || !(b[0] < b[1]) || !Number.isFinite(b[0]) || !Number.isFinite(b[1])) {
    throw new ParameterError(`bounds.${name}`, b, 'expected [lower, upper] with lower < upper, both finite', `pass e.g. [${fallback[0]}, ${fallback[1]}]`);
  }
  return b;
}

/** Builds the objective of `dstft` on `x` (one signal of length L, or a batch `[B, L]` row-major). */
export function createObjective(dstft: Dstft, x: Float64Array, options: ObjectiveOptions = {}): DstftObjective {
  checkStrictOptions('createObjective', options);
  const { plan, params, registry } = dstft;
  const L = plan.signalLength;
  if (!(x instanceof Float64Array)) throw new ParameterError('x', typeof x, 'expected a Float64Array', 'convert with Float64Array.from(samples)');
  if (x.length === 0 || x.length % L !== 0) {
    throw new ShapeError('x', `length ${x.length}`, `expected one signal of ${L} samples or a batch of them`, `pass B·${L} samples`);
  }
  const lossRef = options.loss ?? 'shannon';
  const lossPlugin = (registry as RegistryView).get('loss', refId(lossRef)) as LossPlugin;
  const lossOptions = refOptions(lossRef, lossPlugin.defaults);
  const regs = (options.regularizers ?? []).map((r, k) => {
    if (!r || typeof r.id !== 'string') throw new ParameterError(`regularizers[${k}]`, r, 'expected { id, weight, options? }', "pass e.g. { id: 'tf-smoothness', weight: 0.01 }");
    if (!Number.isFinite(r.weight) || r.weight < 0) {
      throw new ParameterError(`regularizers[${k}].weight`, r.weight, 'expected a finite weight λ ≥ 0', 'pass the weight of the penalty, e.g. 0.01');
    }
    const plugin = (registry as RegistryView).get('regularizer', r.id) as RegularizerPlugin;
    return { id: r.id, weight: r.weight, plugin, options: refOptions(r, plugin.defaults) };
  });

  const mode = plan.framePolicy.kind === 'fixed-overlap' ? 'fixed' : plan.positionsConfig.mode;
  const learnTheta = options.learn?.theta ?? true;
  const learnPositions = options.learn?.positions ?? mode !== 'fixed';
  if (learnPositions && mode === 'fixed') {
    throw new ParameterError('learn.positions', true, 'the transform has fixed positions', 'create it with positionsMode "constant", "time" or "free", or set learn.positions to false');
  }
  if (learnTheta && plan.windowMode === 'fixed') {
    throw new ParameterError('learn.theta', true, 'the transform has windowMode "fixed"', 'create it with windowMode "constant" (or time / frequency / time-frequency), or set learn.theta to false');
  }
  if (!learnTheta && !learnPositions) {
    throw new ParameterError('learn', options.learn, 'nothing to learn', 'set learn.theta or learn.positions to true');
  }
  const lr = options.lr ?? {};
  const groups: ParamGroup[] = [];
  const hopBounds = checkBounds('hop', options.bounds?.hop, [1, L]);
  const t0Bounds = checkBounds('t0', options.bounds?.t0, [0, L - 1]);
  const posBounds = checkBounds('positions', options.bounds?.positions, [0, L - 1]);
  const hopArr = new Float64Array(1);
  const t0Arr = new Float64Array(1);
  if (learnTheta) groups.push({ name: 'theta', values: params.theta, lower: plan.thetaMin, upper: plan.thetaMax, ...(lr.theta !== undefined ? { lr: lr.theta } : {}) });
  const posLr = lr.positions !== undefined ? { lr: lr.positions } : {};
  if (learnPositions) {
    if (mode === 'constant') {
      hopArr[0] = params.hop ?? 1;
      groups.push({ name: 'hop', values: hopArr, lower: hopBounds[0], upper: hopBounds[1], ...posLr });
    } else if (mode === 'time') {
      if (!params.hops) throw new ParameterError('params.hops', undefined, 'positions mode "time" without hops', 'create the transform with positionsMode "time"');
      t0Arr[0] = params.t0 ?? 0;
      groups.push({ name: 'hops', values: params.hops, lower: hopBounds[0], upper: hopBounds[1], ...posLr });
      groups.push({ name: 't0', values: t0Arr, lower: t0Bounds[0], upper: t0Bounds[1], ...posLr });
    } else if (mode === 'free') {
      if (!params.positions) throw new ParameterError('params.positions', undefined, 'positions mode "free" without positions', 'create the transform with positionsMode "free"');
      groups.push({ name: 'positions', values: params.positions, lower: posBounds[0], upper: posBounds[1], ...posLr });
    }
  }

  const sync = (): void => {
    if (learnPositions && mode === 'constant') params.hop = hopArr[0];
    if (learnPositions && mode === 'time') params.t0 = t0Arr[0];
  };

  // One pass (forward mode, @dstft/backprop loss-tangent.ts) when only θ is learned, θ does not depend on the bin, and
  // the loss offers the forward-mode form: the θ gradient comes out of the forward's frame loop, with no backward
  // transform and no ∂ℒ/∂S array (the same FFT count; about a third less time on row A). Otherwise forward, loss,
  // backward. `counts.backward` counts gradient evaluations either way.
  const onePass = learnTheta && !learnPositions && mode === 'fixed' && thetaTangentUnsupported(plan, lossPlugin.framewise) === null;
  let tangentScratch: ThetaTangentScratch | null = null;
  let gTangent = new Float64Array(0);

  const counts = { forward: 0, backward: 0 };
  let result: StftResult | null = null;
  /** The last evaluation was one pass: `result` holds its positions and θ, but not its X and S. */
  let spectrogramStale = false;
  let dS = new Float64Array(0);
  let terms: ObjectiveTerms = { total: NaN, loss: NaN, regularizers: {} };
  // regularizer gradients: the weighted sum and one plugin's scratch, reused across evaluations (re-sized when T changes)
  let gReg = { theta: new Float64Array(0), positions: new Float64Array(0) };
  let gOne = gReg;

  const forward = (): StftResult => {
    sync();
    const reuse = result && !plan.variableFrames ? result : undefined;
    result = dstft.forward(x, params, reuse);
    spectrogramStale = false;
    counts.forward++;
    return result;
  };

  /**
   * Forward, loss and ∂ℒ/∂θ in one pass (see `onePass`; backprop's `lossWithThetaGradient`, here without writing X
   * and S: the gradient needs only each frame's sums, and the `[B, F, T]` write-out was 10–17 % of the step on row A).
   * The result then holds positions, times and θ only: `result` recomputes its spectrogram on demand (`spectrogramStale`).
   */
  const forwardWithThetaGradient = (): { r: StftResult; loss: number } => {
    sync();
    const reuse = result && !plan.variableFrames ? result : undefined;
    if (reuse) forgetForwardState(reuse); // its X and S are about to stop matching θ: no backward on its old cache
    tangentScratch ??= new ThetaTangentScratch(plan);
    if (gTangent.length !== params.theta.length) gTangent = new Float64Array(params.theta.length);
    const table = resolveFrameTable(plan, params);
    tangentScratch.begin({ framewise: lossPlugin.framewise!, options: lossOptions }, x.length / L, table.frames);
    const r = stftForward(plan, x, params, reuse, { table, tangent: tangentScratch, spectrogram: false });
    const loss = tangentScratch.finish(r.batch, gTangent, table.thetaBase);
    result = r;
    spectrogramStale = true;
    counts.forward++;
    return { r, loss };
  };

  const evaluate = (grads: readonly Float64Array[] | null): number => {
    let r: StftResult;
    let loss: number;
    if (grads && onePass) {
      ({ r, loss } = forwardWithThetaGradient());
    } else {
      r = forward();
      if (dS.length !== r.spec.length) dS = new Float64Array(r.spec.length);
      const spec = { data: r.spec, batch: r.batch, freqs: r.freqs, frames: r.frames };
      loss = lossPlugin.evaluate(spec, grads ? dS : null, lossOptions);
    }
    if (!Number.isFinite(loss)) {
      throw new ParameterError('loss', loss, `the loss "${refId(lossRef)}" is not finite at these parameters`, 'check the signal (all zeros?) and the loss options');
    }
    const T = r.frames;
    const shape = thetaShape(dstft, T);
    const regInput = { theta: { data: params.theta, rows: shape.rows, cols: shape.cols }, positions: r.positions, signalLength: L, nFft: plan.nFft };
    if (grads && regs.length && (gReg.positions.length !== T || gReg.theta.length !== params.theta.length)) {
      gReg = { theta: new Float64Array(params.theta.length), positions: new Float64Array(T) };
      gOne = { theta: new Float64Array(params.theta.length), positions: new Float64Array(T) };
    }
    gReg.theta.fill(0);
    gReg.positions.fill(0);
    const regValues: Record<string, number> = {};
    let total = loss;
    for (const reg of regs) {
      let v: number;
      if (grads && reg.weight !== 0) {
        const g = gOne;
        g.theta.fill(0);
        g.positions.fill(0);
        v = reg.plugin.evaluate(regInput, g, reg.options);
        for (let k = 0; k < g.theta.length; k++) gReg.theta[k]! += reg.weight * g.theta[k]!;
        for (let k = 0; k < T; k++) gReg.positions[k]! += reg.weight * g.positions[k]!;
      } else {
        v = reg.plugin.evaluate(regInput, null, reg.options);
      }
      regValues[reg.id] = (regValues[reg.id] ?? 0) + reg.weight * v;
      total += reg.weight * v;
    }
    terms = { total, loss, regularizers: regValues };
    if (!grads) return total;
    if (onePass) {
      counts.backward++;
      for (let k = 0; k < gTangent.length; k++) gTangent[k]! += gReg.theta[k] ?? 0;
      grads[0]!.set(gTangent); // the only group: θ
      return total;
    }

    const g = dstft.backward(r, { spec: dS });
    counts.backward++;
    let gHop = g.hop ?? 0;
    let gT0 = g.t0 ?? 0;
    const gTheta = g.theta;
    const gHops = g.hops;
    const gPositions = g.positions;
    if (regs.length) {
      for (let k = 0; k < gTheta.length; k++) gTheta[k]! += gReg.theta[k]!;
      for (let k = 0; k < T; k++) gPositions[k]! += gReg.positions[k]!;
      const chained = positionsVjp(plan, T, params.theta[0]!, gReg.positions);
      if (chained.theta !== undefined) gTheta[0]! += chained.theta;
      if (chained.hop !== undefined) gHop += chained.hop;
      if (chained.t0 !== undefined) gT0 += chained.t0;
      if (chained.hops && gHops) for (let k = 0; k < gHops.length; k++) gHops[k]! += chained.hops[k]!;
    }
    let i = 0;
    for (const group of groups) {
      const out = grads[i++]!;
      switch (group.name) {
        case 'theta':
          out.set(gTheta);
          break;
        case 'hop':
          out[0] = gHop;
          break;
        case 't0':
          out[0] = gT0;
          break;
        case 'hops':
          if (gHops) out.set(gHops);
          break;
        case 'positions':
          out.set(gPositions);
          break;
      }
    }
    return total;
  };

  return {
    groups,
    objective: (grads) => evaluate(grads),
    value: () => evaluate(null),
    sync,
    counts,
    get terms() {
      return terms;
    },
    get result() {
      if (spectrogramStale && result !== null) {
        // the last evaluation was one pass (no X, S): its spectrogram now, at the θ it was evaluated at (result.theta)
        result = dstft.forward(x, { ...params, theta: result.theta.slice() }, plan.variableFrames ? undefined : result);
        spectrogramStale = false;
      }
      return result;
    },
  };
}
