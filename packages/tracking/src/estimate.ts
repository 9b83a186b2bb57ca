/**
 * The differentiable frequency estimate (paper Eq. 34) and the tracking loss (Eq. 33), with analytic gradients.
 *
 *   f̂_n = Δf · Σ_{m∈B} m S[m,n] / Σ_{m∈B} S[m,n],   Δf = sampleRate / nFft,  B = the bins of the band
 *   ℒ = 1/(batch·T) Σ_b Σ_n (f̂_{b,n} / k − f_{b,n})²   (k: harmonic order, 1 by default)
 *
 * ∂f̂_n/∂S[m,n] = (m Δf − f̂_n) / Σ_{m'∈B} S[m',n] inside the band, 0 outside.
 */
import { ParameterError, ShapeError, type SpecView } from '@dstft/core';

/** Which bins the estimate uses: all, or those whose frequency is inside [low, high] Hz. */
export interface BandOptions {
  /** Frequency band [low, high] in Hz (inclusive). Default: every bin. */
  band?: readonly [number, number];
}

/**
 * Options of {@link frequencyEstimate}: the band (Hz), the sample rate (Hz) and nFft, which give each bin's
 * frequency.
 */
export interface EstimateOptions extends BandOptions {
  readonly sampleRate: number;
  readonly nFft: number;
}

/** The bin range [m0, m1] (inclusive) of a band. Throws when the band holds no bin. */
export function bandBins(freqs: number, sampleRate: number, nFft: number, band?: readonly [number, number]): [number, number] {
  if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) throw new ParameterError('sampleRate', sampleRate, 'expected a finite sample rate > 0 Hz', 'pass the signal’s sample rate');
  if (!Number.isInteger(nFft) || nFft < 2) throw new ParameterError('nFft', nFft, 'expected a whole number ≥ 2', 'pass the transform’s nFft');
  if (band === undefined) return [0, freqs - 1];
  if (!Array.isArray(band) || band.length !== 2 || !Number.isFinite(band[0]) || !Number.isFinite(band[1]) || band[0] > band[1]) {
    throw new ParameterError('band', band, 'expected [low, high] in Hz with low ≤ high', 'pass e.g. [50, 400]');
  }
  const df = sampleRate / nFft;
  const m0 = Math.max(0, Math.ceil(band[0] / df - 1e-9));
  const m1 = Math.min(freqs - 1, Math.floor(band[1] / df + 1e-9));
  if (m0 > m1) {
    throw new ParameterError('band', band, `holds no frequency bin (bins are ${df} Hz apart, up to ${(freqs - 1) * df} Hz)`, 'widen the band');
  }
  return [m0, m1];
}

function checkSpec(spec: SpecView): void {
  if (!(spec.data instanceof Float64Array) || spec.data.length !== spec.batch * spec.freqs * spec.frames) {
    throw new ShapeError('spec.data', spec.data, `expected batch·freqs·frames = ${spec.batch * spec.freqs * spec.frames} values`, 'pass the S of a forward result');
  }
}

/**
 * f̂ per frame and signal (Hz), `[batch, frames]` row-major; also returns each frame's in-band sum
 * (the denominators, needed by the gradient).
 */
export function frequencyEstimate(spec: SpecView, options: EstimateOptions, out?: Float64Array, sums?: Float64Array): { estimate: Float64Array; sums: Float64Array } {
  checkSpec(spec);
  const { batch, freqs: F, frames: T, data } = spec;
  const [m0, m1] = bandBins(F, options.sampleRate, options.nFft, options.band);
  const df = options.sampleRate / options.nFft;
  const est = out ?? new Float64Array(batch * T);
  const den = sums ?? new Float64Array(batch * T);
  if (est.length !== batch * T || den.length !== batch * T) throw new ShapeError('out', est, `expected length batch·frames = ${batch * T}`, 'allocate [batch, frames]');
  est.fill(0);
  den.fill(0);
  for (let b = 0; b < batch; b++) {
    const base = b * F * T;
    const row = b * T;
    for (let m = m0; m <= m1; m++) {
      const off = base + m * T;
      for (let n = 0; n < T; n++) {
        const s = data[off + n];
        est[row + n] += m * s;
        den[row + n] += s;
      }
    }
    for (let n = 0; n < T; n++) {
      const d = den[row + n];
      if (!(d > 0)) {
        throw new ParameterError('spec', `signal ${b}, frame ${n}`, 'the spectrogram is zero (or negative) over the whole band, so the frequency estimate is undefined', 'use eps > 0 in the transform, or a wider band');
      }
      est[row + n] = (df * est[row + n]) / d;
    }
  }
  return { estimate: est, sums: den };
}

