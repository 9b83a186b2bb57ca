/**
 * Plain-data options of a DSTFT (JSON-friendly: the CLI, the demo and config files use them as they are),
 * and their resolution into a kernel configuration plus initial parameters.
 */
import { ParameterError, ShapeError, checkKnownKeys, type Normalization } from '@dstft/core';
import { MAX_SPECTROGRAM_ENTRIES, framesForHop, type PositionsMode, type WindowMode } from '@dstft/kernel';

export interface DstftOptions {
  /** DFT size N (frame support). Any integer ≥ 2; powers of two are fastest. */
  nFft: number;
  /** Samples per signal. */
  signalLength: number;
  /** Hz, for the time and frequency axes. Default 1. */
  sampleRate?: number;
  /** Window plugin id in the registry. Default `hann`. */
  window?: string;
  /** Options of the window plugin (e.g. `{ sigma: 0.125 }` for `gaussian`). */
  windowParams?: Record<string, unknown>;
  /** `none` (peak 1, default), `paper` (N/θ scaling, paper Eq. 2), `unit` (sum 1). */
  normalization?: Normalization;
  /** `fixed`, `constant` (default), `time`, `frequency`, `time-frequency`. */
  windowMode?: WindowMode;
  /** Initial window length(s) in samples: a number (broadcast) or one per frame / bin / (bin, frame). Default min(nFft, thetaMax). */
  theta?: number | number[];
  /** Bounds of θ. Defaults 2 and nFft. */
  thetaMin?: number;
  thetaMax?: number;
  /** `fixed` (default), `constant` (learnable hop), `time` (learnable hops), `free` (learnable positions). */
  positionsMode?: PositionsMode;
  /** Hop in samples (initial hop when learnable); sets T = 1 + floor(L / hop). Default round(nFft / 4). */
  hop?: number;
  /**
   * Frame count T for learnable positions (`constant`, `time`, `free`). Default: 1 + floor(L / hop), or from the
   * length of `hops` / `positions`. T stays fixed while the positions move (fixed-frames policy).
   */
  frames?: number;
  /** positionsMode `time`: initial hops (T - 1 of them); default: `hop` repeated. */
  hops?: number[];
  /** positionsMode `time`: first position. Default 0. */
  t0?: number;
  /** positionsMode `free`: initial positions (T of them); default: n·hop. */
  positions?: number[];
  /** `fixed-frames` (default) or `fixed-overlap` (hop = (1 - overlap)·θ; window modes fixed / constant). */
  framePolicy?: 'fixed-frames' | 'fixed-overlap';
  /** Overlap ratio α of `fixed-overlap`. Default 0.75. */
  overlap?: number;
  /** S = |X|^power + eps. Defaults 1 and 1e-12. */
  power?: number;
  eps?: number;
  /**
   * Id of the FFT backend (`fftjs`, the exact float64 default, or e.g. `pffft`). Recorded by `toJSON`; the backend
   * object itself is passed as `createDstft(options, { fft })`. When given, it must match that object's id (or be
   * `fftjs` with no backend passed), so a configuration saved with a float32 backend is never rebuilt silently in
   * another precision, nor the other way round.
   */
  fft?: string;
}

/** Every option createDstft takes (also the fuzz test's vocabulary). */
export const KNOWN_KEYS: readonly (keyof DstftOptions)[] = [
  'nFft',
  'signalLength',
  'sampleRate',
  'window',
  'windowParams',
  'normalization',
  'windowMode',
  'theta',
  'thetaMin',
  'thetaMax',
  'positionsMode',
  'hop',
  'frames',
  'hops',
  't0',
  'positions',
  'framePolicy',
  'overlap',
  'power',
  'eps',
  'fft',
];

/** Names users bring from the PyTorch reference or other STFT libraries (lowercase, no underscores). */
const ALIASES: Readonly<Record<string, keyof DstftOptions>> = {
  nfft: 'nFft',
  hoplength: 'hop',
  hopsize: 'hop',
  winlength: 'theta',
  windowlength: 'theta',
  winlengthmin: 'thetaMin',
  winlengthmax: 'thetaMax',
  hopmode: 'positionsMode',
  magnitudepower: 'power',
  fs: 'sampleRate',
  samplerate: 'sampleRate',
  sr: 'sampleRate',
};

/** Rejects option names this version does not know (a typo must not be silently ignored), through @dstft/core's `checkKnownKeys`. */
export function checkOptionKeys(options: object): void {
  checkKnownKeys(options, KNOWN_KEYS, { owner: 'createDstft()', aliases: ALIASES, optional: false, example: '{ nFft: 1024, signalLength: 8000 }' });
}

