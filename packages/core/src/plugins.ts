/**
 * Plugin shapes. A plugin is a plain object `{ kind, id, apiVersion, ... }` (no `this`, no classes
 * required). Built-in ids are plain (`hann`); third-party ids are namespaced (`acme/kaiser`).
 */
import type { FftBackend } from './fft.js';

/** The plugin API version this build of @dstft/core understands. */
export const API_VERSION = 1 as const;

/**
 * Marks a plugin shipped by dstft-ts itself; only such plugins may use a plain (un-namespaced) id.
 * Third-party plugins use `namespace/name` ids and never set this.
 */
export const BUILTIN: unique symbol = Symbol.for('@dstft/core/builtin') as never;

/** Who ships a plugin: package name and version (shown by `dstft plugins` and in error messages). */
export interface PluginMeta {
  /** Package name, e.g. `@acme/dstft-window-kaiser`. */
  readonly name: string;
  /** Package version (semver), e.g. `1.2.0`. */
  readonly version: string;
  /** One line for listings. */
  readonly description?: string;
}

/**
 * Fields every plugin has, whatever its kind: `kind`, `id`, `apiVersion` (must equal {@link API_VERSION}), optional
 * `meta`. Part of the stable plugin contract.
 */
export interface PluginBase<K extends string> {
  /** The plugin kind: `window`, `loss`, `regularizer`, `optimizer`, `task`, `fft`, or a kind registered at run time. */
  readonly kind: K;
  /** `name` for built-ins, `namespace/name` for third parties; lowercase letters, digits, `-`, `_`, `.`. */
  readonly id: string;
  /** The plugin API version the plugin was written for; the registry refuses any other than {@link API_VERSION}. */
  readonly apiVersion: typeof API_VERSION;
  /** Optional provenance: the package that ships the plugin. */
  readonly meta?: PluginMeta;
  /** Set only by dstft-ts's own plugins (`BUILTIN`); allows a plain, un-namespaced id. */
  readonly [BUILTIN]?: true;
}

// ---------------------------------------------------------------------------------------------
// Windows
// ---------------------------------------------------------------------------------------------

/**
 * Output buffers of a window evaluation. `dTheta` / `dX` are null when the caller does not need them
 * (inference); a plugin must then not touch them.
 */
export interface WindowEval {
  /** w(x, θ) */
  w: Float64Array;
  /** ∂w/∂θ */
  dTheta: Float64Array | null;
  /** ∂w/∂x */
  dX: Float64Array | null;
}

/** Extra options of a window family (e.g. Gaussian σ, Kaiser β). Augment per id by declaration merging. */
export type WindowParams = Readonly<Record<string, unknown>>;

/**
 * Option typing per window id. Third parties add theirs:
 * `declare module '@dstft/core' { interface WindowParamsMap { 'acme/kaiser': { beta: number } } }`
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WindowParamsMap {}

/**
 * Declaration of one window parameter (plugin API 1, optional): what `windowParams` may hold for this window, so that
 * unknown keys, wrong types and out-of-range values are refused when a transform is built (`validateWindowParams`),
 * and listings (`dstft plugins`) can show them. Plain data (JSON-serialisable).
 */
export interface WindowParamSpec {
  /** The key in `windowParams`, e.g. `beta`. */
  readonly name: string;
  /** `number` (any finite number), `integer` (a finite whole number) or `boolean`. */
  readonly type: 'number' | 'integer' | 'boolean';
  /** Lower bound of a number / integer (absent: none). Closed unless `minExclusive`. */
  readonly min?: number;
  /** Upper bound of a number / integer (absent: none). Closed unless `maxExclusive`. */
  readonly max?: number;
  /** The lower bound is open: value > min (default false: value ≥ min). */
  readonly minExclusive?: boolean;
  /** The upper bound is open: value < max (default false: value ≤ max). */
  readonly maxExclusive?: boolean;
  /** The default; must equal the plugin's `defaults[name]` and satisfy the type and range. */
  readonly default: number | boolean;
  /** One line for listings and error messages, e.g. `Kaiser shape β (0: box; larger: narrower, lower side lobes)`. */
  readonly description: string;
}

