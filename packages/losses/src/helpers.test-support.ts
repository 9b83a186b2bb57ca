/** Test helpers of @dstft/losses: gradchecks of loss and regularizer plugins through their public `evaluate`. */
import type { LossPlugin, RegularizerInput, RegularizerPlugin, SpecView } from '@dstft/core';
import { createRng, expectGradcheck, type GradcheckResult } from '@dstft/testing';
import { expect } from 'vitest';

/** A random spectrogram, entries in [lo, hi) (strictly positive by default). */
export function randomSpec(seed: number, batch: number, freqs: number, frames: number, lo = 0.05, hi = 2): SpecView {
  const rng = createRng(seed);
  return { data: rng.fill(new Float64Array(batch * freqs * frames), lo, hi), batch, freqs, frames };
}

/** A spectrogram spanning several decades (log-normal entries), closer to real |X|^p. */
export function logNormalSpec(seed: number, batch: number, freqs: number, frames: number, sigma = 2): SpecView {
  const rng = createRng(seed);
  const data = new Float64Array(batch * freqs * frames);
  for (let i = 0; i < data.length; i++) data[i] = Math.exp(sigma * rng.normal());
  return { data, batch, freqs, frames };
}

/**
 * Gradchecks a loss at `spec`: the analytic gradient (every entry must be written: the buffer starts as NaN)
 * against central differences of the value; also checks the value is the same with and without a gradient.
 */
export function gradcheckLoss<O>(plugin: LossPlugin<O>, spec: SpecView, options: O, step?: number): GradcheckResult {
  const grad = new Float64Array(spec.data.length).fill(Number.NaN);
  const params = Float64Array.from(spec.data);
  const value = plugin.evaluate({ ...spec, data: params }, grad, options);
  expect(plugin.evaluate({ ...spec, data: params }, null, options)).toBe(value);
  for (let i = 0; i < grad.length; i++) expect(Number.isFinite(grad[i]), `grad[${i}] = ${grad[i]}`).toBe(true);
  return expectGradcheck({
    f: (p) => plugin.evaluate({ ...spec, data: p }, null, options),
    grad,
    params,
    ...(step === undefined ? {} : { step }),
  });
}

export interface ThetaLayout {
  readonly rows: number;
  readonly cols: number;
}

/** θ layouts of a transform with F bins and T frames: constant, time-varying, frequency-varying, TF. */
export function layouts(F: number, T: number): ThetaLayout[] {
  return [
    { rows: 1, cols: 1 },
    { rows: 1, cols: T },
    { rows: F, cols: 1 },
    { rows: F, cols: T },
  ];
}

export function makeInput(theta: Float64Array, layout: ThetaLayout, positions: Float64Array, signalLength: number, nFft = 64): RegularizerInput {
  return { theta: { data: theta, rows: layout.rows, cols: layout.cols }, positions, signalLength, nFft };
}

/**
 * Gradchecks a regularizer w.r.t. θ and the positions together. The gradient buffers start with random values,
 * so this also checks that `evaluate` ADDS its gradient (and touches nothing else).
 */
export function gradcheckRegularizer<O>(plugin: RegularizerPlugin<O>, input: RegularizerInput, options: O, seed = 1, step?: number): GradcheckResult {
  const nt = input.theta.data.length;
  const T = input.positions.length;
  const rng = createRng(seed);
  const g0 = rng.fill(new Float64Array(nt + T));
  const gTheta = g0.slice(0, nt);
  const gPos = g0.slice(nt);
  const value = plugin.evaluate(input, { theta: gTheta, positions: gPos }, options);
  expect(plugin.evaluate(input, null, options)).toBe(value);
  const grad = new Float64Array(nt + T);
  for (let i = 0; i < nt; i++) grad[i] = gTheta[i] - g0[i];
  for (let i = 0; i < T; i++) grad[nt + i] = gPos[i] - g0[nt + i];
  const params = new Float64Array(nt + T);
  params.set(input.theta.data);
  params.set(input.positions, nt);
  const at = (p: Float64Array): RegularizerInput => ({
    ...input,
    theta: { ...input.theta, data: p.subarray(0, nt) },
    positions: p.subarray(nt),
  });
  return expectGradcheck({ f: (p) => plugin.evaluate(at(p), null, options), grad, params, ...(step === undefined ? {} : { step }) });
}
