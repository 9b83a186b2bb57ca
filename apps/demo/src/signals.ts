/**
 * The built-in signals of the page: the examples of @dstft/dstft (EXAMPLE_SIGNALS, shared with `dstft synth`), each
 * with a label, a one-line description and the settings it is best shown with. Adding one: an entry in
 * EXAMPLE_SIGNALS, then an entry here.
 */
import { exampleSignal } from '@dstft/dstft';
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

export const SIGNALS: readonly SignalEntry[] = [
  {
    id: 'vi-a',
    label: 'VI-A: chirp + close tone + burst',
    description: 'Paper Sec. VI-A: a 1→2 kHz chirp, a 900 Hz tone close to it, and a 3 kHz burst at 0.6 s (1 s at 8 kHz).',
    make: () => exampleSignal('vi-a'),
  },
  {
    id: 'vi-b',
    label: 'VI-B: shocks in noise',
    description: 'Paper Sec. VI-B: damped sinusoids of varying frequency and duration in white noise at 20 dB SNR (1 s at 8 kHz).',
    make: () => exampleSignal('vi-b'),
    settings: { nFft: 512, hop: 32, theta: 256, loss: 'kurtosis', lr: 8 },
  },
  {
    id: 'vibration',
    label: 'VI-C: vibration in flight',
    description:
      'Paper Sec. VI-C: harmonics (orders 1–15, a strong 10th) of a shaft speed that runs up, cruises and manoeuvres, in white noise at 10 dB SNR (20 s at 2 kHz).',
    make: () => exampleSignal('vibration'),
    // one θ for the whole flight: the short start window merges the harmonics, θ ≈ 780 separates them
    settings: { windowMode: 'constant', nFft: 1024, hop: 128, theta: 128, lr: 20 },
  },
  {
    id: 'chirp',
    label: 'Accelerating chirp',
    description: 'A chirp from 500 Hz whose sweep rate grows with time (f = 500 + 3000 t³ Hz, 1 s at 8 kHz).',
    make: () => exampleSignal('accelerating-chirp'),
    settings: { nFft: 512, hop: 32, theta: 64, lr: 10 },
  },
];

/** The settings a signal starts with. */
export function settingsFor(entry: SignalEntry): DemoSettings {
  return { ...DEFAULT_SETTINGS, ...(entry.settings ?? {}) };
}
