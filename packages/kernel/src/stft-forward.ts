/**
 * The DSTFT forward transform (docs/design.md §4, paper Eq. 6 / Eq. 25):
 *
 *   X[m, n] = e^{-2πi m i_n / N} · Σ_{j=0}^{N-1} x[i_n - c + j] · w(j - c - f_n, θ_{m,n}) · e^{-2πi m j / N}
 *
 * with t_n = i_n + f_n (i_n = floor t_n), c = floor(N/2), samples outside [0, L) read as 0. The window is
 * centred exactly on the real t_n in every mode. FFT path when θ does not depend on m (one real FFT per frame and
 * signal; the window is sampled once per frame and shared by the batch, and reused while (θ, f_n) repeat; the
 * phase factor is folded into the FFT by a circular shift of the frame, see frame-shift.ts);
 * DFT path when it does (one windowed sum per bin and frame). Both write S = |X|^p + eps as they write X.
 */
import { ParameterError, ShapeError, assertSignalBatch } from '@dstft/core';
import { gatherShifted, gatherShiftedF32, modN } from './frame-shift.js';
import { computePositions } from './frames.js';
import type { StftPlan } from './stft-plan.js';
import type { StftParams, StftResult } from './types.js';

/** Checks θ: right length for the mode and T, every entry finite and within [thetaMin, thetaMax]. */
export function validateTheta(plan: StftPlan, theta: Float64Array, frames: number): void {
  const want = plan.thetaLength(frames);
  if (!(theta instanceof Float64Array) || theta.length !== want) {
    const shape =
      plan.windowMode === 'time-frequency' ? `[F=${plan.freqs}][T=${frames}]` : plan.windowMode === 'time' ? `T=${frames}` : plan.windowMode === 'frequency' ? `F=${plan.freqs}` : '1';
    throw new ShapeError('theta', theta, `windowMode "${plan.windowMode}" needs ${want} window length(s) (${shape})`, `pass a Float64Array of length ${want}`);
  }
  const lo = plan.thetaMin;
  const hi = plan.thetaMax;
  for (let i = 0; i < theta.length; i++) {
    const v = theta[i];
    if (!(v >= lo && v <= hi)) {
      const name = theta.length === 1 ? 'theta' : `theta[${i}]`;
      if (!Number.isFinite(v)) throw new ParameterError(name, v, 'not finite', 'pass finite window lengths (samples)');
      if (v <= 0) throw new ParameterError(name, v, 'a window length must be > 0', `pass a length in [${lo}, ${hi}]`);
      if (v > plan.nFft) {
        throw new ParameterError(name, v, `the window is longer than nFft = ${plan.nFft}`, `use θ ≤ ${plan.nFft}, or build the transform with a larger nFft`);
      }
      throw new ParameterError(name, v, `outside the bounds [thetaMin, thetaMax] = [${lo}, ${hi}]`, 'keep θ within the bounds given when the transform was built (or widen them)');
    }
  }
}

/**
 * Validates the per-call parameters (θ shape and bounds, hop / hops / positions) and writes the frame positions
 * t_n into `plan.positionBuffer`. Returns T. Every entry point (forward, adjoint, inverse) starts here.
 */
export function resolveFrames(plan: StftPlan, params: StftParams): number {
  const theta = params?.theta;
  if (!(theta instanceof Float64Array) || theta.length < 1) {
    throw new ShapeError('theta', theta, 'expected a Float64Array of window lengths', 'pass params.theta, e.g. Float64Array.of(256)');
  }
  // θ of the fixed-overlap policy sets the positions: check it before using it.
  if (plan.variableFrames) validateTheta(plan, theta, 1);
  const T = computePositions(plan.positionsConfig, plan.framePolicy, plan.frames, plan.signalLength, params, theta[0], plan.positionBuffer);
  if (!plan.variableFrames) validateTheta(plan, theta, T);
  return T;
}

/**
 * Runs the forward transform of `plan` on a batch of signals `x` (`[batch, L]`, row-major Float64Array).
 * `out`, when given, must come from an earlier call with the same batch and frame count; its arrays are reused.
 */
export function stftForward(plan: StftPlan, x: Float64Array, params: StftParams, out?: StftResult): StftResult {
  const L = plan.signalLength;
  assertSignalBatch('x', x, L);
  const B = x.length / L;
  const T = resolveFrames(plan, params);
  const theta = params.theta;
  const pos = plan.positionBuffer;
  const F = plan.freqs;

  const res = out && out.batch === B && out.frames === T && out.freqs === F ? out : allocateResult(plan, B, T);
  res.positions.set(pos.subarray(0, T));
  const times = res.times;
  for (let n = 0; n < T; n++) times[n] = pos[n] / plan.sampleRate;
  res.theta.set(theta);

  stftForwardFrames(plan, x, B, T, theta, pos, 0, T, res.X, res.spec);
  return res;
}

