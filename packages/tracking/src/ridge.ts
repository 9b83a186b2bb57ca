/**
 * Ridge tracking by dynamic programming (Viterbi): the path of bins m_n that maximises
 *
 *   Σ_n s(m_n, n) − λ Σ_{n≥1} (Δf · (m_n − m_{n−1}))²,    s(m, n) = log(S[m,n] / max_{m'} S[m',n])  (or linear)
 *
 * over the bins of a band. The quadratic jump penalty makes each step an exact lower-envelope (generalised
 * distance transform, Felzenszwalb & Huttenlocher 2012) in O(F) per frame, so a whole track costs O(F·T); with a
 * hard `maxJump` the step is a windowed search, O(F·J). The frequency of each frame is refined by parabolic
 * interpolation of the log-spectrum around the chosen bin, then divided by the harmonic order.
 */
import { ParameterError, ShapeError, type SpecView } from '@dstft/core';
import { bandBins } from './estimate.js';

export interface RidgeOptions {
  /** Sample rate of the signal (Hz). */
  readonly sampleRate: number;
  /** FFT size of the transform (bins are sampleRate / nFft apart). */
  readonly nFft: number;
  /**
   * Band [low, high] (Hz) the ridge stays in. With `order` k, give the band of the k-th harmonic (e.g. k times
   * the shaft-speed range). Default: every bin.
   */
  readonly band?: readonly [number, number];
  /** Harmonic order k: the tracked frequency is divided by k (the fundamental). Default 1. */
  readonly order?: number;
  /** λ of the jump penalty, per Hz² (a jump of J Hz between frames costs λ J²). Default 1e-3. */
  readonly jumpPenalty?: number;
  /** Optional hard limit on the jump between consecutive frames, in Hz. */
  readonly maxJump?: number;
  /** Score of a bin: `log` (default, log of the frame-normalised value) or `linear` (S / frame max). */
  readonly score?: 'log' | 'linear';
  /** Parabolic sub-bin refinement of the frequency. Default true. */
  readonly refine?: boolean;
  /** Which signal of a batch. Default 0. */
  readonly signal?: number;
}

/** Outcome of {@link trackRidge}: the chosen bin and refined frequency (Hz) per frame, and the path's score. */
export interface Ridge {
  /** Chosen bin per frame. */
  readonly bins: Int32Array;
  /** Frequency per frame (Hz), refined and divided by the order. */
  readonly frequency: Float64Array;
  /** Objective of the path: Σ score − λ Σ jumps² (higher is better). */
  readonly score: number;
}

const FLOOR = 1e-12;

