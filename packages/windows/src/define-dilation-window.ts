/**
 * `defineDilationWindow`: the one code path for every window that is a dilation of a base shape g on the
 * unit support (DESIGN.md §2):
 *
 *     w(x, θ) = g(x/θ)          for x ∈ [-hθ, hθ)   (h = halfWidth, default 1/2), 0 outside
 *     ∂w/∂x   = g'(x/θ) / θ
 *     ∂w/∂θ   = -g'(x/θ) · x / θ²
 *
 * Normalization (none / paper / unit) and its chain rule are NOT applied here: `FrameWindow` in @dstft/core
 * does that for every window plugin.
 */
import {
  API_VERSION,
  PluginApiError,
  type PluginMeta,
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
  /** Default options, merged under the user's. */
  readonly defaults?: P;
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
  if (spec.defaults !== undefined && (typeof spec.defaults !== 'object' || spec.defaults === null)) {
    bad(id, 'defaults must be an object', 'pass the default options as an object, e.g. { alpha: 0.5 }');
  }

  const shape = spec.shape;
  const dShape = spec.dShape;
  const halfWidth = spec.halfWidth ?? HALF;
  const userResolve = spec.resolveParams;
  const defaults = Object.freeze({ ...(spec.defaults ?? {}) }) as P;

  const plugin = {
    kind: 'window' as const,
    id,
    apiVersion: API_VERSION,
    gradients: Object.freeze({ theta: true, x: true }),
    continuousInTheta: spec.continuousInTheta,
    defaults,
    ...(spec.meta ? { meta: spec.meta } : {}),

    resolveParams(params: Readonly<Record<string, unknown>>): P {
      const merged = { ...defaults, ...params };
      return userResolve ? userResolve(merged) : (merged as P);
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
  };
  return plugin as DilationWindowPlugin<P, Id>;
}
