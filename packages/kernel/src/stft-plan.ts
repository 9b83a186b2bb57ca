/**
 * A plan validates a transform's static configuration once and owns every scratch buffer the forward and
 * inverse need (frame buffer, spectrum, twiddles, window sampler, FFT plan), so no call allocates per frame.
 * Plans are not reentrant: use one plan per thread.
 */
import { DftTwiddles } from './dft-twiddles.js';
import {
  FrameWindow,
  NORMALIZATIONS,
  ParameterError,
  PluginApiError,
  SignalError,
  assertInteger,
  resolveWindowParams,
  type FftBackend,
  type Normalization,
  type WindowParams,
  type WindowPlugin,
} from '@dstft/core';
import type { BinsScratch } from './bins-to-samples.js';
import { MAX_FFT_SIZE, defaultFftBackend, type RealFftPlan } from './fft/index.js';
import { framesForHop, overlapFrameRange } from './frames.js';
import {
  POSITIONS_MODES,
  WINDOW_MODES,
  type FramePolicy,
  type PositionsConfig,
  type StftConfig,
  type WindowMode,
} from './types.js';

/**
 * Largest spectrogram a plan accepts, in entries per signal (F·T): 2^27, i.e. 3 GiB for X (complex) and S of one
 * signal. Larger configurations are refused when the plan is built, before anything is allocated.
 */
export const MAX_SPECTROGRAM_ENTRIES = 134_217_728;

/** Largest exponent of S = |X|^power + eps accepted (1 and 2 are the usual ones; larger ones overflow float64). */
export const MAX_POWER = 8;

/**
 * A validated transform configuration that owns every scratch buffer of the forward and inverse (frames, spectrum,
 * twiddles, window sampler, FFT plan), so that no call allocates per frame. Not reentrant: one plan per thread.
 */
export class StftPlan {
  readonly nFft: number;
  /** c = floor(N/2): frame n reads samples i_n - c + j, j = 0..N-1. */
  readonly center: number;
  /** F = floor(N/2) + 1 */
  readonly freqs: number;
  readonly signalLength: number;
  readonly sampleRate: number;
  readonly windowMode: WindowMode;
  readonly positionsConfig: PositionsConfig;
  readonly framePolicy: FramePolicy;
  readonly normalization: Normalization;
  readonly power: number;
  readonly eps: number;
  readonly thetaMin: number;
  readonly thetaMax: number;
  readonly window: WindowPlugin;
  readonly windowParams: WindowParams;
  /** `fft` when θ does not depend on the bin, `dft` otherwise. Follows from the mode; never a user choice. */
  readonly path: 'fft' | 'dft';
  /** T under fixed-frames; the largest possible T (at thetaMin) under fixed-overlap. */
  readonly frames: number;
  /** Whether T may change between calls (fixed-overlap). */
  readonly variableFrames: boolean;
  /** Bin frequencies in Hz. */
  readonly frequencies: Float64Array;

  // ---- scratch, owned by the plan (internal; used by the kernel and the backprop package) ----
  /** cos(2πk/N), sin(2πk/N) for k = 0..N-1. */
  readonly cosTable: Float64Array;
  readonly sinTable: Float64Array;
  /** The DFT path's twiddle runs (dft-twiddles.ts); null on the FFT path. */
  readonly dftTwiddles: DftTwiddles | null;
  /** Window sampler without derivatives (forward). */
  readonly frameWindow: FrameWindow;
  /**
   * The FFT backend chosen when the plan was built (`config.fft`, default: the exact float64 `defaultFftBackend`).
   * It runs every FFT of the FFT path (forward, adjoint, overlap-add inverse, backward). The DFT path computes its
   * sums in float64 without an FFT, whatever the backend.
   */
  readonly fftBackend: FftBackend;
  /** The FFT plan of size N: from `fftBackend` on the FFT path; the exact float64 plan on the DFT path (unused there). */
  readonly fft: RealFftPlan;
  /**
   * The arithmetic the transform's results carry: the backend's precision on the FFT path, `float64` on the DFT
   * path (its sums are float64 whatever the backend). Optimizers size their tolerances by it.
   */
  get precision(): 'float32' | 'float64' {
    return this.path === 'fft' ? this.fftBackend.precision : 'float64';
  }
  /** One frame of windowed samples (length N). */
  readonly frameBuffer: Float64Array;
  /** One-sided spectrum of a frame, interleaved (length 2F). */
  readonly spectrumBuffer: Float64Array;
  /** Scratch of the adjoint and the overlap-add inverse (`binsToSamples`): spectrumBuffer, frameBuffer and r (length N). */
  readonly binsScratch: BinsScratch;
  /**
   * FFT path forward with a batch of signals and windows that change between frames: frames go in blocks of K, and
   * the K windows of a block are sampled once (for signal 0) and kept here for the other signals. K = 64 for
   * N ≤ 1024, fewer for larger N (K·N ≤ 65536 samples, 512 KiB); 0 on the DFT path.
   */
  readonly blockFrames: number;
  /** Windows of the frames of one block: rows of length N, valid on [blockWindowLo[r], blockWindowHi[r]). */
  readonly blockWindows: readonly Float64Array[];
  readonly blockWindowLo: Int32Array;
  readonly blockWindowHi: Int32Array;
  /** Row of `blockWindows` used by each frame of the current block. */
  readonly blockWindowOf: Int32Array;

