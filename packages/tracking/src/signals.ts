/**
 * Signal generators with ground truth, seeded and reproducible:
 * - `shaftSpeed` / `vibrationSignal`: a rotating machine whose shaft speed follows a flight-like profile (run-ups,
 *   plateaus, fast manoeuvres), seen through chosen harmonic orders plus white noise (paper Sec. VI-C);
 * - `variablePeriodSines`: noisy sines whose period varies over time, the data set of the task-driven experiment
 *   (paper Sec. VII-A).
 * The truth is the instantaneous frequency per sample, defined as the derivative of the phase: every generator
 * integrates its frequency law into the phase (trapezoid rule), so the signal is exactly `sin(φ)` with
 * `φ' = 2π f`.
 */
import { ParameterError, mulberry32 } from '@dstft/core';

/** One piece of a shaft-speed profile. */
export type SpeedSegment =
  /** Constant speed for `duration` seconds (the speed the previous segment ended at, or `hz`). */
  | { readonly kind: 'hold'; readonly duration: number; readonly hz?: number }
  /** Smooth (raised-cosine) change to `to` Hz over `duration` seconds: zero acceleration at both ends. */
  | { readonly kind: 'ramp'; readonly duration: number; readonly to: number }
  /**
   * Manoeuvre: the speed oscillates around the current one, `depth` Hz peak, `rate` Hz oscillation, for
   * `duration` seconds (a whole number of periods keeps the end speed equal to the start).
   */
  | { readonly kind: 'manoeuvre'; readonly duration: number; readonly depth: number; readonly rate: number };

/**
 * A shaft-speed profile (Hz over time): the starting speed and piecewise segments, as used by
 * {@link vibrationSignal}.
 */
export interface SpeedProfile {
  /** Speed at t = 0, Hz (revolutions per second). */
  readonly start: number;
  readonly segments: readonly SpeedSegment[];
}

/**
 * The default flight-like profile (20 s): idle, run-up, cruise, fast manoeuvres, a fast drop, a second cruise with
 * manoeuvres, run-down. Shaft speed between 10 and 29 Hz.
 */
export const FLIGHT_PROFILE: SpeedProfile = {
  start: 12,
  segments: [
    { kind: 'hold', duration: 2 },
    { kind: 'ramp', duration: 3, to: 24 },
    { kind: 'hold', duration: 2.5 },
    { kind: 'manoeuvre', duration: 3, depth: 4, rate: 1 },
    { kind: 'ramp', duration: 1, to: 18 },
    { kind: 'hold', duration: 2.5 },
    { kind: 'manoeuvre', duration: 2, depth: 3, rate: 1.5 },
    { kind: 'hold', duration: 1 },
    { kind: 'ramp', duration: 3, to: 10 },
  ],
};

/** Total duration of a profile, seconds. */
export function profileDuration(profile: SpeedProfile): number {
  return profile.segments.reduce((s, seg) => s + seg.duration, 0);
}

function checkPositive(name: string, v: unknown, fix: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ParameterError(name, v, 'expected a finite number > 0', fix);
  return v;
}

/**
 * Shaft speed (Hz) at every sample of `length` samples at `sampleRate`. After the last segment the speed holds.
 */