/**
 * A window of kind `window`: evaluates w(x; θ) and its derivatives ∂w/∂θ and ∂w/∂x on a grid of sample offsets x (in
 * samples) for a window length θ (in samples). Built with `defineDilationWindow` of `@dstft/windows` in most cases.
 */
export interface WindowPlugin<P extends WindowParams = WindowParams> extends PluginBase<'window'> {
  /** Which partial derivatives `evaluate` can produce. A learnable θ needs `theta`, learnable positions need `x`. */
  readonly gradients: { readonly theta: boolean; readonly x: boolean };
  /**
   * True when w stays continuous in θ as samples enter or leave the support (the window is zero at its edge,
   * e.g. Hann, Blackman). False for Hamming, Kaiser, truncated Gaussians: their transform jumps in θ, so they
   * are meant for fixed-parameter work (docs/design.md §2.2).
   */
  readonly continuousInTheta: boolean;
  /** Default options, merged under the user's. */
  readonly defaults: P;
  /**
   * Optional declaration of the parameters `windowParams` may hold (an empty list for a window without any). When
   * present, a transform refuses unknown keys (with a "did you mean"), wrong types and out-of-range values before it
   * calls `resolveParams`. Plugins without it keep working: their `resolveParams` (if any) is the only check.
   */
  readonly parameters?: readonly WindowParamSpec[];
  /** Validates and completes user options (merged over `defaults`); throws a ParameterError naming the option. */
  resolveParams?(params: Readonly<Record<string, unknown>>): P;
  /**
   * Half-width h of the support: w(x, θ) = 0 outside [-h, h). `Infinity` for windows that are never exactly
   * zero (they are then cut by the frame [-N/2, N/2), which does not depend on θ).
   */
  supportHalfWidth(theta: number, params: P): number;
  /**
   * Fills `out.w[k] = w(x[k], θ)` and, where non-null, `out.dTheta[k]`, `out.dX[k]`, for `k` in `[start, end)`.
   * Must not allocate, must not read or write outside `[start, end)`. Values for x outside the support are 0.
   */
  evaluate(x: Float64Array, start: number, end: number, theta: number, params: P, out: WindowEval): void;
  /**
   * Optional fast path (plugin API 1, optional member): the same values as `evaluate`, on the uniform grid
   * x_k = x0 + k·step, for `k` in `[start, end)`: fills `out.w[k]` and, where non-null, `out.dTheta[k]`,
   * `out.dX[k]`. A frame's offsets x_j = j - c - f_n are the unit-step grid x0 = -c - f_n, step 1, which lets a
   * plugin replace one transcendental call per sample by a recurrence (e.g. angle addition for cosine-sum windows).
   * Same rules as `evaluate` (no allocation, nothing written outside `[start, end)`, 0 outside the support, and
   * x_k computed as `x0 + k * step` when deciding the support). It must agree with `evaluate` at those x_k to
   * rounding (the conformance suite of @dstft/testing checks 1e-13). `FrameWindow` uses it when present.
   */
  evaluateGrid?(x0: number, step: number, start: number, end: number, theta: number, params: P, out: WindowEval): void;
}

// ---------------------------------------------------------------------------------------------
// Losses, regularizers, optimizers (shapes refined by their packages; the registry checks these)
// ---------------------------------------------------------------------------------------------

/** A spectrogram seen by a loss: S `[batch, freqs, frames]` row-major (bin-major within each signal). */
export interface SpecView {
  readonly data: Float64Array;
  readonly batch: number;
  readonly freqs: number;
  readonly frames: number;
}

/**
 * A loss of kind `loss`: a scalar criterion of the spectrogram (e.g. Shannon entropy), with its gradient ∂loss/∂S,
 * minimized by `optimize`.
 */
