/**
 * Built-in example signals (deterministic; no noise unless asked for).
 */
import { ParameterError, mulberry32 } from '@dstft/core';

/** Options of {@link chirpToneBurst}: sample rate (Hz) and duration (s). */
export interface ChirpToneBurstOptions {
  /** Hz. Default 8000. */
  sampleRate?: number;
  /** Seconds. Default 1. */
  duration?: number;
}

/**
 * The paper's VI-A-type signal (docs/design.md §8): a linear chirp from 1 kHz to 2 kHz over the whole duration,
 * a stationary 900 Hz tone (close in frequency to the chirp's start), and a 3 kHz transient burst with a
 * Gaussian envelope (σ = 4 ms) at 60 % of the duration. Amplitudes 1, 0.8 and 1.5.
 *
 *   x(t) = sin(2π(f0 t + (f1 - f0) t² / (2D))) + 0.8 sin(2π·900 t) + 1.5 e^{-(t - 0.6D)²/(2σ²)} sin(2π·3000 t)
 */
export function chirpToneBurst(options: ChirpToneBurstOptions = {}): { samples: Float64Array; sampleRate: number } {
  const fs = options.sampleRate ?? 8000;
  const D = options.duration ?? 1;
  if (!(fs > 0) || !Number.isFinite(fs)) throw new ParameterError('sampleRate', fs, 'must be a finite number > 0', 'pass a sample rate in Hz, e.g. 8000');
  if (!(D > 0) || !Number.isFinite(D)) throw new ParameterError('duration', D, 'must be a finite number > 0', 'pass a duration in seconds, e.g. 1');
  if (fs < 6000) {
    throw new ParameterError('sampleRate', fs, 'the 3 kHz burst needs a sample rate above 6 kHz', 'use a sample rate ≥ 6000 Hz (default 8000)');
  }
  const n = Math.round(fs * D);
  const x = new Float64Array(n);
  const f0 = 1000;
  const f1 = 2000;
  const sigma = 0.004;
  const tb = 0.6 * D;
  for (let p = 0; p < n; p++) {
    const t = p / fs;
    const chirp = Math.sin(2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * D)));
    const tone = 0.8 * Math.sin(2 * Math.PI * 900 * t);
    const burst = 1.5 * Math.exp(-((t - tb) ** 2) / (2 * sigma * sigma)) * Math.sin(2 * Math.PI * 3000 * t);
    x[p] = chirp + tone + burst;
  }
  return { samples: x, sampleRate: fs };
}

/**
 * Options of {@link shocks}: sample rate (Hz), duration (s), noise level (dB) and seed of the shocks-in-noise signal.
 */
export interface ShocksOptions {
  /** Hz. Default 8000. */
  sampleRate?: number;
  /** Seconds. Default 1. */
  duration?: number;
  /** Signal-to-noise ratio in dB of the white Gaussian noise (relative to the mean power of the shocks). Default 20; Infinity for none. */
  snrDb?: number;
  /** Seed of the noise (mulberry32). Default 1. */
  seed?: number;
}

/** One shock of the VI-B-type signal: a damped sinusoid starting at `time`. */
export interface Shock {
  /** Onset in seconds. */
  readonly time: number;
  /** Carrier frequency in Hz. */
  readonly frequency: number;
  /** Decay time constant τ in seconds (the envelope is e^{-(t - time)/τ}, with a 0.5 ms raised-cosine attack). */
  readonly tau: number;
  readonly amplitude: number;
}

/**
 * The onsets, frequencies and decay times of the VI-B-type signal at duration D (fractions of D, so the layout
 * scales): short high shocks, long low ones and everything in between, some close together.
 */
