/**
 * Analytic backward pass of the DSTFT (docs/design.md §5, paper Sec. IV), no autograd tape.
 *
 * For G = ∂ℒ/∂Re X + i ∂ℒ/∂Im X and any parameter q, dℒ/dq = Σ Re(conj(G) ∂X/∂q). With
 *   r_n[j] = Re Σ_{m=0}^{F-1} conj(G[m,n]) e^{-2πi m (i_n + j)/N}
 * (one inverse real FFT per frame and signal on the FFT path):
 *   dℒ/dθ_n = Σ_j x_n[j] r_n[j] ∂w/∂θ,   dℒ/dt_n = -Σ_j x_n[j] r_n[j] ∂w/∂x,   dℒ/dx[i_n - c + j] += w r_n[j].
 * On the DFT path (θ depends on the bin) the same three sums run per (m, n) with q_j = Re(conj(G) e^{-iφ_j}).
 * Then: constant θ sums over n, θ_m over n; hops: dℒ/dh = Σ n dℒ/dt_n (constant), dℒ/dh_i = Σ_{n>i} dℒ/dt_n
 * (time-varying), dℒ/dt_0 = Σ_n dℒ/dt_n; fixed-overlap adds θ's path through t_n = (first + n)(1-α)θ.
 */
import { FrameWindow, ParameterError, ShapeError, StateError } from '@dstft/core';
import { specScale } from './magnitude-vjp.js';
import { overlapFrameRange, sameFraction, stftForward, type StftParams, type StftPlan, type StftResult } from '@dstft/kernel';

/** What backward needs from a forward call (copies of the small parameters; the signal by reference). */
export interface ForwardState {
  readonly plan: StftPlan;
  readonly x: Float64Array;
  readonly fingerprint: number;
  readonly batch: number;
  readonly frames: number;
  readonly theta: Float64Array;
  readonly positions: Float64Array;
}

/**
 * The upstream gradient as the frame loops read it: either G = ∂ℒ/∂Re X + i ∂ℒ/∂Im X (interleaved), or ∂ℒ/∂S with
 * X and the power, from which G = ∂ℒ/∂S · p|X|^{p-2} X is formed on the fly (no separate pass, no G array).
 */
export interface UpstreamView {
  readonly G: Float64Array | null;
  readonly X: Float64Array | null;
  readonly dS: Float64Array | null;
  readonly power: number;
}

/** Backward scratch owned per plan (a plan is single-threaded, so is its scratch). */
class BackwardScratch {
  readonly fw: FrameWindow;
  readonly r: Float64Array;
  readonly spec: Float64Array;
  constructor(plan: StftPlan) {
    this.fw = new FrameWindow(plan.window, plan.windowParams, plan.normalization, plan.nFft, { theta: true, x: true });
    this.r = new Float64Array(plan.nFft);
    this.spec = new Float64Array(2 * plan.freqs);
  }
}

const states = new WeakMap<StftResult, ForwardState>();
const scratches = new WeakMap<StftPlan, BackwardScratch>();

function scratchOf(plan: StftPlan): BackwardScratch {
  let s = scratches.get(plan);
  if (!s) {
    s = new BackwardScratch(plan);
    scratches.set(plan, s);
  }
  return s;
}

/** A cheap order-sensitive checksum: detects a signal modified between forward and backward. */
function fingerprint(x: Float64Array): number {
  let a = 0;
  let b = 0;
  for (let i = 0; i < x.length; i++) {
    a += x[i];
    b += x[i] * ((i & 1023) + 1);
  }
  return a * 1.000001 + b;
}

/** Rejects a plan whose window cannot be differentiated (or lacks what its learnable parameters need). */
function assertBackwardable(plan: StftPlan): void {
  plan.assertDifferentiable();
  const has = plan.window.gradients;
  if (!has.theta || !has.x) {
    throw new ParameterError(
      'window',
      plan.window.id,
      'provides no analytic derivatives (∂w/∂θ and ∂w/∂x), so this transform has no backward pass',
      'use stftForward for inference with this window, or a window plugin with gradients { theta: true, x: true }',
    );
  }
}

/**
 * Forward transform that keeps what backward needs: copies of θ and t_n, and a reference to `x` (do not modify
 * `x` before `stftBackward`; a changed signal is detected and rejected). Same arguments and result as `stftForward`.
 */