export function shaftSpeed(profile: SpeedProfile, sampleRate: number, length: number): Float64Array {
  checkPositive('sampleRate', sampleRate, 'pass the sample rate in Hz, e.g. 2000');
  if (!Number.isInteger(length) || length < 1) throw new ParameterError('length', length, 'expected a whole number of samples ≥ 1', 'pass e.g. 40000');
  checkPositive('profile.start', profile.start, 'start the profile at a positive speed in Hz');
  // segment boundaries
  const ends: number[] = [];
  let acc = 0;
  profile.segments.forEach((seg, k) => {
    checkPositive(`profile.segments[${k}].duration`, seg.duration, 'give each segment a duration in seconds > 0');
    if (seg.kind === 'ramp') checkPositive(`profile.segments[${k}].to`, seg.to, 'ramp to a positive speed in Hz');
    if (seg.kind === 'hold' && seg.hz !== undefined) checkPositive(`profile.segments[${k}].hz`, seg.hz, 'hold a positive speed in Hz');
    if (seg.kind === 'manoeuvre') {
      checkPositive(`profile.segments[${k}].rate`, seg.rate, 'pass the oscillation rate in Hz');
      if (!Number.isFinite(seg.depth) || seg.depth < 0) throw new ParameterError(`profile.segments[${k}].depth`, seg.depth, 'expected a depth ≥ 0 Hz', 'pass the peak speed deviation in Hz');
    }
    if (!['hold', 'ramp', 'manoeuvre'].includes(seg.kind)) {
      throw new ParameterError(`profile.segments[${k}].kind`, seg.kind, 'unknown segment kind', 'use "hold", "ramp" or "manoeuvre"');
    }
    acc += seg.duration;
    ends.push(acc);
  });
  const out = new Float64Array(length);
  let segIndex = 0;
  let segStart = 0;
  let speedAtStart = profile.start;
  const segEndSpeed = (k: number, from: number): number => {
    const seg = profile.segments[k];
    if (seg.kind === 'ramp') return seg.to;
    if (seg.kind === 'hold') return seg.hz ?? from;
    return from + seg.depth * Math.sin(2 * Math.PI * seg.rate * seg.duration);
  };
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    while (segIndex < profile.segments.length && t >= ends[segIndex]) {
      speedAtStart = segEndSpeed(segIndex, speedAtStart);
      segStart = ends[segIndex];
      segIndex++;
    }
    if (segIndex >= profile.segments.length) {
      out[i] = speedAtStart;
      continue;
    }
    const seg = profile.segments[segIndex];
    const u = t - segStart;
    let f: number;
    if (seg.kind === 'hold') f = seg.hz ?? speedAtStart;
    else if (seg.kind === 'ramp') f = speedAtStart + (seg.to - speedAtStart) * 0.5 * (1 - Math.cos((Math.PI * u) / seg.duration));
    else f = speedAtStart + seg.depth * Math.sin(2 * Math.PI * seg.rate * u);
    if (!(f > 0)) {
      throw new ParameterError(`profile.segments[${segIndex}]`, seg, `the shaft speed reaches ${f} Hz at t = ${t} s`, 'keep the speed positive (smaller manoeuvre depth)');
    }
    out[i] = f;
  }
  return out;
}

/** Integrates a frequency law (Hz per sample) into a phase (radians), trapezoid rule, φ[0] = phase0. */
export function integratePhase(frequency: Float64Array, sampleRate: number, phase0 = 0, out = new Float64Array(frequency.length)): Float64Array {
  let phi = phase0;
  const k = Math.PI / sampleRate;
  for (let i = 0; i < frequency.length; i++) {
    if (i > 0) phi += k * (frequency[i - 1] + frequency[i]);
    out[i] = phi;
  }
  return out;
}

/** Adds white Gaussian noise to `x` in place, at `snrDb` dB relative to x's mean power; returns the noise std. */
export function addWhiteNoise(x: Float64Array, snrDb: number, rand: () => number): number {
  if (!Number.isFinite(snrDb)) throw new ParameterError('snrDb', snrDb, 'expected a finite SNR in dB', 'pass e.g. 10 (to add no noise, do not call addWhiteNoise; generators take snrDb: null)');
  let power = 0;
  for (let i = 0; i < x.length; i++) power += x[i] * x[i];
  power /= x.length;
  const std = Math.sqrt(power / 10 ** (snrDb / 10));
  for (let i = 0; i < x.length; i += 2) {
    // Box-Muller: two normals from two uniforms
    const u1 = Math.max(rand(), 1e-300);
    const u2 = rand();
    const r = Math.sqrt(-2 * Math.log(u1));
    x[i] += std * r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < x.length) x[i + 1] += std * r * Math.sin(2 * Math.PI * u2);
  }
  return std;
}

/** One harmonic of a vibration signal: its order k (frequency k × shaft speed) and amplitude. */
export interface Harmonic {
  /** Harmonic order k: frequency k · shaft speed. */
  readonly order: number;
  readonly amplitude: number;
}

/**
 * The default harmonics: a decaying series with a strong 10th order (a gear mesh, say), whose 9th and 11th
 * neighbours are 1 shaft-speed away, so the window length matters.
 */
export const DEFAULT_HARMONICS: readonly Harmonic[] = [
  { order: 1, amplitude: 1 },
  { order: 2, amplitude: 0.6 },
  { order: 3, amplitude: 0.4 },
  { order: 4, amplitude: 0.3 },
  { order: 6, amplitude: 0.2 },
  { order: 9, amplitude: 0.25 },
  { order: 10, amplitude: 0.8 },
  { order: 11, amplitude: 0.25 },
  { order: 15, amplitude: 0.15 },
];

