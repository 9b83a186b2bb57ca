/**
 * The umbrella entry point: `createDstft(options)` builds a transform from plain options, with the default
 * registry (every built-in plugin) unless another registry is given.
 */
import { ParameterError, SignalError, checkKnownKeys, assertInteger, createRegistry, type FftBackend, type FrozenRegistry, type Registry, type RegistryView, type WindowPlugin } from '@dstft/core';
import {
  MAX_FFT_SIZE,
  createStftPlan,
  kernelPreset,
  resolveFrames,
  stftAdjoint,
  stftForward,
  stftInverse,
  type InverseInput,
  type InverseOptions,
  type InverseResult,
  type PositionsConfig,
  type StftParams,
  type StftPlan,
  type StftResult,
} from '@dstft/kernel';
import { stftBackward, stftForwardWithState, type BackwardOptions, type StftGradients, type Upstream } from '@dstft/backprop';
import { windowsPreset } from '@dstft/windows';
import { lossesPreset } from '@dstft/losses';
import { optimPreset } from '@dstft/optim';
import { trackingPreset } from '@dstft/tracking';
import { checkOptionKeys, initialPositions, initialTheta, type DstftOptions } from './options.js';

/** A new open registry holding every built-in plugin: windows, losses and regularizers, optimizers, tasks. */
export function createDefaultRegistry(): Registry {
  return createRegistry().use([windowsPreset, kernelPreset, lossesPreset, optimPreset, trackingPreset]);
}

/**
 * The non-JSON second argument of {@link createDstft}: the plugin registry and the FFT backend (objects, not
 * options).
 */
export interface CreateDstftExtras {
  /** Registry to take plugins from (frozen by this call). Default: `createDefaultRegistry()`. */
  registry?: Registry | FrozenRegistry;
  /**
   * FFT backend of the FFT path (window modes fixed / constant / time). Default: the exact float64 backend of
   * `@dstft/kernel`. A float32 backend such as `await loadPffftBackend()` from `@dstft/fft-pffft` is faster and
   * trades precision (about 1e-6 relative); it is used only when passed here.
   */
  fft?: FftBackend;
}

/** The current (learnable) parameters of a transform, in samples. Mutable: optimizers update them in place. */
export interface DstftParams extends StftParams {
  readonly theta: Float64Array;
  hop?: number;
  t0?: number;
  readonly hops?: Float64Array;
  readonly positions?: Float64Array;
}

/**
 * A differentiable STFT: its resolved options, plan and learnable parameters (θ and frame positions, in samples),
 * with `forward`, `backward` (analytic gradients) and `inverse`. Made by {@link createDstft}.
 */
export interface Dstft {
  /** The options as resolved (defaults filled in): plain data, JSON-serialisable. */
  readonly options: Readonly<Required<Pick<DstftOptions, 'nFft' | 'signalLength' | 'sampleRate' | 'window' | 'normalization' | 'windowMode' | 'thetaMin' | 'thetaMax' | 'positionsMode' | 'hop' | 'framePolicy' | 'overlap' | 'power' | 'eps' | 'fft'>>> &
    Pick<DstftOptions, 'windowParams'>;
  readonly plan: StftPlan;
  readonly registry: RegistryView;
  readonly window: WindowPlugin;
  /** Current parameters (θ, and hop / hops / positions per positions mode). */
  readonly params: DstftParams;
  /** Frames T (the largest possible under fixed-overlap) and bins F. */
  readonly frames: number;
  readonly freqs: number;
  /**
   * Forward transform of one signal (`length = signalLength`) or a batch (`[batch, signalLength]` row-major).
   * Plain arrays are converted. Returns X `[B, F, T]` (interleaved complex), S = |X|^power + eps, the axes.
   * When the window has derivatives, the result keeps what `backward` needs (copies of θ and t_n, a reference to
   * the signal: do not modify it before `backward`). `out`, a result of an earlier call with the same batch and
   * frame count, has its buffers reused (what a training loop wants: no 6 MB allocation per step). In place of
   * `out`, an options object `{ out?, frames? }`: `frames: [a, b)` computes only those frames (0 ≤ a ≤ b ≤ T; the
   * others are left as they are in `out`, zeros in a new result), e.g. to split a transform between workers. The
   * result carries a cache after each call, but a backward reads X of every frame: call it only once all frames
   * have been filled (nothing can check this for you).
   */
  forward(x: Float64Array | readonly number[], params?: StftParams, out?: StftResult | DstftForwardOptions): StftResult;
  /**
   * Gradients of a loss for a result of `forward`, given ∂ℒ/∂S (`{ spec }`) or ∂ℒ/∂X (`{ X }`): θ (shaped like
   * `params.theta`), t_n, hop / t0 / hops per positions mode, and ∂ℒ/∂x with `{ signal: true }`.
   */
  backward(result: StftResult, upstream: Upstream, options?: BackwardOptions): StftGradients;
  /** Inverse (weighted overlap-add, or least squares for frequency-dependent windows). */
  inverse(input: InverseInput, options?: InverseOptions, params?: StftParams): InverseResult;
  /** Adjoint with respect to the signal: Aᵀ G for G = ∂ℒ/∂Re X + i ∂ℒ/∂Im X. */
  adjoint(G: Float64Array, params?: StftParams): Float64Array;
  /** Serialisable snapshot of options and current parameters (arrays as plain number arrays). */
  toJSON(): DstftOptions;
}

