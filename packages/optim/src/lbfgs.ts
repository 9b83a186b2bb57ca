import {
  API_VERSION,
  ParameterError,
  StateError,
  assertInRange,
  assertInteger,
  assertOneOf,
  assertPositive,
  markBuiltin,
  type Objective,
  type OptimizerInstance,
  type OptimizerPlugin,
  type ParamGroup,
  type StepContext,
  type StepResult,
} from '@dstft/core';
import { cubicMin } from './cubic-min.js';
import { checkContext, checkGrads, checkOptionKeys, resolveGroups } from './groups.js';
import { scheduleFactor, validateSchedule, type Schedule } from './schedule.js';

/** The line search of `lbfgs`: `strong-wolfe` (cubic interpolation, the default) or `backtracking` (Armijo). */
export type LineSearch = 'strong-wolfe' | 'backtracking';
/** Every {@link LineSearch}, in the order shown in help texts. */
export const LINE_SEARCHES: readonly LineSearch[] = ['strong-wolfe', 'backtracking'];

/** Options of `lbfgs` (defaults in `lbfgs.defaults`). */
export interface LbfgsOptions {
  /**
   * Scale of the parameters in samples (per-group `lr` overrides it). L-BFGS works in x/lr: the first trial
   * step (before any curvature is known) moves the parameters by at most lr samples; afterwards the
   * quasi-Newton step is tried first and lr only sets the relative scaling of the groups. Default 1.
   */
  readonly lr?: number;
  /** Number of (s, y) curvature pairs kept. */
  readonly history?: number;
  /** `strong-wolfe` (cubic interpolation, can extrapolate) or `backtracking` (Armijo on the projected path). */
  readonly lineSearch?: LineSearch;
  /** Most objective evaluations per line search. */
  readonly maxLineSearch?: number;
  /**
   * A pair (s, y) enters the memory only when sᵀy > curvatureTolerance·‖s‖·‖y‖ (scaled variables), i.e. the
   * cosine between s and y is positive enough; otherwise the update is skipped and the memory kept.
   */
  readonly curvatureTolerance?: number;
  /** Multiplies the first trial step of each line search by a factor of the iteration. */
  readonly schedule?: Schedule;
  /**
   * Relative noise of the loss: how far apart two evaluations may be that should be equal (rounding of the
   * objective). Losses within `lossNoise·|f|` count as equal in the line search (approximate Wolfe conditions), so
   * it does not hunt for decreases the objective cannot resolve. Default 1e-10 (float64 arithmetic); a float32
   * objective wants about 1e-6 (`@dstft/dstft` sets it from the FFT backend's precision).
   */
  readonly lossNoise?: number;
}

/** Every `lbfgs` option with its default value filled in (`lbfgs.defaults`). */
export type LbfgsDefaults = Required<LbfgsOptions>;

/** Largest `history` (curvature pairs) and `maxLineSearch` accepted: far beyond any useful value, and bounded memory / time. */
const MAX_HISTORY = 1000;
const MAX_LINE_SEARCH = 1000;

const KNOWN = ['lr', 'history', 'lineSearch', 'maxLineSearch', 'curvatureTolerance', 'schedule', 'lossNoise'] as const;

const defaults: LbfgsDefaults = Object.freeze({
  lr: 1,
  history: 10,
  lineSearch: 'strong-wolfe' as LineSearch,
  maxLineSearch: 25,
  curvatureTolerance: 1e-10,
  schedule: Object.freeze({ kind: 'constant' }) as Schedule,
  lossNoise: 1e-10,
});

/** Sufficient-decrease (Armijo) and curvature constants of the Wolfe conditions. */
const C1 = 1e-4;
const C2 = 0.9;
/**
 * Approximate Wolfe conditions (Hager & Zhang 2005) for losses that are flat to rounding near the optimum (a
 * large constant part, a shallow minimum: typical of spectrogram losses in θ): a point whose loss is within
 * lossNoise·|f0| of f0 and whose slope fell to ≤ APPROX_SLOPE·|φ'(0)| (= (1 - 2δ)|φ'(0)|, δ = 0.1) also counts as
 * a sufficient decrease, so progress is driven by the gradient when f cannot resolve it.
 */
