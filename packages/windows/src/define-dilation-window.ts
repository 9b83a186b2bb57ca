/**
 * `defineDilationWindow`: the one code path for every window that is a dilation of a base shape g on the
 * unit support (docs/design.md §2.1):
 *
 *     w(x, θ) = g(x/θ)          for x ∈ [-hθ, hθ)   (h = halfWidth, default 1/2), 0 outside
 *     ∂w/∂x   = g'(x/θ) / θ
 *     ∂w/∂θ   = -g'(x/θ) · x / θ²
 *
 * Normalization (none / paper / unit) and its chain rule are NOT applied here: `FrameWindow` in @dstft/core
 * does that for every window plugin.
 *
 * Cosine-sum windows (Hann, Hamming, Blackman, …) may also give their coefficients, g(u) = Σ_k a_k cos(2πku)
 * (`cosineSeries`); the plugin then gets a fast `evaluateGrid` that walks the angle 2πx/θ along a uniform grid
 * by rotation (angle addition) instead of calling Math.cos per sample, re-seeded from Math.cos / Math.sin every
 * 64 samples so that rounding cannot build up (measured on frames up to N = 8192 and on fine and descending grids:
 * within 1.2e-15 of `evaluate` on w, 2.3e-15 on ∂w/∂x and ∂w/∂θ; about 3.4× faster than `evaluate` for w alone and
 * 6× with both derivatives, in FrameWindow at N = 1024).
 */
import {
  API_VERSION,
  PluginApiError,
  assertWindowParamsDeclaration,
  validateWindowParams,
  type PluginMeta,
  type WindowParamSpec,
  type WindowEval,
  type WindowParams,
  type WindowParamsMap,
  type WindowPlugin,
} from '@dstft/core';

/** A window with no options. */
export type NoParams = Readonly<Record<string, never>>;

/**
 * The option type registered for a window id in `WindowParamsMap` (by declaration merging), or the generic
 * `WindowParams` for an id nobody registered.
 */
export type WindowParamsOf<Id extends string> = Id extends keyof WindowParamsMap
  ? Extract<WindowParamsMap[Id], WindowParams>
  : WindowParams;

/**
 * What {@link defineDilationWindow} needs: an id, the base shape g(u) on the unit support [-1/2, 1/2) and its
 * derivative g'(u), optional parameters; the window is w(x; θ) = g(x/θ).
 */
export interface DilationWindowSpec<P extends WindowParams = WindowParams, Id extends string = string> {
  /** `namespace/name` for third parties (`acme/tukey`); plain ids are reserved for dstft's built-ins. */
  readonly id: Id;
  /**
   * g(u), the base shape on the unit support. Called only for u inside the support. A plain function:
   * it must not use `this`, must not allocate, and is called once per sample.
   */
  shape(u: number, params: P): number;
  /** g'(u) = dg/du, exact (analytic). Same rules as `shape`. */
  dShape(u: number, params: P): number;
  /**
   * Half-width of the support in units of θ (default 1/2: the support is [-θ/2, θ/2)). Return `Infinity`
   * for a window that is never exactly zero (the frame [-N/2, N/2) then cuts it, independently of θ).
   */
  halfWidth?(params: P): number;
  /**
   * True when w is continuous in θ as samples enter or leave the support, i.e. g is 0 at the support edge
   * (or the support is infinite). False for Hamming, Kaiser: their transform jumps in θ.
   */
  readonly continuousInTheta: boolean;
  /**
   * Optional: the coefficients a_0, a_1, … of a cosine-sum shape g(u) = Σ_k a_k cos(2πku), which must be the same
   * function as `shape` (the conformance suite of @dstft/testing checks that `evaluateGrid` agrees with `evaluate`
   * to 1e-13). When given, the plugin gets a fast `evaluateGrid` built on angle-addition recurrences for w, ∂w/∂θ
   * and ∂w/∂x. Called once per `evaluateGrid` call: return a constant (or cached) array, do not allocate.
   * At least one finite coefficient; checked by `resolveParams`.
   */
  cosineSeries?(params: P): readonly number[];
  /** Default options, merged under the user's. */
  readonly defaults?: P;
  /**
   * Optional declaration of the options (`[]` for a window without any): name, type, range, default, one-line
   * description each. With it, `resolveParams` refuses unknown keys ("did you mean"), wrong types and out-of-range
   * values before your own `resolveParams` runs, and the plugin carries it as `parameters` (listings show it).
   * Each default must equal `defaults[name]`, and every key of `defaults` must be declared.
   */
  readonly parameters?: readonly WindowParamSpec[];
  /**
   * Validates and completes the options. Receives the user's options already merged over `defaults`;
   * throws a `ParameterError` (from @dstft/core) naming the option, its value and the fix.
   */
  resolveParams?(params: Readonly<Record<string, unknown>>): P;
  readonly meta?: PluginMeta;
}