/** Options of `Dstft.forward` (in place of its `out` argument). */
export interface DstftForwardOptions {
  /** A result of an earlier call with the same batch and frame count, whose buffers are reused. */
  readonly out?: StftResult | undefined;
  /** Only frames [a, b) (see `ForwardOptions.frames` of @dstft/kernel). */
  readonly frames?: readonly [number, number] | undefined;
}

const FORWARD_OPTION_KEYS = ['out', 'frames'] as const;

/** `out` or `{ out, frames }`: a result is recognised by its X and spec arrays. */
function forwardArgs(arg: StftResult | DstftForwardOptions | undefined): { out: StftResult | undefined; frames: readonly [number, number] | undefined } {
  if (arg === undefined) return { out: undefined, frames: undefined };
  if (arg === null || typeof arg !== 'object') {
    throw new ParameterError('out', arg, 'expected a result of an earlier forward, or { out?, frames? }', 'pass the result to reuse, { frames: [a, b] }, or nothing');
  }
  if ('X' in arg && 'spec' in arg) return { out: arg, frames: undefined };
  checkKnownKeys(arg, FORWARD_OPTION_KEYS, { owner: 'forward() options' });
  const o = arg as DstftForwardOptions;
  return { out: o.out, frames: o.frames };
}

const DEFAULT_OVERLAP = 0.75;

const pow2Below = (n: number): number => 2 ** Math.floor(Math.log2(Math.max(1, n)));

/**
 * Degenerate sizes, refused before any work (the plan checks types, ranges and the memory of the spectrogram):
 * a signal shorter than one frame (nFft samples: a 2-sample "signal" would otherwise give a spectrogram of zero
 * padding that optimizes happily), and a fixed or initial hop larger than the signal (a single frame).
 */
function checkDegenerate(o: DstftOptions, hop: unknown, framePolicy: string, positionsMode: string): void {
  const { nFft: N, signalLength: L } = o;
  const ints = typeof N === 'number' && Number.isInteger(N) && N >= 2 && N <= MAX_FFT_SIZE && typeof L === 'number' && Number.isInteger(L) && L >= 2;
  if (!ints) return; // the plan reports these with its own messages
  if (L < N) {
    const fit = pow2Below(L);
    throw new SignalError(
      'signalLength',
      L,
      `the signal is shorter than one frame (nFft = ${N} samples)`,
      `pass a signal of at least ${N} samples, or lower nFft to at most ${L}${fit >= 2 && fit !== L ? ` (e.g. ${fit})` : ''}`,
    );
  }
  if (framePolicy === 'fixed-frames' && (positionsMode === 'fixed' || positionsMode === 'constant') && typeof hop === 'number' && hop > L) {
    throw new ParameterError(
      'hop',
      hop,
      `is larger than the signal (signalLength = ${L}): every frame after the first would start past its end`,
      `use a hop ≤ ${Math.max(1, Math.floor(L / 4))} (a few frames at least)${o.hop === undefined ? ' (the default hop is nFft / 4)' : ''}`,
    );
  }
}

