/**
 * The frequency-tracking task (paper Sec. VII-A) as a plugin of kind `task`: the tracking MSE (Eq. 33) of the
 * frequency estimate (Eq. 34) against each signal's true instantaneous frequency at the frame centres, and a seeded
 * data set of noisy variable-period sines.
 */
import { API_VERSION, ParameterError, markBuiltin, readPluginOptions, type Preset, type TaskExample, type TaskLossInput, type TaskPlugin } from '@dstft/core';
import { trackingLoss } from './estimate.js';
import { sampleAt, variablePeriodSines } from './signals.js';

/** Ground truth of one signal: its instantaneous frequency at every sample (Hz). */
export interface FrequencyTarget {
  readonly frequency: Float64Array;
}

/**
 * Options of the `frequency-tracking` task: band (Hz) and harmonic order of the estimate, and the synthetic data set
 * (length, sample rate, and the ranges of centre frequency, deviation, modulation rate and SNR).
 */
export interface FrequencyTrackingOptions {
  /** Band [low, high] (Hz) of the estimate; `null` = every bin. */
  readonly band: readonly [number, number] | null;
  /** Harmonic order k: the estimate divided by k is compared with the target. */
  readonly order: number;
  /** Data set generation (`generate`): samples per signal, sample rate, ranges (see `variablePeriodSines`). */
  readonly length: number;
  readonly sampleRate: number;
  readonly centre: readonly [number, number];
  readonly deviation: readonly [number, number];
  readonly rate: readonly [number, number];
  readonly snrDb: readonly [number, number];
}

/** The defaults of the `frequency-tracking` task's options. */
export const FREQUENCY_TRACKING_DEFAULTS: FrequencyTrackingOptions = Object.freeze({
  band: null,
  order: 1,
  length: 2048,
  sampleRate: 1000,
  centre: [100, 350] as const,
  deviation: [10, 60] as const,
  rate: [0.25, 1.5] as const,
  snrDb: [-5, 5] as const,
});

const ID = 'frequency-tracking';

function resolve(options: unknown): FrequencyTrackingOptions {
  const get = readPluginOptions(ID, options, FREQUENCY_TRACKING_DEFAULTS);
  const order = get('order');
  if (typeof order !== 'number' || !(order > 0) || !Number.isFinite(order)) throw new ParameterError('options.order', order, 'expected a harmonic order > 0', 'pass e.g. 1');
  return {
    band: get('band') as FrequencyTrackingOptions['band'],
    order,
    length: get('length') as number,
    sampleRate: get('sampleRate') as number,
    centre: get('centre') as FrequencyTrackingOptions['centre'],
    deviation: get('deviation') as FrequencyTrackingOptions['deviation'],
    rate: get('rate') as FrequencyTrackingOptions['rate'],
    snrDb: get('snrDb') as FrequencyTrackingOptions['snrDb'],
  };
}

// scratch reused across calls of the same shape (JS runs one call at a time per thread)
let scratch = { truth: new Float64Array(0), estimate: new Float64Array(0), sums: new Float64Array(0), grad: new Float64Array(0) };

/**
 * The `frequency-tracking` task plugin: the MSE (Hz²) between the spectrogram's per-frame mean frequency (paper Eq.
 * 34) and the true instantaneous frequency (Eq. 33), with its gradient and a seeded synthetic data set.
 */
export const frequencyTracking: TaskPlugin<FrequencyTarget, Partial<FrequencyTrackingOptions>> = markBuiltin({
  kind: 'task',
  id: ID,
  apiVersion: API_VERSION,
  description: 'frequency tracking: MSE (Hz²) of the spectrogram’s per-frame mean frequency against the true instantaneous frequency (paper Eq. 33-34)',
  defaults: FREQUENCY_TRACKING_DEFAULTS,
  loss(input: TaskLossInput<FrequencyTarget>, grad: Float64Array | null, options: Partial<FrequencyTrackingOptions>): number {
    const o = resolve(options);
    const { spec, positions, targets } = input;
    const T = spec.frames;
    const BT = spec.batch * T;
    if (targets.length !== spec.batch) {
      throw new ParameterError('targets', `length ${targets.length}`, `expected one target per signal of the batch (${spec.batch})`, 'pass the examples’ targets in batch order');
    }
    if (positions.length !== T) throw new ParameterError('positions', `length ${positions.length}`, `expected one frame centre per frame (${T})`, 'pass the forward result’s positions');
    if (scratch.truth.length !== BT) scratch = { truth: new Float64Array(BT), estimate: new Float64Array(BT), sums: new Float64Array(BT), grad: new Float64Array(BT) };
    for (let b = 0; b < spec.batch; b++) {
      const f = targets[b]?.frequency;
      if (!(f instanceof Float64Array)) throw new ParameterError(`targets[${b}].frequency`, f, 'expected the instantaneous frequency per sample (Float64Array, Hz)', 'pass { frequency } for every example');
      sampleAt(f, positions, scratch.truth.subarray(b * T, (b + 1) * T));
    }
    return trackingLoss(
      spec,
      scratch.truth,
      { sampleRate: input.sampleRate, nFft: input.nFft, order: o.order, ...(o.band ? { band: o.band } : {}) },
      grad,
      scratch,
    );
  },
  generate(count: number, seed: number, options: Partial<FrequencyTrackingOptions>): TaskExample<FrequencyTarget>[] {
    const o = resolve(options);
    return variablePeriodSines(count, seed, o).map((e) => ({ signal: e.signal, target: { frequency: e.frequency } }));
  },
});

/** Every task of this package, for `registry.use(trackingPreset)` (the umbrella's default registry has it). */
export const trackingPreset: Preset = { name: '@dstft/tracking', plugins: [frequencyTracking] };