/** Options of {@link vibrationSignal}: sample rate (Hz), speed profile, length, harmonics, SNR (dB) and seed. */
export interface VibrationOptions {
  /** Samples per second. Default 2000 Hz. */
  sampleRate?: number;
  /** Shaft-speed profile. Default `FLIGHT_PROFILE` (20 s). */
  profile?: SpeedProfile;
  /** Length in samples. Default: the profile's duration. */
  length?: number;
  /** Harmonic orders and amplitudes. Default `DEFAULT_HARMONICS`. */
  harmonics?: readonly Harmonic[];
  /** White-noise SNR in dB relative to the harmonics' power; `null` for no noise. Default 10 dB. */
  snrDb?: number | null;
  /** Seed of the harmonic phases and the noise. Default 1. */
  seed?: number;
}

/** A synthetic vibration signal with ground truth: the samples, their rate (Hz) and the shaft speed (Hz) per sample. */
export interface VibrationSignal {
  readonly signal: Float64Array;
  readonly sampleRate: number;
  /** Shaft speed per sample, Hz: the instantaneous frequency of harmonic k is k times this. */
  readonly shaftHz: Float64Array;
  readonly harmonics: readonly Harmonic[];
  readonly snrDb: number | null;
  readonly seed: number;
  /** Standard deviation of the added noise (0 without noise). */
  readonly noiseStd: number;
  /** Instantaneous frequency (Hz) of harmonic order k at every sample. */
  instantaneousFrequency(order: number): Float64Array;
}

/**
 * A multi-harmonic vibration signal: `Σ_k a_k sin(k φ(t) + ψ_k)` with `φ' = 2π · shaft speed`, random phases
 * ψ_k, plus white Gaussian noise at `snrDb`. Defaults: 20 s at 2 kHz, the flight profile, `DEFAULT_HARMONICS`,
 * 10 dB, seed 1.
 */
export function vibrationSignal(options: VibrationOptions = {}): VibrationSignal {
  const sampleRate = options.sampleRate ?? 2000;
  const profile = options.profile ?? FLIGHT_PROFILE;
  const length = options.length ?? Math.round(profileDuration(profile) * sampleRate);
  const harmonics = options.harmonics ?? DEFAULT_HARMONICS;
  const snrDb = options.snrDb === undefined ? 10 : options.snrDb;
  const seed = options.seed ?? 1;
  if (!Array.isArray(harmonics) || harmonics.length === 0) {
    throw new ParameterError('harmonics', harmonics, 'expected a non-empty list of { order, amplitude }', 'pass e.g. [{ order: 1, amplitude: 1 }]');
  }
  const shaftHz = shaftSpeed(profile, sampleRate, length);
  harmonics.forEach((h, k) => {
    checkPositive(`harmonics[${k}].order`, h.order, 'use a harmonic order > 0');
    if (!Number.isFinite(h.amplitude)) throw new ParameterError(`harmonics[${k}].amplitude`, h.amplitude, 'expected a finite amplitude', 'pass e.g. 0.5');
    let max = 0;
    for (let i = 0; i < length; i++) max = Math.max(max, h.order * shaftHz[i]);
    if (max >= sampleRate / 2) {
      throw new ParameterError(`harmonics[${k}].order`, h.order, `reaches ${max} Hz, at or above the Nyquist frequency ${sampleRate / 2} Hz`, 'raise sampleRate or drop the harmonic');
    }
  });
  const rand = mulberry32(seed);
  const phi = integratePhase(shaftHz, sampleRate);
  const signal = new Float64Array(length);
  for (const h of harmonics) {
    const psi = 2 * Math.PI * rand();
    for (let i = 0; i < length; i++) signal[i] += h.amplitude * Math.sin(h.order * phi[i] + psi);
  }
  const noiseStd = snrDb === null ? 0 : addWhiteNoise(signal, snrDb, rand);
  return {
    signal,
    sampleRate,
    shaftHz,
    harmonics,
    snrDb,
    seed,
    noiseStd,
    instantaneousFrequency(order: number): Float64Array {
      checkPositive('order', order, 'pass a harmonic order > 0');
      return shaftHz.map((f) => order * f);
    },
  };
}

/**
 * Options of {@link variablePeriodSines}: length (samples), sample rate (Hz), and the ranges the centre frequency,
 * deviation, modulation rate (Hz) and SNR (dB) of each example are drawn from.
 */
