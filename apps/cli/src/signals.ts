/**
 * The signals `dstft synth` writes, with their ground truth. One entry per signal: adding one (e.g. the paper's
 * vibration signal) is one object in SIGNALS.
 */
import { DEFAULT_HARMONICS, FLIGHT_PROFILE, chirpToneBurst, profileDuration, shocks, vibrationSignal } from '@dstft/dstft';

export interface SynthOptions {
  sampleRate?: number;
  duration?: number;
  snrDb?: number;
  seed?: number;
}

export interface SynthResult {
  samples: Float64Array;
  sampleRate: number;
  /** Ground truth in physical units (seconds, Hz), plain JSON. */
  truth: Record<string, unknown>;
}

export interface SynthSignal {
  readonly name: string;
  readonly description: string;
  readonly defaults: { sampleRate: number; duration: number };
  /** Options this signal takes besides sampleRate and duration. */
  readonly accepts: readonly ('snrDb' | 'seed')[];
  generate(options: Required<Pick<SynthOptions, 'sampleRate' | 'duration'>> & SynthOptions): SynthResult;
}

/** Instantaneous frequency of a linear chirp on a 100 Hz grid (at most 100 000 points). */
function chirpTrack(f0: number, f1: number, duration: number): { times: number[]; hz: number[] } {
  const n = Math.min(100_000, Math.max(2, Math.round(duration * 100) + 1));
  const times: number[] = [];
  const hz: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = (k * duration) / (n - 1);
    times.push(Number(t.toPrecision(10)));
    hz.push(Number((f0 + ((f1 - f0) * t) / duration).toPrecision(10)));
  }
  return { times, hz };
}

/** A per-sample law on a grid of at most `points` (times in s, values in Hz). */
function lawTrack(law: Float64Array, sampleRate: number, points = 2000): { times: number[]; hz: number[] } {
  const n = Math.max(2, Math.min(points, law.length));
  const times: number[] = [];
  const hz: number[] = [];
  for (let k = 0; k < n; k++) {
    const p = Math.round((k * (law.length - 1)) / (n - 1));
    times.push(Number((p / sampleRate).toPrecision(10)));
    hz.push(Number(law[p]!.toPrecision(10)));
  }
  return { times, hz };
}

export const SIGNALS: readonly SynthSignal[] = [
  {
    name: 'vi-a',
    description: "the paper's VI-A signal: a chirp 1→2 kHz, a 900 Hz tone, a 3 kHz burst at 60 % of the duration",
    defaults: { sampleRate: 8000, duration: 1 },
    accepts: [],
    generate({ sampleRate, duration }) {
      const { samples } = chirpToneBurst({ sampleRate, duration });
      return {
        samples,
        sampleRate,
        truth: {
          definition: 'sin(2π(1000 t + 500 t²/D)) + 0.8 sin(2π·900 t) + 1.5 e^{-(t-0.6D)²/(2·0.004²)} sin(2π·3000 t)',
          components: [
            { kind: 'chirp', amplitude: 1, f0: 1000, f1: 2000, start: 0, end: duration, instantaneousFrequency: chirpTrack(1000, 2000, duration) },
            { kind: 'tone', amplitude: 0.8, frequency: 900 },
            { kind: 'burst', amplitude: 1.5, frequency: 3000, centre: 0.6 * duration, sigma: 0.004 },
          ],
        },
      };
    },
  },
  {
    name: 'vi-b',
    description: "the paper's VI-B signal: eight shocks (damped sinusoids, 0.4-3.2 kHz, 1.5-40 ms) in white noise",
    defaults: { sampleRate: 8000, duration: 1 },
    accepts: ['snrDb', 'seed'],
    generate({ sampleRate, duration, snrDb = 20, seed = 1 }) {
      const s = shocks({ sampleRate, duration, snrDb, seed });
      return {
        samples: s.samples,
        sampleRate,
        truth: {
          definition: 'Σ_k a_k r(t - t_k) e^{-(t - t_k)/τ_k} sin(2π f_k (t - t_k)) + white Gaussian noise (mulberry32 seed, Box-Muller)',
          snrDb,
          seed,
          noiseStd: s.noiseStd,
          shocks: s.shocks,
        },
      };
    },
  },
  {
    name: 'chirp',
    description: 'a linear chirp from 500 Hz to 3 kHz (at 8 kHz; the band scales with the sample rate)',
    defaults: { sampleRate: 8000, duration: 1 },
    accepts: [],
    generate({ sampleRate, duration }) {
      const f0 = sampleRate / 16;
      const f1 = (3 * sampleRate) / 8;
      const n = Math.round(sampleRate * duration);
      const x = new Float64Array(n);
      for (let p = 0; p < n; p++) {
        const t = p / sampleRate;
        x[p] = Math.sin(2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * duration)));
      }
      return {
        samples: x,
        sampleRate,
        truth: { definition: 'sin(2π(f0 t + (f1 - f0) t²/(2D)))', components: [{ kind: 'chirp', amplitude: 1, f0, f1, start: 0, end: duration, instantaneousFrequency: chirpTrack(f0, f1, duration) }] },
      };
    },
  },
  {
    name: 'vibration',
    description: "the paper's VI-C signal: harmonics of a shaft speed with run-ups, cruises and fast manoeuvres (10-29 Hz), in white noise",
    defaults: { sampleRate: 2000, duration: profileDuration(FLIGHT_PROFILE) },
    accepts: ['snrDb', 'seed'],
    generate({ sampleRate, duration, snrDb = 10, seed = 1 }) {
      const v = vibrationSignal({ sampleRate, length: Math.round(duration * sampleRate), snrDb, seed });
      return {
        samples: v.signal,
        sampleRate,
        truth: {
          definition: 'Σ_k a_k sin(k φ(t) + ψ_k), φ′(t) = 2π f_shaft(t), + white Gaussian noise (vibrationSignal in @dstft/tracking)',
          snrDb,
          seed,
          noiseStd: v.noiseStd,
          profile: FLIGHT_PROFILE,
          harmonics: DEFAULT_HARMONICS,
          // the shaft speed (the fundamental): harmonic k is at k times this; `dstft track --order k --truth` compares with it
          track: lawTrack(v.shaftHz, sampleRate),
        },
      };
    },
  },
];