export function stftForwardWithState(plan: StftPlan, x: Float64Array, params: StftParams, out?: StftResult): StftResult {
  assertBackwardable(plan);
  let res: StftResult;
  try {
    res = stftForward(plan, x, params, out);
  } catch (e) {
    // a forward that failed into `out` may have overwritten part of it: no backward from the previous state
    if (out) forgetForwardState(out);
    throw e;
  }
  recordForwardState(plan, x, res);
  return res;
}

/**
 * Attaches the backward state to a forward result computed by other means (e.g. frames split across threads):
 * `result` must hold exactly what `stftForward(plan, x, params)` returns.
 */
export function recordForwardState(plan: StftPlan, x: Float64Array, result: StftResult): void {
  assertBackwardable(plan);
  states.set(result, {
    plan,
    x,
    fingerprint: fingerprint(x),
    batch: result.batch,
    frames: result.frames,
    theta: result.theta.slice(),
    positions: result.positions.slice(),
  });
}

/**
 * Detaches the backward state from a result (for drivers that fill a result in place: a fill that fails half-way
 * must not leave the previous forward's state on a result whose X and S no longer match it). `backward` on it is
 * then refused until a forward records it again.
 */
export function forgetForwardState(result: StftResult): void {
  states.delete(result);
}

/** The upstream gradient: with respect to the complex transform, or to the spectrogram (exactly one). */
export interface Upstream {
  /** ∂ℒ/∂Re X + i ∂ℒ/∂Im X, interleaved `[B, F, T]` like `result.X`. */
  readonly X?: Float64Array;
  /** ∂ℒ/∂S for S = |X|^power + eps, `[B, F, T]` like `result.spec`. */
  readonly spec?: Float64Array;
}

export interface BackwardOptions {
  /** Also return ∂ℒ/∂x (the adjoint transform applied to G). Default false. */
  readonly signal?: boolean;
}

/** Gradients in natural units (per sample of θ, per sample of position), shaped like the parameters. */
export interface StftGradients {
  /** ∂ℒ/∂θ, same length and layout as params.theta (fixed-overlap: window shape and positions paths). */
  readonly theta: Float64Array;
  /** ∂ℒ/∂t_n for every frame (whatever the positions mode). */
  readonly positions: Float64Array;
  /** positions mode `constant`: ∂ℒ/∂hop. */
  readonly hop?: number;
  /** positions mode `time`: ∂ℒ/∂t_0 and ∂ℒ/∂h_i. */
  readonly t0?: number;
  readonly hops?: Float64Array;
  /** With `signal: true`: ∂ℒ/∂x, `[B, L]`. */
  readonly x?: Float64Array;
}

/**
 * Backward pass for a result of `stftForwardWithState`: returns the gradients of ℒ with respect to every
 * parameter of the transform (and the signal, on request), given the upstream gradient. `expectedPlan`, if given,
 * must be the plan that produced `result`.
 */
export function stftBackward(result: StftResult, upstream: Upstream, options: BackwardOptions = {}, expectedPlan?: StftPlan): StftGradients {
  const job = prepareBackward(result, upstream, expectedPlan);
  const { plan, x, batch: B, frames: T, theta, positions } = job.state;
  const gPos = new Float64Array(T);
  const gx = options.signal ? new Float64Array(B * plan.signalLength) : null;
  const contrib = new Float64Array(contributionLength(plan, T));
  backwardFrames(plan, x, B, T, theta, positions, job.upstream, 0, T, contrib, gPos, gx);
  return finishBackward(job.state, contrib, gPos, gx);
}

/** The saved state of a forward call and a view of the upstream gradient. */
export interface BackwardJob {
  readonly state: Readonly<ForwardState>;
  readonly upstream: UpstreamView;
}

/**
 * First step of a backward pass (exposed for drivers that split frames across threads): finds the forward state
 * of `result`, checks it, and turns the upstream gradient into G. `check.signalUnchanged`: the driver ran the
 * forward of `result` in the same synchronous call, so x cannot have changed; its checksum is not recomputed.
 */