export interface LossPlugin<O = Readonly<Record<string, unknown>>> extends PluginBase<'loss'> {
  /**
   * Returns the loss; when `grad` is given, writes ∂loss/∂S into it (same layout as `spec.data`, every entry
   * written). `options` are the caller's options merged over `defaults`.
   */
  evaluate(spec: SpecView, grad: Float64Array | null, options: O): number;
  /** Default options (plain data). */
  readonly defaults?: O;
  /**
   * Optional (plugin API 1, optional member): the same loss split by frames, for drivers that run it next to the
   * transform on several threads (`@dstft/parallel`'s `lossStep`). Only for losses that depend on S through sums
   * over frames of per-frame statistics (entropies, moments …). Must agree with `evaluate` to rounding.
   */
  readonly framewise?: FramewiseLoss<O>;
}

/**
 * A loss computed frame range by frame range (`LossPlugin.framewise`). Per call, on `S` `[B, F, T]` and a work
 * array of the same shape (which ends as ∂ℒ/∂S):
 *  1. `frameStats` on frames [n0, n1) (any split of [0, T), on any thread): `statsPerFrame` numbers per signal and
 *     frame into `stats[(b·T + n)·statsPerFrame …]`, and what the gradient needs per entry into `work`;
 *  2. `signalTerm` per signal b, from its T frames' statistics summed in frame order: the signal's term (returned)
 *     and `coefPerSignal` coefficients into `coef[b·coefPerSignal …]`; it throws a typed error when the signal's
 *     loss is undefined (e.g. ΣS = 0);
 *  3. `combine` of the per-signal terms into the value (e.g. their mean);
 *  4. `frameGrad` on frames [n0, n1): `work` becomes ∂ℒ/∂S, from the coefficients (and the frames' statistics).
 * No allocation; nothing written outside the given frames (1, 4) or signal (2).
 */
export interface FramewiseLoss<O = Readonly<Record<string, unknown>>> {
  readonly statsPerFrame: number;
  readonly coefPerSignal: number;
  frameStats(S: Float64Array, work: Float64Array, shape: SpecShape, n0: number, n1: number, stats: Float64Array, options: O): void;
  signalTerm(stats: Float64Array, b: number, shape: SpecShape, coef: Float64Array, options: O): number;
  combine(terms: Float64Array, options: O): number;
  frameGrad(work: Float64Array, shape: SpecShape, n0: number, n1: number, stats: Float64Array, coef: Float64Array, options: O): void;
  /**
   * Optional forward-mode form (the one-pass objective of `@dstft/dstft`: the θ gradient in the forward's own frame
   * loop, no backward transform, no ∂ℒ/∂S array). Numbers per signal and frame that `frameTangent` keeps.
   * A loss that offers it must offer `frameTangent` and `tangentDot` too.
   */
  readonly tangentPerFrame?: number;
  /**
   * Frame n of signal b, its F values of S contiguous in `s[0 .. count)` and the directional derivative
   * d = ∂S/∂φ of one parameter φ in `d[0 .. count)`: writes the frame's statistics into
   * `stats[q .. q + statsPerFrame)` exactly as `frameStats` would (same sums, bins in order), and into
   * `tangent[t .. t + tangentPerFrame)` what `tangentDot` needs to return Σ_m ∂ℒ/∂S_m · d_m of the frame.
   */
  frameTangent?(s: Float64Array, d: Float64Array, count: number, stats: Float64Array, q: number, tangent: Float64Array, t: number, options: O): void;
  /**
   * Σ_m ∂ℒ/∂S[b, m, n] · d_m of one frame, from its `frameTangent` numbers at `tangent[t …]` and signal b's
   * coefficients (`coef[b·coefPerSignal …]`, written by `signalTerm`).
   */
  tangentDot?(tangent: Float64Array, t: number, coef: Float64Array, b: number, options: O): number;
}

/** The shape of a spectrogram batch `[batch, freqs, frames]`. */
export interface SpecShape {
  readonly batch: number;
  readonly freqs: number;
  readonly frames: number;
}