export const SHOCKS: readonly Shock[] = Object.freeze([
  { time: 0.06, frequency: 2500, tau: 0.002, amplitude: 1.0 },
  { time: 0.16, frequency: 600, tau: 0.03, amplitude: 0.8 },
  { time: 0.3, frequency: 1800, tau: 0.006, amplitude: 1.0 },
  { time: 0.36, frequency: 3200, tau: 0.0015, amplitude: 1.2 },
  { time: 0.5, frequency: 1000, tau: 0.015, amplitude: 0.9 },
  { time: 0.66, frequency: 2800, tau: 0.003, amplitude: 1.0 },
  { time: 0.7, frequency: 1400, tau: 0.01, amplitude: 0.8 },
  { time: 0.84, frequency: 400, tau: 0.04, amplitude: 0.7 },
]);

/**
 * The paper's VI-B-type signal: transients (shocks) of varying frequency and duration in white noise.
 * Each shock k of `SHOCKS` (onsets as fractions of the duration D) is
 *   a_k · r(t - t_k) · e^{-(t - t_k)/τ_k} · sin(2π f_k (t - t_k)),  t ≥ t_k,
 * with r a 0.5 ms raised-cosine attack; then white Gaussian noise (Box-Muller on mulberry32(seed)) scaled so that
 * 10·log10(P_shocks / P_noise) = snrDb, with P the mean power over the whole signal. Returns the shocks in seconds.
 */
export function shocks(options: ShocksOptions = {}): { samples: Float64Array; sampleRate: number; shocks: Shock[]; noiseStd: number } {
  const fs = options.sampleRate ?? 8000;
  const D = options.duration ?? 1;
  const snr = options.snrDb ?? 20;
  const seed = options.seed ?? 1;
  if (!(fs > 0) || !Number.isFinite(fs)) throw new ParameterError('sampleRate', fs, 'must be a finite number > 0', 'pass a sample rate in Hz, e.g. 8000');
  if (fs <= 6400) throw new ParameterError('sampleRate', fs, 'the 3.2 kHz shock needs a sample rate above 6.4 kHz', 'use a sample rate ≥ 8000 Hz (default)');
  if (!(D > 0) || !Number.isFinite(D)) throw new ParameterError('duration', D, 'must be a finite number > 0', 'pass a duration in seconds, e.g. 1');
  if (Number.isNaN(snr)) throw new ParameterError('snrDb', snr, 'is NaN', 'pass a signal-to-noise ratio in dB, e.g. 20 (Infinity for no noise)');
  if (!Number.isInteger(seed)) throw new ParameterError('seed', seed, 'expected an integer', 'pass e.g. 1');
  const n = Math.round(fs * D);
  const x = new Float64Array(n);
  const attack = 0.0005;
  const list = SHOCKS.map((s) => ({ ...s, time: s.time * D }));
  for (const s of list) {
    const p0 = Math.ceil(s.time * fs);
    const p1 = Math.min(n, p0 + Math.ceil(12 * s.tau * fs));
    for (let p = p0; p < p1; p++) {
      const t = p / fs - s.time;
      const rise = t < attack ? 0.5 - 0.5 * Math.cos((Math.PI * t) / attack) : 1;
      x[p]! += s.amplitude * rise * Math.exp(-t / s.tau) * Math.sin(2 * Math.PI * s.frequency * t);
    }
  }
  let power = 0;
  for (let p = 0; p < n; p++) power += x[p]! * x[p]!;
  power /= n;
  const noiseStd = snr === Infinity ? 0 : Math.sqrt(power / 10 ** (snr / 10));
  if (noiseStd > 0) {
    const rand = mulberry32(seed);
    for (let p = 0; p < n; p += 2) {
      const u1 = Math.max(rand(), 1e-300);
      const u2 = rand();
      const r = Math.sqrt(-2 * Math.log(u1));
      x[p]! += noiseStd * r * Math.cos(2 * Math.PI * u2);
      if (p + 1 < n) x[p + 1]! += noiseStd * r * Math.sin(2 * Math.PI * u2);
    }
  }
  return { samples: x, sampleRate: fs, shocks: list, noiseStd };
}
