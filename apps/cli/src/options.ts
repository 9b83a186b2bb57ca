/**
 * Command-line flags shared by the commands, and how they become the umbrella package's plain `DstftOptions`:
 * command defaults < `--config` file < flags; `signalLength` and `sampleRate` come from the input.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { DstftOptions } from '@dstft/dstft';
import type { CliConfig } from './config.js';
import { UsageError } from './errors.js';
import type { Signal } from './io/input.js';

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
    .option('--power <p>', 'S = |X|^p (1: magnitude, 2: power)', numberArg('--power', { positive: true }));
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
}

const FLAG_KEYS: readonly (keyof TransformFlags)[] = ['nFft', 'hop', 'theta', 'thetaMin', 'thetaMax', 'window', 'windowParams', 'normalization', 'power'];

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
  return merged;
}
