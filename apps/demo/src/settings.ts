/**
 * The page's settings and how they become the umbrella's plain options. Pure functions (no DOM): the worker,
 * the page and the tests share them.
 */
import type { DstftOptions, OptimizeOptions } from '@dstft/dstft';

/** Window modes offered by the page (the transform's `windowMode`, all learnable). */
export const WINDOW_MODES = [
  { id: 'constant', label: 'constant θ' },
  { id: 'time', label: 'θ per frame' },
  { id: 'time-frequency', label: 'θ per TF cell' },
] as const;
export type DemoWindowMode = (typeof WINDOW_MODES)[number]['id'];

export const NFFT_CHOICES = [128, 256, 512, 1024, 2048, 4096] as const;

/**
 * FFT backends offered by the page, by registry id (`options.fft`, recorded by `toJSON()`): the exact float64 FFT
 * of the default registry, or PFFFT (float32 WebAssembly, `@dstft/fft-pffft`), loaded by the worker only when
 * chosen. Every nFft choice above is a size PFFFT takes (32·2^a·3^b·5^c).
 */
export const FFT_BACKENDS = [
  { id: 'fftjs', label: 'fftjs (float64, exact)' },
  { id: 'pffft', label: 'pffft (float32 WebAssembly, faster)' },
] as const;
export type DemoFft = (typeof FFT_BACKENDS)[number]['id'];

/** Frame positions: the fixed hop, or hops and start learned too (`positionsMode: 'time'`, with the coverage penalty). */
export const POSITION_MODES = [
  { id: 'fixed', label: 'fixed hop' },
  { id: 'learned', label: 'learned (hops and start)' },
] as const;
export type DemoPositions = (typeof POSITION_MODES)[number]['id'];

/** Adam's step for the frame positions (samples per step) when they are learned. */
export const POSITIONS_LR = 1;

/** What the controls hold. Lengths in samples. */
export interface DemoSettings {
  windowMode: DemoWindowMode;
  nFft: number;
  hop: number;
  /** Whether the frame positions are learned as well (paper Sec. VI-B). */
  positions: DemoPositions;
  /** Starting window length θ (every entry of θ starts here). */
  theta: number;
  window: string;
  /** FFT backend id (a registry plugin of kind `fft`). */
  fft: DemoFft;
  loss: string;
  /** Weight λ of the TF-smoothness regularizer (0: none). */
  regularizerWeight: number;
  /** Adam's learning rate, in samples per step. */
  lr: number;
  iterations: number;
}

/**
 * The defaults: the paper's VI-A signal with a short window (θ = 128 of N = 1024, hop 64), learned per frame.
 * The short window smears the chirp and the 900 Hz tone into one band; 100 Adam steps (lr 20 samples) stretch
 * θ to ≈ 730 samples where the signal is stationary and keep it short around the 3 kHz burst, so the two lines
 * separate and the burst stays sharp.
 */
export const DEFAULT_SETTINGS: Readonly<DemoSettings> = Object.freeze({
  windowMode: 'time',
  nFft: 1024,
  hop: 64,
  positions: 'fixed',
  theta: 128,
  window: 'hann',
  fft: 'fftjs',
  loss: 'shannon',
  regularizerWeight: 0,
  lr: 20,
  iterations: 100,
});

/** Smallest θ the optimizer may reach (bounded reparametrization keeps θ in [THETA_MIN, nFft]). */
export const THETA_MIN = 16;

/**
 * The lower bound of θ for these settings. One θ for the whole signal: THETA_MIN. A θ per frame (or per cell):
 * at least 2·hop, so that neighbouring windows always overlap by half and no sample is left uncovered (with
 * θ = hop the Hann windows only touch and the inverse loses the samples between them; measured on a speech
 * recording, θ ≥ 2·hop leaves none uncovered).
 */
export function thetaMinFor(s: Pick<DemoSettings, 'windowMode' | 'nFft' | 'hop'>): number {
  if (s.windowMode === 'constant') return Math.min(THETA_MIN, s.nFft);
  return Math.min(s.nFft, Math.max(THETA_MIN, 2 * s.hop));
}

/** TF-smoothness weight used for recordings (θ per frame): on speech it keeps θ from jumping between frames. */
export const SPEECH_SMOOTHNESS = 3e-5;

const pow2Near = (v: number): number => 2 ** Math.round(Math.log2(Math.max(1, v)));

/**
 * Start settings for a recording of `length` samples at `sampleRate` Hz: a 64 ms FFT (nFft the power of two
 * nearest 0.064·fs, within the offered choices), hop nFft/16 (larger for long files, so that there are at most
 * about 400 frames), θ per frame from nFft/4 (at least 4·hop, twice its lower bound), the TF-smoothness term on, lr ≈ nFft/50.
 * Measured on an 8 kHz spoken digit (FSDD): entropy 8.91 → 8.57 in 100 iterations, no sample uncovered.
 */
export function settingsForRecording(sampleRate: number, length: number): DemoSettings {
  const nFft = Math.min(NFFT_CHOICES[NFFT_CHOICES.length - 1]!, Math.max(NFFT_CHOICES[0]!, pow2Near(0.064 * sampleRate)));
  const hop = Math.min(nFft / 4, Math.max(nFft / 16, 2 ** Math.ceil(Math.log2(Math.max(1, length / 400)))));
  return {
    ...DEFAULT_SETTINGS,
    windowMode: 'time',
    nFft,
    hop,
    // at least 4·hop: twice the lower bound 2·hop, so that θ can shrink as well as grow
    theta: Math.min(nFft, Math.max(nFft / 4, 4 * hop)),
    loss: 'shannon',
    regularizerWeight: SPEECH_SMOOTHNESS,
    lr: Math.max(1, Math.round(nFft / 50)),
    iterations: 100,
  };
}

