import type { FftBackend, Normalization, WindowPlugin } from '@dstft/core';

/**
 * How window lengths vary (docs/design.md §4.2):
 * - `fixed`: one θ, not learned;  `constant`: one learnable θ;
 * - `time`: θ_n per frame;  `frequency`: θ_m per bin;  `time-frequency`: θ_{m,n}.
 * `frequency` and `time-frequency` use the DFT path (each bin has its own window); the others the FFT path.
 */
export type WindowMode = 'fixed' | 'constant' | 'time' | 'frequency' | 'time-frequency';
/** Every {@link WindowMode}, in the order shown in help texts. */
export const WINDOW_MODES: readonly WindowMode[] = ['fixed', 'constant', 'time', 'frequency', 'time-frequency'];

/**
 * Frame positions t_n (in samples), under the fixed-frames policy:
 * - `fixed`: t_n = n·hop, not learned;
 * - `constant`: t_n = n·hop with one learnable hop (T = `frames`, default 1 + floor(L / initial hop));
 * - `time`: t_n = t_0 + Σ_{i<n} h_i with learnable hops h_0..h_{T-2} (and t_0);
 * - `free`: every t_n learnable.
 */
export type PositionsMode = 'fixed' | 'constant' | 'time' | 'free';
/** Every {@link PositionsMode}, in the order shown in help texts. */
export const POSITIONS_MODES: readonly PositionsMode[] = ['fixed', 'constant', 'time', 'free'];

/**
 * How the frame positions are set, per {@link PositionsMode}: a hop (samples) for `fixed` / `constant`, a frame count
 * for `time` / `free`.
 */
export type PositionsConfig =
  | { readonly mode: 'fixed'; readonly hop: number }
  | { readonly mode: 'constant'; readonly hop: number; readonly frames?: number }
  | { readonly mode: 'time'; readonly frames: number }
  | { readonly mode: 'free'; readonly frames: number };

/**
 * Frame-count policy (paper Sec. III):
 * - `fixed-frames`: T is decided once, when the plan is built, and never changes (what neural networks need);
 * - `fixed-overlap`: hop = (1 - overlap)·θ with one θ (`fixed` or `constant` window mode), so positions follow
 *   θ and T grows as θ shrinks; every frame whose nominal window [t_n - θ/2, t_n + θ/2] touches a sample
 *   of the signal is computed (t_n = n·hop, n possibly negative).
 */
export type FramePolicy = { readonly kind: 'fixed-frames' } | { readonly kind: 'fixed-overlap'; readonly overlap: number };

/** Static configuration of a transform; validated once by `createStftPlan`. */
export interface StftConfig {
  /** DFT size N (the frame support). Any integer ≥ 2; odd N uses a centred window (docs/design.md §10.6). */
  readonly nFft: number;
  /** Samples per signal L. */
  readonly signalLength: number;
  /** Hz, used only for the time and frequency axes. Default 1. */
  readonly sampleRate?: number;
  readonly window: WindowPlugin;
  /** Options of the window plugin, merged over its defaults. */
  readonly windowParams?: Readonly<Record<string, unknown>>;
  /** Default `none`. */
  readonly normalization?: Normalization;
  readonly windowMode: WindowMode;
  /** Bounds of θ checked at every forward: 0 < thetaMin ≤ θ ≤ thetaMax ≤ nFft. Default [min(2, nFft), nFft]. */
  readonly thetaMin?: number;
  readonly thetaMax?: number;
  readonly positions: PositionsConfig;
  /** Default fixed-frames. */
  readonly framePolicy?: FramePolicy;
  /** S = |X|^power + eps. Defaults 1 and 1e-12. */
  readonly power?: number;
  readonly eps?: number;
  /**
   * FFT backend of the FFT path. Default: the exact float64 backend (`defaultFftBackend`: fft.js, Bluestein for
   * sizes other than powers of two). A float32 backend (e.g. `@dstft/fft-pffft`) is faster and less precise; it
   * is used only when passed here. A backend that does not support `nFft` is an error, never a silent fallback.
   */
  readonly fft?: FftBackend;
}

/**
 * The learnable (or per-call) parameters of one forward call, in samples.
 * - `theta`: length 1 (`fixed`, `constant`), T (`time`), F (`frequency`), F·T (`time-frequency`, row-major `[F][T]`);
 * - `hop`: positions `constant` (ignored otherwise; `fixed` uses the configured hop);
 * - `t0` and `hops` (length T-1): positions `time`;
 * - `positions` (length T): positions `free`.
 */
export interface StftParams {
  readonly theta: Float64Array;
  readonly hop?: number;
  readonly t0?: number;
  readonly hops?: Float64Array;
  readonly positions?: Float64Array;
}

/** Output of a forward call. All arrays are row-major. */
export interface StftResult {
  readonly batch: number;
  /** F = floor(N/2) + 1 */
  readonly freqs: number;
  /** T */
  readonly frames: number;
  readonly nFft: number;
  /** Complex transform `[batch, F, T]`, interleaved re/im (length 2·B·F·T). */
  readonly X: Float64Array;
  /** Spectrogram `|X|^power + eps`, `[batch, F, T]`. */
  readonly spec: Float64Array;
  /** Frame centres t_n in samples (length T). */
  readonly positions: Float64Array;
  /** Frame centres in seconds: t_n / sampleRate. */
  readonly times: Float64Array;
  /** Bin frequencies in Hz: m·sampleRate/N (length F). */
  readonly frequencies: Float64Array;
  /** θ per (m, n) as used, `[F or 1][T or 1]` following the window mode (a copy). */
  readonly theta: Float64Array;
}