/** A parameter tensor: θ as `[rows, cols]` row-major (constant 1×1, time 1×T, frequency F×1, TF F×T). */
export interface ParamView {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** What a regularizer sees: the transform's current parameters, in samples. */
export interface RegularizerInput {
  /** Window lengths θ as `[rows, cols]`: constant 1×1, time-varying 1×T, frequency-varying F×1, TF F×T. */
  readonly theta: ParamView;
  /** Frame centres t_n in samples, length T (the frames in use). */
  readonly positions: Float64Array;
  /** Signal length L in samples. */
  readonly signalLength: number;
  /** FFT size N. */
  readonly nFft: number;
}

/** Where a regularizer adds its gradient: ∂penalty/∂θ (θ's layout) and ∂penalty/∂t_n. */
export interface RegularizerGrad {
  readonly theta: Float64Array;
  readonly positions: Float64Array;
}

/**
 * A regularizer of kind `regularizer`: a penalty on the window lengths θ and frame positions t_n (e.g. TF smoothness,
 * coverage), added to the loss with a caller-chosen weight λ.
 */
export interface RegularizerPlugin<O = Readonly<Record<string, unknown>>> extends PluginBase<'regularizer'> {
  /**
   * Returns the penalty (unweighted: the caller multiplies by its weight λ); when `grad` is given, ADDS
   * ∂penalty/∂θ and ∂penalty/∂t_n into it. `options` are the caller's options merged over `defaults`.
   */
  evaluate(input: RegularizerInput, grad: RegularizerGrad | null, options: O): number;
  readonly defaults?: O;
}

/** A group of parameters updated together, in natural units (samples), with optional bounds. */
export interface ParamGroup {
  readonly name: string;
  readonly values: Float64Array;
  readonly lower?: number;
  readonly upper?: number;
  /** Learning rate of this group (overrides the optimizer's `lr`): window lengths and hops live on different scales. */
  readonly lr?: number;
}

/**
 * The objective an optimizer may re-evaluate (line searches): evaluates the loss at the groups' CURRENT
 * `values`, writes the gradient of each group into `grads` (same order and lengths), returns the loss.
 */
export type Objective = (grads: readonly Float64Array[]) => number;

/** What an optimizer's `step` receives besides the gradients: the current loss, the iteration index, the objective. */
export interface StepContext {
  /** Loss at the current values (the `grads` passed to `step` are its gradient). */
  readonly loss: number;
  /** 0-based iteration index (learning-rate schedules). */
  readonly iteration: number;
  /** The objective, for optimizers that evaluate more than once per step (L-BFGS). */
  readonly objective?: Objective;
}

/**
 * What an optimizer's `step` returns: how many objective evaluations it made and, when known, the loss and gradient
 * at the new values.
 */
export interface StepResult {
  /** Objective evaluations made inside the step (0 for first-order methods). */
  readonly evaluations: number;
  /** When known: the loss and gradient at the NEW values (saves the caller one evaluation). */
  readonly loss?: number;
  readonly grads?: readonly Float64Array[];
  /** Set when the optimizer cannot make progress (e.g. line search failed): the caller should stop. */
  readonly converged?: boolean;
}

/**
 * A running optimizer over fixed parameter groups, created by {@link OptimizerPlugin.create}; keeps its own state
 * (moments, L-BFGS history) between steps.
 */
export interface OptimizerInstance {
  /**
   * One iteration: updates every group's `values` in place from the gradients at the current values (one array
   * per group, same order), keeping each value inside its group's [lower, upper].
   */
  step(grads: readonly Float64Array[], context: StepContext): StepResult;
}

/**
 * An optimizer of kind `optimizer` (SGD, Adam, L-BFGS, ...): `create(groups, options)` returns an
 * `OptimizerInstance` that updates the groups' values in place.
 */
export interface OptimizerPlugin<O = Readonly<Record<string, unknown>>> extends PluginBase<'optimizer'> {
  create(groups: readonly ParamGroup[], options: O): OptimizerInstance;
  readonly defaults?: O;
}

// ---------------------------------------------------------------------------------------------
// Tasks (task-driven learning: a downstream loss on the spectrogram, with targets per signal)
// ---------------------------------------------------------------------------------------------

/** One example of a task's data set: a signal and its ground truth (task-defined). */
export interface TaskExample<T = unknown> {
  /** The signal, `signalLength` samples. */
  readonly signal: Float64Array;
  /** Ground truth for the task (e.g. the instantaneous frequency per sample for frequency tracking). */
  readonly target: T;
  /** Optional grouping key (speaker, recording...), for held-out splits. */
  readonly group?: string;
}

/** What a task's loss sees: the spectrogram batch, where its frames are, and the targets of its signals. */
export interface TaskLossInput<T = unknown> {
  /** S `[batch, freqs, frames]` row-major. */
  readonly spec: SpecView;
  /** Frame centres t_n in samples, length `spec.frames` (the same for every signal of the batch). */
  readonly positions: Float64Array;
  /** Sample rate (Hz): bin m is at m · sampleRate / nFft Hz. */
  readonly sampleRate: number;
  readonly nFft: number;
  /** One target per signal of the batch. */
  readonly targets: readonly T[];
}

/**
 * A downstream task: a differentiable loss of the spectrogram given per-signal targets (what task-driven training
 * minimises over a data set), and optionally a seeded data-set generator. `@dstft/tracking` is the built-in one;
 * a third party adds another the same way: an object of kind `task`, registered with `registry.use(task)`.
 */
export interface TaskPlugin<T = unknown, O = Readonly<Record<string, unknown>>> extends PluginBase<'task'> {
  /** One line for listings (`dstft plugins`). */
  readonly description: string;
  readonly defaults?: O;
  /**
   * The mean loss over the batch. When `grad` is given (same layout as `spec.data`), writes ∂loss/∂S into it
   * (overwriting: every entry is set).
   */
  loss(input: TaskLossInput<T>, grad: Float64Array | null, options: O): number;
  /** A seeded synthetic data set of `count` examples (signals of `options`' length), when the task has one. */
  generate?(count: number, seed: number, options: O): TaskExample<T>[];
}

// ---------------------------------------------------------------------------------------------
// FFT backends
// ---------------------------------------------------------------------------------------------

/**
 * An FFT backend as a plugin, so that a transform selects it by id (`createDstft({ ..., fft: 'pffft' })`, `dstft
 * --fft pffft`) and records that id in `toJSON()`. The backend is ready to use: a backend that must load first
 * (WebAssembly) is registered after it loaded (`registry.use(await loadPffftPlugin())`, or a module whose default
 * export is the plugin, reached with top-level await). The built-in `fftjs` (exact float64) is in every default
 * registry.
 */
export interface FftPlugin extends PluginBase<'fft'> {
  /** One line for listings (`dstft plugins`): precision and sizes. */
  readonly description: string;
  /** The backend; its `id` equals the plugin's. */
  readonly backend: FftBackend;
}

/**
 * Plugin kinds and their types. Other packages add kinds by declaration merging
 * (`declare module '@dstft/core' { interface PluginKindMap { metric: MetricPlugin } }`) and register a runtime
 * validator with `createRegistry({ kinds: { metric: validateMetric } })`.
 */
export interface PluginKindMap {
  window: WindowPlugin;
  loss: LossPlugin;
  regularizer: RegularizerPlugin;
  optimizer: OptimizerPlugin;
  task: TaskPlugin;
  fft: FftPlugin;
}

/**
 * The name of a plugin kind: `window`, `loss`, `regularizer`, `optimizer`, `task`, `fft`, or one added to
 * {@link PluginKindMap} by declaration merging.
 */
export type PluginKind = keyof PluginKindMap & string;
/**
 * A plugin of any kind known to {@link PluginKindMap}, or any object with the {@link PluginBase} fields (a kind
 * registered at run time).
 */
export type AnyPlugin = PluginKindMap[PluginKind] | PluginBase<string>;

/** A named bundle of plugins (e.g. every built-in window). */
export interface Preset {
  readonly name: string;
  readonly plugins: readonly Pluggable[];
}

/** What `registry.use()` takes: a plugin, a preset, nested arrays of those, or a falsy value (skipped). */
export type Pluggable = AnyPlugin | Preset | readonly Pluggable[] | false | null | undefined;