  constructor(config: StftConfig) {
    const { nFft, signalLength } = config;
    assertInteger('nFft', nFft, 2, 'pass an integer nFft ≥ 2 (any size works; powers of two are fastest)');
    if (nFft > MAX_FFT_SIZE) {
      // refused before any allocation (the tables alone would take 16·nFft bytes)
      throw new ParameterError('nFft', nFft, `is above the kernel's limit of ${MAX_FFT_SIZE} (2^26)`, `pass nFft ≤ ${MAX_FFT_SIZE}; frames that long are better split into shorter ones`);
    }
    assertInteger('signalLength', signalLength, 1, 'pass the number of samples per signal (an integer ≥ 2)');
    if (signalLength < 2) {
      throw new SignalError('signalLength', signalLength, 'a signal needs at least 2 samples to have a spectrum', 'pass a longer signal');
    }
    this.nFft = nFft;
    this.center = Math.floor(nFft / 2);
    this.freqs = this.center + 1;
    this.signalLength = signalLength;

    const fs = config.sampleRate ?? 1;
    if (typeof fs !== 'number' || !Number.isFinite(fs) || !(fs > 0)) {
      throw new ParameterError('sampleRate', fs, 'must be a finite number > 0', 'pass the sample rate in Hz (e.g. 8000), or omit it for 1');
    }
    this.sampleRate = fs;

    if (!WINDOW_MODES.includes(config.windowMode)) {
      throw new ParameterError('windowMode', config.windowMode, 'unknown window mode', `use one of ${WINDOW_MODES.join(', ')}`);
    }
    this.windowMode = config.windowMode;
    this.path = config.windowMode === 'frequency' || config.windowMode === 'time-frequency' ? 'dft' : 'fft';

    const norm = config.normalization ?? 'none';
    if (!NORMALIZATIONS.includes(norm)) {
      throw new ParameterError('normalization', norm, 'unknown normalization', `use one of ${NORMALIZATIONS.join(', ')}`);
    }
    this.normalization = norm;

    const power = config.power ?? 1;
    if (!Number.isFinite(power) || !(power > 0) || power > MAX_POWER) {
      // above MAX_POWER, |X|^power overflows to Infinity for ordinary spectra (|X| of a few thousand)
      throw new ParameterError('power', power, `must be a finite number in (0, ${MAX_POWER}]`, 'use 1 for a magnitude spectrogram or 2 for a power spectrogram');
    }
    this.power = power;
    const eps = config.eps ?? 1e-12;
    if (!Number.isFinite(eps) || eps < 0) {
      throw new ParameterError('eps', eps, 'must be a finite number ≥ 0', 'use a small positive eps such as 1e-12 (0 allowed)');
    }
    this.eps = eps;

    const thetaMin = config.thetaMin ?? Math.min(2, nFft);
    const thetaMax = config.thetaMax ?? nFft;
    if (!Number.isFinite(thetaMin) || !(thetaMin > 0)) {
      throw new ParameterError('thetaMin', thetaMin, 'must be a finite number > 0', 'pass a positive lower bound for the window length (samples)');
    }
    if (!Number.isFinite(thetaMax) || thetaMax > nFft) {
      throw new ParameterError('thetaMax', thetaMax, `must be ≤ nFft = ${nFft} (a window cannot be longer than the frame)`, `lower thetaMax to ≤ ${nFft}, or raise nFft`);
    }
    if (thetaMin > thetaMax) {
      throw new ParameterError('thetaMin', thetaMin, `is larger than thetaMax = ${thetaMax}`, 'pass thetaMin ≤ thetaMax');
    }
    this.thetaMin = thetaMin;
    this.thetaMax = thetaMax;

    // ---- window plugin, its options and its derivatives ----
    const plugin = config.window;
    if (!plugin || plugin.kind !== 'window' || typeof plugin.evaluate !== 'function') {
      throw new PluginApiError(`window = ${plugin && typeof plugin === 'object' ? JSON.stringify((plugin as { id?: unknown }).id) : String(plugin)}: not a window plugin. Fix: pass a plugin from the registry (registry.get('window', id))`);
    }
    this.window = plugin;
    // declared parameters (unknown keys, types, ranges) first, then the plugin's own resolveParams
    this.windowParams = resolveWindowParams(plugin, config.windowParams);

    // ---- positions and frame policy ----
    const policy = config.framePolicy ?? { kind: 'fixed-frames' };
    this.framePolicy = policy;
    const pos = config.positions;
    if (!pos || !POSITIONS_MODES.includes(pos.mode)) {
      throw new ParameterError('positions.mode', pos?.mode, 'unknown positions mode', `use one of ${POSITIONS_MODES.join(', ')}`);
    }
    this.positionsConfig = pos;
    if (policy.kind === 'fixed-overlap') {
      const a = policy.overlap;
      if (!Number.isFinite(a) || a < 0 || a >= 1) {
        throw new ParameterError('overlap', a, 'must lie in [0, 1)', 'pass the overlap ratio α, e.g. 0.75 (hop = (1-α)·θ)');
      }
      if (this.windowMode !== 'fixed' && this.windowMode !== 'constant') {
        throw new ParameterError(
          'framePolicy',
          'fixed-overlap',
          `ties the hop to one window length, but windowMode is "${this.windowMode}"`,
          'use windowMode "fixed" or "constant" with fixed-overlap, or the fixed-frames policy with learnable positions for varying windows',
        );
      }
      if (pos.mode !== 'fixed') {
        throw new ParameterError(
          'positions.mode',
          pos.mode,
          'under fixed-overlap the positions follow θ (hop = (1-α)·θ) and cannot be set separately',
          'use positions mode "fixed" (its hop is ignored) or the fixed-frames policy',
        );
      }
      this.frames = overlapFrameRange(signalLength, thetaMin, (1 - a) * thetaMin).count;
      this.variableFrames = true;
    } else if (policy.kind === 'fixed-frames') {
      if (pos.mode === 'fixed' || pos.mode === 'constant') {
        const h = pos.hop;
        if (typeof h !== 'number' || !Number.isFinite(h) || !(h > 0)) {
          throw new ParameterError('hop', h, typeof h === 'number' && Number.isFinite(h) ? 'must be > 0' : 'expected a finite number > 0', 'pass a hop > 0 in samples, e.g. nFft/4');
        }
        this.frames = framesForHop(signalLength, h);
        if (pos.mode === 'constant' && pos.frames !== undefined) {
          assertInteger('positions.frames', pos.frames, 1, 'pass the number of frames T (an integer ≥ 1), or omit it to use 1 + floor(L / hop)');
          this.frames = pos.frames;
        }
      } else {
        assertInteger('positions.frames', pos.frames, 1, 'pass the number of frames T (an integer ≥ 1)');
        this.frames = pos.frames;
      }
      this.variableFrames = false;
    } else {
      throw new ParameterError('framePolicy.kind', (policy as { kind?: unknown }).kind, 'unknown frame policy', 'use "fixed-frames" or "fixed-overlap"');
    }

    // ---- sizes, before any allocation: one signal's X and S take 24·F·T bytes ----
    if (this.freqs * this.frames > MAX_SPECTROGRAM_ENTRIES) {
      throw new ParameterError(
        'frames',
        this.frames,
        `${this.frames} frames × ${this.freqs} bins = ${this.freqs * this.frames} spectrogram entries per signal, above the limit of ${MAX_SPECTROGRAM_ENTRIES} (${Math.round((24 * MAX_SPECTROGRAM_ENTRIES) / 2 ** 30)} GiB for X and S)`,
        `use a larger hop (fewer frames), a smaller nFft (fewer bins: nFft = ${this.nFft}), or split the signal (signalLength = ${signalLength})`,
      );
    }

    // ---- scratch ----
    this.cosTable = new Float64Array(nFft);
    this.sinTable = new Float64Array(nFft);
    for (let k = 0; k < nFft; k++) {
      const a = (2 * Math.PI * k) / nFft;
      this.cosTable[k] = Math.cos(a);
      this.sinTable[k] = Math.sin(a);
    }
    this.dftTwiddles = this.path === 'dft' ? new DftTwiddles(nFft, this.freqs, this.cosTable, this.sinTable) : null;
    this.frameWindow = new FrameWindow(plugin, this.windowParams, norm, nFft, { theta: false, x: false });
    this.fftBackend = resolveFftBackend(config.fft, nFft, this.path);
    this.fft = this.path === 'fft' ? this.fftBackend.createRealPlan(nFft) : defaultFftBackend.createRealPlan(nFft);
    if (!this.fft || this.fft.size !== nFft || this.fft.bins !== this.freqs || typeof this.fft.forward !== 'function' || typeof this.fft.inverse !== 'function') {
      throw new PluginApiError(
        `FFT backend "${this.fftBackend.id}": createRealPlan(${nFft}) returned no plan of size ${nFft} with ${this.freqs} bins and forward / inverse. Fix: return a RealFftPlan (see @dstft/core)`,
      );
    }
    this.frameBuffer = new Float64Array(nFft);
    this.spectrumBuffer = new Float64Array(2 * this.freqs);
    this.binsScratch = { spec: this.spectrumBuffer, R: this.frameBuffer, r: new Float64Array(nFft) };
    const K = this.path === 'fft' ? Math.max(1, Math.min(64, Math.floor(65536 / nFft))) : 0;
    this.blockFrames = K;
    const windows: Float64Array[] = [];
    for (let k = 0; k < K; k++) windows.push(new Float64Array(nFft));
    this.blockWindows = windows;
    this.blockWindowLo = new Int32Array(K);
    this.blockWindowHi = new Int32Array(K);
    this.blockWindowOf = new Int32Array(K);
    this.frequencies = new Float64Array(this.freqs);
    for (let m = 0; m < this.freqs; m++) this.frequencies[m] = (m * fs) / nFft;
  }