function toArray(name: string, v: unknown): Float64Array {
  if (!Array.isArray(v) && !(v instanceof Float64Array)) {
    throw new ShapeError(name, v, 'expected an array of numbers', `pass ${name} as an array`);
  }
  const arr = v as ArrayLike<unknown>;
  for (let i = 0; i < arr.length; i++) {
    // checked before the conversion: Float64Array.from would coerce strings and throw a TypeError on symbols
    if (typeof arr[i] !== 'number') throw new ParameterError(`${name}[${i}]`, arr[i], 'not a finite number', `pass finite numbers in ${name}`);
  }
  const out = Float64Array.from(arr as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new ParameterError(`${name}[${i}]`, (v as ArrayLike<number>)[i], 'not a finite number', `pass finite numbers in ${name}`);
  }
  return out;
}

/** Broadcasts θ (number or array) to the length the mode needs. */
export function initialTheta(theta: number | number[] | undefined, fallback: number, length: number, shapeHint: string): Float64Array {
  if (theta === undefined) return new Float64Array(length).fill(fallback);
  if (typeof theta === 'number') {
    if (!Number.isFinite(theta)) throw new ParameterError('theta', theta, 'not a finite number', 'pass the initial window length in samples');
    return new Float64Array(length).fill(theta);
  }
  const arr = toArray('theta', theta);
  if (arr.length !== length) {
    throw new ShapeError('theta', theta, `expected ${length} initial window lengths (${shapeHint})`, `pass one number (broadcast) or exactly ${length}`);
  }
  return arr;
}

export interface InitialPositions {
  hop?: number;
  t0?: number;
  hops?: Float64Array;
  positions?: Float64Array;
}

/**
 * The frame count of learnable positions, checked before the initial positions are allocated: an integer ≥ 1 whose
 * spectrogram (F·T entries per signal) stays within the kernel's limit (the plan checks the same once built).
 */
function checkFrames(o: DstftOptions, frames: number, given: boolean): number {
  if (given && (typeof frames !== 'number' || !Number.isInteger(frames) || frames < 1)) {
    throw new ParameterError('frames', frames, 'expected an integer ≥ 1', 'pass the number of frames T, or omit it to use 1 + floor(L / hop)');
  }
  const freqs = Math.floor(o.nFft / 2) + 1;
  if (!(frames * freqs <= MAX_SPECTROGRAM_ENTRIES)) {
    throw new ParameterError(
      'frames',
      frames,
      `${frames} frames × ${freqs} bins = ${frames * freqs} spectrogram entries per signal, above the limit of ${MAX_SPECTROGRAM_ENTRIES}`,
      `use a larger hop or fewer frames, a smaller nFft, or split the signal (signalLength = ${o.signalLength})`,
    );
  }
  return frames;
}

/** Initial positions parameters and the frame count, from the options (fixed-frames policy). */
export function initialPositions(o: DstftOptions, hop: number): { frames: number; init: InitialPositions } {
  const mode = o.positionsMode ?? 'fixed';
  if (o.frames !== undefined) checkFrames(o, o.frames, true);
  switch (mode) {
    case 'fixed':
      return { frames: framesForHop(o.signalLength, hop), init: {} };
    case 'constant':
      return { frames: o.frames ?? framesForHop(o.signalLength, hop), init: { hop } };
    case 'time': {
      if (o.hops !== undefined) {
        const hops = toArray('hops', o.hops);
        if (o.frames !== undefined && o.frames !== hops.length + 1) {
          throw new ShapeError('hops', o.hops, `frames = ${o.frames} needs ${o.frames - 1} hops`, 'pass frames - 1 hops, or omit frames');
        }
        return { frames: hops.length + 1, init: { t0: o.t0 ?? 0, hops } };
      }
      const frames = checkFrames(o, o.frames ?? framesForHop(o.signalLength, hop), false);
      return { frames, init: { t0: o.t0 ?? 0, hops: new Float64Array(frames - 1).fill(hop) } };
    }
    case 'free': {
      if (o.positions !== undefined) {
        const positions = toArray('positions', o.positions);
        if (positions.length === 0) throw new ShapeError('positions', o.positions, 'no frame positions', 'pass at least one position');
        if (o.frames !== undefined && o.frames !== positions.length) {
          throw new ShapeError('positions', o.positions, `frames = ${o.frames} needs ${o.frames} positions`, 'pass frames positions, or omit frames');
        }
        return { frames: positions.length, init: { positions } };
      }
      const frames = checkFrames(o, o.frames ?? framesForHop(o.signalLength, hop), false);
      return { frames, init: { positions: Float64Array.from({ length: frames }, (_, n) => n * hop) } };
    }
    default:
      throw new ParameterError('positionsMode', mode, 'unknown positions mode', 'use one of "fixed", "constant", "time", "free"');
  }
}
