/**
 * Analytic backward pass of the DSTFT (DESIGN.md §4, paper Sec. IV), no autograd tape.
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
import { overlapFrameRange, stftForward, type StftParams, type StftPlan, type StftResult } from '@dstft/kernel';
import { magnitudeVjp } from './magnitude-vjp.js';

/** What backward needs from a forward call (copies of the small parameters; the signal by reference). */
interface ForwardState {
  readonly plan: StftPlan;
  readonly x: Float64Array;
  readonly fingerprint: number;
  readonly batch: number;
  readonly frames: number;
  readonly theta: Float64Array;
  readonly positions: Float64Array;
}

/** Backward scratch owned per plan (a plan is single-threaded, so is its scratch). */
class BackwardScratch {
  readonly fw: FrameWindow;
  readonly r: Float64Array;
  readonly spec: Float64Array;
  G: Float64Array = new Float64Array(0);
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

/**
 * Forward transform that keeps what backward needs: copies of θ and t_n, and a reference to `x` (do not modify
 * `x` before `stftBackward`; a changed signal is detected and rejected). Same arguments and result as `stftForward`.
 */
export function stftForwardWithState(plan: StftPlan, x: Float64Array, params: StftParams, out?: StftResult): StftResult {
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
  const res = stftForward(plan, x, params, out);
  states.set(res, {
    plan,
    x,
    fingerprint: fingerprint(x),
    batch: res.batch,
    frames: res.frames,
    theta: res.theta.slice(),
    positions: res.positions.slice(),
  });
  return res;
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
  const { plan, x, batch: B, frames: T, theta, positions } = state;
  if (fingerprint(x) !== state.fingerprint) {
    throw new StateError('backward(result): the signal x was modified after the forward call. Fix: pass a copy to forward if you reuse the buffer, or run forward again');
  }
  const F = plan.freqs;
  const size = B * F * T;
  const s = scratchOf(plan);
  let G: Float64Array;
  if ((upstream.X === undefined) === (upstream.spec === undefined)) {
    throw new ParameterError('upstream', upstream, 'pass exactly one of { X } or { spec }', 'give ∂ℒ/∂X (complex, like result.X) or ∂ℒ/∂S (like result.spec)');
  }
  if (upstream.spec !== undefined) {
    const dS = upstream.spec;
    if (!(dS instanceof Float64Array) || dS.length !== size) {
      throw new ShapeError('upstream.spec', dS, `expected ∂ℒ/∂S of length B·F·T = ${size}`, 'pass a Float64Array shaped like result.spec');
    }
    if (s.G.length !== 2 * size) s.G = new Float64Array(2 * size);
    G = s.G;
    magnitudeVjp(result.X, dS, plan.power, G);
  } else {
    G = upstream.X!;
    if (!(G instanceof Float64Array) || G.length !== 2 * size) {
      throw new ShapeError('upstream.X', G, `expected interleaved ∂ℒ/∂X of length 2·B·F·T = ${2 * size}`, 'pass a Float64Array shaped like result.X');
    }
  }

  const gTheta = new Float64Array(theta.length);
  const gPos = new Float64Array(T);
  const gx = options.signal ? new Float64Array(B * plan.signalLength) : null;
  if (plan.path === 'fft') backwardFft(plan, s, x, B, T, theta, positions, G, gTheta, gPos, gx);
  else backwardDft(plan, s, x, B, T, theta, positions, G, gTheta, gPos, gx);

  const out: { -readonly [K in keyof StftGradients]: StftGradients[K] } = { theta: gTheta, positions: gPos };
  if (gx) out.x = gx;
  if (plan.framePolicy.kind === 'fixed-overlap') {
    // t_n = (first + n)·hop, hop = (1 - α)θ  ⇒  ∂t_n/∂θ = (first + n)(1 - α)
    const a = 1 - plan.framePolicy.overlap;
    const { first } = overlapFrameRange(plan.signalLength, theta[0], a * theta[0]);
    let acc = 0;
    for (let n = 0; n < T; n++) acc += (first + n) * gPos[n];
    gTheta[0] += a * acc;
  } else {
    const mode = plan.positionsConfig.mode;
    if (mode === 'constant') {
      let acc = 0;
      for (let n = 0; n < T; n++) acc += n * gPos[n];
      out.hop = acc;
    } else if (mode === 'time') {
      const hops = new Float64Array(Math.max(0, T - 1));
      let acc = 0;
      for (let n = T - 1; n >= 1; n--) {
        acc += gPos[n];
        hops[n - 1] = acc; // Σ_{k > n-1} dℒ/dt_k
      }
      out.hops = hops;
      out.t0 = acc + gPos[0];
    }
  }
  return out;
}

function backwardFft(
  plan: StftPlan,
  s: BackwardScratch,
  x: Float64Array,
  B: number,
  T: number,
  theta: Float64Array,
  pos: Float64Array,
  G: Float64Array,
  gTheta: Float64Array,
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
  const spec = s.spec;
  const r = s.r;
  const cosT = plan.cosTable;
  const sinT = plan.sinTable;
  const fft = plan.fft;
  const perFrameTheta = theta.length > 1;
  const FT2 = 2 * F * T;
  const T2 = 2 * T;
  const lastInterior = N % 2 === 0 ? F - 2 : F - 1;
  const half = 0.5 * N;

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
    const first = i - c;
    let jlo = fw.lo;
    let jhi = fw.hi;
    if (jlo < -first) jlo = -first;
    if (jhi > L - first) jhi = L - first;
    if (jhi <= jlo) continue;
    const im = i % N;
    const step = im < 0 ? im + N : im;
    let accTheta = 0;
    let accPos = 0;
    for (let b = 0; b < B; b++) {
      // Y_m = G[m,n] e^{+2πi m i_n/N}, interior bins halved; r = N · inverse(Y)
      let k = 0;
      let o = b * FT2 + 2 * n;
      for (let m = 0; m < F; m++) {
        const gr = G[o];
        const gi = G[o + 1];
        const cs = cosT[k];
        const sn = sinT[k];
        const sc = m >= 1 && m <= lastInterior ? half : N;
        spec[2 * m] = sc * (gr * cs - gi * sn);
        spec[2 * m + 1] = sc * (gi * cs + gr * sn);
        o += T2;
        k += step;
        if (k >= N) k -= N;
      }
      fft.inverse(spec, r);
      const off = b * L + first;
      let aT = 0;
      let aX = 0;
      if (gx === null) {
        for (let j = jlo; j < jhi; j++) {
          const xr = x[off + j] * r[j];
          aT += xr * dT[j];
          aX += xr * dX[j];
        }
      } else {
        for (let j = jlo; j < jhi; j++) {
          const rj = r[j];
          const xr = x[off + j] * rj;
          aT += xr * dT[j];
          aX += xr * dX[j];
          gx[off + j] += w[j] * rj;
        }
      }
      accTheta += aT;
      accPos += aX;
    }
    if (perFrameTheta) gTheta[n] += accTheta;
    else gTheta[0] += accTheta;
    gPos[n] = -accPos;
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
  G: Float64Array,
  gTheta: Float64Array,
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

  let lastTheta = Number.NaN;
  let lastFrac = Number.NaN;
  for (let n = 0; n < T; n++) {
    const t = pos[n];
    const i = Math.floor(t);
    const f = t - i;
    const first = i - c;
    const im = i % N;
    const imod = im < 0 ? im + N : im;
    let accPos = 0;
    for (let m = 0; m < F; m++) {
      const ti = perFrame ? m * T + n : m;
      const th = theta[ti];
      if (th !== lastTheta || f !== lastFrac) {
        fw.sample(th, f);
        lastTheta = th;
        lastFrac = f;
      }
      let jlo = fw.lo;
      let jhi = fw.hi;
      if (jlo < -first) jlo = -first;
      if (jhi > L - first) jhi = L - first;
      if (jhi <= jlo) continue;
      const k0 = (m * ((imod + jlo) % N)) % N;
      let accTheta = 0;
      for (let b = 0; b < B; b++) {
        const o = b * FT2 + m * T2 + 2 * n;
        const gr = G[o];
        const gi = G[o + 1];
        const off = b * L + first;
        let aT = 0;
        let aX = 0;
        let k = k0;
        if (gx === null) {
          for (let j = jlo; j < jhi; j++) {
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
      gTheta[ti] += accTheta;
    }
    gPos[n] = -accPos;
  }
}