export function prepareBackward(result: StftResult, upstream: Upstream, expectedPlan?: StftPlan, check: { signalUnchanged?: boolean } = {}): BackwardJob {
  const state = states.get(result);
  if (state && expectedPlan && state.plan !== expectedPlan) {
    throw new StateError('backward(result): this result comes from another transform. Fix: call backward on the transform whose forward produced it');
  }
  if (!state) {
    throw new StateError(
      'backward(result): no forward state is saved for this result. Fix: produce it with the differentiable forward ' +
        '(dstft.forward / stftForwardWithState) of this transform, then call backward with that result',
    );
  }
  const { plan, x, batch: B, frames: T } = state;
  // (skipped, one pass over x less, when the caller ran the forward in the same synchronous call: `signalUnchanged`)
  if (check.signalUnchanged !== true && fingerprint(x) !== state.fingerprint) {
    throw new StateError('backward(result): the signal x was modified after the forward call. Fix: pass a copy to forward if you reuse the buffer, or run forward again');
  }
  const size = B * plan.freqs * T;
  if ((upstream.X === undefined) === (upstream.spec === undefined)) {
    throw new ParameterError('upstream', upstream, 'pass exactly one of { X } or { spec }', 'give ∂ℒ/∂X (complex, like result.X) or ∂ℒ/∂S (like result.spec)');
  }
  if (upstream.spec !== undefined) {
    const dS = upstream.spec;
    if (!(dS instanceof Float64Array) || dS.length !== size) {
      throw new ShapeError('upstream.spec', dS, `expected ∂ℒ/∂S of length B·F·T = ${size}`, 'pass a Float64Array shaped like result.spec');
    }
    return { state, upstream: { G: null, X: result.X, dS, power: plan.power } };
  }
  const G = upstream.X!;
  if (!(G instanceof Float64Array) || G.length !== 2 * size) {
    throw new ShapeError('upstream.X', G, `expected interleaved ∂ℒ/∂X of length 2·B·F·T = ${2 * size}`, 'pass a Float64Array shaped like result.X');
  }
  return { state, upstream: { G, X: null, dS: null, power: plan.power } };
}

/**
 * Last step of a backward pass: θ from the per-frame contributions (summed in frame order), then the positions
 * chain: hop (constant), t0 and hops (time-varying), θ's path through the positions (fixed-overlap).
 */
export function finishBackward(state: Readonly<ForwardState>, contrib: Float64Array, gPos: Float64Array, gx: Float64Array | null): StftGradients {
  const { plan, frames: T, theta } = state;
  const gTheta = new Float64Array(theta.length);
  reduceThetaContributions(plan, T, contrib, gTheta);
  const out: { -readonly [K in keyof StftGradients]: StftGradients[K] } = { theta: gTheta, positions: gPos };
  if (gx) out.x = gx;
  const chained = positionsVjp(plan, T, theta[0], gPos);
  if (chained.theta !== undefined) gTheta[0] += chained.theta;
  if (chained.hop !== undefined) out.hop = chained.hop;
  if (chained.t0 !== undefined) out.t0 = chained.t0;
  if (chained.hops !== undefined) out.hops = chained.hops;
  return out;
}

/** Gradients of ℒ with respect to the parameters that place the frames, given ∂ℒ/∂t_n. */
export interface PositionsVjp {
  /** fixed-overlap policy: ∂ℒ/∂θ through t_n = (first + n)(1 - α)θ (add it to θ's window-shape gradient). */
  readonly theta?: number;
  /** positions mode `constant` (t_n = n·hop): ∂ℒ/∂hop. */
  readonly hop?: number;
  /** positions mode `time` (t_n = t0 + Σ_{i<n} h_i): ∂ℒ/∂t0 and ∂ℒ/∂h_i. */
  readonly t0?: number;
  readonly hops?: Float64Array;
}

/**
 * Chain rule from frame positions to the parameters that set them, per positions mode and frame policy: what
 * `stftBackward` does with its own ∂ℒ/∂t_n, exposed so that penalties on positions (e.g. a coverage penalty) reach
 * hop / hops / t0 the same way. `theta0` is the (constant) window length used by the forward call; `gPos` has one
 * entry per frame in use (T). Modes `fixed` and `free` return `{}` (free positions are the parameters themselves).
 */
