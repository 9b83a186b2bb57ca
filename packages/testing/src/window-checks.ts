/**
 * The checks behind `describeWindowPlugin`, as plain functions returning a report (usable without vitest, and
 * testable on deliberately broken plugins). Each check is deterministic: random points come from a seeded
 * mulberry32.
 */
import {
  API_VERSION,
  BUILTIN,
  FrameWindow,
  ParameterError,
  createRegistry,
  describeParamRange,
  resolveWindowParams as resolveDeclaredParams,
  windowParamsDeclarationProblem,
  type WindowParamSpec,
  type Normalization,
  type WindowEval,
  type WindowParams,
  type WindowPlugin,
} from '@dstft/core';
import { richardsonDifference } from './finite-difference.js';
import { fmt, table } from './format.js';
import { createRng } from './rng.js';

export interface WindowCheckOptions<P extends WindowParams = WindowParams> {
  /** Options for the window (merged over `plugin.defaults`, then passed through `plugin.resolveParams`). */
  params?: Partial<P>;
  /** Range of θ (in samples) for the random derivative points and the finiteness grid. Default [2, 4096]. */
  thetas?: readonly [min: number, max: number];
  /** DFT sizes for the FrameWindow checks (include an odd one). Default [16, 17, 64]. */
  nFfts?: readonly number[];
  /** Seed of the random points. Default 0x5eed. */
  seed?: number;
  /** Number of random (x, θ) points of the derivative check. Default 400. */
  points?: number;
  /** Relative tolerance of derivative checks. Default 1e-6. */
  rtol?: number;
  /**
   * Absolute floor of derivative comparisons, relative to max|w|/θ (the scale of a derivative):
   * error = |a - n| / max(|a|, |n|, floor·max|w|/θ). Default 1e-3.
   */
  floor?: number;
  /**
   * Tolerance of `evaluateGrid` against `evaluate` (only for plugins that have it): |grid - evaluate| ≤
   * gridTol · max(1, |evaluate|), i.e. absolute for the O(1) values of w. Default 1e-13.
   */
  gridTol?: number;
}

/**
 * The outcome of one window-plugin check (named): whether it passed, how many comparisons it made or skipped, the
 * failures and a message ready to print.
 */
export interface CheckReport {
  readonly name: string;
  readonly ok: boolean;
  /** Number of comparisons made. */
  readonly checked: number;
  /** Number of comparisons skipped (finite differences unreliable there: support edge, kinks). */
  readonly skipped: number;
  /** One line per problem (at most 20 kept). */
  readonly failures: readonly string[];
  /** A readable summary (with a table of the worst comparisons when derivatives fail). */
  readonly message: string;
}

interface Resolved<P extends WindowParams> {
  plugin: WindowPlugin<P>;
  params: P;
  thetaMin: number;
  thetaMax: number;
  nFfts: readonly number[];
  seed: number;
  points: number;
  rtol: number;
  floor: number;
  gridTol: number;
}

/** The plugin's options: `params` merged over `defaults`, through `resolveParams` when the plugin has one. */
export function resolveWindowParams<P extends WindowParams>(plugin: WindowPlugin<P>, params?: Partial<P>): P {
  const merged = { ...plugin.defaults, ...(params ?? {}) } as Readonly<Record<string, unknown>>;
  return plugin.resolveParams ? plugin.resolveParams(merged) : (merged as P);
}

function resolveOptions<P extends WindowParams>(plugin: WindowPlugin<P>, o: WindowCheckOptions<P>): Resolved<P> {
  const [thetaMin, thetaMax] = o.thetas ?? [2, 4096];
  if (!(thetaMin > 0) || !(thetaMax >= thetaMin) || !Number.isFinite(thetaMax)) {
    throw new RangeError(`window checks: thetas = [${thetaMin}, ${thetaMax}]. Fix: pass [min, max] with 0 < min ≤ max < Infinity`);
  }
  return {
    plugin,
    params: resolveWindowParams(plugin, o.params),
    thetaMin,
    thetaMax,
    nFfts: o.nFfts ?? [16, 17, 64],
    seed: o.seed ?? 0x5eed,
    points: o.points ?? 400,
    rtol: o.rtol ?? 1e-6,
    floor: o.floor ?? 1e-3,
    gridTol: o.gridTol ?? 1e-13,
  };
}

const MAX_FAILURES = 20;

function report(name: string, checked: number, skipped: number, failures: string[], extra = ''): CheckReport {
  const ok = failures.length === 0;
  const head = `${name}: ${ok ? 'ok' : `${failures.length}${failures.length >= MAX_FAILURES ? '+' : ''} problem(s)`} (${checked} checked, ${skipped} skipped)`;
  const message = ok ? head : `${head}\n${failures.slice(0, MAX_FAILURES).join('\n')}${extra ? `\n${extra}` : ''}`;
  return { name, ok, checked, skipped, failures: failures.slice(0, MAX_FAILURES), message };
}

