/** Messages between the page and the optimization worker. Typed arrays are transferred, not copied. */
import type { DemoSettings } from './settings.js';

/** A spectrogram as the figures need it: magnitudes row-major [freqs][frames], with the axes. */
export interface SpecData {
  readonly spec: Float64Array;
  /**
   * A second copy of `spec`, made by the worker, that the page hands on to the render worker (transferred, once)
   * instead of copying 1-4 MB on its main thread; undefined once given away, or when the page made this SpecData.
   */
  spare?: Float64Array | undefined;
  /** The largest magnitude in dB (20·log10; 0 for an all-zero spectrogram), computed by the worker. */
  readonly maxDb: number;
  readonly freqs: number;
  readonly frames: number;
  readonly times: Float64Array;
  readonly frequencies: Float64Array;
}

/** θ with its layout: constant 1×1, time 1×T, time-frequency F×T (row-major). */
export interface ThetaData {
  readonly theta: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

export type ToWorker =
  | { type: 'preview'; runId: number; samples: Float64Array; sampleRate: number; settings: DemoSettings }
  | { type: 'start'; runId: number; samples: Float64Array; sampleRate: number; settings: DemoSettings }
  | { type: 'stop'; runId: number }
  | { type: 'constant-optimum'; runId: number; samples: Float64Array; sampleRate: number; settings: DemoSettings }
  | { type: 'bench'; runId: number };

/** The transform's FFT backend: its registry id (what `toJSON()` records), precision, and whether it is used. */
export interface FftInfo {
  readonly id: string;
  readonly precision: 'float32' | 'float64';
  /** False on the DFT path (window mode time-frequency), which sums in float64 whatever the backend. */
  readonly used: boolean;
}

export interface ErrorInfo {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

export type FromWorker =
  | { type: 'preview'; runId: number; before: SpecData; theta: ThetaData; loss: number; fft: FftInfo }
  | {
      type: 'progress';
      runId: number;
      iteration: number;
      loss: number;
      gradNorm: number;
      elapsedMs: number;
      theta: ThetaData;
      /** Sent at most every ~50 ms (and with the last iteration): one extra forward at the current θ. */
      after?: SpecData;
    }
  | {
      type: 'done';
      runId: number;
      initialLoss: number;
      loss: number;
      iterations: number;
      stopReason: string;
      wallTimeMs: number;
      after: SpecData;
      theta: ThetaData;
      fft: FftInfo;
      /** `dstft.toJSON()` at the best parameters: plain options createDstft (and the CLI's --config) accept. */
      params: unknown;
      /** The inverse transform of the optimized spectrogram, and its largest deviation from the input. */
      reconstructed: Float64Array;
      maxError: number;
      uncovered: number;
    }
  | { type: 'constant-optimum'; runId: number; theta: number; loss: number; transforms: number; wallTimeMs: number }
  | { type: 'bench'; runId: number; results: BenchResult[] }
  | { type: 'error'; runId: number; error: ErrorInfo };

export interface BenchResult {
  readonly name: string;
  readonly wallTimeMs: number;
  readonly detail: string;
}