/**
 * The forward core on frames [n0, n1): writes X[b, ·, n] and S[b, ·, n] = |X|^p + eps for those frames and every
 * signal b, in the `[B, F, T]` layout of `X` (interleaved) and `spec`, which may be longer than 2·B·F·T / B·F·T.
 * Frame positions come from `pos` (t_n, length ≥ n1), not from the plan. No validation: the caller has run
 * `resolveFrames` (or `stftForward`) with the same parameters. Frame ranges are independent, so threads (each with
 * its own plan, since plans own scratch) can split [0, T).
 */
export function stftForwardFrames(
  plan: StftPlan,
  x: Float64Array,
  B: number,
  T: number,
  theta: Float64Array,
  pos: Float64Array,
  n0: number,
  n1: number,
  X: Float64Array,
  spec: Float64Array,
): void {
  if (plan.path === 'fft') forwardFft(plan, x, B, T, theta, pos, n0, n1, X, spec);
  else forwardDft(plan, x, B, T, theta, pos, n0, n1, X, spec);
}

function allocateResult(plan: StftPlan, B: number, T: number): StftResult {
  const F = plan.freqs;
  return {
    batch: B,
    freqs: F,
    frames: T,
    nFft: plan.nFft,
    X: new Float64Array(2 * B * F * T),
    spec: new Float64Array(B * F * T),
    positions: new Float64Array(T),
    times: new Float64Array(T),
    frequencies: plan.frequencies.slice(),
    theta: new Float64Array(plan.thetaLength(T)),
  };
}

/** S = |X|^p + eps, elementwise (the forward computes it as it writes X; kept for callers that hold only X). */
export function magnitude(X: Float64Array, spec: Float64Array, power: number, eps: number): void {
  const n = spec.length;
  for (let k = 0; k < n; k++) {
    const re = X[2 * k];
    const im = X[2 * k + 1];
    spec[k] = specValue(re * re + im * im, power, eps);
  }
}

/** |X|^p + eps from |X|² (the same operations as before the fusion: sqrt for p = 1, none for p = 2). */
function specValue(abs2: number, power: number, eps: number): number {
  if (power === 1) return Math.sqrt(abs2) + eps;
  if (power === 2) return abs2 + eps;
  return Math.pow(abs2, 0.5 * power) + eps;
}

/**
 * FFT path. Signals are the outer loop and frames the inner one, so each signal's X[b] and S[b] are filled frame
 * after frame (bin m of frame n at X[b, m, n]: the lines of consecutive frames are neighbours and stay in cache),
 * instead of every frame writing across the whole batch. Each frame is windowed, circularly shifted by i_n mod N
 * (frame-shift.ts: this IS the phase factor e^{-2πi m i_n/N}) and transformed; X and S = |X|^p + eps are written
 * from the spectrum directly.
 *
 * The window is sampled only when (θ, f_n) changes. A single signal, or a window shared by every frame (one θ and
 * the same f_n everywhere, e.g. an integer hop), runs all frames as one block. Otherwise, with a batch, frames go
 * in blocks of K (plan.blockFrames): signal 0 samples the block's windows and keeps them in the plan's window rows,
 * which the other signals reuse, so no window is sampled more than once per call and frame.
 */
function forwardFft(
  plan: StftPlan,
  x: Float64Array,
  B: number,
  T: number,
  theta: Float64Array,
  pos: Float64Array,
  start: number,
  end: number,
  X: Float64Array,
  S: Float64Array,
): void {
  const N = plan.nFft;
  const F = plan.freqs;
  const L = plan.signalLength;
  const c = plan.center;
  const fw = plan.frameWindow;
  const buf = plan.frameBuffer;
  const spec = plan.spectrumBuffer;
  const fft = plan.fft;
  const direct = N % 2 === 0 && fft.input !== undefined && fft.forwardFromInput !== undefined;
  const rows = plan.blockWindows;
  const rowLo = plan.blockWindowLo;
  const rowHi = plan.blockWindowHi;
  const rowOf = plan.blockWindowOf;
  const power = plan.power;
  const eps = plan.eps;
  const perFrameTheta = theta.length > 1;
  const keepRows = B > 1 && !(theta.length === 1 && sameFraction(pos, start, end));
  const K = keepRows ? plan.blockFrames : end - start;
  const FT = F * T;
  let saved = -1; // fw.version when fw.w was last copied into a row
  for (let n0 = start; n0 < end; n0 += K) {
    const n1 = end - n0 < K ? end : n0 + K;
    let used = 0; // rows of this block holding a window
    for (let b = 0; b < B; b++) {
      const rowStart = b * L;
      for (let n = n0; n < n1; n++) {
        const t = pos[n];
        const i = Math.floor(t);
        let w: Float64Array;
        let lo: number;
        let hi: number;
        if (keepRows && b > 0) {
          const r = rowOf[n - n0];
          w = rows[r];
          lo = rowLo[r];
          hi = rowHi[r];
        } else {
          const f = t - i;
          const th = perFrameTheta ? theta[n] : theta[0];
          fw.sampleCached(th, f);
          w = fw.w;
          lo = fw.lo;
          hi = fw.hi;
          if (keepRows) {
            if (n === n0 || fw.version !== saved) {
              const row = rows[used];
              for (let j = lo; j < hi; j++) row[j] = w[j];
              rowLo[used] = lo;
              rowHi[used] = hi;
              used++;
              saved = fw.version;
            }
            rowOf[n - n0] = used - 1;
          }
        }
        // the window's range clipped to the samples of the signal: p = i - c + j ∈ [0, L); `| 0` keeps the
        // indices int32 (i comes from Math.floor, lo / hi from FrameWindow fields) so the sample loops index cheaply
        const first = (i - c) | 0;
        const jlo = (lo > -first ? lo : -first) | 0;
        let jhi = (hi < L - first ? hi : L - first) | 0;
        if (jhi < jlo) jhi = jlo;
        if (direct) {
          // the backend's own float32 input: no float64 staging buffer, no copy loop in the backend
          gatherShiftedF32(fft.input!, x, rowStart + first, w, jlo, jhi, modN(i, N) | 0);
          fft.forwardFromInput!(spec);
        } else {
          gatherShifted(buf, x, rowStart + first, w, jlo, jhi, modN(i, N) | 0);
          fft.forward(buf, spec);
        }
        writeFrame(spec, X, S, b * FT + n, T, F, power, eps);
      }
    }
  }
}