/** What `defineDilationWindow` returns: a complete window plugin whose `resolveParams` always exists. */
export type DilationWindowPlugin<P extends WindowParams = WindowParams, Id extends string = string> = WindowPlugin<P> & {
  readonly id: Id;
  resolveParams(params: Readonly<Record<string, unknown>>): P;
};

const HALF = (): number => 0.5;
const TWO_PI = 2 * Math.PI;
/**
 * Samples between two direct evaluations of cos / sin in a cosine-series grid (bounds the recurrence's rounding).
 * A multiple of 4 (fillAngles writes groups of four).
 */
const RESEED = 64;

function bad(id: unknown, what: string, fix: string): never {
  throw new PluginApiError(`defineDilationWindow(${JSON.stringify(id)}): ${what}. Fix: ${fix}`);
}

/**
 * Builds a complete `WindowPlugin` (apiVersion, gradients {theta, x}, support, evaluate) from a base shape g
 * and its derivative g'. Third parties use a namespaced id (`acme/tukey`) and type their options by declaration
 * merging: `declare module '@dstft/core' { interface WindowParamsMap { 'acme/tukey': { alpha: number } } }`.
 *
 * Typing: the option type P is inferred from `defaults` (or from an annotated `shape` parameter); when the id is
 * registered in `WindowParamsMap`, P must match that entry (a mismatch is a compile error) and is that entry when
 * nothing else says otherwise.
 */
export function defineDilationWindow<const Id extends string, P extends WindowParamsOf<Id> = WindowParamsOf<Id>>(
  spec: DilationWindowSpec<P, Id>,
): DilationWindowPlugin<P, Id> {
  if (typeof spec !== 'object' || spec === null) bad(undefined, `got ${typeof spec}`, 'pass { id, shape, dShape, continuousInTheta }');
  const id = spec.id;
  if (typeof id !== 'string' || id.length === 0) bad(id, 'id must be a non-empty string', 'use a namespaced id such as "acme/tukey"');
  if (typeof spec.shape !== 'function') bad(id, 'shape(u, params) is missing', 'give the base shape g(u) on the unit support');
  if (typeof spec.dShape !== 'function') bad(id, 'dShape(u, params) is missing', "give g'(u), the exact derivative of shape");
  if (spec.halfWidth !== undefined && typeof spec.halfWidth !== 'function') {
    bad(id, 'halfWidth must be a function (params) => number', 'pass e.g. halfWidth: () => 0.5, or leave it out');
  }
  if (typeof spec.continuousInTheta !== 'boolean') {
    bad(id, 'continuousInTheta must be a boolean', 'set true when g is 0 at the support edge (or the support is infinite), else false');
  }
  if (spec.cosineSeries !== undefined && typeof spec.cosineSeries !== 'function') {
    bad(id, 'cosineSeries must be a function (params) => readonly number[]', 'pass e.g. cosineSeries: () => [0.5, 0.5] (Hann), or leave it out');
  }
  if (spec.defaults !== undefined && (typeof spec.defaults !== 'object' || spec.defaults === null)) {
    bad(id, 'defaults must be an object', 'pass the default options as an object, e.g. { alpha: 0.5 }');
  }

  if (spec.parameters !== undefined) assertWindowParamsDeclaration({ id, parameters: spec.parameters, defaults: spec.defaults ?? {} });

  const shape = spec.shape;
  const dShape = spec.dShape;
  const halfWidth = spec.halfWidth ?? HALF;
  const userResolve = spec.resolveParams;
  const series = spec.cosineSeries;
  const defaults = Object.freeze({ ...(spec.defaults ?? {}) }) as P;
  const parameters = spec.parameters === undefined ? undefined : Object.freeze(spec.parameters.map((p) => Object.freeze({ ...p })));

  const plugin = {
    kind: 'window' as const,
    id,
    apiVersion: API_VERSION,
    gradients: Object.freeze({ theta: true, x: true }),
    continuousInTheta: spec.continuousInTheta,
    defaults,
    ...(parameters !== undefined ? { parameters } : {}),
    ...(spec.meta ? { meta: spec.meta } : {}),

    resolveParams(params: Readonly<Record<string, unknown>>): P {
      // with a declaration: unknown keys, types and ranges; without: only "a plain object" (undefined means the default)
      const given = validateWindowParams(parameters !== undefined ? { id, parameters } : { id }, params);
      const merged: Record<string, unknown> = { ...defaults };
      for (const k of Object.keys(given)) if (given[k] !== undefined) merged[k] = given[k];
      const resolved = userResolve ? userResolve(merged) : (merged as P);
      if (series !== undefined) checkSeries(id, series(resolved));
      return resolved;
    },

    supportHalfWidth(theta: number, params: P): number {
      return halfWidth(params) * theta;
    },

    evaluate(x: Float64Array, start: number, end: number, theta: number, params: P, out: WindowEval): void {
      const w = out.w;
      const dT = out.dTheta;
      const dX = out.dX;
      const inv = 1 / theta;
      const hi = halfWidth(params) * theta; // support [-hi, hi); Infinity for untruncated windows
      const lo = -hi;
      if (dT === null && dX === null) {
        for (let k = start; k < end; k++) {
          const xk = x[k];
          w[k] = xk >= lo && xk < hi ? shape(xk * inv, params) : 0;
        }
        return;
      }
      for (let k = start; k < end; k++) {
        const xk = x[k];
        if (xk >= lo && xk < hi) {
          const u = xk * inv;
          w[k] = shape(u, params);
          const g1 = dShape(u, params) * inv; // ∂w/∂x = g'(u)/θ
          if (dX !== null) dX[k] = g1;
          if (dT !== null) dT[k] = -g1 * u; // ∂w/∂θ = -g'(u)·x/θ²
        } else {
          w[k] = 0;
          if (dX !== null) dX[k] = 0;
          if (dT !== null) dT[k] = 0;
        }
      }
    },
    ...(series !== undefined ? { evaluateGrid: cosineSeriesGrid(series, halfWidth) } : {}),
  };
  return plugin as DilationWindowPlugin<P, Id>;
}