  /** Length of the θ array a forward call expects for T frames. */
  thetaLength(frames: number): number {
    switch (this.windowMode) {
      case 'fixed':
      case 'constant':
        return 1;
      case 'time':
        return frames;
      case 'frequency':
        return this.freqs;
      case 'time-frequency':
        return this.freqs * frames;
    }
  }

  /** Whether the configuration learns θ (needs ∂w/∂θ) and positions (needs ∂w/∂x). */
  learns(): { theta: boolean; positions: boolean } {
    const theta = this.windowMode !== 'fixed';
    const positions = this.positionsConfig.mode !== 'fixed' || (this.framePolicy.kind === 'fixed-overlap' && theta);
    return { theta, positions };
  }

  /**
   * Rejects a learnable configuration whose window plugin lacks the derivative it needs. Called when a
   * differentiable transform is built, so that the problem shows at construction, not at step 1000.
   */
  assertDifferentiable(): void {
    const need = this.learns();
    const has = this.window.gradients;
    if (need.theta && !has.theta) {
      throw new ParameterError(
        'window',
        this.window.id,
        `provides no ∂w/∂θ, so θ cannot be learned (windowMode "${this.windowMode}")`,
        'use windowMode "fixed" with this window, or a window whose plugin has gradients.theta = true',
      );
    }
    if (need.positions && !has.x) {
      throw new ParameterError(
        'window',
        this.window.id,
        'provides no ∂w/∂x, so frame positions cannot be learned',
        'use fixed positions with this window, or a window whose plugin has gradients.x = true',
      );
    }
  }
}