/** Evaluates a plugin at single points with preallocated buffers. */
class PointProbe<P extends WindowParams> {
  readonly x = new Float64Array(1);
  readonly w = new Float64Array(1);
  readonly dT = new Float64Array(1);
  readonly dX = new Float64Array(1);
  readonly #valueOut: WindowEval;
  readonly #fullOut: WindowEval;
  constructor(
    readonly plugin: WindowPlugin<P>,
    readonly params: P,
  ) {
    this.#valueOut = { w: this.w, dTheta: null, dX: null };
    this.#fullOut = {
      w: this.w,
      dTheta: plugin.gradients.theta ? this.dT : null,
      dX: plugin.gradients.x ? this.dX : null,
    };
  }
  value(x: number, theta: number): number {
    this.x[0] = x;
    this.plugin.evaluate(this.x, 0, 1, theta, this.params, this.#valueOut);
    return this.w[0]!;
  }
  /** Fills w, dT, dX at (x, θ). */
  full(x: number, theta: number): void {
    this.x[0] = x;
    this.dT[0] = Number.NaN;
    this.dX[0] = Number.NaN;
    this.plugin.evaluate(this.x, 0, 1, theta, this.params, this.#fullOut);
  }
}

/** max |w| over the support at a few θ (the scale of w, used for absolute floors). */
function windowScale<P extends WindowParams>(r: Resolved<P>): number {
  const probe = new PointProbe(r.plugin, r.params);
  let m = 0;
  for (const theta of [r.thetaMin, Math.sqrt(r.thetaMin * r.thetaMax), r.thetaMax]) {
    const h = Math.min(r.plugin.supportHalfWidth(theta, r.params), theta);
    for (let i = 0; i <= 256; i++) m = Math.max(m, Math.abs(probe.value(-h + (2 * h * i) / 257, theta)));
  }
  return m;
}

function logUniform(rng: ReturnType<typeof createRng>, lo: number, hi: number): number {
  return lo === hi ? lo : Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
}

interface Comparison {
  what: string;
  theta: number;
  x: number;
  analytic: number;
  numeric: number;
  error: number;
}

function comparisonTable(rows: Comparison[], limit = 10): string {
  const worst = [...rows].sort((a, b) => b.error - a.error).slice(0, limit);
  return table(
    ['derivative', 'theta', 'x', 'analytic', 'numeric', 'error'],
    worst.map((c) => [c.what, fmt(c.theta), fmt(c.x), fmt(c.analytic), fmt(c.numeric), fmt(c.error)]),
  );
}

/** Relative error with an absolute floor. */
function relErr(a: number, n: number, floor: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(n)) return Number.POSITIVE_INFINITY;
  return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor, Number.MIN_VALUE);
}

/**
 * (a) ∂w/∂θ and ∂w/∂x against Richardson-extrapolated central differences of `evaluate` at seeded random
 * (x, θ), θ log-uniform in the range, x uniform over the support (and 20 % of points close to its edge).
 *
 * Finite differences are unreliable where w is not smooth within the stencil; such comparisons are skipped:
 * - at the exact support edge (all windows), and within the stencil's reach of it for windows with
 *   `continuousInTheta: false` (w jumps there);
 * - where two step sizes (h and h/8) disagree, i.e. a kink of w or w'' lies within the stencil (the edge of a
 *   C¹ window, a Tukey taper's junction). At most 10 % of comparisons may be skipped this way.
 */