/**
 * X[b, m, n] and S[b, m, n] = |X|^p + eps for m = 0..F-1 from one frame's spectrum: complex index q + m·T, with
 * q = b·F·T + n. One loop per common power, so that the branch is taken once per frame, not per bin.
 */
function writeFrame(spec: Float64Array, X: Float64Array, S: Float64Array, q: number, T: number, F: number, power: number, eps: number): void {
  if (power === 1) {
    for (let m = 0; m < F; m++) {
      const re = spec[2 * m];
      const im = spec[2 * m + 1];
      X[2 * q] = re;
      X[2 * q + 1] = im;
      S[q] = Math.sqrt(re * re + im * im) + eps;
      q += T;
    }
  } else if (power === 2) {
    for (let m = 0; m < F; m++) {
      const re = spec[2 * m];
      const im = spec[2 * m + 1];
      X[2 * q] = re;
      X[2 * q + 1] = im;
      S[q] = re * re + im * im + eps;
      q += T;
    }
  } else {
    const h = 0.5 * power;
    for (let m = 0; m < F; m++) {
      const re = spec[2 * m];
      const im = spec[2 * m + 1];
      X[2 * q] = re;
      X[2 * q + 1] = im;
      S[q] = Math.pow(re * re + im * im, h) + eps;
      q += T;
    }
  }
}

/** True when every position of frames [start, end) has the same fractional part (so one θ gives one window). */
export function sameFraction(pos: Float64Array, start: number, end: number): boolean {
  const f0 = pos[start] - Math.floor(pos[start]);
  for (let n = start + 1; n < end; n++) if (pos[n] - Math.floor(pos[n]) !== f0) return false;
  return true;
}

function forwardDft(
  plan: StftPlan,
  x: Float64Array,
  B: number,
  T: number,
  theta: Float64Array,
  pos: Float64Array,
  start: number,
  end: number,
  X: Float64Array,
  S: Float64Array,
): void {
  const N = plan.nFft;
  const F = plan.freqs;
  const L = plan.signalLength;
  const c = plan.center;
  const fw = plan.frameWindow;
  const w = fw.w;
  const cosT = plan.cosTable;
  const sinT = plan.sinTable;
  const perFrame = plan.windowMode === 'time-frequency';
  const power = plan.power;
  const eps = plan.eps;
  const FT = F * T;
  for (let n = start; n < end; n++) {
    const t = pos[n];
    const i = Math.floor(t);
    const f = t - i;
    const first = i - c;
    const istep = modN(i, N);
    let kPhase = 0;
    for (let m = 0; m < F; m++) {
      const th = perFrame ? theta[m * T + n] : theta[m];
      fw.sampleCached(th, f);
      let jlo = fw.lo;
      let jhi = fw.hi;
      if (jlo < -first) jlo = -first;
      if (jhi > L - first) jhi = L - first;
      const cp = cosT[kPhase];
      const sp = sinT[kPhase];
      for (let b = 0; b < B; b++) {
        const off = b * L + first;
        let re = 0;
        let im = 0;
        let k = (m * jlo) % N;
        for (let j = jlo; j < jhi; j++) {
          const v = x[off + j] * w[j];
          re += v * cosT[k];
          im -= v * sinT[k];
          k += m;
          if (k >= N) k -= N;
        }
        const q = b * FT + m * T + n;
        const xr = re * cp + im * sp;
        const xi = im * cp - re * sp;
        X[2 * q] = xr;
        X[2 * q + 1] = xi;
        S[q] = specValue(xr * xr + xi * xi, power, eps);
      }
      kPhase += istep;
      if (kPhase >= N) kPhase -= N;
    }
  }
}
