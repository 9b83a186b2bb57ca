/** Helpers shared by the commands: inputs (or the built-in example), transforms from flags, analysis excerpts. */
import { relative, resolve } from 'node:path';
import { chirpToneBurst, createDstft, type Dstft, type DstftOptions, type PluginRef, type RegularizerRef } from '@dstft/dstft';
import type { Context } from '../context.js';
import { UsageError, asUsage } from '../errors.js';
import { readSignal, type Signal } from '../io/input.js';

/** The built-in example: the paper's VI-A-type signal (chirp 1→2 kHz + 900 Hz tone + 3 kHz burst, 1 s at 8 kHz). */
export function builtinExample(): Signal {
  const { samples, sampleRate } = chirpToneBurst({ sampleRate: 8000, duration: 1 });
  return { samples, sampleRate, source: { kind: 'builtin', name: 'vi-a (chirpToneBurst: chirp 1→2 kHz + 900 Hz tone + 3 kHz burst, 1 s at 8 kHz)' } };
}

/** The paper's VI-A settings, used with the built-in example when no DSTFT flag or config is given. */
export const VI_A_TRANSFORM: Partial<DstftOptions> = { nFft: 1024, hop: 64, thetaMin: 100, thetaMax: 1000 };

/** Defaults for recordings. */
export const INPUT_TRANSFORM: Partial<DstftOptions> = { nFft: 1024 };

/**
 * The defaults under the flags and the config: for an input, nFft 1024 (the library's hop nFft/4 and θ bounds);
 * for the built-in example, the paper's VI-A settings (with another nFft: its hop 64, the library's θ bounds).
 */
export function transformDefaults(input: string | undefined, flags: { nFft?: number }, config: { transform: Partial<DstftOptions> }): Partial<DstftOptions> {
  if (input !== undefined) return INPUT_TRANSFORM;
  const nFft = flags.nFft ?? config.transform.nFft ?? 1024;
  return nFft === 1024 ? VI_A_TRANSFORM : { nFft, hop: 64 };
}

export function loadSignal(ctx: Context, input: string | undefined, opts: { channel?: number; sampleRate?: number }): Signal {
  if (input === undefined) {
    if (opts.channel !== undefined || opts.sampleRate !== undefined) throw new UsageError('--channel / --sample-rate need an input file. Fix: pass the input, or drop them to use the built-in example');
    return builtinExample();
  }
  const cfgRate = ctx.config.transform.sampleRate;
  return readSignal(input, {
    ...(opts.channel !== undefined ? { channel: opts.channel } : {}),
    ...(opts.sampleRate !== undefined ? { sampleRate: opts.sampleRate, sampleRateSource: '--sample-rate' } : cfgRate !== undefined ? { sampleRate: cfgRate, sampleRateSource: `${ctx.config.path}: "sampleRate"` } : {}),
  });
}

export function makeDstft(ctx: Context, options: DstftOptions): Dstft {
  return asUsage(() => createDstft(options, { registry: ctx.registry }), ctx.config.path ? `options (flags and ${ctx.config.path})` : 'options');
}

/** Checks plugin ids before any work (an unknown id is a usage error naming what exists). */
export function checkPluginIds(ctx: Context, refs: { kind: 'loss' | 'regularizer' | 'optimizer' | 'window'; ref: PluginRef | RegularizerRef | undefined; flag: string }[]): void {
  for (const { kind, ref, flag } of refs) {
    if (ref === undefined) continue;
    const id = typeof ref === 'string' ? ref : ref.id;
    if (!ctx.registry.has(kind, id)) {
      const ids = ctx.registry.ids(kind);
      throw new UsageError(`${flag} = "${id}": no ${kind} plugin with this id is registered. Fix: use one of ${ids.map((i) => `"${i}"`).join(', ')} (see \`dstft plugins\`), or load the package that provides it with --plugin <package>`);
    }
  }
}

/** A path for printing: relative to the current folder when inside it. */
export function show(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel && !rel.startsWith('..') ? rel : resolve(path);
}

export function round(value: number, digits = 8): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

export function describeSource(signal: Signal): Record<string, unknown> {
  const s = signal.source;
  return {
    kind: s.kind,
    ...(s.path ? { path: s.path } : {}),
    ...(s.name ? { name: s.name } : {}),
    ...(s.channels !== undefined ? { channels: s.channels } : {}),
    ...(s.channel !== undefined ? { channel: s.channel } : {}),
    ...(s.wav ? { wav: s.wav } : {}),
    sampleRate: signal.sampleRate,
    samples: signal.samples.length,
    seconds: round(signal.samples.length / signal.sampleRate, 6),
  };
}

/**
 * Analysis excerpts for long signals: when the input is longer than `maxSeconds`, `count` evenly spaced excerpts
 * of `maxSeconds / count` seconds each (the first at the start, the last at the end) form a batch on which the
 * window length is optimized (the loss is the mean over excerpts; for the entropy, each excerpt's own entropy).
 * Returns null when the whole signal is used.
 */
export function analysisExcerpts(signal: Signal, maxSeconds: number, nFft: number, count = 12): { batch: Float64Array; length: number; starts: number[] } | null {
  const L = signal.samples.length;
  const max = Math.round(maxSeconds * signal.sampleRate);
  if (L <= max) return null;
  const length = Math.max(2 * nFft, Math.floor(max / count));
  const n = Math.max(1, Math.min(count, Math.floor(L / length)));
  const starts: number[] = [];
  for (let k = 0; k < n; k++) starts.push(n === 1 ? 0 : Math.round((k * (L - length)) / (n - 1)));
  const batch = new Float64Array(n * length);
  for (let k = 0; k < n; k++) batch.set(signal.samples.subarray(starts[k], starts[k]! + length), k * length);
  return { batch, length, starts };
}