export function checkWindowDerivatives<P extends WindowParams>(plugin: WindowPlugin<P>, options: WindowCheckOptions<P> = {}): CheckReport {
  const name = 'derivatives vs finite differences';
  const r = resolveOptions(plugin, options);
  const probe = new PointProbe(plugin, r.params);
  const rng = createRng(r.seed);
  const scale = windowScale(r);
  const failures: string[] = [];
  if (!(scale > 0) || !Number.isFinite(scale)) {
    return report(name, 0, 0, [`max |w| over the support is ${scale}; the window must be finite and not identically zero`]);
  }
  const rows: Comparison[] = [];
  let checked = 0;
  let edgeSkips = 0;
  let kinkSkips = 0;
  const dirs: ('theta' | 'x')[] = [];
  if (plugin.gradients.theta) dirs.push('theta');
  if (plugin.gradients.x) dirs.push('x');
  if (dirs.length === 0) return report(name, 0, 0, [], 'the plugin declares no derivatives');

  for (let p = 0; p < r.points; p++) {
    const theta = logUniform(rng, r.thetaMin, r.thetaMax);
    const hs = plugin.supportHalfWidth(theta, r.params);
    const finite = Number.isFinite(hs);
    let x: number;
    if (!finite) x = rng.uniform(-theta, theta);
    else if (rng.next() < 0.2) {
      // near an edge, inside or outside, 1e-3θ .. 5e-2θ away
      const d = logUniform(rng, 1e-3, 5e-2) * theta;
      x = (rng.next() < 0.5 ? -hs : hs) + (rng.next() < 0.5 ? -d : d);
    } else x = rng.uniform(-1.1 * hs, 1.1 * hs);

    const h = 1e-4 * theta;
    probe.full(x, theta);
    const aT = probe.dT[0]!;
    const aX = probe.dX[0]!;
    const fl = (r.floor * scale) / theta;

    let edgeDist = Number.POSITIVE_INFINITY;
    let reach = 0;
    if (finite) {
      edgeDist = Math.min(Math.abs(x - hs), Math.abs(x + hs));
      const move = Math.abs(plugin.supportHalfWidth(theta + h, r.params) - plugin.supportHalfWidth(theta - h, r.params)) / 2;
      reach = 1.01 * (h + move);
    }
    for (const dir of dirs) {
      if (edgeDist <= 1e-12 * theta || (!plugin.continuousInTheta && edgeDist <= reach)) {
        edgeSkips++;
        continue;
      }
      const f = dir === 'x' ? (t: number) => probe.value(t, theta) : (t: number) => probe.value(x, t);
      const t0 = dir === 'x' ? x : theta;
      const n1 = richardsonDifference(f, t0, h);
      const n2 = richardsonDifference(f, t0, h / 8);
      if (!(relErr(n1, n2, fl) <= r.rtol)) {
        kinkSkips++;
        continue;
      }
      const a = dir === 'x' ? aX : aT;
      const error = relErr(a, n1, fl);
      checked++;
      const c: Comparison = { what: dir === 'x' ? '∂w/∂x' : '∂w/∂θ', theta, x, analytic: a, numeric: n1, error };
      rows.push(c);
      if (!(error <= r.rtol) && failures.length < MAX_FAILURES) {
        failures.push(`${c.what} at θ = ${fmt(theta)}, x = ${fmt(x)}: analytic ${fmt(a)}, finite difference ${fmt(n1)} (error ${fmt(error)} > ${r.rtol})`);
      }
    }
  }
  const total = checked + kinkSkips;
  if (kinkSkips > 0.1 * total) {
    failures.push(
      `finite differences at steps h and h/8 disagree at ${kinkSkips} of ${total} comparisons: w is not smooth inside its support ` +
        '(a bug in evaluate, or a window with many kinks), so its derivatives cannot be verified',
    );
  }
  if (checked === 0) failures.push('no comparison could be made');
  return report(name, checked, edgeSkips + kinkSkips, failures, failures.length ? comparisonTable(rows) : '');
}

/** (b) w = 0, ∂w/∂θ = 0, ∂w/∂x = 0 outside [-h, h), h = supportHalfWidth(θ); h must be > 0 (or Infinity). */
export function checkWindowSupport<P extends WindowParams>(plugin: WindowPlugin<P>, options: WindowCheckOptions<P> = {}): CheckReport {
  const r = resolveOptions(plugin, options);
  const failures: string[] = [];
  let checked = 0;
  const xs = new Float64Array(12);
  const w = new Float64Array(12);
  const dT = new Float64Array(12);
  const dX = new Float64Array(12);
  const out: WindowEval = { w, dTheta: plugin.gradients.theta ? dT : null, dX: plugin.gradients.x ? dX : null };
  for (const theta of thetaGrid(r, 7)) {
    const hs = plugin.supportHalfWidth(theta, r.params);
    if (Number.isNaN(hs) || !(hs > 0)) {
      failures.push(`supportHalfWidth(${fmt(theta)}) = ${hs}; expected a number > 0 (or Infinity)`);
      continue;
    }
    if (!Number.isFinite(hs)) continue; // never zero: nothing to check outside
    const outside = [hs, hs * (1 + 1e-12), hs + 1e-9 * theta, 1.5 * hs, hs + theta, 1e9, -hs - 1e-9 * theta, -hs * (1 + 1e-12), -1.5 * hs, -hs - theta, -1e9, hs + 0.5];
    for (let i = 0; i < 12; i++) xs[i] = outside[i]!;
    w.fill(Number.NaN);
    dT.fill(Number.NaN);
    dX.fill(Number.NaN);
    plugin.evaluate(xs, 0, 12, theta, r.params, out);
    for (let i = 0; i < 12; i++) {
      checked++;
      const bad: string[] = [];
      if (w[i] !== 0) bad.push(`w = ${w[i]}`);
      if (out.dTheta && dT[i] !== 0) bad.push(`∂w/∂θ = ${dT[i]}`);
      if (out.dX && dX[i] !== 0) bad.push(`∂w/∂x = ${dX[i]}`);
      if (bad.length && failures.length < MAX_FAILURES) {
        failures.push(`θ = ${fmt(theta)}, x = ${fmt(xs[i]!)} lies outside [-${fmt(hs)}, ${fmt(hs)}) but ${bad.join(', ')} (expected exactly 0)`);
      }
    }
    // the support is not empty: the window is nonzero somewhere inside
    const probe = new PointProbe(plugin, r.params);
    let any = false;
    for (let i = 0; i < 64 && !any; i++) any = probe.value(-hs + ((i + 0.5) * 2 * hs) / 64, theta) !== 0;
    if (!any) failures.push(`θ = ${fmt(theta)}: w is 0 everywhere in [-${fmt(hs)}, ${fmt(hs)})`);
  }
  return report('zero outside the support', checked, 0, failures);
}