/**
 * Backward of `frequencyEstimate`: given ∂ℒ/∂f̂ `[batch, frames]`, writes ∂ℒ/∂S (every entry) into `gradS`.
 */
export function frequencyEstimateBackward(
  spec: SpecView,
  options: EstimateOptions,
  estimate: Float64Array,
  sums: Float64Array,
  gradEstimate: Float64Array,
  gradS: Float64Array,
): void {
  const { batch, freqs: F, frames: T } = spec;
  if (gradS.length !== spec.data.length) throw new ShapeError('gradS', gradS, `expected length ${spec.data.length}`, 'pass a buffer shaped like S');
  const [m0, m1] = bandBins(F, options.sampleRate, options.nFft, options.band);
  const df = options.sampleRate / options.nFft;
  gradS.fill(0);
  for (let b = 0; b < batch; b++) {
    const base = b * F * T;
    const row = b * T;
    for (let m = m0; m <= m1; m++) {
      const off = base + m * T;
      const fm = m * df;
      for (let n = 0; n < T; n++) gradS[off + n] = (gradEstimate[row + n] * (fm - estimate[row + n])) / sums[row + n];
    }
  }
}

/** Options of {@link trackingLoss}: those of the estimate plus the harmonic order compared with the truth. */
export interface TrackingLossOptions extends EstimateOptions {
  /** Harmonic order k: the estimate divided by k is compared with the truth (the fundamental). Default 1. */
  readonly order?: number;
}

/**
 * Tracking MSE (Eq. 33) of a spectrogram batch against the true frequency per frame `truth` `[batch, frames]`
 * (Hz): mean over signals and frames of (f̂/k − f)². When `gradS` is given, writes ∂ℒ/∂S into it.
 * `scratch` (3 buffers of batch·frames) avoids allocation in training loops.
 */
export function trackingLoss(
  spec: SpecView,
  truth: Float64Array,
  options: TrackingLossOptions,
  gradS: Float64Array | null = null,
  scratch?: { estimate: Float64Array; sums: Float64Array; grad: Float64Array },
): number {
  const { batch, frames: T } = spec;
  const BT = batch * T;
  if (!(truth instanceof Float64Array) || truth.length !== BT) {
    throw new ShapeError('truth', truth, `expected the true frequency of every frame of every signal: batch·frames = ${BT} values`, 'sample the truth at the frame centres (sampleAt)');
  }
  const k = options.order ?? 1;
  if (!(k > 0) || !Number.isFinite(k)) throw new ParameterError('order', k, 'expected a harmonic order > 0', 'pass e.g. 10 for the 10th harmonic');
  const s = scratch && scratch.estimate.length === BT ? scratch : { estimate: new Float64Array(BT), sums: new Float64Array(BT), grad: new Float64Array(BT) };
  const { estimate, sums } = frequencyEstimate(spec, options, s.estimate, s.sums);
  let loss = 0;
  for (let i = 0; i < BT; i++) {
    const e = estimate[i] / k - truth[i];
    loss += e * e;
    s.grad[i] = (2 * e) / (k * BT);
  }
  loss /= BT;
  if (gradS) frequencyEstimateBackward(spec, options, estimate, sums, s.grad, gradS);
  return loss;
}
