/**
 * What the worker computes, without any worker plumbing (so Node runs exactly the same code for the
 * browser-versus-Node measurement).
 */
import {
  chirpToneBurst,
  createDstft,
  createObjective,
  createOptimization,
  optimizeConstantTheta,
  thetaShape,
  type CreateDstftExtras,
  type Dstft,
  type StftResult,
} from '@dstft/dstft';
import type { BenchResult, FftInfo, SpecData, ThetaData } from './protocol.js';
import { DEFAULT_SETTINGS, dstftOptions, optimizeOptions, type DemoSettings } from './settings.js';

/** The transform of the settings; `registry` must hold the FFT backend `settings.fft` (see fft.ts) unless it is fftjs. */
export function buildTransform(settings: DemoSettings, signalLength: number, sampleRate: number, registry?: CreateDstftExtras['registry']): Dstft {
  return createDstft(dstftOptions(settings, signalLength, sampleRate), registry ? { registry } : {});
}

/**
 * A copy of a forward result's spectrogram (the transform reuses its buffers), a spare copy for the page's render
 * worker and the peak in dB: the worker does this work so that the page's main thread does not.
 */
export function specData(res: StftResult): SpecData {
  const spec = res.spec.slice(0, res.freqs * res.frames);
  let m = 0;
  for (let i = 0; i < spec.length; i++) if (spec[i]! > m) m = spec[i]!;
  return {
    spec,
    spare: spec.slice(),
    maxDb: m > 0 ? 20 * Math.log10(m) : 0,
    freqs: res.freqs,
    frames: res.frames,
    times: Float64Array.from(res.times),
    frequencies: Float64Array.from(res.frequencies),
  };
}

export function thetaData(dstft: Dstft): ThetaData {
  const { rows, cols } = thetaShape(dstft, dstft.frames);
  return { theta: dstft.params.theta.slice(), rows, cols };
}

export function fftInfo(dstft: Dstft): FftInfo {
  const { fftBackend, path } = dstft.plan;
  return { id: fftBackend.id, precision: fftBackend.precision, used: path === 'fft' };
}

/** The objective (loss + λ·regularizer) at the transform's current parameters: what iteration 0 reports. */
export function objectiveAt(dstft: Dstft, samples: Float64Array, settings: DemoSettings): number {
  // the objective's part of the run's options (createObjective refuses the optimizer's keys)
  const { loss, regularizers } = optimizeOptions(settings);
  return createObjective(dstft, samples, { loss, regularizers }).value();
}

/** The page's default run on the VI-A signal, start to end, and the robust constant-θ search. */
export function benchRuns(): BenchResult[] {
  const { samples, sampleRate } = chirpToneBurst();
  const out: BenchResult[] = [];
  const d = buildTransform(DEFAULT_SETTINGS, samples.length, sampleRate);
  const opt = createOptimization(d, samples, optimizeOptions(DEFAULT_SETTINGS));
  const r = opt.run();
  out.push({
    name: `default run: θ per frame, Adam ${r.iterations} iterations`,
    wallTimeMs: r.wallTimeMs,
    detail: `entropy ${r.initialLoss.toFixed(4)} → ${r.loss.toFixed(4)}, ${r.forward} forward + ${r.backward} backward`,
  });
  const c = createDstft({ nFft: 1024, hop: 64, signalLength: samples.length, sampleRate, thetaMin: 100, thetaMax: 1000 });
  const t0 = performance.now();
  const cr = optimizeConstantTheta(c, samples, { loss: 'shannon' });
  out.push({
    name: 'optimizeConstantTheta (scan + L-BFGS)',
    wallTimeMs: performance.now() - t0,
    detail: `θ = ${cr.theta.toFixed(3)}, ${cr.forward} forward + ${cr.backward} backward`,
  });
  return out;
}
