/**
 * Boundary checks shared by the losses and regularizers: shapes of the spectrogram / parameter views, and
 * option reading (the caller's options merged over the plugin's defaults; a missing field falls back to the
 * default, a present one is validated). Called once per `evaluate`, never inside the numeric loops.
 */
import { ParameterError, ShapeError, readPluginOptions, type RegularizerGrad, type RegularizerInput, type SpecView } from '@dstft/core';

/** Batch reduction of a loss: mean (default) or sum of the per-signal values. */
export type Reduction = 'mean' | 'sum';
export const REDUCTIONS: readonly Reduction[] = Object.freeze(['mean', 'sum']);

/** Reads a plugin's options merged over its defaults (unknown keys are errors with a "did you mean"). */
export const readOptions = readPluginOptions;

export function readReduction(id: string, value: unknown): Reduction {
  if (value !== 'mean' && value !== 'sum') {
    throw new ParameterError(
      'reduction',
      value,
      `the '${id}' loss reduces over the batch by 'mean' or 'sum'`,
      `pass { reduction: 'mean' } (the default: average over signals) or { reduction: 'sum' }`,
    );
  }
  return value;
}

function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/** Checks a spectrogram view (and the gradient buffer); returns F·T, the entries per signal. */
export function checkSpec(id: string, spec: SpecView, grad: Float64Array | null): number {
  if (spec === null || typeof spec !== 'object') {
    throw new ShapeError('spec', spec, `the '${id}' loss takes a spectrogram view { data, batch, freqs, frames }`, 'pass the spectrogram S of a forward result with its shape');
  }
  const { data, batch, freqs, frames } = spec;
  for (const [name, v] of [
    ['spec.batch', batch],
    ['spec.freqs', freqs],
    ['spec.frames', frames],
  ] as const) {
    if (!isPositiveInteger(v)) throw new ShapeError(name, v, 'must be an integer ≥ 1', `pass the spectrogram's shape [batch, freqs, frames]`);
  }
  if (!(data instanceof Float64Array)) {
    throw new ShapeError('spec.data', data, 'expected a Float64Array', 'pass S as a Float64Array [batch, freqs, frames] row-major (convert with Float64Array.from)');
  }
  const per = freqs * frames;
  if (data.length !== batch * per) {
    throw new ShapeError(
      'spec.data',
      data,
      `expected batch·freqs·frames = ${batch}·${freqs}·${frames} = ${batch * per} entries`,
      'pass S laid out [batch, freqs, frames] row-major with the shape it was computed with',
    );
  }
  if (grad !== null) {
    if (!(grad instanceof Float64Array) || grad.length !== data.length) {
      throw new ShapeError('grad', grad, `expected a Float64Array of ${data.length} entries (the layout of spec.data)`, 'pass a buffer shaped like spec.data, or null for the value only');
    }
  }
  return per;
}

/** The error for a spectrogram entry that is negative, NaN or infinite. */
export function badEntry(id: string, data: Float64Array, k: number, per: number, frames: number): ParameterError {
  const b = Math.floor(k / per);
  const r = k - b * per;
  const m = Math.floor(r / frames);
  const n = r - m * frames;
  return new ParameterError(
    `spec.data[${k}]`,
    data[k],
    `the '${id}' loss needs S ≥ 0 and finite; entry (signal ${b}, bin ${m}, frame ${n}) is not`,
    'pass a magnitude or power spectrogram S = |X|^power + eps (non-negative), without NaN / Infinity',
  );
}

/**
 * The error for a signal whose spectrogram sums to 0 (or overflows), for losses that normalize p = S / ΣS per
 * signal. Exported (as `spectrogramSumError`) for code that computes such a loss itself, e.g. @dstft/parallel's
 * fused entropy step, so that the message is the same wherever the loss runs.
 */
export function badSum(id: string, b: number, sum: number): ParameterError {
  return new ParameterError(
    `spec (signal ${b}) ΣS`,
    sum,
    `the '${id}' loss normalizes p = S / ΣS per signal, and signal ${b} of the batch has ${sum === 0 ? 'an all-zero spectrogram' : 'a non-finite sum'}`,
    sum === 0
      ? 'keep eps > 0 in the spectrogram (S = |X|^power + eps), or leave silent signals out of the batch'
      : 'scale the signal down (its spectrogram overflows)',
  );
}