/** The transform's options for a signal of `signalLength` samples at `sampleRate` Hz. */
export function dstftOptions(s: DemoSettings, signalLength: number, sampleRate: number): DstftOptions {
  return {
    nFft: s.nFft,
    signalLength,
    sampleRate,
    window: s.window,
    windowMode: s.windowMode,
    theta: s.theta,
    thetaMin: thetaMinFor(s),
    thetaMax: s.nFft,
    hop: s.hop,
    ...(s.positions === 'learned' ? { positionsMode: 'time' as const } : {}),
    fft: s.fft,
  };
}

/** The optimization's options: the loss, the optional TF-smoothness penalty, Adam with the learning rate. */
export function optimizeOptions(s: DemoSettings): OptimizeOptions {
  const learned = s.positions === 'learned';
  return {
    loss: s.loss,
    // learned positions may spread the frames apart: the coverage penalty (paper Eq. 31-32) keeps every sample
    // inside some window's central half
    regularizers: [
      ...(s.regularizerWeight > 0 ? [{ id: 'tf-smoothness', weight: s.regularizerWeight }] : []),
      ...(learned ? [{ id: 'coverage', weight: 1 }] : []),
    ],
    optimizer: { id: 'adam', options: { lr: s.lr } },
    ...(learned ? { lr: { theta: s.lr, positions: POSITIONS_LR } } : {}),
    maxIterations: s.iterations,
  };
}

/** A field of the settings form that cannot be used as it is. */
export class SettingsError extends Error {
  readonly field: keyof DemoSettings;
  constructor(field: keyof DemoSettings, value: unknown, problem: string, fix: string) {
    super(`${field} = ${JSON.stringify(value)}: ${problem}. Fix: ${fix}`);
    this.name = 'SettingsError';
    this.field = field;
  }
}

function num(field: keyof DemoSettings, raw: string, fix: string, integer: boolean, min: number): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new SettingsError(field, raw, 'not a number', fix);
  if (integer && !Number.isInteger(v)) throw new SettingsError(field, v, 'expected a whole number', fix);
  if (v < min) throw new SettingsError(field, v, `expected a value ≥ ${min}`, fix);
  return v;
}

/** Reads the form's raw strings into settings; a bad field is a SettingsError naming it (never clamped). */
export function parseSettings(raw: Readonly<Record<keyof DemoSettings, string>>): DemoSettings {
  const mode = WINDOW_MODES.find((m) => m.id === raw.windowMode);
  if (!mode) throw new SettingsError('windowMode', raw.windowMode, 'unknown window mode', `choose one of ${WINDOW_MODES.map((m) => m.id).join(', ')}`);
  const positions = POSITION_MODES.find((m) => m.id === (raw.positions ?? 'fixed'));
  if (!positions) throw new SettingsError('positions', raw.positions, 'unknown frame positions', `choose one of ${POSITION_MODES.map((m) => m.id).join(', ')}`);
  const fft = FFT_BACKENDS.find((b) => b.id === raw.fft);
  if (!fft) throw new SettingsError('fft', raw.fft, 'unknown FFT backend', `choose one of ${FFT_BACKENDS.map((b) => b.id).join(', ')}`);
  const nFft = num('nFft', raw.nFft, 'choose a power of two such as 1024', true, 2);
  const hop = num('hop', raw.hop, `pass a hop in samples, 1 ≤ hop ≤ nFft (e.g. ${nFft / 16})`, true, 1);
  const theta = num('theta', raw.theta, `pass a start θ in samples, ${Math.min(THETA_MIN, nFft)} ≤ θ ≤ nFft = ${nFft}`, false, Math.min(THETA_MIN, nFft));
  const tMin = thetaMinFor({ windowMode: mode.id, nFft, hop });
  if (theta < tMin) {
    throw new SettingsError('theta', theta, `with a θ per frame or per cell, θ stays ≥ 2·hop = ${tMin} so that every sample is covered by a window`, `pass θ ≥ ${tMin}, or lower the hop`);
  }
  if (theta > nFft) throw new SettingsError('theta', theta, `the window cannot be longer than nFft = ${nFft}`, `pass θ ≤ ${nFft}, or raise nFft`);
  const regularizerWeight = num('regularizerWeight', raw.regularizerWeight, 'pass λ ≥ 0, e.g. 0 (none) or 1e-4', false, 0);
  const lr = num('lr', raw.lr, 'pass a learning rate in samples per step, e.g. 20', false, 0);
  if (lr === 0) throw new SettingsError('lr', lr, 'a zero learning rate never moves θ', 'pass a learning rate > 0, e.g. 20');
  const iterations = num('iterations', raw.iterations, 'pass a whole number of iterations ≥ 1, e.g. 100', true, 1);
  return { windowMode: mode.id, nFft, hop, positions: positions.id, theta, window: raw.window, fft: fft.id, loss: raw.loss, regularizerWeight, lr, iterations };
}