export function positionsVjp(plan: StftPlan, frames: number, theta0: number, gPos: Float64Array): PositionsVjp {
  const T = frames;
  if (plan.framePolicy.kind === 'fixed-overlap') {
    // t_n = (first + n)·hop, hop = (1 - α)θ  ⇒  ∂t_n/∂θ = (first + n)(1 - α)
    const a = 1 - plan.framePolicy.overlap;
    const { first } = overlapFrameRange(plan.signalLength, theta0, a * theta0);
    let acc = 0;
    for (let n = 0; n < T; n++) acc += (first + n) * gPos[n];
    return { theta: a * acc };
  }
  const mode = plan.positionsConfig.mode;
  if (mode === 'constant') {
    let acc = 0;
    for (let n = 0; n < T; n++) acc += n * gPos[n];
    return { hop: acc };
  }
  if (mode === 'time') {
    const hops = new Float64Array(Math.max(0, T - 1));
    let acc = 0;
    for (let n = T - 1; n >= 1; n--) {
      acc += gPos[n];
      hops[n - 1] = acc; // Σ_{k > n-1} dℒ/dt_k
    }
    return { hops, t0: acc + gPos[0] };
  }
  return {};
}

/** Length of the per-frame θ-contribution array: T on the FFT path, F·T on the DFT path. */
export function contributionLength(plan: StftPlan, frames: number): number {
  return plan.path === 'fft' ? frames : plan.freqs * frames;
}

/**
 * Sums per-frame contributions into ∂ℒ/∂θ in frame order (the same order whatever thread computed them, so the
 * result does not depend on how frames were split). FFT path: contrib[n]; DFT path: contrib[m·T + n].
 */
export function reduceThetaContributions(plan: StftPlan, frames: number, contrib: Float64Array, gTheta: Float64Array): void {
  const T = frames;
  gTheta.fill(0);
  switch (plan.windowMode) {
    case 'time':
    case 'time-frequency':
      gTheta.set(contrib.subarray(0, gTheta.length));
      return;
    case 'fixed':
    case 'constant': {
      let acc = 0;
      for (let n = 0; n < T; n++) acc += contrib[n];
      gTheta[0] = acc;
      return;
    }
    case 'frequency':
      for (let m = 0; m < plan.freqs; m++) {
        let acc = 0;
        for (let n = 0; n < T; n++) acc += contrib[m * T + n];
        gTheta[m] = acc;
      }
  }
}

/**
 * The backward core on frames [n0, n1): writes θ contributions, ∂ℒ/∂t_n for those frames, and adds ∂ℒ/∂x into
 * `gx` (when non-null). Frame ranges are independent, so threads can split [0, T).
 */
export function backwardFrames(
  plan: StftPlan,
  x: Float64Array,
  batch: number,
  frames: number,
  theta: Float64Array,
  positions: Float64Array,
  up: UpstreamView,
  n0: number,
  n1: number,
  contrib: Float64Array,
  gPos: Float64Array,
  gx: Float64Array | null,
): void {
  const s = scratchOf(plan);
  if (plan.path === 'fft') backwardFft(plan, s, x, batch, frames, theta, positions, up, n0, n1, contrib, gPos, gx);
  else backwardDft(plan, s, x, batch, frames, theta, positions, up, n0, n1, contrib, gPos, gx);
}


/**
 * FFT path. With R = N·ifft(G'') (G'' = G[·, n] with the bins counted twice by the Hermitian extension halved),
 * r_n[j] = R[(i_n + j) mod N]: the phase e^{-2πi m i_n/N} becomes a circular shift of the read index.
 */
function backwardFft(
  plan: StftPlan,
  s: BackwardScratch,
  x: Float64Array,
  B: number,
  T: number,
  theta: Float64Array,
  pos: Float64Array,
  up: UpstreamView,
  n0: number,
  n1: number,
  contrib: Float64Array,
  gPos: Float64Array,
  gx: Float64Array | null,
): void {
  const fw = s.fw;
  for (let n = n0; n < n1; n++) {
    contrib[n] = 0;
    gPos[n] = 0;
  }
  if (theta.length === 1 && n1 > n0 && sameFraction(pos, n0, n1)) {
    // one window for every frame: batch outer, frames inner (contiguous runs of each signal and of G)
    const f = pos[n0] - Math.floor(pos[n0]);
    fw.sampleCached(theta[0], f); // cached: a driver calling once per signal samples the window once
    for (let b = 0; b < B; b++) for (let n = n0; n < n1; n++) backwardFrameFft(plan, s, x, b, T, pos[n], up, n, contrib, gPos, gx);
  } else {
    const perFrame = theta.length > 1;
    for (let n = n0; n < n1; n++) {
      const t = pos[n];
      const f = t - Math.floor(t);
      const th = perFrame ? theta[n] : theta[0];
      fw.sampleCached(th, f);
      for (let b = 0; b < B; b++) backwardFrameFft(plan, s, x, b, T, t, up, n, contrib, gPos, gx);
    }
  }
  for (let n = n0; n < n1; n++) gPos[n] = -gPos[n];
}