const APPROX_SLOPE = 0.8;

function pick(o: Readonly<Record<string, unknown>>, key: keyof LbfgsDefaults): unknown {
  return o[key] === undefined ? defaults[key] : o[key];
}

function createLbfgs(groups: readonly ParamGroup[], options: LbfgsOptions): OptimizerInstance {
  const o = checkOptionKeys('lbfgs', options, KNOWN);
  const baseLr = pick(o, 'lr');
  assertPositive('lbfgs.lr', baseLr, 'pass the parameter scale in samples (> 0, default 1)');
  const resolved = resolveGroups('lbfgs', groups, baseLr);
  const history = pick(o, 'history');
  assertInteger('lbfgs.history', history, 1, 'pass the number of curvature pairs to keep (an integer ≥ 1, e.g. 10)');
  // the pairs are allocated up front (2 · history · parameters values): refuse absurd sizes before allocating
  assertInRange('lbfgs.history', history, 1, MAX_HISTORY, `pass at most ${MAX_HISTORY} curvature pairs (5 to 20 is usual)`);
  const lineSearch = pick(o, 'lineSearch');
  assertOneOf('lbfgs.lineSearch', lineSearch, LINE_SEARCHES);
  const maxLineSearch = pick(o, 'maxLineSearch');
  assertInteger('lbfgs.maxLineSearch', maxLineSearch, 1, 'pass the most evaluations per line search (an integer ≥ 1, e.g. 25)');
  assertInRange('lbfgs.maxLineSearch', maxLineSearch, 1, MAX_LINE_SEARCH, `pass at most ${MAX_LINE_SEARCH} evaluations per line search (e.g. 25)`);
  const curvatureTolerance = pick(o, 'curvatureTolerance');
  assertInRange('lbfgs.curvatureTolerance', curvatureTolerance, 0, 1, 'pass a cosine threshold in [0, 1), e.g. 1e-10');
  if (curvatureTolerance === 1) throw new ParameterError('lbfgs.curvatureTolerance', 1, 'must be < 1 (no pair would ever be kept)', 'pass e.g. 1e-10');
  const schedule = validateSchedule('lbfgs.schedule', pick(o, 'schedule'));
  const noise = pick(o, 'lossNoise');
  assertInRange('lbfgs.lossNoise', noise, 0, 1e-2, 'pass the relative noise of the loss in [0, 0.01]: 1e-10 for float64 objectives, about 1e-6 for float32 ones');
  const lossNoise: number = noise;
  // plain numbers for the closures below (assertion narrowing does not reach into them)
  const m: number = history;
  const maxLS: number = maxLineSearch;
  const curvTol: number = curvatureTolerance;

  const gs = resolved.groups;
  const n = resolved.size;
  // per-component bounds and scale (flattened over the groups, in group order)
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const scale = new Float64Array(n);
  for (let j = 0, p = 0; j < gs.length; j++) {
    for (let i = 0; i < gs[j].values.length; i++, p++) {
      lo[p] = resolved.lower[j];
      hi[p] = resolved.upper[j];
      scale[p] = resolved.lr[j];
    }
  }
  const x0 = new Float64Array(n);
  const g0 = new Float64Array(n);
  const q = new Float64Array(n); // two-loop workspace (scaled variables z = x / scale)
  const d = new Float64Array(n); // search direction (samples)
  const brk = new Float64Array(n); // step t at which component p reaches its bound along d
  const fixed = new Uint8Array(n);
  const gNew = new Float64Array(n);
  const gPrev = new Float64Array(n);
  const gLo = new Float64Array(n);
  const gHi = new Float64Array(n);
  const gAcc = new Float64Array(n);
  const trialGrads = gs.map((g) => new Float64Array(g.values.length));
  const outGrads = gs.map((g) => new Float64Array(g.values.length));
  const S = new Float64Array(m * n);
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let count = 0;
  let head = 0; // slot of the next pair
  let gamma = 1; // sᵀy / yᵀy of the newest pair

  // per-step state
  let objective: Objective = () => Number.NaN;
  let evals = 0;
  let f0 = 0;
  let gtd0 = 0;
  let fAcc = 0;
  let lastLin = 0;
  let fNoise = 0;

  /** Writes x(t) = P(x0 + t·d) into the groups (components past their breakpoint sit exactly on the bound); returns g0ᵀ(x(t) - x0). */
  function setX(t: number): number {
    let lin = 0;
    for (let j = 0, p = 0; j < gs.length; j++) {
      const v = gs[j].values;
      for (let i = 0; i < v.length; i++, p++) {
        let x = t >= brk[p] ? (d[p] < 0 ? lo[p] : hi[p]) : x0[p] + t * d[p];
        x = x < lo[p] ? lo[p] : x > hi[p] ? hi[p] : x;
        v[i] = x;
        lin += g0[p] * (x - x0[p]);
      }
    }
    return lin;
  }

  /** Evaluates the objective at x(t); the gradient lands in gNew, g0ᵀ(x(t) - x0) in lastLin. */
  function evalAt(t: number): number {
    lastLin = setX(t);
    const f = objective(trialGrads);
    evals++;
    for (let j = 0, p = 0; j < gs.length; j++) {
      const g = trialGrads[j];
      for (let i = 0; i < g.length; i++, p++) gNew[p] = g[i];
    }
    return f;
  }

  function dotD(g: Float64Array): number {
    let s = 0;
    for (let p = 0; p < n; p++) s += g[p] * d[p];
    return s;
  }

  /** Slope of t ↦ f(x(t)) along the projected path (components past their breakpoint do not move). */
  function slopeAt(t: number, g: Float64Array): number {
    let s = 0;
    for (let p = 0; p < n; p++) if (t < brk[p]) s += g[p] * d[p];
    return s;
  }

  /**
   * Sufficient decrease: Armijo (strict: f < f0 and f ≤ f0 + c1·lin, lin the linear prediction, < 0), or the
   * approximate condition when f is within rounding of f0 (f ≤ f0 + fNoise and slope ≤ APPROX_SLOPE·|slope0|).
   */
  function sufficient(f: number, lin: number, slope: number, slope0: number): boolean {
    if (f < f0 && f <= f0 + C1 * (lin < 0 ? lin : 0)) return true;
    return f <= f0 + fNoise && slope <= -APPROX_SLOPE * slope0;
  }

  function accept(t: number, f: number, g: Float64Array): number {
    setX(t);
    fAcc = f;
    gAcc.set(g);
    return t;
  }

  /**
   * Strong-Wolfe search on [0, tMax] (Nocedal & Wright, algorithms 3.5 and 3.6, cubic interpolation),
   * tMax = first breakpoint, so no component is projected inside the interval. When the search reaches
   * tMax still descending with sufficient decrease, tMax is accepted (the bound stops it). Returns the
   * accepted step, or 0 when no point with sufficient decrease was found.
   */
  function strongWolfe(t0: number, tMax: number): number {
    let tPrev = 0;
    let fPrev = f0;
    let dPrev = gtd0;
    gPrev.set(g0);
    let t = t0 < tMax ? t0 : tMax;
    let ls = 0;
    let tLo = 0, fLo = 0, dLo = 0, tHi = 0, fHi = 0, dHi = 0;
    let bracketed = false;
    while (ls < maxLS) {
      const f = evalAt(t);
      ls++;
      const dd = dotD(gNew);
      const ok = sufficient(f, t * gtd0, dd, gtd0);
      if (ok && Math.abs(dd) <= -C2 * gtd0) return accept(t, f, gNew);
      if (!ok || (ls > 1 && f > fPrev + fNoise)) {
        tLo = tPrev; fLo = fPrev; dLo = dPrev; gLo.set(gPrev);
        tHi = t; fHi = f; dHi = dd; gHi.set(gNew);
        bracketed = true;
        break;
      }
      if (dd >= 0) {
        tLo = t; fLo = f; dLo = dd; gLo.set(gNew);
        tHi = tPrev; fHi = fPrev; dHi = dPrev; gHi.set(gPrev);
        bracketed = true;
        break;
      }
      if (t >= tMax) return accept(t, f, gNew);
      const lower = Math.min(t + 0.01 * (t - tPrev), tMax);
      const upper = Math.min(10 * t, tMax);
      const next = cubicMin(tPrev, fPrev, dPrev, t, f, dd, lower, upper);
      tPrev = t; fPrev = f; dPrev = dd; gPrev.set(gNew);
      t = next;
    }
    if (!bracketed) return tPrev > 0 ? accept(tPrev, fPrev, gPrev) : 0; // out of evaluations while extrapolating

    // zoom: tLo has sufficient decrease and the lowest f so far; the minimizer lies between tLo and tHi
    let dMax = 0;
    let xMax = 0;
    for (let p = 0; p < n; p++) {
      const a = Math.abs(d[p]);
      if (a > dMax) dMax = a;
      const b = Math.abs(x0[p]);
      if (b > xMax) xMax = b;
    }
    let insufficient = false;
    while (ls < maxLS) {
      const a = tLo < tHi ? tLo : tHi;
      const b = tLo < tHi ? tHi : tLo;
      if ((b - a) * dMax <= 1e-15 * (1 + xMax)) break;
      // a point with sufficient decrease is in hand and the most the loss can still change across the bracket is
      // below its noise: no resolvable improvement is left, take tLo (at a kink of the loss the slopes at both ends
      // stay large and only this ends the search). Without such a point (tLo = 0) the search goes on as before.
      if (tLo > 0 && (b - a) * Math.max(Math.abs(dLo), Math.abs(dHi)) <= fNoise) break;
      let t = cubicMin(tLo, fLo, dLo, tHi, fHi, dHi, a, b);
      const margin = 0.1 * (b - a);
      if (Math.min(b - t, t - a) < margin) {
        // too close to an end: allowed once, then pushed 10% inside (as minFunc / PyTorch do)
        if (insufficient || t >= b || t <= a) {
          t = Math.abs(t - b) < Math.abs(t - a) ? b - margin : a + margin;
          insufficient = false;
        } else {
          insufficient = true;
        }
      } else {
        insufficient = false;
      }
      const f = evalAt(t);
      ls++;
      const dd = dotD(gNew);
      const ok = sufficient(f, t * gtd0, dd, gtd0);
      if (ok && Math.abs(dd) <= -C2 * gtd0) return accept(t, f, gNew);
      // a loss within rounding of fLo is not "worse": the slope decides which end moves
      if (!ok || f > fLo + fNoise) {
        tHi = t; fHi = f; dHi = dd; gHi.set(gNew);
      } else {
        if (dd * (tHi - tLo) >= 0) {
          tHi = tLo; fHi = fLo; dHi = dLo; gHi.set(gLo);
        }
        tLo = t; fLo = f; dLo = dd; gLo.set(gNew);
      }
    }
    return tLo > 0 ? accept(tLo, fLo, gLo) : 0;
  }

  /**
   * Armijo backtracking along the projected path x(t) = P(x0 + t·d) (several bounds may become active in one
   * step): accepts the first t with sufficient decrease, the linear prediction being g0ᵀ(x(t) - x0); shrinks t
   * by a safeguarded quadratic fit (factor in [0.1, 0.5]).
   */
  function backtrack(t0: number): number {
    const slope0 = slopeAt(0, g0);
    let t = t0;
    for (let ls = 0; ls < maxLS; ls++) {
      const f = evalAt(t);
      const lin = lastLin;
      if (sufficient(f, lin, slopeAt(t, gNew), slope0)) return accept(t, f, gNew);
      let next = lin < 0 && Number.isFinite(f) ? (-lin * t) / (2 * (f - f0 - lin)) : 0.5 * t;
      if (!(next >= 0.1 * t)) next = 0.1 * t;
      else if (next > 0.5 * t) next = 0.5 * t;
      t = next;
    }
    return 0;
  }

  /** Quasi-Newton (or, without memory, scaled steepest-descent) direction on the free variables; returns g0ᵀd. */
  function direction(useMemory: boolean): number {
    for (let p = 0; p < n; p++) q[p] = fixed[p] ? 0 : g0[p] * scale[p];
    if (useMemory) {
      for (let c = 0, k = (head - 1 + m) % m; c < count; c++, k = (k - 1 + m) % m) {
        const off = k * n;
        let s = 0;
        for (let p = 0; p < n; p++) s += S[off + p] * q[p];
        const a = rho[k] * s;
        alpha[k] = a;
        for (let p = 0; p < n; p++) if (!fixed[p]) q[p] -= a * Y[off + p];
      }
      for (let p = 0; p < n; p++) q[p] *= gamma;
      for (let c = 0, k = (head - count + m) % m; c < count; c++, k = (k + 1) % m) {
        const off = k * n;
        let s = 0;
        for (let p = 0; p < n; p++) s += Y[off + p] * q[p];
        const b = alpha[k] - rho[k] * s;
        for (let p = 0; p < n; p++) if (!fixed[p]) q[p] += b * S[off + p];
      }
    }
    let gtd = 0;
    for (let p = 0; p < n; p++) {
      d[p] = fixed[p] ? 0 : -q[p] * scale[p];
      gtd += g0[p] * d[p];
    }
    return gtd;
  }

  /** Breakpoints of d and the first one (the longest step with no projection). */
  function breakpoints(): number {
    let tMax = Infinity;
    for (let p = 0; p < n; p++) {
      const dp = d[p];
      const b = dp < 0 ? (lo[p] - x0[p]) / dp : dp > 0 ? (hi[p] - x0[p]) / dp : Infinity;
      brk[p] = b;
      if (b < tMax) tMax = b;
    }
    return tMax;
  }

  /** True when x(t) differs from x0 in at least one component. */
  function movesAt(t: number): boolean {
    for (let p = 0; p < n; p++) {
      let x = t >= brk[p] ? (d[p] < 0 ? lo[p] : hi[p]) : x0[p] + t * d[p];
      x = x < lo[p] ? lo[p] : x > hi[p] ? hi[p] : x;
      if (x !== x0[p]) return true;
    }
    return false;
  }

  /** Adds the pair (s, y) of the accepted step (scaled variables) unless its curvature is too small. */
  function remember(): void {
    // q and gPrev are free once the line search is over: they hold s and y until the pair is accepted
    let sy = 0;
    let ss = 0;
    let yy = 0;
    for (let j = 0, p = 0; j < gs.length; j++) {
      const v = gs[j].values;
      for (let i = 0; i < v.length; i++, p++) {
        const s = (v[i] - x0[p]) / scale[p];
        // components held on a bound did not move: their gradient change says nothing about the free subspace
        const y = d[p] === 0 ? 0 : (gAcc[p] - g0[p]) * scale[p];
        q[p] = s;
        gPrev[p] = y;
        sy += s * y;
        ss += s * s;
        yy += y * y;
      }
    }
    if (!(sy > 0 && sy > curvTol * Math.sqrt(ss * yy))) return; // skipped: the memory stays as it was
    S.set(q, head * n);
    Y.set(gPrev, head * n);
    rho[head] = 1 / sy;
    gamma = sy / yy;
    head = (head + 1) % m;
    if (count < m) count++;
  }

  function writeOut(g: Float64Array): void {
    for (let j = 0, p = 0; j < gs.length; j++) {
      const out = outGrads[j];
      for (let i = 0; i < out.length; i++, p++) out[i] = g[p];
    }
  }

  return {
    step(grads: readonly Float64Array[], context: StepContext): StepResult {
      checkGrads('lbfgs', resolved, grads);
      const iteration = checkContext('lbfgs', context);
      if (typeof context.objective !== 'function') {
        throw new StateError(
          'lbfgs.step(): context.objective is missing: L-BFGS evaluates the objective in its line search. ' +
            'Fix: run it through minimize() / createMinimizer(), or pass { loss, iteration, objective } where objective(grads) ' +
            "evaluates the loss at the groups' current values and writes their gradients",
        );
      }
      if (typeof context.loss !== 'number' || !Number.isFinite(context.loss)) {
        throw new ParameterError('context.loss', context.loss, 'expected the finite loss at the current values', 'pass the loss whose gradient you pass as grads');
      }
      objective = context.objective;
      f0 = context.loss;
      fNoise = lossNoise * Math.abs(f0);
      evals = 0;
      for (let j = 0, p = 0; j < gs.length; j++) {
        const v = gs[j].values;
        const g = grads[j];
        for (let i = 0; i < v.length; i++, p++) {
          x0[p] = v[i];
          g0[p] = g[i];
        }
      }
      // projected gradient: a variable on a bound whose gradient points outward is held fixed
      let qMax = 0;
      for (let p = 0; p < n; p++) {
        const x = x0[p];
        const g = g0[p];
        if (!Number.isFinite(g)) {
          throw new ParameterError(`grads (entry ${p} over all groups)`, g, 'not finite', 'check the objective at the current values');
        }
        const isFixed = lo[p] === hi[p] || (x <= lo[p] && g > 0) || (x >= hi[p] && g < 0);
        fixed[p] = isFixed ? 1 : 0;
        const a = isFixed ? 0 : Math.abs(g * scale[p]);
        if (a > qMax) qMax = a;
      }
      const factor = scheduleFactor(schedule, iteration);
      if (qMax > 0) {
        let useMemory = count > 0;
        for (;;) {
          gtd0 = direction(useMemory);
          let t = 0;
          if (gtd0 < 0) {
            const t0 = useMemory ? factor : factor / qMax;
            const tMax = breakpoints();
            // the first trial point does not differ from x0 in any bit: the minimum is within rounding
            if (!movesAt(t0)) break;
            t = lineSearch === 'strong-wolfe' && t0 <= tMax ? strongWolfe(t0, tMax) : backtrack(t0);
          }
          if (t > 0) {
            remember();
            writeOut(gAcc);
            return { evaluations: evals, loss: fAcc, grads: outGrads };
          }
          if (!useMemory) break;
          // the quasi-Newton direction failed: forget the curvature pairs and retry along the scaled gradient
          count = 0;
          head = 0;
          useMemory = false;
        }
      }
      // no descent possible from here: leave the values where they were
      for (let j = 0, p = 0; j < gs.length; j++) {
        const v = gs[j].values;
        for (let i = 0; i < v.length; i++, p++) v[i] = x0[p];
      }
      writeOut(g0);
      return { evaluations: evals, loss: f0, grads: outGrads, converged: true };
    },
  };
}

/**
 * Limited-memory BFGS with a strong-Wolfe (default) or backtracking line search, projected for bounds: a
 * variable on its bound whose gradient points outward is held fixed when forming the direction, and every
 * trial point lies in the box. One `step` = one quasi-Newton iteration; it calls `context.objective` at its
 * trial points (StateError without it), leaves the values at the accepted point and returns the loss and
 * gradient there (arrays owned by the instance, overwritten by the next step: copy them), or `converged: true`
 * (values unchanged) when no descent is possible: zero projected gradient, a first trial point equal to the
 * current one in every bit, or no acceptable point even along the scaled gradient.
 */
export const lbfgs: OptimizerPlugin<LbfgsOptions> & { readonly defaults: LbfgsDefaults } = markBuiltin({
  kind: 'optimizer',
  id: 'lbfgs',
  apiVersion: API_VERSION,
  defaults,
  create: createLbfgs,
});
