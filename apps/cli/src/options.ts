/**
 * Command-line flags shared by the commands, and how they become the umbrella package's plain `DstftOptions`:
 * command defaults < `--config` file < flags; `signalLength` and `sampleRate` come from the input.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { DstftOptions } from '@dstft/dstft';
import type { CliConfig } from './config.js';
import { InputError, UsageError } from './errors.js';
import type { Signal } from './io/input.js';
import { chunkable, memoryBudget } from './spectro.js';

/** The kernel's largest DFT size (2^26; `@dstft/kernel` checks it too, but only after allocating for it). */
export const MAX_N_FFT = 2 ** 26;

/** The input as messages name it. */
export function inputName(signal: Signal): string {
  return signal.source.path ?? (signal.source.kind === 'builtin' ? 'the built-in example' : 'the input');
}

const pow2Below = (n: number): number => 2 ** Math.floor(Math.log2(Math.max(1, n)));

/**
 * Sizes checked before any work, with messages naming the flags: --n-fft within the kernel's limit, an input at
 * least one frame long (a 2-sample "recording" is an error, not a spectrogram of zero padding), a hop no larger
 * than the input, and the memory of the spectrogram (frames in memory at once: a chunk for a constant θ, all of
 * them otherwise) within the budget of spectro.ts.
 */
export function checkSizes(o: DstftOptions, signal: Signal): void {
  const N = o.nFft;
  const L = signal.samples.length;
  const fs = signal.sampleRate;
  const name = inputName(signal);
  if (N > MAX_N_FFT) {
    throw new UsageError(`--n-fft = ${N}: above the largest supported DFT size ${MAX_N_FFT} (2^26). Fix: use --n-fft ≤ ${MAX_N_FFT}; for this input at most ${pow2Below(L)}`);
  }
  if (L < N) {
    const fit = pow2Below(L);
    throw new InputError(
      name,
      `${L} samples (${Number((L / fs).toPrecision(3))} s at ${fs} Hz) is shorter than one frame (--n-fft ${N} samples)`,
      fit >= 16 ? `pass a recording of at least ${N} samples, or lower --n-fft to at most ${fit} (e.g. --n-fft ${fit})` : `pass a longer recording (at least 16 samples, with --n-fft 16; ${N} with --n-fft ${N})`,
    );
  }
  const hop = typeof o.hop === 'number' ? o.hop : Math.max(1, Math.round(N / 4));
  if (hop > L) {
    throw new InputError(name, `${L} samples is shorter than one hop (--hop ${hop})`, `use --hop ≤ ${Math.max(1, Math.floor(L / 4))} (a few frames at least), or pass a longer recording`);
  }
  const F = Math.floor(N / 2) + 1;
  const T = 1 + Math.floor(L / hop);
  const inMemory = chunkable(o) ? Math.min(T, 4096 + 2 * Math.ceil(N / 2 / hop)) : T;
  const need = F * inMemory * 48 + N * 64;
  if (need > memoryBudget()) {
    throw new UsageError(
      `--n-fft = ${N}, --hop = ${hop}: the spectrogram (${F} bins × ${inMemory} frames in memory) would need about ${(need / 2 ** 30).toFixed(1)} GB, over the budget of ${(memoryBudget() / 2 ** 30).toFixed(1)} GB. Fix: lower --n-fft (e.g. --n-fft ${Math.min(pow2Below(N) / 4 || 1024, 4096)}) or raise --hop`,
    );
  }
}

export function numberArg(name: string, { integer = false, min, positive = false }: { integer?: boolean; min?: number; positive?: boolean } = {}) {
  return (value: string): number => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError(`${name} expects a number, got "${value}".`);
    if (integer && !Number.isInteger(v)) throw new InvalidArgumentError(`${name} expects an integer, got "${value}".`);
    if (positive && !(v > 0)) throw new InvalidArgumentError(`${name} expects a number > 0, got "${value}".`);
    if (min !== undefined && v < min) throw new InvalidArgumentError(`${name} expects a number ≥ ${min}, got "${value}".`);
    return v;
  };
}

