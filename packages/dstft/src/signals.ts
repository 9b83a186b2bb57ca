/**
 * Built-in example signals (deterministic; no noise unless asked for).
 */
import { ParameterError } from '@dstft/core';

export interface ChirpToneBurstOptions {
  /** Hz. Default 8000. */
  sampleRate?: number;
  /** Seconds. Default 1. */
  duration?: number;
}

/**
 * The paper's VI-A-type signal (DESIGN.md §6): a linear chirp from 1 kHz to 2 kHz over the whole duration,
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