/** Tracks one ridge through a spectrogram `S [batch, freqs, frames]` (magnitude or power; values > 0). */
export function trackRidge(spec: SpecView, options: RidgeOptions): Ridge {
  const { freqs: F, frames: T, data } = spec;
  if (!(data instanceof Float64Array) || data.length !== spec.batch * F * T) {
    throw new ShapeError('spec.data', data, `expected batch·freqs·frames = ${spec.batch * F * T} values`, 'pass the S of a forward result');
  }
  if (T < 1) throw new ShapeError('spec.frames', T, 'no frames to track', 'transform a longer signal');
  const b = options.signal ?? 0;
  if (!Number.isInteger(b) || b < 0 || b >= spec.batch) throw new ParameterError('signal', b, `expected a signal index in [0, ${spec.batch - 1}]`, 'pick a signal of the batch');
  const order = options.order ?? 1;
  if (!(order > 0) || !Number.isFinite(order)) throw new ParameterError('order', order, 'expected a harmonic order > 0', 'pass e.g. 10');
  const lambda = options.jumpPenalty ?? 1e-3;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new ParameterError('jumpPenalty', lambda, 'expected a finite penalty ≥ 0 (per Hz²)', 'pass e.g. 1e-3');
  const maxJump = options.maxJump;
  if (maxJump !== undefined && (!(maxJump >= 0) || !Number.isFinite(maxJump))) {
    throw new ParameterError('maxJump', maxJump, 'expected a finite jump ≥ 0 Hz', 'pass the largest plausible change of frequency between frames, or leave it out');
  }
  const scoreKind = options.score ?? 'log';
  if (scoreKind !== 'log' && scoreKind !== 'linear') throw new ParameterError('score', scoreKind, 'unknown score', 'use "log" or "linear"');
  const [m0, m1] = bandBins(F, options.sampleRate, options.nFft, options.band);
  const df = options.sampleRate / options.nFft;
  const K = m1 - m0 + 1;
  const w = lambda * df * df; // penalty per bin²
  const base = b * F * T;

  // cost (to minimise) of bin m0 + k at frame n: −score
  const cost = new Float64Array(K);
  const D = new Float64Array(K); // accumulated cost up to the previous frame
  const next = new Float64Array(K);
  const back = new Int32Array(K * T); // argmin predecessor (band index) per frame
  // lower-envelope scratch
  const v = new Int32Array(K);
  const z = new Float64Array(K + 1);
  const arg = new Int32Array(K);
  const minv = new Float64Array(K);
  const jumpBins = maxJump === undefined ? -1 : Math.floor(maxJump / df + 1e-9);

  const frameCost = (n: number): void => {
    let mx = 0;
    for (let k = 0; k < K; k++) mx = Math.max(mx, data[base + (m0 + k) * T + n]);
    if (!(mx > 0)) mx = 1;
    for (let k = 0; k < K; k++) {
      const s = data[base + (m0 + k) * T + n];
      if (!(s >= 0)) throw new ParameterError('spec', `signal ${b}, bin ${m0 + k}, frame ${n}`, `value ${s} is negative or NaN`, 'pass a magnitude or power spectrogram');
      cost[k] = scoreKind === 'log' ? -Math.log(Math.max(s / mx, FLOOR)) : -(s / mx);
    }
  };

  frameCost(0);
  D.set(cost);
  for (let n = 1; n < T; n++) {
    // minv[k] = min_j D[j] + w (k − j)², arg[k] = its j
    if (jumpBins >= 0) {
      for (let k = 0; k < K; k++) {
        let best = Infinity;
        let bj = k;
        const lo = Math.max(0, k - jumpBins);
        const hi = Math.min(K - 1, k + jumpBins);
        for (let j = lo; j <= hi; j++) {
          const c = D[j] + w * (k - j) * (k - j);
          if (c < best) {
            best = c;
            bj = j;
          }
        }
        minv[k] = best;
        arg[k] = bj;
      }
    } else if (w === 0) {
      let best = 0;
      for (let j = 1; j < K; j++) if (D[j] < D[best]) best = j;
      minv.fill(D[best]);
      arg.fill(best);
    } else {
      lowerEnvelope(D, w, K, v, z, minv, arg);
    }
    frameCost(n);
    for (let k = 0; k < K; k++) {
      next[k] = cost[k] + minv[k];
      back[n * K + k] = arg[k];
    }
    D.set(next);
  }
  // backtrack
  let end = 0;
  for (let k = 1; k < K; k++) if (D[k] < D[end]) end = k;
  const bins = new Int32Array(T);
  let k = end;
  for (let n = T - 1; n >= 0; n--) {
    bins[n] = m0 + k;
    if (n > 0) k = back[n * K + k];
  }
  const refine = options.refine ?? true;
  const frequency = new Float64Array(T);
  for (let n = 0; n < T; n++) {
    const m = bins[n];
    let delta = 0;
    if (refine && m > 0 && m < F - 1) {
      const a = Math.log(Math.max(data[base + (m - 1) * T + n], FLOOR));
      const c0 = Math.log(Math.max(data[base + m * T + n], FLOOR));
      const c = Math.log(Math.max(data[base + (m + 1) * T + n], FLOOR));
      const den = a - 2 * c0 + c;
      if (c0 >= a && c0 >= c && den < 0) delta = (0.5 * (a - c)) / den;
    }
    frequency[n] = ((m + delta) * df) / order;
  }
  return { bins, frequency, score: -D[end] };
}

/**
 * Lower envelope of the parabolas j ↦ D[j] + w (k − j)²: for every k, the minimum over j and its argmin
 * (Felzenszwalb & Huttenlocher's 1-D distance transform, exact, O(K)).
 */
function lowerEnvelope(D: Float64Array, w: number, K: number, v: Int32Array, z: Float64Array, out: Float64Array, arg: Int32Array): void {
  let h = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < K; q++) {
    // pop the parabolas the new one hides (z[0] = −∞ stops the loop at the first)
    let s = intersect(D, w, q, v[h]);
    while (s <= z[h]) {
      h--;
      s = intersect(D, w, q, v[h]);
    }
    h++;
    v[h] = q;
    z[h] = s;
    z[h + 1] = Infinity;
  }
  let j = 0;
  for (let q = 0; q < K; q++) {
    while (z[j + 1] < q) j++;
    const p = v[j];
    out[q] = D[p] + w * (q - p) * (q - p);
    arg[q] = p;
  }
}

function intersect(D: Float64Array, w: number, q: number, p: number): number {
  return (D[q] + w * q * q - (D[p] + w * p * p)) / (2 * w * (q - p));
}

/** Mean squared error between two per-frame frequency tracks (Hz²), optionally over a frame range [from, to). */
export function trackingMse(estimate: ArrayLike<number>, truth: ArrayLike<number>, from = 0, to = estimate.length): number {
  if (estimate.length !== truth.length) {
    throw new ShapeError('truth', `length ${truth.length}`, `expected one true frequency per frame (${estimate.length})`, 'sample the truth at the frame centres (sampleAt)');
  }
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from < to && to <= estimate.length)) {
    throw new ParameterError('from/to', [from, to], `expected 0 ≤ from < to ≤ ${estimate.length}`, 'pass a non-empty frame range');
  }
  let s = 0;
  for (let n = from; n < to; n++) {
    const e = estimate[n] - truth[n];
    s += e * e;
  }
  return s / (to - from);
}