function thetaGrid<P extends WindowParams>(r: Resolved<P>, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? r.thetaMin : r.thetaMin * Math.pow(r.thetaMax / r.thetaMin, i / (n - 1));
    // avoid only-integer θ: nudge interior values off the grid
    out.push(i === 0 || i === n - 1 ? t : t * 1.0173);
  }
  return out;
}

/** (c) No NaN / Infinity in w, ∂w/∂θ, ∂w/∂x for θ over the range and x over the whole frame [-N/2, N/2). */
export function checkWindowFiniteness<P extends WindowParams>(plugin: WindowPlugin<P>, options: WindowCheckOptions<P> = {}): CheckReport {
  const r = resolveOptions(plugin, options);
  const failures: string[] = [];
  let checked = 0;
  for (const theta of thetaGrid(r, 13)) {
    let n = 2;
    while (n < theta) n *= 2;
    const c = Math.floor(n / 2);
    const x = new Float64Array(n + 3);
    const w = new Float64Array(n + 3);
    const dT = new Float64Array(n + 3);
    const dX = new Float64Array(n + 3);
    const hs = plugin.supportHalfWidth(theta, r.params);
    const out: WindowEval = { w, dTheta: plugin.gradients.theta ? dT : null, dX: plugin.gradients.x ? dX : null };
    for (const frac of [0, 0.5, 0.999]) {
      for (let j = 0; j < n; j++) x[j] = j - c - frac;
      // the edges and the centre themselves
      x[n] = Number.isFinite(hs) ? -hs : -c;
      x[n + 1] = Number.isFinite(hs) ? hs * (1 - 1e-15) : c;
      x[n + 2] = 0;
      plugin.evaluate(x, 0, n + 3, theta, r.params, out);
      for (let j = 0; j < n + 3; j++) {
        checked++;
        if (!Number.isFinite(w[j]) || (out.dTheta && !Number.isFinite(dT[j])) || (out.dX && !Number.isFinite(dX[j]))) {
          if (failures.length < MAX_FAILURES) {
            failures.push(`θ = ${fmt(theta)}, x = ${fmt(x[j]!)}: w = ${w[j]}, ∂w/∂θ = ${out.dTheta ? dT[j] : '-'}, ∂w/∂x = ${out.dX ? dX[j] : '-'}`);
          }
        }
      }
    }
  }
  return report('finite everywhere', checked, 0, failures);
}

/**
 * (d) `evaluate` writes every entry of [start, end) and nothing outside it, never writes x, accepts null
 * dTheta / dX (and then gives the same w and the same remaining derivative).
 */
export function checkWindowBounds<P extends WindowParams>(plugin: WindowPlugin<P>, options: WindowCheckOptions<P> = {}): CheckReport {
  const r = resolveOptions(plugin, options);
  const failures: string[] = [];
  const n = 48;
  const start = 7;
  const end = 37;
  const SENTINEL = -12345.678;
  const theta = Math.min(Math.max(16, r.thetaMin), r.thetaMax);
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = -0.75 * theta + (1.5 * theta * j) / (n - 1) + 0.013;
  const x0 = Float64Array.from(x);
  const buf = (): Float64Array => new Float64Array(n).fill(SENTINEL);
  const run = (withT: boolean, withX: boolean, s = start, e = end) => {
    const out = { w: buf(), dTheta: withT ? buf() : null, dX: withX ? buf() : null };
    try {
      plugin.evaluate(x, s, e, theta, r.params, out);
    } catch (err) {
      failures.push(`evaluate(start ${s}, end ${e}, dTheta ${withT ? 'buffer' : 'null'}, dX ${withX ? 'buffer' : 'null'}) threw: ${String(err)}`);
    }
    return out;
  };
  const gT = plugin.gradients.theta;
  const gX = plugin.gradients.x;
  const full = run(gT, gX);
  const label: Record<'w' | 'dTheta' | 'dX', string> = { w: 'w', dTheta: 'dTheta', dX: 'dX' };
  let checked = 0;
  for (const key of ['w', 'dTheta', 'dX'] as const) {
    const a = full[key];
    if (!a) continue;
    const unwritten: number[] = [];
    const overwritten: number[] = [];
    for (let j = 0; j < n; j++) {
      checked++;
      const inside = j >= start && j < end;
      if (inside && a[j] === SENTINEL) unwritten.push(j);
      if (!inside && a[j] !== SENTINEL) overwritten.push(j);
    }
    if (unwritten.length) failures.push(`${label[key]} at ${unwritten.length} indices inside [${start}, ${end}) was not written (e.g. ${unwritten.slice(0, 5).join(', ')}); write 0 outside the support`);
    if (overwritten.length) {
      failures.push(`${label[key]} at ${overwritten.length} indices outside [${start}, ${end}) was overwritten (e.g. [${overwritten[0]}] = ${a[overwritten[0]!]})`);
    }
  }
  for (let j = 0; j < n; j++) {
    if (x[j] !== x0[j]) {
      failures.push(`evaluate changed its input x[${j}]`);
      break;
    }
  }
  const same = (a: Float64Array, b: Float64Array, what: string) => {
    for (let j = start; j < end; j++) {
      if (!Object.is(a[j], b[j])) {
        failures.push(`${what}[${j}] = ${a[j]} differs from ${b[j]} computed with all derivative buffers`);
        return;
      }
    }
  };
  const none = run(false, false);
  same(none.w, full.w, 'w (dTheta and dX null)');
  if (gT) {
    const onlyT = run(true, false);
    same(onlyT.w, full.w, 'w (dX null)');
    same(onlyT.dTheta!, full.dTheta!, 'dTheta (dX null)');
  }
  if (gX) {
    const onlyX = run(false, true);
    same(onlyX.w, full.w, 'w (dTheta null)');
    same(onlyX.dX!, full.dX!, 'dX (dTheta null)');
  }
  const empty = run(gT, gX, 20, 20);
  for (const a of [empty.w, empty.dTheta, empty.dX]) {
    if (a && a.some((v) => v !== SENTINEL)) {
      failures.push('evaluate with start = end wrote something');
      break;
    }
  }
  return report('writes only [start, end)', checked, 0, failures.slice(0, MAX_FAILURES));
}

