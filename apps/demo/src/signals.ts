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
  /** What to look for in the picture, in a few sentences (shown next to the spectrograms). */
  readonly guide: string;
  readonly make: () => DemoSignal;
  /** Settings applied when the signal is chosen (over DEFAULT_SETTINGS). */
  readonly settings?: Partial<DemoSettings>;
}

export const SIGNALS: readonly SignalEntry[] = [
  {
    id: 'vi-a',
    label: 'VI-A: chirp + close tone + burst',
    description: 'Paper Sec. VI-A: a 1→2 kHz chirp, a 900 Hz tone close to it, and a 3 kHz burst at 0.6 s (1 s at 8 kHz).',
    guide:
      'Before: the short window smears the chirp and the 900 Hz tone into one wide band. Watch the after panel: where the signal is steady, θ grows and the two lines separate; around the burst at 0.6 s θ stays short, so the burst stays a thin vertical stroke.',
    make: () => exampleSignal('vi-a'),
  },
  {
    id: 'vi-b',
    label: 'VI-B signal: shocks in noise (θ per frame only)',
    description:
      'The signal of paper Sec. VI-B: damped sinusoids of varying frequency and duration in white noise at 20 dB SNR (1 s at 8 kHz). The paper also learns the frame positions there; by default this page learns θ per frame at fixed hops; choose "Frame positions: learned" to learn the hops too (with the coverage penalty).',
    guide:
      'Each shock is a short click that rings at its own frequency. Short windows catch the click, long ones its ringing tone: watch θ dip at every shock and rise in between, and the dots tighten in the after panel.',
    make: () => exampleSignal('vi-b'),
    settings: { nFft: 512, hop: 32, theta: 256, loss: 'kurtosis', lr: 8 },
  },
  {
    id: 'vibration',
    label: 'VI-C: vibration in flight',
    description:
      'Paper Sec. VI-C: harmonics (orders 1–15, a strong 10th) of a shaft speed that runs up, cruises and manoeuvres, in white noise at 10 dB SNR (20 s at 2 kHz).',
    guide:
      'Before: at θ = 128 the 15 harmonics of the shaft speed merge into a blur. One longer window for the whole flight (θ ≈ 780) separates them into curves that follow the speed; the strong 10th order stands out.',
    make: () => exampleSignal('vibration'),
    // one θ for the whole flight: the short start window merges the harmonics, θ ≈ 780 separates them
    settings: { windowMode: 'constant', nFft: 1024, hop: 128, theta: 128, lr: 20 },
  },
  {
    id: 'chirp',
    label: 'Accelerating chirp',
    description: 'A chirp from 500 Hz whose sweep rate grows with time (f = 500 + 3000 t³ Hz, 1 s at 8 kHz).',
    guide:
      'A slowly sweeping tone wants a long window, a fast sweep a short one. Watch θ per frame fall with time as the sweep speeds up: the curve stays thin from start to end.',
    make: () => exampleSignal('accelerating-chirp'),
    // hop 16 so that θ may fall to 2·hop = 32 where the sweep is fast
    settings: { nFft: 512, hop: 16, theta: 64, lr: 10 },
  },
];

/** The settings a signal starts with. */
export function settingsFor(entry: SignalEntry): DemoSettings {
  return { ...DEFAULT_SETTINGS, ...(entry.settings ?? {}) };
}