/**
 * The FFT backend of a transform: `options.fft`, an id of the registry's `fft` plugins (default `fftjs`, the exact
 * float64 one), or a backend object passed in `extras.fft` (its id must then match `options.fft` when both are
 * given).
 */
function resolveFftBackend(id: unknown, passed: FftBackend | undefined, registry: FrozenRegistry): FftBackend {
  if (id !== undefined && typeof id !== 'string') {
    throw new ParameterError('fft', id, 'expected an FFT backend id', `use one of ${registry.ids('fft').map((i) => `"${i}"`).join(', ')}`);
  }
  if (passed !== undefined) {
    if (id !== undefined && id !== passed.id) {
      throw new ParameterError('fft', id, `does not match the FFT backend passed in extras ("${passed.id}")`, 'pass the backend the options name, or drop options.fft');
    }
    return passed;
  }
  if (!registry.has('fft', id ?? 'fftjs')) {
    throw new ParameterError(
      'fft',
      id,
      `no FFT backend with this id in the registry (it has ${registry.ids('fft').map((i) => `"${i}"`).join(', ')})`,
      id === 'pffft'
        ? 'register it first: createDefaultRegistry().use(await loadPffftPlugin()) with loadPffftPlugin from @dstft/fft-pffft, and pass that registry'
        : 'register the backend\'s plugin (kind "fft") in the registry you pass, or drop options.fft for the exact float64 FFT',
    );
  }
  return registry.get('fft', id ?? 'fftjs').backend;
}

/**
 * Creates a differentiable STFT from plain-data options (nFft, signalLength, window, windowMode, theta, hop, ...;
 * unknown keys are errors with a "did you mean"). Plugins come from `extras.registry` (default: every built-in).
 */