/**
 * (e) The plugin is well-formed and registers in a fresh registry (`{ override: false }`): plain ids only for
 * built-ins (marked with `markBuiltin`), namespaced ids for third parties (which must not mark themselves);
 * `apiVersion`, `gradients`, `continuousInTheta`, `defaults`, and `resolveParams(defaults)` work.
 */
export function checkWindowRegistration<P extends WindowParams>(plugin: WindowPlugin<P>, options: WindowCheckOptions<P> = {}): CheckReport {
  const failures: string[] = [];
  try {
    const reg = createRegistry().use(plugin, { override: false });
    if (reg.get('window', plugin.id) !== (plugin as unknown)) failures.push(`registry.get('window', ${JSON.stringify(plugin.id)}) did not return the plugin`);
  } catch (err) {
    failures.push(`createRegistry().use(plugin) threw: ${String(err)}`);
  }
  const builtin = (plugin as { [BUILTIN]?: true })[BUILTIN] === true;
  if (plugin.kind !== 'window') failures.push(`kind = ${JSON.stringify(plugin.kind)}; expected "window"`);
  if (plugin.apiVersion !== API_VERSION) failures.push(`apiVersion = ${plugin.apiVersion}; this @dstft/core speaks ${API_VERSION}`);
  if (typeof plugin.id === 'string' && plugin.id.includes('/') && builtin) {
    failures.push(`id = ${JSON.stringify(plugin.id)} is namespaced but the plugin is marked built in: third-party plugins must not call markBuiltin`);
  }
  if (typeof plugin.id === 'string' && !plugin.id.includes('/') && !builtin) {
    failures.push(`id = ${JSON.stringify(plugin.id)} has no namespace; third-party ids look like "acme/name"`);
  }
  if (typeof plugin.gradients?.theta !== 'boolean' || typeof plugin.gradients?.x !== 'boolean') failures.push('gradients must be { theta: boolean, x: boolean }');
  if (typeof plugin.continuousInTheta !== 'boolean') failures.push('continuousInTheta must be a boolean');
  try {
    resolveWindowParams(plugin, options.params);
  } catch (err) {
    failures.push(`resolving the options (defaults merged with ${JSON.stringify(options.params ?? {})}) threw: ${String(err)}`);
  }
  return report('registers in a fresh registry', 1, 0, failures);
}

/** Values a declared parameter must accept: its default, its closed bounds, just inside its open bounds. */
function acceptedValues(s: WindowParamSpec): (number | boolean)[] {
  if (s.type === 'boolean') return [true, false];
  const out: number[] = [s.default as number];
  const inside = (b: number, up: boolean): number => (s.type === 'integer' ? (up ? Math.floor(b) + 1 : Math.ceil(b) - 1) : b + (up ? 1 : -1) * Math.max(1e-9, Math.abs(b) * 1e-9));
  if (s.min !== undefined && Number.isFinite(s.min)) out.push(s.minExclusive ? inside(s.min, true) : s.min);
  if (s.max !== undefined && Number.isFinite(s.max)) out.push(s.maxExclusive ? inside(s.max, false) : s.max);
  return out;
}

/** Values a declared parameter must refuse: the other type, NaN, just outside its bounds. */
function refusedValues(s: WindowParamSpec): unknown[] {
  if (s.type === 'boolean') return [0, 'true', null];
  const out: unknown[] = [String(s.default), Number.NaN, true];
  if (s.type === 'integer') out.push((s.default as number) + 0.5);
  if (s.min !== undefined && Number.isFinite(s.min)) out.push(s.minExclusive ? s.min : s.min - Math.max(1, Math.abs(s.min)) * 1e-6);
  if (s.max !== undefined && Number.isFinite(s.max)) out.push(s.maxExclusive ? s.max : s.max + Math.max(1, Math.abs(s.max)) * 1e-6);
  return out;
}

/**
 * (h) The parameter declaration (`plugin.parameters`, optional: skipped when absent) is well-formed and honest:
 * every default declared, in range and equal to `defaults`; each parameter's default and range ends (closed ends,
 * or just inside open ones) are accepted and give a finite window; values of the wrong type, NaN, just outside the
 * range, and an unknown key are refused with a ParameterError.
 */