function checkSeries(id: string, a: unknown): void {
  if (!Array.isArray(a) || a.length === 0 || !a.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    bad(id, `cosineSeries(params) returned ${JSON.stringify(a)}`, 'return the coefficients a_0, a_1, … of g(u) = Σ_k a_k cos(2πku) as finite numbers, e.g. [0.5, 0.5]');
  }
}

/**
 * `evaluateGrid` of a cosine-sum window g(u) = Σ_k a_k cos(2πku), u = x/θ, on x_k = x0 + k·step.
 *
 * Support: x_k is monotone in k (also in floating point), so the samples with x_k ∈ [-h, h) — the test `evaluate`
 * makes — form one run [ka, kb), found with a division and checked with that exact test at its ends; the rest is 0.
 *
 * Values: with φ = 2πu, c = cos φ, s = sin φ, see `putSample`. (c, s) along the run: φ grows by δ = 2π·step/θ per
 * sample. The run goes in chunks of RESEED samples; each chunk starts from Math.cos / Math.sin of 2π·x_k/θ, computed
 * exactly as `evaluate` does, and `walkChunk` advances by angle addition. Rounding never accumulates over more than
 * one chunk, and the first sample of the support (where a window that is not zero at its edge jumps) is exact.
 */
function cosineSeriesGrid<P extends WindowParams>(
  series: (params: P) => readonly number[],
  halfWidth: (params: P) => number,
): NonNullable<WindowPlugin<P>['evaluateGrid']> {
  // plugin-owned per-call state (evaluateGrid calls no user code after filling it)
  const q: SeriesCall = { w: new Float64Array(0), dT: null, dX: null, a: [], terms: 0, b0: 0, a1: 0, b2: 0, d2: 0, inv: 0, x0: 0, step: 0 };
  const rot = new Float64Array(8);
  return function evaluateGrid(x0: number, step: number, start: number, end: number, theta: number, params: P, out: WindowEval): void {
    const a = series(params);
    const w = out.w;
    const dT = out.dTheta;
    const dX = out.dX;
    const inv = 1 / theta;
    const hi = halfWidth(params) * theta; // support [-hi, hi), as in evaluate
    let ka: number;
    let kb: number;
    if (step >= 0) {
      ka = firstAtLeast(x0, step, start, end, -hi);
      kb = firstAtLeast(x0, step, start, end, hi);
    } else {
      ka = firstBelow(x0, step, start, end, hi);
      kb = firstBelow(x0, step, start, end, -hi);
    }
    if (kb < ka) kb = ka;
    zeroOutside(w, start, ka, kb, end);
    if (dT !== null) zeroOutside(dT, start, ka, kb, end);
    if (dX !== null) zeroOutside(dX, start, ka, kb, end);
    if (ka === kb) return;
    const terms = a.length;
    const a0 = a[0];
    const a1 = terms > 1 ? a[1] : 0;
    const a2 = terms > 2 ? a[2] : 0;
    q.w = w;
    q.dT = dT;
    q.dX = dX;
    q.a = a;
    q.terms = terms;
    q.b0 = terms > 3 ? a0 : a0 - a2;
    q.a1 = a1;
    q.b2 = 2 * a2;
    q.d2 = 4 * a2;
    q.inv = inv;
    q.x0 = x0;
    q.step = step;
    rotations(TWO_PI * step * inv, rot);
    for (let k = ka; k < kb; k += RESEED) walkChunk(q, k, kb - k < RESEED ? kb : k + RESEED, rot);
  };
}