export function createDstft(options: DstftOptions, extras: CreateDstftExtras = {}): Dstft {
  checkOptionKeys(options);
  const { nFft, signalLength } = options;
  // the sizes first: the defaults below do arithmetic on them
  assertInteger('nFft', nFft, 2, 'pass an integer nFft ≥ 2 (any size works; powers of two are fastest)');
  assertInteger('signalLength', signalLength, 1, 'pass the number of samples per signal (an integer ≥ 2)');
  const h = options.hop;
  if (h !== undefined && (typeof h !== 'number' || !Number.isFinite(h) || !(h > 0))) {
    // checked here too: the initial positions of learnable modes are laid out with it before the plan is built
    throw new ParameterError('hop', h, typeof h === 'number' && Number.isFinite(h) ? 'must be > 0' : 'expected a finite number > 0', 'pass a hop > 0 in samples, e.g. nFft/4');
  }
  const registry = (extras.registry ?? createDefaultRegistry()).freeze();
  const windowId = options.window ?? 'hann';
  if (typeof windowId !== 'string') {
    throw new ParameterError('window', windowId, 'expected a window plugin id', `use one of ${registry.ids('window').join(', ')}`);
  }
  const window = registry.get('window', windowId);
  const windowMode = options.windowMode ?? 'constant';
  const positionsMode = options.positionsMode ?? 'fixed';
  const framePolicy = options.framePolicy ?? 'fixed-frames';
  if (framePolicy !== 'fixed-frames' && framePolicy !== 'fixed-overlap') {
    throw new ParameterError('framePolicy', framePolicy, 'unknown frame policy', 'use "fixed-frames" or "fixed-overlap"');
  }
  const overlap = options.overlap ?? DEFAULT_OVERLAP;
  const hop = options.hop ?? Math.max(1, Math.round(nFft / 4));
  const thetaMin = options.thetaMin ?? Math.min(2, nFft);
  const thetaMax = options.thetaMax ?? nFft;
  const fftBackend = resolveFftBackend(options.fft, extras.fft, registry);

  checkDegenerate(options, hop, framePolicy, positionsMode);

  let positions: PositionsConfig;
  let init: ReturnType<typeof initialPositions>['init'] = {};
  if (framePolicy === 'fixed-overlap') {
    positions = { mode: 'fixed', hop: 1 };
    if (positionsMode !== 'fixed') {
      throw new ParameterError('positionsMode', positionsMode, 'under fixed-overlap the positions follow θ', 'use positionsMode "fixed" or framePolicy "fixed-frames"');
    }
  } else {
    const r = initialPositions(options, hop);
    init = r.init;
    positions =
      positionsMode === 'fixed'
        ? { mode: 'fixed', hop }
        : positionsMode === 'constant'
          ? { mode: 'constant', hop, frames: r.frames }
          : { mode: positionsMode, frames: r.frames };
  }

  const plan = createStftPlan({
    nFft,
    signalLength,
    sampleRate: options.sampleRate ?? 1,
    window,
    windowParams: options.windowParams ?? {},
    normalization: options.normalization ?? 'none',
    windowMode,
    thetaMin,
    thetaMax,
    positions,
    framePolicy: framePolicy === 'fixed-overlap' ? { kind: 'fixed-overlap', overlap } : { kind: 'fixed-frames' },
    power: options.power ?? 1,
    eps: options.eps ?? 1e-12,
    fft: fftBackend,
  });
  plan.assertDifferentiable();

  const thetaLen = plan.variableFrames ? 1 : plan.thetaLength(plan.frames);
  const shapeHint =
    windowMode === 'time' ? `one per frame, T = ${plan.frames}` : windowMode === 'frequency' ? `one per bin, F = ${plan.freqs}` : windowMode === 'time-frequency' ? `[F = ${plan.freqs}][T = ${plan.frames}] row-major` : 'one';
  const theta = initialTheta(options.theta, Math.min(nFft, thetaMax), thetaLen, shapeHint);
  const params: DstftParams = { theta, ...init };

  // check the initial parameters now, with the kernel's messages
  resolveFrames(plan, params);

  const resolved = {
    nFft,
    signalLength,
    sampleRate: plan.sampleRate,
    window: windowId,
    ...(options.windowParams ? { windowParams: options.windowParams } : {}),
    normalization: plan.normalization,
    windowMode,
    thetaMin,
    thetaMax,
    positionsMode,
    hop,
    framePolicy,
    overlap,
    power: plan.power,
    eps: plan.eps,
    fft: plan.fftBackend.id,
  };

  const differentiable = window.gradients.theta && window.gradients.x;
  const asSignal = (x: Float64Array | readonly number[]): Float64Array => (x instanceof Float64Array ? x : Float64Array.from(x));

  return {
    options: resolved,
    plan,
    registry,
    window,
    params,
    frames: plan.frames,
    freqs: plan.freqs,
    forward: (x, p = params, arg) => {
      const { out, frames } = forwardArgs(arg);
      return differentiable ? stftForwardWithState(plan, asSignal(x), p, out, { frames }) : stftForward(plan, asSignal(x), p, out, { frames });
    },
    backward: (result, upstream, opts) => {
      if (!differentiable) {
        throw new ParameterError('window', windowId, 'provides no analytic derivatives, so this transform has no backward pass', 'use a window plugin with gradients { theta: true, x: true }');
      }
      return stftBackward(result, upstream, opts, plan);
    },
    inverse: (input, opts, p = params) => stftInverse(plan, input, p, opts),
    adjoint: (G, p = params) => stftAdjoint(plan, G, p),
    toJSON(): DstftOptions {
      const out: DstftOptions = { ...resolved, theta: Array.from(params.theta) };
      if (params.hop !== undefined) out.hop = params.hop;
      if (positionsMode !== 'fixed' && framePolicy === 'fixed-frames') out.frames = plan.frames;
      if (params.hops) out.hops = Array.from(params.hops);
      if (params.t0 !== undefined) out.t0 = params.t0;
      if (params.positions) out.positions = Array.from(params.positions);
      return out;
    },
  };
}