export function checkWindowParameters<P extends WindowParams>(plugin: WindowPlugin<P>, options: WindowCheckOptions<P> = {}): CheckReport {
  const failures: string[] = [];
  const decl = plugin.parameters;
  if (decl === undefined) return report('declares its parameters', 0, 1, failures);
  const problem = windowParamsDeclarationProblem(plugin);
  if (problem !== null) return report('declares its parameters', 1, 0, [problem]);
  const theta = Math.min(options.thetas?.[1] ?? 64, 64);
  const x = Float64Array.from({ length: 17 }, (_, k) => (k - 8) * (theta / 16));
  const out: WindowEval = { w: new Float64Array(17), dTheta: null, dX: null };
  let checked = 0;
  for (const s of decl) {
    for (const v of acceptedValues(s)) {
      checked++;
      try {
        const p = resolveDeclaredParams(plugin, { [s.name]: v });
        plugin.evaluate(x, 0, x.length, theta, p, out);
        if (!out.w.every(Number.isFinite)) failures.push(`${s.name} = ${String(v)} (accepted by the declaration) gives a non-finite window at θ = ${theta}`);
      } catch (err) {
        failures.push(`${s.name} = ${String(v)} is inside the declaration (${s.type}${s.type === 'boolean' ? '' : ` in ${describeParamRange(s)}`}) but resolving it threw: ${String(err)}`);
      }
    }
    for (const v of refusedValues(s)) {
      checked++;
      try {
        resolveDeclaredParams(plugin, { [s.name]: v });
        failures.push(`${s.name} = ${typeof v === 'string' ? JSON.stringify(v) : String(v)} is outside the declaration but was accepted`);
      } catch (err) {
        if (!(err instanceof ParameterError)) failures.push(`${s.name} = ${String(v)}: expected a ParameterError, got ${String(err)}`);
      }
    }
  }
  checked++;
  try {
    resolveDeclaredParams(plugin, { notADeclaredParameter: 1 });
    failures.push('an unknown key (notADeclaredParameter) was accepted');
  } catch (err) {
    if (!(err instanceof ParameterError)) failures.push(`an unknown key: expected a ParameterError, got ${String(err)}`);
  }
  return report('declares its parameters', checked, 0, failures);
}

/**
 * (g) A window declaring `continuousInTheta: true` with a finite support must vanish at the support edge
 * (otherwise the transform jumps in θ when a sample crosses it).
 */
export function checkWindowEdgeContinuity<P extends WindowParams>(plugin: WindowPlugin<P>, options: WindowCheckOptions<P> = {}): CheckReport {
  const r = resolveOptions(plugin, options);
  const failures: string[] = [];
  if (!plugin.continuousInTheta) return report('vanishes at the support edge', 0, 0, failures);
  const probe = new PointProbe(plugin, r.params);
  const scale = windowScale(r);
  let checked = 0;
  for (const theta of thetaGrid(r, 5)) {
    const hs = plugin.supportHalfWidth(theta, r.params);
    if (!Number.isFinite(hs)) continue;
    const d = 1e-9 * theta;
    for (const x of [-hs, -hs + d, hs - d]) {
      checked++;
      const v = probe.value(x, theta);
      if (!(Math.abs(v) <= 1e-6 * scale)) {
        failures.push(`continuousInTheta is true but w(${fmt(x)}, θ = ${fmt(theta)}) = ${fmt(v)} at the support edge ±${fmt(hs)}; declare continuousInTheta: false`);
      }
    }
  }
  return report('vanishes at the support edge', checked, 0, failures);
}

/**
 * (h) The optional fast path `evaluateGrid(x0, step, start, end, …)` (when the plugin has it) agrees with `evaluate`
 * at x_k = x0 + k·step: w, ∂w/∂θ and ∂w/∂x within `gridTol` (default 1e-13) · max(1, |value|), with the same
 * support (0 outside it), writing only [start, end), with and without derivative buffers. Grids: whole frames of
 * FrameWindow (x0 = -floor(N/2) - frac, step 1, N the power of two ≥ θ, up to thousands of samples) and a part of
 * one (start > 0), a fine grid across the support (step ≈ θ/1000) and a descending one (negative, non-integer step),
 * for θ over the range and frac ∈ {0, 0.29, 0.77}. A plugin without `evaluateGrid` passes with nothing checked.
 */
