/**
 * The adjoint (transpose) of the forward transform with respect to the signal: for the real-linear map
 * A: x ↦ X (R^L → C^{F×T} seen as R^{2FT}) and G = ∂ℒ/∂Re X + i ∂ℒ/∂Im X,
 *
 *   (Aᵀ G)[p] = Σ_{m,n} Re( conj(G[m,n]) · ∂X[m,n]/∂x[p] ) = Σ_n w_n[j] · r_n[j],  j = p - i_n + c,
 *   r_n[j] = Re Σ_{m=0}^{F-1} conj(G[m,n]) e^{-2πi m (i_n + j)/N}
 *
 * FFT path: r_n is one inverse real FFT per frame (bins 1..⌈N/2⌉-1 halved, to undo the Hermitian extension that
 * counts them twice, and ×N to undo its 1/N) of the unrotated G[·, n], read circularly shifted:
 * r_n[j] = q[(j + i_n) mod N] with q[k] = Re Σ_m G[m,n] e^{+2πi m k/N} (frame-shift.ts). DFT path: direct sums.
 * This is ∂ℒ/∂x (docs/design.md §5), the least-squares inverse's normal operator, and is checked by dot-product tests.
 */
import { ShapeError } from '@dstft/core';
import { modN, scatterShifted } from './frame-shift.js';
import type { StftPlan } from './stft-plan.js';
import { resolveFrames } from './stft-forward.js';
import type { StftParams } from './types.js';

/**
 * Writes Aᵀ G into `out` (`[batch, L]`, overwritten). `G` is interleaved `[batch, F, T]` (length 2·B·F·T) for the
 * frame count that `params` give. Returns `out`.
 */
export function stftAdjoint(plan: StftPlan, G: Float64Array, params: StftParams, out?: Float64Array): Float64Array {
  const L = plan.signalLength;
  const F = plan.freqs;
  const T = resolveFrames(plan, params);
  const theta = params.theta;
  if (!(G instanceof Float64Array) || G.length === 0 || G.length % (2 * F * T) !== 0) {
    throw new ShapeError('G', G, `expected interleaved complex [batch, F=${F}, T=${T}] (a multiple of ${2 * F * T} values)`, 'pass the gradient with the layout of the forward output X');
  }
  const B = G.length / (2 * F * T);
  const res = out ?? new Float64Array(B * L);
  if (res.length !== B * L) {
    throw new ShapeError('out', res, `expected length batch·L = ${B * L}`, 'pass an output buffer of the signal batch size, or none');
  }
  res.fill(0);
  if (plan.path === 'fft') adjointFft(plan, G, B, T, theta, res);
  else adjointDft(plan, G, B, T, theta, res);
  return res;
}

function adjointFft(plan: StftPlan, G: Float64Array, B: number, T: number, theta: Float64Array, out: Float64Array): void {
  const N = plan.nFft;
  const F = plan.freqs;
  const L = plan.signalLength;
  const c = plan.center;
  const pos = plan.positionBuffer;
  const fw = plan.frameWindow;
  const w = fw.w;
  const spec = plan.spectrumBuffer;
  const q = plan.frameBuffer;
  const fft = plan.fft;
  const perFrameTheta = theta.length > 1;
  const FT2 = 2 * F * T;
  const T2 = 2 * T;
  const lastInterior = N % 2 === 0 ? F - 2 : F - 1; // bins counted twice by the Hermitian extension
  for (let n = 0; n < T; n++) {
    const t = pos[n];
    const i = Math.floor(t);
    const f = t - i;
    const th = perFrameTheta ? theta[n] : theta[0];
    fw.sampleCached(th, f);
    const first = i - c;
    let jlo = fw.lo;
    let jhi = fw.hi;
    if (jlo < -first) jlo = -first;
    if (jhi > L - first) jhi = L - first;
    if (jhi <= jlo) continue;
    const shift = modN(i, N);
    for (let b = 0; b < B; b++) {
      // q = N · inverse(G[·, n]) with interior bins halved; r_n[j] = q[(j + i_n) mod N]
      let o = b * FT2 + 2 * n;
      for (let m = 0; m < F; m++) {
        const s = m >= 1 && m <= lastInterior ? 0.5 * N : N;
        spec[2 * m] = s * G[o];
        spec[2 * m + 1] = s * G[o + 1];
        o += T2;
      }
      fft.inverse(spec, q);
      scatterShifted(out, b * L + first, w, q, jlo, jhi, shift);
    }
  }
}

function adjointDft(plan: StftPlan, G: Float64Array, B: number, T: number, theta: Float64Array, out: Float64Array): void {
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
  for (let n = 0; n < T; n++) {
    const t = pos[n];
    const i = Math.floor(t);
    const f = t - i;
    const first = i - c;
    const imod = i % N < 0 ? (i % N) + N : i % N;
    for (let m = 0; m < F; m++) {
      const th = perFrame ? theta[m * T + n] : theta[m];
      fw.sampleCached(th, f);
      let jlo = fw.lo;
      let jhi = fw.hi;
      if (jlo < -first) jlo = -first;
      if (jhi > L - first) jhi = L - first;
      if (jhi <= jlo) continue;
      const k0 = (m * ((imod + jlo) % N)) % N;
      for (let b = 0; b < B; b++) {
        const o = b * FT2 + m * T2 + 2 * n;
        const gr = G[o];
        const gi = G[o + 1];
        const off = b * L + first;
        let k = k0;
        for (let j = jlo; j < jhi; j++) {
          // Re(conj(g) · w e^{-iφ}) = w (gr cos φ - gi sin φ)
          out[off + j] += w[j] * (gr * cosT[k] - gi * sinT[k]);
          k += m;
          if (k >= N) k -= N;
        }
      }
    }
  }
}