export interface ThetaShape {
  readonly rows: number;
  readonly cols: number;
  /** Frames T = positions.length. */
  readonly frames: number;
}

/**
 * Checks a regularizer input (θ view, positions, signal length) and the gradient buffers. Entries of θ and
 * t_n must be finite. `needFrames`: θ's columns must be 1 or T (coverage reads θ per frame).
 */
export function checkRegularizerInput(id: string, input: RegularizerInput, grad: RegularizerGrad | null, needFrames: boolean): ThetaShape {
  if (input === null || typeof input !== 'object' || input.theta === null || typeof input.theta !== 'object') {
    throw new ShapeError('input', input, `the '${id}' regularizer takes { theta: { data, rows, cols }, positions, signalLength, nFft }`, 'pass the transform\'s current parameters');
  }
  const { data, rows, cols } = input.theta;
  if (!isPositiveInteger(rows)) throw new ShapeError('theta.rows', rows, 'must be an integer ≥ 1', 'pass θ as [rows, cols]: 1×1, 1×T, F×1 or F×T');
  if (!isPositiveInteger(cols)) throw new ShapeError('theta.cols', cols, 'must be an integer ≥ 1', 'pass θ as [rows, cols]: 1×1, 1×T, F×1 or F×T');
  if (!(data instanceof Float64Array) || data.length !== rows * cols) {
    throw new ShapeError('theta.data', data, `expected a Float64Array of rows·cols = ${rows}·${cols} = ${rows * cols} entries`, 'pass θ row-major [rows, cols]');
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new ParameterError(`theta.data[${i}]`, data[i], 'window lengths must be finite', 'replace NaN / Infinity entries of θ');
  }
  const positions = input.positions;
  if (!(positions instanceof Float64Array)) {
    throw new ShapeError('positions', positions, 'expected a Float64Array of frame centres t_n (samples)', 'pass the transform\'s frame positions');
  }
  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i])) throw new ParameterError(`positions[${i}]`, positions[i], 'frame positions must be finite', 'replace NaN / Infinity entries of the positions');
  }
  const frames = positions.length;
  if (needFrames) {
    if (frames < 1) throw new ShapeError('positions', positions, `the '${id}' regularizer needs at least one frame`, 'pass the positions t_n of every frame in use');
    if (cols !== 1 && cols !== frames) {
      throw new ShapeError(
        'theta.cols',
        cols,
        `the '${id}' regularizer reads θ per frame: θ needs 1 column (same length for every frame) or T = ${frames} (one per frame)`,
        'pass θ as 1×1, 1×T, F×1 or F×T with T = positions.length',
      );
    }
    const L = input.signalLength;
    if (typeof L !== 'number' || !Number.isInteger(L) || L < 1) {
      throw new ParameterError('signalLength', L, 'must be an integer ≥ 1 (samples)', 'pass the length L of the signal the transform was built for');
    }
  }
  if (grad !== null) {
    if (grad === undefined || typeof grad !== 'object' || !(grad.theta instanceof Float64Array) || grad.theta.length !== data.length) {
      throw new ShapeError('grad.theta', grad?.theta, `expected a Float64Array of ${data.length} entries (θ's layout)`, 'pass gradient buffers shaped like θ and the positions, or null');
    }
    if (!(grad.positions instanceof Float64Array) || grad.positions.length !== frames) {
      throw new ShapeError('grad.positions', grad.positions, `expected a Float64Array of ${frames} entries (one per frame)`, 'pass gradient buffers shaped like θ and the positions, or null');
    }
  }
  return { rows, cols, frames };
}

/** A finite number, else a ParameterError naming the option. */
export function readFinite(name: string, value: unknown, problem: string, fix: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ParameterError(name, value, problem, fix);
  return value;
}

/** A non-negative integer, else a ParameterError naming the option. */
export function readCount(name: string, value: unknown, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ParameterError(name, value, 'must be an integer ≥ 0', fix);
  }
  return value;
}