export function checkWindowGrid<P extends WindowParams>(plugin: WindowPlugin<P>, options: WindowCheckOptions<P> = {}): CheckReport {
  const name = 'evaluateGrid agrees with evaluate';
  const grid = plugin.evaluateGrid;
  if (grid === undefined) return report(name, 0, 0, []);
  if (typeof grid !== 'function') return report(name, 0, 0, [`evaluateGrid is ${typeof grid}; expected a function or undefined`]);
  const r = resolveOptions(plugin, options);
  const tol = r.gridTol;
  const gT = plugin.gradients.theta;
  const gX = plugin.gradients.x;
  const SENTINEL = -12345.678;
  const failures: string[] = [];
  let checked = 0;
  let worst = 0;
  const fail = (msg: string): void => {
    if (failures.length < MAX_FAILURES) failures.push(msg);
  };
  const run = (label: string, theta: number, x0: number, step: number, start: number, end: number, size: number): void => {
    const x = new Float64Array(size);
    for (let k = 0; k < size; k++) x[k] = x0 + k * step;
    const ref: WindowEval = { w: new Float64Array(size), dTheta: gT ? new Float64Array(size) : null, dX: gX ? new Float64Array(size) : null };
    plugin.evaluate(x, start, end, theta, r.params, ref);
    const variants: [boolean, boolean][] = [[gT, gX], [false, false]];
    if (gT && gX) variants.push([true, false], [false, true]);
    for (const [withT, withX] of variants) {
      const got: WindowEval = {
        w: new Float64Array(size).fill(SENTINEL),
        dTheta: withT ? new Float64Array(size).fill(SENTINEL) : null,
        dX: withX ? new Float64Array(size).fill(SENTINEL) : null,
      };
      const buffers = `dTheta ${withT ? 'buffer' : 'null'}, dX ${withX ? 'buffer' : 'null'}`;
      try {
        grid.call(plugin, x0, step, start, end, theta, r.params, got);
      } catch (err) {
        fail(`${label}: evaluateGrid(x0 ${fmt(x0)}, step ${fmt(step)}, [${start}, ${end}), θ = ${fmt(theta)}, ${buffers}) threw: ${String(err)}`);
        continue;
      }
      const pairs: [string, Float64Array | null, Float64Array | null][] = [
        ['w', got.w, ref.w],
        ['∂w/∂θ', got.dTheta, ref.dTheta],
        ['∂w/∂x', got.dX, ref.dX],
      ];
      for (const [what, a, b] of pairs) {
        if (a === null || b === null) continue;
        for (let k = 0; k < size; k++) {
          if (k < start || k >= end) {
            if (a[k] !== SENTINEL) {
              fail(`${label}: ${what}[${k}] outside [${start}, ${end}) was overwritten (${buffers})`);
              break;
            }
            continue;
          }
          checked++;
          const err = Math.abs(a[k]! - b[k]!);
          const scale = Math.max(1, Math.abs(b[k]!));
          const bound = tol * scale;
          if (err / scale > worst) worst = err / scale;
          if (!(err <= bound)) {
            fail(
              `${label}: ${what} at x = ${fmt(x[k]!)} (k = ${k}), θ = ${fmt(theta)}: evaluateGrid ${fmt(a[k]!)}, evaluate ${fmt(b[k]!)} ` +
                `(difference ${fmt(err)} > ${fmt(bound)}; ${buffers})`,
            );
          }
        }
      }
    }
  };
  for (const theta of thetaGrid(r, 7)) {
    let n = 2;
    while (n < theta) n *= 2;
    const c = Math.floor(n / 2);
    for (const frac of [0, 0.29, 0.77]) {
      run(`frame N = ${n}, frac = ${frac}`, theta, -c - frac, 1, 0, n, n);
      if (n > 8) run(`part of a frame N = ${n}, frac = ${frac}`, theta, -c - frac, 1, 3, n - 5, n);
    }
    const hs = plugin.supportHalfWidth(theta, r.params);
    const h = Number.isFinite(hs) ? hs : theta;
    run('fine grid across the support', theta, -1.1 * h, (2.2 * h) / 1000, 0, 1001, 1001);
    run('descending grid', theta, 1.05 * h, -0.37, 0, Math.ceil((2.1 * h) / 0.37) + 1, Math.ceil((2.1 * h) / 0.37) + 1);
  }
  return report(name, checked, 0, failures, failures.length === 0 ? '' : `largest difference (relative to max(1, |value|)): ${fmt(worst)}`);
}

/**
 * (f) `FrameWindow` (normalization + chain rule, in @dstft/core) over this plugin: `dTheta` and `dX` match
 * finite differences of `sample(θ, frac)` itself, with x_j = j - floor(N/2) - frac, so ∂w_j/∂frac = -dX[j].
 * θ ∈ {0.37, 0.71, 0.93, 1}·N (clamped to the θ range) and frac ∈ {0, 0.29, 0.77}. Entries (for `unit`, whole
 * frames, since its sum couples them) where the finite difference is unreliable are skipped, as in (a).
 */