/** One frame n of one signal b, window already sampled in s.fw: accumulates into contrib[n], gPos[n] (as +Σ x r ∂w/∂x), gx. */
function backwardFrameFft(
  plan: StftPlan,
  s: BackwardScratch,
  x: Float64Array,
  b: number,
  T: number,
  t: number,
  up: UpstreamView,
  n: number,
  contrib: Float64Array,
  gPos: Float64Array,
  gx: Float64Array | null,
): void {
  const N = plan.nFft;
  const F = plan.freqs;
  const L = plan.signalLength;
  const fw = s.fw;
  const i = Math.floor(t);
  const first = i - plan.center;
  let jlo = fw.lo;
  let jhi = fw.hi;
  if (jlo < -first) jlo = -first;
  if (jhi > L - first) jhi = L - first;
  if (jhi <= jlo) return;
  const R = s.r;
  const fft = plan.fft;
  let o = b * 2 * F * T + 2 * n;
  const G = up.G;
  if (N % 2 === 0 && fft.input !== undefined && fft.inverseFromInput !== undefined) {
    // straight into the backend's float32 input, packed (Re X_0, Re X_{N/2}, X_1, …) and scaled by 1/N: the factors
    // N and N/2 of the float64 route below cancel to 1 and 1/2
    const vin = fft.input;
    const last = F - 1;
    if (G !== null) {
      vin[0] = G[o];
      o += 2 * T;
      for (let m = 1; m < last; m++, o += 2 * T) {
        vin[2 * m] = 0.5 * G[o];
        vin[2 * m + 1] = 0.5 * G[o + 1];
      }
      vin[1] = G[o];
    } else {
      const X = up.X!;
      const dS = up.dS!;
      const p = up.power;
      vin[0] = specScale(X[o] * X[o] + X[o + 1] * X[o + 1], dS[o >> 1], p) * X[o];
      o += 2 * T;
      for (let m = 1; m < last; m++, o += 2 * T) {
        const re = X[o];
        const im = X[o + 1];
        const sc = 0.5 * specScale(re * re + im * im, dS[o >> 1], p);
        vin[2 * m] = sc * re;
        vin[2 * m + 1] = sc * im;
      }
      vin[1] = specScale(X[o] * X[o] + X[o + 1] * X[o + 1], dS[o >> 1], p) * X[o];
    }
    fft.inverseFromInput(R);
  } else {
    gatherFrame(plan, s.spec, up, b, T, n);
    fft.inverse(s.spec, R);
  }
  const w = fw.w;
  const dT = fw.dTheta!;
  const dX = fw.dX!;
  const im = i % N;
  const shift = im < 0 ? im + N : im;
  const off = b * L + first;
  // r[j] = R[j + shift] for j < N - shift, R[j + shift - N] after: two contiguous runs
  const split = N - shift < jhi ? (N - shift > jlo ? N - shift : jlo) : jhi;
  let aT = 0;
  let aX = 0;
  if (gx === null) {
    for (let j = jlo, k = jlo + shift; j < split; j++, k++) {
      const xr = x[off + j] * R[k];
      aT += xr * dT[j];
      aX += xr * dX[j];
    }
    for (let j = split, k = split + shift - N; j < jhi; j++, k++) {
      const xr = x[off + j] * R[k];
      aT += xr * dT[j];
      aX += xr * dX[j];
    }
  } else {
    for (let j = jlo, k = jlo + shift; j < split; j++, k++) {
      const r = R[k];
      const xr = x[off + j] * r;
      aT += xr * dT[j];
      aX += xr * dX[j];
      gx[off + j] += w[j] * r;
    }
    for (let j = split, k = split + shift - N; j < jhi; j++, k++) {
      const r = R[k];
      const xr = x[off + j] * r;
      aT += xr * dT[j];
      aX += xr * dX[j];
      gx[off + j] += w[j] * r;
    }
  }
  contrib[n] += aT;
  gPos[n] += aX;
}

