/**
 * The built-in signals of the page. Each entry is self-contained: adding a signal is one entry in SIGNALS
 * (an id, a label, a one-line description, a generator, and optionally the settings it is best shown with).
 */
import { chirpToneBurst, shocks, vibrationSignal } from '@dstft/dstft';
import { DEFAULT_SETTINGS, type DemoSettings } from './settings.js';

export interface DemoSignal {
  readonly samples: Float64Array;
  readonly sampleRate: number;
}

export interface SignalEntry {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly make: () => DemoSignal;
  /** Settings applied when the signal is chosen (over DEFAULT_SETTINGS). */
  readonly settings?: Partial<DemoSettings>;
}

/**
 * A chirp whose rate grows: f(t) = 500 + 3000 (t/D)³ Hz, 1 s at 8 kHz. Nearly stationary at first (a long window
 * is best), sweeping fast at the end (a short one is): time-varying θ has something to do.
 */
export function cubicChirp(sampleRate = 8000, duration = 1): DemoSignal {
  const n = Math.round(sampleRate * duration);
  const x = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const t = p / sampleRate;
    const u = t / duration;
    // phase = 2π ∫ f = 2π (500 t + 3000 D u⁴ / 4)
    x[p] = Math.sin(2 * Math.PI * (500 * t + (3000 * duration * u * u * u * u) / 4));
  }
  return { samples: x, sampleRate };
}

export const SIGNALS: readonly SignalEntry[] = [
  {
    id: 'vi-a',
    label: 'VI-A: chirp + close tone + burst',
    description: 'Paper Sec. VI-A: a 1→2 kHz chirp, a 900 Hz tone close to it, and a 3 kHz burst at 0.6 s (1 s at 8 kHz).',
    make: () => chirpToneBurst(),
  },
  {
    id: 'vi-b',
    label: 'VI-B: shocks in noise',
    description: 'Paper Sec. VI-B: damped sinusoids of varying frequency and duration in white noise at 20 dB SNR (1 s at 8 kHz).',
    make: () => shocks(),
    settings: { nFft: 512, hop: 32, theta: 256, loss: 'kurtosis', lr: 8 },
  },
  {
    id: 'vibration',
    label: 'VI-C: vibration in flight',
    description:
      'Paper Sec. VI-C: harmonics (orders 1–15, a strong 10th) of a shaft speed that runs up, cruises and manoeuvres, in white noise at 10 dB SNR (20 s at 2 kHz).',
    make: () => {
      const v = vibrationSignal();
      return { samples: v.signal, sampleRate: v.sampleRate };
    },
    // one θ for the whole flight: the short start window merges the harmonics, θ ≈ 780 separates them
    settings: { windowMode: 'constant', nFft: 1024, hop: 128, theta: 128, lr: 20 },
  },
  {
    id: 'chirp',
    label: 'Accelerating chirp',
    description: 'A chirp from 500 Hz whose sweep rate grows with time (f = 500 + 3000 t³ Hz, 1 s at 8 kHz).',
    make: () => cubicChirp(),
    settings: { nFft: 512, hop: 32, theta: 64, lr: 10 },
  },
];

/** The settings a signal starts with. */
export function settingsFor(entry: SignalEntry): DemoSettings {
  return { ...DEFAULT_SETTINGS, ...(entry.settings ?? {}) };
}