export interface VariablePeriodOptions {
  /** Samples per signal. Default 2048. */
  length?: number;
  /** Default 1000 Hz. */
  sampleRate?: number;
  /** Range of the centre frequency f0, Hz. Default [100, 350]. */
  centre?: readonly [number, number];
  /** Range of the frequency deviation Δ (peak), Hz. Default [10, 60]. */
  deviation?: readonly [number, number];
  /** Range of the modulation rate (how fast the period changes), Hz. Default [0.25, 1.5]. */
  rate?: readonly [number, number];
  /** Range of the SNR, dB (uniform). Default [-5, 5]. */
  snrDb?: readonly [number, number];
}

/** One noisy sine of variable period with its truth. */
export interface VariablePeriodExample {
  readonly signal: Float64Array;
  /** Instantaneous frequency per sample, Hz. */
  readonly frequency: Float64Array;
  readonly sampleRate: number;
  /** The drawn law: f(t) = centre + deviation · sin(2π rate t + phase). */
  readonly law: { readonly centre: number; readonly deviation: number; readonly rate: number; readonly phase: number; readonly snrDb: number };
}

function checkRange(name: string, r: readonly [number, number] | undefined, fallback: readonly [number, number]): readonly [number, number] {
  if (r === undefined) return fallback;
  if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || r[0] > r[1]) {
    throw new ParameterError(name, r, 'expected [low, high] with low ≤ high, both finite', `pass e.g. [${fallback[0]}, ${fallback[1]}]`);
  }
  return r;
}

/**
 * `count` noisy sines of variable period: frequency `f0 + Δ sin(2π r t + ψ)` with f0, Δ, r, ψ and the SNR drawn
 * uniformly from their ranges (seeded). Fast period changes favour short windows, noise favours long ones: the
 * tracking loss has an interior optimum in θ.
 */
export function variablePeriodSines(count: number, seed: number, options: VariablePeriodOptions = {}): VariablePeriodExample[] {
  if (!Number.isInteger(count) || count < 1) throw new ParameterError('count', count, 'expected a whole number ≥ 1', 'pass e.g. 64');
  if (!Number.isFinite(seed)) throw new ParameterError('seed', seed, 'expected a finite number', 'pass e.g. 1');
  const length = options.length ?? 2048;
  const sampleRate = options.sampleRate ?? 1000;
  if (!Number.isInteger(length) || length < 2) throw new ParameterError('length', length, 'expected a whole number ≥ 2', 'pass e.g. 2048');
  checkPositive('sampleRate', sampleRate, 'pass the sample rate in Hz');
  const centre = checkRange('centre', options.centre, [100, 350]);
  const deviation = checkRange('deviation', options.deviation, [10, 60]);
  const rate = checkRange('rate', options.rate, [0.25, 1.5]);
  const snr = checkRange('snrDb', options.snrDb, [-5, 5]);
  if (centre[1] + deviation[1] >= sampleRate / 2 || centre[0] - deviation[1] <= 0) {
    throw new ParameterError('centre', centre, `with deviation up to ${deviation[1]} Hz the frequency leaves (0, ${sampleRate / 2}) Hz`, 'narrow the ranges or raise sampleRate');
  }
  const rand = mulberry32(seed);
  const draw = (r: readonly [number, number]): number => r[0] + (r[1] - r[0]) * rand();
  const out: VariablePeriodExample[] = [];
  for (let e = 0; e < count; e++) {
    const law = { centre: draw(centre), deviation: draw(deviation), rate: draw(rate), phase: 2 * Math.PI * rand(), snrDb: draw(snr) };
    const frequency = new Float64Array(length);
    for (let i = 0; i < length; i++) frequency[i] = law.centre + law.deviation * Math.sin(2 * Math.PI * law.rate * (i / sampleRate) + law.phase);
    const phi = integratePhase(frequency, sampleRate, 2 * Math.PI * rand());
    const signal = new Float64Array(length);
    for (let i = 0; i < length; i++) signal[i] = Math.sin(phi[i]);
    addWhiteNoise(signal, law.snrDb, rand);
    out.push({ signal, frequency, sampleRate, law });
  }
  return out;
}

/**
 * A per-sample law sampled at (fractional) sample positions, by linear interpolation; positions outside
 * [0, length − 1] take the end values (frames centred before the first or after the last sample).
 */
export function sampleAt(law: Float64Array, positions: Float64Array, out = new Float64Array(positions.length)): Float64Array {
  const last = law.length - 1;
  for (let n = 0; n < positions.length; n++) {
    const p = positions[n];
    if (!(p > 0)) out[n] = law[0];
    else if (p >= last) out[n] = law[last];
    else {
      const i = Math.floor(p);
      const a = p - i;
      out[n] = law[i] + a * (law[i + 1] - law[i]);
    }
  }
  return out;
}