/**
 * G[b, ·, n] of one frame into `spec` (interleaved, length 2F), scaled by N (bin 0 and Nyquist) or N/2 (bins the
 * Hermitian extension counts twice), from G or formed on the fly from X and ∂ℒ/∂S.
 */
function gatherFrame(plan: StftPlan, spec: Float64Array, up: UpstreamView, b: number, T: number, n: number): void {
  const N = plan.nFft;
  const F = plan.freqs;
  const lastInterior = N % 2 === 0 ? F - 2 : F - 1;
  const T2 = 2 * T;
  const half = 0.5 * N;
  let o = b * 2 * F * T + 2 * n;
  const G = up.G;
  if (G !== null) {
    for (let m = 0; m < F; m++) {
      const sc = m >= 1 && m <= lastInterior ? half : N;
      spec[2 * m] = sc * G[o];
      spec[2 * m + 1] = sc * G[o + 1];
      o += T2;
    }
  } else {
    const X = up.X!;
    const dS = up.dS!;
    const p = up.power;
    for (let m = 0; m < F; m++) {
      const re = X[o];
      const im = X[o + 1];
      const sc = (m >= 1 && m <= lastInterior ? half : N) * specScale(re * re + im * im, dS[o >> 1], p);
      spec[2 * m] = sc * re;
      spec[2 * m + 1] = sc * im;
      o += T2;
    }
  }
}

function backwardDft(
  plan: StftPlan,
  s: BackwardScratch,
  x: Float64Array,
  B: number,
  T: number,
  theta: Float64Array,
  pos: Float64Array,
  up: UpstreamView,
  n0: number,
  n1: number,
  contrib: Float64Array,
  gPos: Float64Array,
  gx: Float64Array | null,
): void {
  const N = plan.nFft;
  const F = plan.freqs;
  const L = plan.signalLength;
  const c = plan.center;
  const fw = s.fw;
  const w = fw.w;
  const dT = fw.dTheta!;
  const dX = fw.dX!;
  const cosT = plan.cosTable;
  const sinT = plan.sinTable;
  const perFrame = plan.windowMode === 'time-frequency';
  const FT2 = 2 * F * T;
  const T2 = 2 * T;
  const G = up.G;
  const X = up.X;
  const dS = up.dS;
  const power = up.power;
  for (let n = n0; n < n1; n++) {
    const t = pos[n];
    const i = Math.floor(t);
    const f = t - i;
    const first = i - c;
    const im = i % N;
    const imod = im < 0 ? im + N : im;
    let accPos = 0;
    for (let m = 0; m < F; m++) {
      contrib[m * T + n] = 0;
      const th = perFrame ? theta[m * T + n] : theta[m];
      fw.sampleCached(th, f);
      let jlo = fw.lo;
      let jhi = fw.hi;
      if (jlo < -first) jlo = -first;
      if (jhi > L - first) jhi = L - first;
      if (jhi <= jlo) continue;
      const k0 = (m * ((imod + jlo) % N)) % N;
      let accTheta = 0;
      for (let b = 0; b < B; b++) {
        const o = b * FT2 + m * T2 + 2 * n;
        let gr: number;
        let gi: number;
        if (G !== null) {
          gr = G[o];
          gi = G[o + 1];
        } else {
          const re = X![o];
          const im = X![o + 1];
          const sc = specScale(re * re + im * im, dS![o >> 1], power);
          gr = sc * re;
          gi = sc * im;
        }
        const off = b * L + first;
        let aT = 0;
        let aX = 0;
        let k = k0;
        if (gx === null) {
          for (let j = jlo; j < jhi; j++) {
            // q_j = Re(conj(G) e^{-iφ_j}), φ_j = 2π m (i_n + j)/N
            const xq = x[off + j] * (gr * cosT[k] - gi * sinT[k]);
            aT += xq * dT[j];
            aX += xq * dX[j];
            k += m;
            if (k >= N) k -= N;
          }
        } else {
          for (let j = jlo; j < jhi; j++) {
            const q = gr * cosT[k] - gi * sinT[k];
            const xq = x[off + j] * q;
            aT += xq * dT[j];
            aX += xq * dX[j];
            gx[off + j] += w[j] * q;
            k += m;
            if (k >= N) k -= N;
          }
        }
        accTheta += aT;
        accPos += aX;
      }
      contrib[m * T + n] = accTheta;
    }
    gPos[n] = -accPos;
  }
}