/** Checks a user-given FFT backend (its shape, and its size support when the FFT path will use it). */
function resolveFftBackend(backend: FftBackend | undefined, nFft: number, path: 'fft' | 'dft'): FftBackend {
  if (backend === undefined) return defaultFftBackend;
  if (
    backend === null ||
    typeof backend !== 'object' ||
    typeof backend.id !== 'string' ||
    typeof backend.supports !== 'function' ||
    typeof backend.createRealPlan !== 'function' ||
    (backend.precision !== 'float32' && backend.precision !== 'float64')
  ) {
    throw new ParameterError(
      'fft',
      backend,
      'not an FFT backend ({ id, precision, supports(n), createRealPlan(n) })',
      'pass a backend object, e.g. `await loadPffftBackend()` from @dstft/fft-pffft, or omit fft for the exact float64 one',
    );
  }
  if (path === 'fft' && !backend.supports(nFft)) {
    throw new ParameterError(
      'nFft',
      nFft,
      `the FFT backend "${backend.id}" does not support this size${backend.sizes ? ` (it takes ${backend.sizes})` : ''}`,
      'use a size the backend supports, or omit fft to use the exact float64 backend, which takes any nFft (no silent fallback)',
    );
  }
  return backend;
}

/**
 * Validates a transform's static configuration ({@link StftConfig}) once and returns its {@link StftPlan}; throws a
 * `ParameterError` with a fix for any invalid setting.
 */
export function createStftPlan(config: StftConfig): StftPlan {
  return new StftPlan(config);
}
