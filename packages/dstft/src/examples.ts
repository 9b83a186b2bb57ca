/**
 * The example signals, in one place: the CLI's `dstft synth`, the demo's signal menu and the tests take them from
 * here. Each entry generates samples at any rate and duration and says what is in them (the ground truth, in
 * physical units, as plain JSON). Adding an example is one entry in EXAMPLE_SIGNALS.
 */
import { ParameterError } from '@dstft/core';
import { DEFAULT_HARMONICS, FLIGHT_PROFILE, profileDuration, vibrationSignal } from '@dstft/tracking';
import { chirpToneBurst, shocks } from './signals.js';

/**
 * Options of an {@link ExampleSignal}'s `generate`: sample rate, duration and, where the signal takes them, noise
 * level and seed.
 */
export interface ExampleSignalOptions {
  /** Hz, a positive integer. Default: the entry's. */
  sampleRate?: number;
  /** Seconds. Default: the entry's. */
  duration?: number;
  /** Signal-to-noise ratio of the added noise, for entries that have noise (`accepts` lists 'snrDb'). */
  snrDb?: number;
  /** Noise seed, for entries that have noise. */
  seed?: number;
}

/** A generated example signal: the samples, their rate (Hz) and a JSON description of what it contains. */
export interface ExampleSignalResult {
  samples: Float64Array;
  sampleRate: number;
  /** What the signal is made of, in seconds and Hz (plain JSON): a definition and its components or tracks. */
  truth: Record<string, unknown>;
}

/** A built-in example signal by id (`vi-a`, `vi-b`, ...): what it is, its defaults, and `generate`. */
export interface ExampleSignal {
  readonly id: string;
  readonly description: string;
  readonly defaults: { readonly sampleRate: number; readonly duration: number };
  /** Options this signal takes besides sampleRate and duration. */
  readonly accepts: readonly ('snrDb' | 'seed')[];
  generate(options: Required<Pick<ExampleSignalOptions, 'sampleRate' | 'duration'>> & ExampleSignalOptions): ExampleSignalResult;
}

/** An instantaneous-frequency law f(t) sampled on a 100 Hz grid (at most 100 000 points), rounded for JSON. */
function frequencyTrack(f: (t: number) => number, duration: number): { times: number[]; hz: number[] } {
  const n = Math.min(100_000, Math.max(2, Math.round(duration * 100) + 1));
  const times: number[] = [];
  const hz: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = (k * duration) / (n - 1);
    times.push(Number(t.toPrecision(10)));
    hz.push(Number(f(t).toPrecision(10)));
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

/** sin(2π ∫ f) for a frequency law given by its phase φ(t)/(2π). */
function fromPhase(sampleRate: number, duration: number, cycles: (t: number) => number): Float64Array {
  const x = new Float64Array(Math.round(sampleRate * duration));
  for (let p = 0; p < x.length; p++) x[p] = Math.sin(2 * Math.PI * cycles(p / sampleRate));
  return x;
}

/** Every built-in example signal (the paper's test signals and a few more), as used by `dstft synth` and the demo. */
export const EXAMPLE_SIGNALS: readonly ExampleSignal[] = [
  {
    id: 'vi-a',
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
            { kind: 'chirp', amplitude: 1, f0: 1000, f1: 2000, start: 0, end: duration, instantaneousFrequency: frequencyTrack((t) => 1000 + (1000 * t) / duration, duration) },
            { kind: 'tone', amplitude: 0.8, frequency: 900 },
            { kind: 'burst', amplitude: 1.5, frequency: 3000, centre: 0.6 * duration, sigma: 0.004 },
          ],
        },
      };
    },
  },
  {
    id: 'vi-b',
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
    id: 'chirp',
    description: 'a linear chirp from 500 Hz to 3 kHz (at 8 kHz; the band scales with the sample rate)',
    defaults: { sampleRate: 8000, duration: 1 },
    accepts: [],
    generate({ sampleRate, duration }) {
      const f0 = sampleRate / 16;
      const f1 = (3 * sampleRate) / 8;
      return {
        samples: fromPhase(sampleRate, duration, (t) => f0 * t + ((f1 - f0) * t * t) / (2 * duration)),
        sampleRate,
        truth: {
          definition: 'sin(2π(f0 t + (f1 - f0) t²/(2D)))',
          components: [{ kind: 'chirp', amplitude: 1, f0, f1, start: 0, end: duration, instantaneousFrequency: frequencyTrack((t) => f0 + ((f1 - f0) * t) / duration, duration) }],
        },
      };
    },
  },
  {
    id: 'accelerating-chirp',
    description: 'a chirp whose sweep rate grows: f = 500 + 3000 (t/D)³ Hz (nearly stationary at first, fast at the end)',
    defaults: { sampleRate: 8000, duration: 1 },
    accepts: [],
    generate({ sampleRate, duration }) {
      if (sampleRate < 7000) throw new ParameterError('sampleRate', sampleRate, 'the chirp reaches 3.5 kHz', 'use a sample rate of at least 7000 Hz');
      return {
        // phase/2π = ∫ f = 500 t + 3000 D u⁴ / 4, u = t/D
        samples: fromPhase(sampleRate, duration, (t) => 500 * t + (3000 * duration * (t / duration) ** 4) / 4),
        sampleRate,
        truth: {
          definition: 'sin(2π(500 t + 750 D (t/D)⁴))',
          components: [{ kind: 'chirp', amplitude: 1, start: 0, end: duration, instantaneousFrequency: frequencyTrack((t) => 500 + 3000 * (t / duration) ** 3, duration) }],
        },
      };
    },
  },
  {
    id: 'vibration',
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

/** The example `id` at its default rate and duration (or the given ones). Unknown ids are a ParameterError. */
export function exampleSignal(id: string, options: ExampleSignalOptions = {}): ExampleSignalResult {
  const entry = EXAMPLE_SIGNALS.find((s) => s.id === id);
  if (!entry) throw new ParameterError('id', id, 'no such example signal', `use one of ${EXAMPLE_SIGNALS.map((s) => `"${s.id}"`).join(', ')}`);
  return entry.generate({ ...options, sampleRate: options.sampleRate ?? entry.defaults.sampleRate, duration: options.duration ?? entry.defaults.duration });
}