export function jsonArg(name: string) {
  return (value: string): Record<string, unknown> => {
    let v: unknown;
    try {
      v = JSON.parse(value);
    } catch {
      throw new InvalidArgumentError(`${name} expects a JSON object, e.g. '{"sigma": 0.125}', got ${value}.`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidArgumentError(`${name} expects a JSON object, got ${value}.`);
    return v as Record<string, unknown>;
  };
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
export { collect };

/** `--channel`, `--sample-rate`. */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--channel <n>', 'WAV / CSV channel to analyse, 0 = first (default: the mean of all channels)', numberArg('--channel', { integer: true, min: 0 }))
    .option('--sample-rate <hz>', 'sample rate of a text / CSV / JSON input, in Hz (WAV files carry their own)', numberArg('--sample-rate', { positive: true }));
}

/** The DSTFT flags (all optional; the library's defaults apply to anything not given). */
export function addTransformOptions(cmd: Command): Command {
  return cmd
    .option('--n-fft <n>', 'DFT size N (frame support); powers of two are fastest', numberArg('--n-fft', { integer: true, min: 2 }))
    .option('--hop <samples>', 'hop between frames, in samples (default nFft/4)', numberArg('--hop', { positive: true }))
    .option('--theta <samples>', 'window length θ in samples, ≤ nFft (the initial value when optimizing)', numberArg('--theta', { positive: true }))
    .option('--theta-min <samples>', 'lower bound of θ', numberArg('--theta-min', { positive: true }))
    .option('--theta-max <samples>', 'upper bound of θ (≤ nFft)', numberArg('--theta-max', { positive: true }))
    .option('--window <id>', 'window plugin id (see `dstft plugins`), default hann')
    .option('--window-params <json>', 'options of the window plugin, e.g. \'{"sigma":0.125}\'', jsonArg('--window-params'))
    .option('--normalization <kind>', 'none | paper | unit')
    .option('--power <p>', 'S = |X|^p (1: magnitude, 2: power)', numberArg('--power', { positive: true }))
    .option('--fft <id>', 'FFT backend (see `dstft plugins --kind fft`): fftjs (exact float64, the default) or pffft (float32 WebAssembly, faster FFTs, about 1e-7 relative)');
}

export interface TransformFlags {
  nFft?: number;
  hop?: number;
  theta?: number;
  thetaMin?: number;
  thetaMax?: number;
  window?: string;
  windowParams?: Record<string, unknown>;
  normalization?: string;
  power?: number;
  fft?: string;
}

const FLAG_KEYS: readonly (keyof TransformFlags)[] = ['nFft', 'hop', 'theta', 'thetaMin', 'thetaMax', 'window', 'windowParams', 'normalization', 'power', 'fft'];

/** defaults < config.transform < flags, with the signal's length and rate. */
export function buildOptions(defaults: Partial<DstftOptions>, config: CliConfig, flags: TransformFlags, signal: Signal, extra: Partial<DstftOptions> = {}): DstftOptions {
  const fromFlags: Partial<DstftOptions> = {};
  for (const k of FLAG_KEYS) if (flags[k] !== undefined) (fromFlags as Record<string, unknown>)[k] = flags[k];
  const cfg = { ...config.transform };
  if (cfg.signalLength !== undefined && cfg.signalLength !== signal.samples.length) {
    throw new UsageError(`${config.path}: "signalLength" = ${cfg.signalLength}, but the input has ${signal.samples.length} samples. Fix: drop "signalLength" from the config (it comes from the input)`);
  }
  if (cfg.sampleRate !== undefined && cfg.sampleRate !== signal.sampleRate) {
    throw new UsageError(`${config.path}: "sampleRate" = ${cfg.sampleRate}, but the input is at ${signal.sampleRate} Hz. Fix: drop "sampleRate" from the config, or pass an input at that rate`);
  }
  const merged = { ...defaults, ...cfg, ...extra, ...fromFlags, signalLength: signal.samples.length, sampleRate: signal.sampleRate } as DstftOptions;
  const N = merged.nFft;
  if (N === undefined) throw new UsageError('--n-fft is required');
  // a friendlier message than the library's for the commonest slip: a window longer than the frame
  if (typeof merged.theta === 'number' && merged.theta > N) {
    throw new UsageError(`--theta = ${merged.theta}: the window is longer than nFft = ${N}. Fix: use --theta ≤ ${N}, or raise --n-fft (e.g. --n-fft ${2 ** Math.ceil(Math.log2(merged.theta))})`);
  }
  if (merged.thetaMax !== undefined && merged.thetaMax > N) {
    throw new UsageError(`--theta-max = ${merged.thetaMax}: longer than nFft = ${N}. Fix: use --theta-max ≤ ${N}, or raise --n-fft`);
  }
  if (merged.thetaMax !== undefined && merged.theta === undefined && defaults.theta === undefined) merged.theta = merged.thetaMax;
  checkSizes(merged, signal);
  return merged;
}
