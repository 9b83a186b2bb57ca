/**
 * The DSTFT forward transform (DESIGN.md §3, paper Eq. 6 / Eq. 25):
 *
 *   X[m, n] = e^{-2πi m i_n / N} · Σ_{j=0}^{N-1} x[i_n - c + j] · w(j - c - f_n, θ_{m,n}) · e^{-2πi m j / N}
 *
 * with t_n = i_n + f_n (i_n = floor t_n), c = floor(N/2), samples outside [0, L) read as 0. The window is
 * centred exactly on the real t_n in every mode. FFT path when θ does not depend on m (one real FFT per frame and
 * signal; the window is sampled once per frame and shared by the batch, and reused while (θ, f_n) repeat);
 * DFT path when it does (one windowed sum per bin and frame).
 */
import { ParameterError, ShapeError, assertSignalBatch } from '@dstft/core';
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

  if (plan.path === 'fft') forwardFft(plan, x, B, T, theta, res.X);
  else forwardDft(plan, x, B, T, theta, res.X);
  magnitude(res.X, res.spec, plan.power, plan.eps);
  return res;
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

/** S = |X|^p + eps, elementwise. */
export function magnitude(X: Float64Array, spec: Float64Array, power: number, eps: number): void {
  const n = spec.length;
  if (power === 1) {
    for (let k = 0; k < n; k++) {
      const re = X[2 * k];
      const im = X[2 * k + 1];
      spec[k] = Math.sqrt(re * re + im * im) + eps;
    }
  } else if (power === 2) {
    for (let k = 0; k < n; k++) {
      const re = X[2 * k];
      const im = X[2 * k + 1];
      spec[k] = re * re + im * im + eps;
    }
  } else {
    const h = power / 2;
    for (let k = 0; k < n; k++) {
      const re = X[2 * k];
      const im = X[2 * k + 1];
      spec[k] = Math.pow(re * re + im * im, h) + eps;
    }
  }
}

/** i mod N in [0, N) for any integer i (negative positions included). */
function modN(i: number, n: number): number {
  const r = i % n;
  return r < 0 ? r + n : r;
}

/**
 * Copies frame samples x[b·L + i - c + j] for j in [lo, hi) into buf (zero where the index leaves [0, L)),
 * multiplied by w[j]. Entries of buf outside [lo, hi) must already be zero.
 */
function fillWindowedFrame(
  buf: Float64Array,
  x: Float64Array,
  rowStart: number,
  L: number,
  first: number,
  w: Float64Array,
  lo: number,
  hi: number,
): void {
  // sample index p = first + j must be in [0, L)
  let jlo = -first;
  if (jlo < lo) jlo = lo;
  let jhi = L - first;
  if (jhi > hi) jhi = hi;
  if (jhi < jlo) jhi = jlo;
  for (let j = lo; j < jlo; j++) buf[j] = 0;
  const off = rowStart + first;
  for (let j = jlo; j < jhi; j++) buf[j] = x[off + j] * w[j];
  for (let j = jhi; j < hi; j++) buf[j] = 0;
}

function forwardFft(plan: StftPlan, x: Float64Array, B: number, T: number, theta: Float64Array, X: Float64Array): void {
  const N = plan.nFft;
  const F = plan.freqs;
  const L = plan.signalLength;
  const c = plan.center;
  const pos = plan.positionBuffer;
  const fw = plan.frameWindow;
  const w = fw.w;
  const buf = plan.frameBuffer;
  const spec = plan.spectrumBuffer;
  const cosT = plan.cosTable;
  const sinT = plan.sinTable;
  const fft = plan.fft;
  const perFrameTheta = theta.length > 1;
  const FT2 = 2 * F * T;
  const T2 = 2 * T;

  buf.fill(0);
  let bufLo = 0;
  let bufHi = 0;
  let lastTheta = Number.NaN;
  let lastFrac = Number.NaN;
  for (let n = 0; n < T; n++) {
    const t = pos[n];
    const i = Math.floor(t);
    const f = t - i;
    const th = perFrameTheta ? theta[n] : theta[0];
    if (th !== lastTheta || f !== lastFrac) {
      fw.sample(th, f);
      lastTheta = th;
      lastFrac = f;
    }
    const lo = fw.lo;
    const hi = fw.hi;
    // keep buf zero outside [lo, hi)
    if (lo !== bufLo || hi !== bufHi) {
      for (let j = bufLo; j < bufHi; j++) if (j < lo || j >= hi) buf[j] = 0;
      bufLo = lo;
      bufHi = hi;
    }
    const first = i - c;
    const step = modN(i, N); // phase index advances by i mod N per bin
    for (let b = 0; b < B; b++) {
      fillWindowedFrame(buf, x, b * L, L, first, w, lo, hi);
      fft.forward(buf, spec);
      let k = 0;
      let o = b * FT2 + 2 * n;
      for (let m = 0; m < F; m++) {
        const re = spec[2 * m];
        const im = spec[2 * m + 1];
        const cs = cosT[k];
        const sn = sinT[k];
        // (re + i im) · e^{-2πi k/N}
        X[o] = re * cs + im * sn;
        X[o + 1] = im * cs - re * sn;
        o += T2;
        k += step;
        if (k >= N) k -= N;
      }
    }
  }
}

function forwardDft(plan: StftPlan, x: Float64Array, B: number, T: number, theta: Float64Array, X: Float64Array): void {
  const N = plan.nFft;
  const F = plan.freqs;
  const L = plan.signalLength;
  const c = plan.center;
  const pos = plan.positionBuffer;
  const fw = plan.frameWindow;
  const w = fw.w;
  const cosT = plan.cosTable;
  const sinT = plan.sinTable;
  const perFrame = plan.windowMode === 'time-frequency';
  const FT2 = 2 * F * T;
  const T2 = 2 * T;

  let lastTheta = Number.NaN;
  let lastFrac = Number.NaN;
  for (let n = 0; n < T; n++) {
    const t = pos[n];
    const i = Math.floor(t);
    const f = t - i;
    const first = i - c;
    const istep = modN(i, N);
    let kPhase = 0;
    for (let m = 0; m < F; m++) {
      const th = perFrame ? theta[m * T + n] : theta[m];
      if (th !== lastTheta || f !== lastFrac) {
        fw.sample(th, f);
        lastTheta = th;
        lastFrac = f;
      }
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
        const o = b * FT2 + m * T2 + 2 * n;
        X[o] = re * cp + im * sp;
        X[o + 1] = im * cp - re * sp;
      }
      kPhase += istep;
      if (kPhase >= N) kPhase -= N;
    }
  }
}