export function checkFrameWindow<P extends WindowParams>(
  plugin: WindowPlugin<P>,
  nFft: number,
  normalization: Normalization,
  options: WindowCheckOptions<P> = {},
): CheckReport {
  const name = `FrameWindow nFft = ${nFft}, normalization ${normalization}`;
  const r = resolveOptions(plugin, options);
  const gT = plugin.gradients.theta;
  const gX = plugin.gradients.x;
  const fw = new FrameWindow(plugin, r.params, normalization, nFft, { theta: gT, x: gX });
  const plain = new FrameWindow(plugin, r.params, normalization, nFft, { theta: false, x: false });
  const c = fw.center;
  const failures: string[] = [];
  const rows: Comparison[] = [];
  let checked = 0;
  let skipped = 0;
  const at = (theta: number, frac: number): Float64Array => {
    plain.sample(theta, frac);
    return Float64Array.from(plain.w);
  };
  // Richardson-extrapolated central difference of the sampled vector, along θ or frac
  const diff = (theta: number, frac: number, dir: 'theta' | 'frac', h: number): Float64Array => {
    const d = (hh: number): Float64Array => {
      const p = dir === 'theta' ? at(theta + hh, frac) : at(theta, frac + hh);
      const m = dir === 'theta' ? at(theta - hh, frac) : at(theta, frac - hh);
      const step = dir === 'theta' ? theta + hh - (theta - hh) : frac + hh - (frac - hh);
      const out = new Float64Array(nFft);
      for (let j = 0; j < nFft; j++) out[j] = (p[j]! - m[j]!) / step;
      return out;
    };
    const d1 = d(h);
    const d2 = d(h / 2);
    for (let j = 0; j < nFft; j++) d1[j] = (4 * d2[j]! - d1[j]!) / 3;
    return d1;
  };
  const thetas = [0.37, 0.71, 0.93, 1].map((k) => Math.min(Math.max(k * nFft, r.thetaMin), r.thetaMax));
  for (const theta of thetas) {
    for (const frac of [0, 0.29, 0.77]) {
      fw.sample(theta, frac);
      const w = Float64Array.from(fw.w);
      const aT = fw.dTheta ? Float64Array.from(fw.dTheta) : null;
      const aX = fw.dX ? Float64Array.from(fw.dX) : null;
      // values: zero outside [lo, hi), 'none' equals the plugin
      for (let j = 0; j < nFft; j++) {
        if ((j < fw.lo || j >= fw.hi) && (w[j] !== 0 || (aT && aT[j] !== 0) || (aX && aX[j] !== 0))) {
          failures.push(`θ = ${fmt(theta)}, frac = ${frac}: entry ${j} outside [lo, hi) = [${fw.lo}, ${fw.hi}) is not 0`);
        }
      }
      let scale = 0;
      for (let j = 0; j < nFft; j++) scale = Math.max(scale, Math.abs(w[j]!));
      const fl = (r.floor * scale) / theta;
      const hs = plugin.supportHalfWidth(theta, r.params);
      const hT = 1e-4 * theta;
      const hF = 1e-4 * theta; // frac moves x by the same scale as θ moves the window
      const move = Number.isFinite(hs)
        ? Math.abs(plugin.supportHalfWidth(theta + hT, r.params) - plugin.supportHalfWidth(theta - hT, r.params)) / 2
        : 0;
      const reach = 1.01 * (hF + move);
      // entries whose finite differences are unreliable
      const bad = new Uint8Array(nFft);
      if (Number.isFinite(hs)) {
        for (let j = 0; j < nFft; j++) {
          const xj = j - c - frac;
          const dist = Math.min(Math.abs(xj - hs), Math.abs(xj + hs));
          if (dist <= 1e-12 * theta || (!plugin.continuousInTheta && dist <= reach)) bad[j] = 1;
        }
      }
      const dirs: { dir: 'theta' | 'frac'; a: Float64Array | null; sign: number; h: number; label: string }[] = [
        { dir: 'theta', a: aT, sign: 1, h: hT, label: 'dTheta' },
        { dir: 'frac', a: aX, sign: -1, h: hF, label: '-dX (∂/∂frac)' },
      ];
      const nums: (Float64Array | null)[] = [];
      for (const d of dirs) {
        if (!d.a) {
          nums.push(null);
          continue;
        }
        const n1 = diff(theta, frac, d.dir, d.h);
        const n2 = diff(theta, frac, d.dir, d.h / 8);
        for (let j = 0; j < nFft; j++) if (!(relErr(n1[j]!, n2[j]!, fl) <= r.rtol)) bad[j] = 1;
        nums.push(n1);
      }
      const anyBad = bad.some((b) => b === 1);
      if (normalization === 'unit' && anyBad) {
        skipped++;
        continue;
      }
      dirs.forEach((d, k) => {
        const n1 = nums[k];
        if (!d.a || !n1) return;
        for (let j = 0; j < nFft; j++) {
          if (bad[j]) {
            skipped++;
            continue;
          }
          const a = d.sign * d.a[j]!;
          const error = relErr(a, n1[j]!, fl);
          checked++;
          rows.push({ what: d.label, theta, x: j - c - frac, analytic: a, numeric: n1[j]!, error });
          if (!(error <= r.rtol) && failures.length < MAX_FAILURES) {
            failures.push(`${d.label}[${j}] at θ = ${fmt(theta)}, frac = ${frac}: FrameWindow ${fmt(a)}, finite difference ${fmt(n1[j]!)} (error ${fmt(error)})`);
          }
        }
      });
    }
  }
  if ((gT || gX) && checked === 0) failures.push('every frame was skipped: no comparison could be made (choose other thetas)');
  return report(name, checked, skipped, failures, failures.length ? comparisonTable(rows) : '');
}