/** Per-call constants of a cosine-series grid evaluation. */
interface SeriesCall {
  w: Float64Array;
  dT: Float64Array | null;
  dX: Float64Array | null;
  a: readonly number[];
  terms: number;
  /** Closed form for ≤ 3 terms: w = b0 + c·(a1 + b2·c), b0 = a0 − a2, b2 = 2·a2; Σ_k k·a_k sin kφ = s·(a1 + d2·c), d2 = 4·a2. */
  b0: number;
  a1: number;
  b2: number;
  d2: number;
  inv: number;
  x0: number;
  step: number;
}

/**
 * w, ∂w/∂x, ∂w/∂θ at grid index j from c = cos φ, s = sin φ, φ = 2π·x_j/θ:
 *   w = g(u) = Σ_k a_k cos kφ,   g′(u) = −2π Σ_k k·a_k sin kφ,   ∂w/∂x = g′(u)/θ,   ∂w/∂θ = −g′(u)·u/θ.
 * Up to three terms (Hann, Hamming, Blackman) in closed form: cos 2φ = 2c² − 1, sin 2φ = 2sc. Kept small so that
 * it is inlined into the loop of `walkChunk`; longer series go through `putSeries`.
 */
function putSample(q: SeriesCall, j: number, c: number, s: number): void {
  if (q.terms > 3) {
    putSeries(q, j, c, s);
    return;
  }
  q.w[j] = q.b0 + c * (q.a1 + q.b2 * c);
  const dX = q.dX;
  const dT = q.dT;
  if (dX !== null || dT !== null) {
    const gx = -TWO_PI * s * (q.a1 + q.d2 * c) * q.inv; // ∂w/∂x = g′(u)/θ
    if (dX !== null) dX[j] = gx;
    if (dT !== null) dT[j] = -gx * ((q.x0 + j * q.step) * q.inv); // ∂w/∂θ = -g′(u)·x/θ²
  }
}

/** `putSample` for any number of terms: cos kφ, sin kφ by C_{k+1} = 2c·C_k − C_{k−1}, S_{k+1} = 2c·S_k − S_{k−1}. */
function putSeries(q: SeriesCall, j: number, c: number, s: number): void {
  const a = q.a;
  let cPrev = 1;
  let cCur = c;
  let sPrev = 0;
  let sCur = s;
  let g = a[0] + a[1] * c;
  let g1 = a[1] * s; // Σ_k k·a_k sin kφ
  const twoC = 2 * c;
  for (let m = 2; m < q.terms; m++) {
    const cNext = twoC * cCur - cPrev;
    const sNext = twoC * sCur - sPrev;
    cPrev = cCur;
    cCur = cNext;
    sPrev = sCur;
    sCur = sNext;
    g += a[m] * cCur;
    g1 += m * a[m] * sCur;
  }
  q.w[j] = g;
  const gx = -TWO_PI * g1 * q.inv;
  if (q.dX !== null) q.dX[j] = gx;
  if (q.dT !== null) q.dT[j] = -gx * ((q.x0 + j * q.step) * q.inv);
}

/**
 * The samples [k, k1) (at most RESEED): cos / sin of φ_k = 2π·x_k/θ directly, then four interleaved sequences
 * (j − k ≡ 0, 1, 2, 3 mod 4) that start from φ_k + 0..3·δ and each advance by 4δ with
 *   cos(ψ+4δ) = c − (α·c + β·s),   sin(ψ+4δ) = s − (α·s − β·c),   α = 1 − cos 4δ,   β = sin 4δ
 * (small corrections when δ is small, so each step rounds by about half an ulp). Four independent chains, not one
 * long one: consecutive samples do not wait on each other, and each chain takes at most RESEED/4 steps.
 */
function walkChunk(q: SeriesCall, k: number, k1: number, rot: Float64Array): void {
  const phi = TWO_PI * ((q.x0 + k * q.step) * q.inv);
  const c0 = Math.cos(phi);
  const s0 = Math.sin(phi);
  const alpha = rot[6];
  const beta = rot[7];
  let ca = c0;
  let sa = s0;
  let cb = c0 * rot[0] - s0 * rot[1];
  let sb = s0 * rot[0] + c0 * rot[1];
  let cc = c0 * rot[2] - s0 * rot[3];
  let sc = s0 * rot[2] + c0 * rot[3];
  let cd = c0 * rot[4] - s0 * rot[5];
  let sd = s0 * rot[4] + c0 * rot[5];
  // four call sites only (guards for the last group), so that all four are inlined
  for (let j = k; j < k1; j += 4) {
    putSample(q, j, ca, sa);
    if (j + 1 < k1) putSample(q, j + 1, cb, sb);
    if (j + 2 < k1) putSample(q, j + 2, cc, sc);
    if (j + 3 < k1) putSample(q, j + 3, cd, sd);
    let t = ca - (alpha * ca + beta * sa);
    sa -= alpha * sa - beta * ca;
    ca = t;
    t = cb - (alpha * cb + beta * sb);
    sb -= alpha * sb - beta * cb;
    cb = t;
    t = cc - (alpha * cc + beta * sc);
    sc -= alpha * sc - beta * cc;
    cc = t;
    t = cd - (alpha * cd + beta * sd);
    sd -= alpha * sd - beta * cd;
    cd = t;
  }
}

/**
 * Rotations used by `walkChunk` for the angle step δ: out = [cos δ, sin δ, cos 2δ, sin 2δ, cos 3δ, sin 3δ,
 * 1 − cos 4δ, sin 4δ], from two sines by double-angle and addition formulas (each within a few ulp). 1 − cos 4δ is
 * formed as 2 sin² 2δ, which keeps its relative accuracy when δ is small.
 */
function rotations(delta: number, out: Float64Array): void {
  const h = Math.sin(0.5 * delta);
  const s1 = Math.sin(delta);
  const c1 = 1 - 2 * h * h;
  const s2 = 2 * s1 * c1;
  const c2 = 1 - 2 * s1 * s1;
  out[0] = c1;
  out[1] = s1;
  out[2] = c2;
  out[3] = s2;
  out[4] = c2 * c1 - s2 * s1;
  out[5] = s2 * c1 + c2 * s1;
  out[6] = 2 * s2 * s2;
  out[7] = 2 * s2 * c2;
}

/** arr = 0 on [start, ka) and [kb, end). */
function zeroOutside(arr: Float64Array, start: number, ka: number, kb: number, end: number): void {
  if (start < ka) arr.fill(0, start, ka);
  if (kb < end) arr.fill(0, kb, end);
}

/** Smallest k in [start, end] with x0 + k·step ≥ bound, for step ≥ 0 (x non-decreasing in k); `end` if none. */
function firstAtLeast(x0: number, step: number, start: number, end: number, bound: number): number {
  let k = Math.ceil((bound - x0) / step); // an estimate, made exact by the two loops (which compare as evaluate does)
  if (!(k > start)) k = start; // also NaN (step 0), -Infinity
  if (k > end) k = end;
  while (k > start && x0 + (k - 1) * step >= bound) k--;
  while (k < end && !(x0 + k * step >= bound)) k++;
  return k;
}

/** Smallest k in [start, end] with x0 + k·step < bound, for step < 0 (x decreasing in k); `end` if none. */
function firstBelow(x0: number, step: number, start: number, end: number, bound: number): number {
  let k = Math.floor((bound - x0) / step) + 1;
  if (!(k > start)) k = start;
  if (k > end) k = end;
  while (k > start && x0 + (k - 1) * step < bound) k--;
  while (k < end && !(x0 + k * step < bound)) k++;
  return k;
}
