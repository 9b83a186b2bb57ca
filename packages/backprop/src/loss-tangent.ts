/**
 * A framewise loss and its θ gradient in one forward pass (forward mode), for θ that does not depend on the bin
 * (window modes constant and time) and frame positions that are not learned.
 *
 * θ_n moves only frame n, so the derivative of the loss along θ_n needs only that frame: with Y = ∂X[·, n]/∂θ_n
 * (one more FFT of the same frame, with ∂w/∂θ in place of w: `ForwardTangent` of the kernel) and
 * d_m = ∂S[m, n]/∂θ_n = p |X|^{p-2} Re(conj(X_m) Y_m) (0 where |X| = 0, as `specScale`), the loss's
 * `frameTangent` folds d into per-frame sums as the frame is produced, and after the last frame
 *   ∂ℒ/∂θ_n = Σ_b tangentDot(frame (b, n)),   constant θ: the sum over n.
 * Same number of FFTs as forward + backward (one per frame each way), but no ∂ℒ/∂S array, no second pass over S
 * for the loss, and no gather of G across the [B, F, T] layout; S is read while the frame is still in cache.
 */
import { FrameWindow, ParameterError, sharedLogKernel, type FramewiseLoss, type LogKernel } from '@dstft/core';
import { resolveFrameTable, specScale, type ForwardTangent, type StftParams, type StftPlan, type StftResult } from '@dstft/kernel';
import { stftForwardWithState, type DifferentiableResult } from './stft-vjp.js';

/** A framewise loss that offers the forward-mode members, with its options (merged over its defaults). */
export interface TangentLoss<O = Readonly<Record<string, unknown>>> {
  readonly framewise: FramewiseLoss<O>;
  readonly options: O;
}

/**
 * Why `lossWithThetaGradient` cannot serve this plan and loss, or null when it can: FFT path (θ constant or per
 * frame), positions not derived from θ, a window with analytic derivatives, a loss with `tangentPerFrame`, `frameTangent` and
 * `tangentDot`.
 */
export function thetaTangentUnsupported<O>(plan: StftPlan, framewise: FramewiseLoss<O> | undefined): string | null {
  if (plan.path !== 'fft') return `window mode "${plan.windowMode}" (θ depends on the bin)`;
  if (plan.windowMode !== 'constant' && plan.windowMode !== 'time') return `window mode "${plan.windowMode}"`;
  if (plan.variableFrames || plan.framePolicy.kind === 'fixed-overlap') return 'frame positions that depend on θ (fixed-overlap)';
  if (!plan.window.gradients.theta || !plan.window.gradients.x) return `window "${plan.window.id}" has no analytic derivatives`;
  if (framewise === undefined) return 'the loss has no framewise form';
  const { tangentPerFrame, frameTangent, tangentDot } = framewise;
  if (!(Number.isInteger(tangentPerFrame) && tangentPerFrame! >= 1) || typeof frameTangent !== 'function' || typeof tangentDot !== 'function') {
    return 'the loss has no forward-mode form (framewise.tangentPerFrame, frameTangent, tangentDot)';
  }
  return null;
}

/** What `lossWithThetaGradient` returns: the forward result (with its cache for a later backward) and the loss. */
export interface LossWithThetaGradient {
  readonly result: DifferentiableResult;
  readonly loss: number;
}

/**
 * Scratch of `lossWithThetaGradient` for one plan, reused across calls (the objective of an optimization keeps one):
 * the ∂w/∂θ sampler, the tangent spectrum, one frame's S and d, and the per-frame statistics (grown on demand).
 */
export class ThetaTangentScratch implements ForwardTangent {
  readonly plan: StftPlan;
  readonly window: FrameWindow;
  readonly spectrum: Float64Array;
  readonly #s: Float64Array;
  readonly #d: Float64Array;
  readonly #kernel: LogKernel = sharedLogKernel();
  /** This scratch's own per-frame arrays (grown on demand), and the ones of the call in progress (these or the caller's). */
  #ownStats = new Float64Array(0);
  #ownTangent = new Float64Array(0);
  #stats: Float64Array = this.#ownStats;
  #tangent: Float64Array = this.#ownTangent;
  #coef = new Float64Array(0);
  #terms = new Float64Array(0);
  // the call in progress
  #loss: TangentLoss<unknown> | null = null;
  #T = 0;
  constructor(plan: StftPlan) {
    this.plan = plan;
    this.window = new FrameWindow(plan.window, plan.windowParams, plan.normalization, plan.nFft, { theta: true, x: false });
    this.spectrum = new Float64Array(2 * plan.freqs);
    this.#s = new Float64Array(plan.freqs);
    this.#d = new Float64Array(plan.freqs);
  }

  /**
   * Sizes the per-call arrays for B signals of T frames and a loss. `into`: the per-frame statistics and tangent sums
   * go there instead of this scratch's own arrays (e.g. arrays shared by threads that each run a range of frames
   * with their own scratch; the one that calls `finish` then reads every frame's). Each must hold B·T·(per frame).
   */
  begin<O>(loss: TangentLoss<O>, B: number, T: number, into?: { readonly stats: Float64Array; readonly tangent: Float64Array }): void {
    const fw = loss.framewise;
    const stats = B * T * fw.statsPerFrame;
    const tangent = B * T * fw.tangentPerFrame!;
    if (into !== undefined) {
      if (!(into.stats instanceof Float64Array) || into.stats.length < stats || !(into.tangent instanceof Float64Array) || into.tangent.length < tangent) {
        throw new ParameterError('into', into, `expected { stats, tangent } Float64Arrays of at least ${stats} and ${tangent} entries (B·T per-frame values)`, 'size them from the loss: statsPerFrame and tangentPerFrame times B·T');
      }
      this.#stats = into.stats;
      this.#tangent = into.tangent;
    } else {
      if (this.#ownStats.length < stats) this.#ownStats = new Float64Array(stats);
      if (this.#ownTangent.length < tangent) this.#ownTangent = new Float64Array(tangent);
      this.#stats = this.#ownStats;
      this.#tangent = this.#ownTangent;
    }
    if (this.#coef.length < B * fw.coefPerSignal) this.#coef = new Float64Array(B * fw.coefPerSignal);
    if (this.#terms.length !== B) this.#terms = new Float64Array(B);
    this.#loss = loss as TangentLoss<unknown>;
    this.#T = T;
  }

  /** The kernel's per-frame call: S and d of the frame, then the loss's frame sums. */
  frame(b: number, n: number, X: Float64Array): void {
    const plan = this.plan;
    const F = plan.freqs;
    const power = plan.power;
    const eps = plan.eps;
    const Y = this.spectrum;
    let s = this.#s;
    let d = this.#d;
    // S exactly as the forward writes it (stft-forward.ts writeFrame); d = specScale(|X|², Re(conj X · Y), p). For
    // p = 1, the log kernel's `magnitudeTangent` (the same operations, same bits): in one call, whose S the loss's
    // logs then read in place, or for a frame of more bins than its capacity in chunks copied into this scratch.
    // Other powers: written out here (one branch per frame instead of per bin).
    const kernel = this.#kernel;
    if (power === 1 && F <= kernel.capacity) {
      ({ s, d } = kernel.magnitudeTangent(X, Y, F, eps));
    } else if (power === 1) {
      for (let m0 = 0; m0 < F; m0 += kernel.capacity) {
        const count = Math.min(kernel.capacity, F - m0);
        const part = kernel.magnitudeTangent(X.subarray(2 * m0), Y.subarray(2 * m0), count, eps);
        s.set(part.s.subarray(0, count), m0);
        d.set(part.d.subarray(0, count), m0);
      }
    } else {
      for (let m = 0; m < F; m++) {
        const re = X[2 * m];
        const im = X[2 * m + 1];
        const m2 = re * re + im * im;
        s[m] = power === 2 ? m2 + eps : Math.pow(m2, 0.5 * power) + eps;
        d[m] = specScale(m2, re * Y[2 * m] + im * Y[2 * m + 1], power);
      }
    }
    const { framewise: fw, options } = this.#loss!;
    const q = b * this.#T + n;
    fw.frameTangent!(s, d, F, this.#stats, q * fw.statsPerFrame, this.#tangent, q * fw.tangentPerFrame!, options);
  }

  /** After the forward: the loss (signal terms, combined) and ∂ℒ/∂θ into `gradTheta` (θ's layout). */
  finish(B: number, gradTheta: Float64Array, thetaBase: Int32Array): number {
    const { framewise: fw, options } = this.#loss!;
    const T = this.#T;
    const shape = { batch: B, freqs: this.plan.freqs, frames: T };
    const stats = this.#stats;
    const coef = this.#coef;
    const terms = this.#terms;
    for (let b = 0; b < B; b++) terms[b] = fw.signalTerm(stats, b, shape, coef, options);
    const loss = fw.combine(terms, options);
    gradTheta.fill(0);
    const k = fw.tangentPerFrame!;
    const tangent = this.#tangent;
    for (let n = 0; n < T; n++) {
      let g = 0;
      for (let b = 0; b < B; b++) g += fw.tangentDot!(tangent, (b * T + n) * k, coef, b, options);
      gradTheta[thetaBase[n]] += g;
    }
    this.#loss = null;
    return loss;
  }
}

/**
 * The forward of `plan` on `x` (`[B, L]`) and a framewise loss of its spectrogram, with ∂ℒ/∂θ written into
 * `gradTheta` (same length as `params.theta`), in one pass over the frames (see the top of this file). The result
 * carries its cache as `stftForwardWithState`'s does, so a backward (e.g. for ∂ℒ/∂x) can still follow.
 * `scratch` must be made for `plan`. Throws a ParameterError naming the reason when `thetaTangentUnsupported`.
 */
export function lossWithThetaGradient<O>(
  scratch: ThetaTangentScratch,
  x: Float64Array,
  params: StftParams,
  loss: TangentLoss<O>,
  gradTheta: Float64Array,
  out?: StftResult,
): LossWithThetaGradient {
  const plan = scratch.plan;
  const why = thetaTangentUnsupported(plan, loss?.framewise);
  if (why !== null) throw new ParameterError('loss', loss?.framewise, `no one-pass θ gradient here: ${why}`, 'use stftForwardWithState, the loss, and stftBackward');
  const table = resolveFrameTable(plan, params);
  if (!(gradTheta instanceof Float64Array) || gradTheta.length !== params.theta.length) {
    throw new ParameterError('gradTheta', gradTheta?.length, `expected a Float64Array of ${params.theta.length} entries (θ's length)`, 'pass new Float64Array(params.theta.length)');
  }
  const L = plan.signalLength;
  const B = x instanceof Float64Array && x.length % L === 0 ? x.length / L : 0;
  scratch.begin(loss, B, table.frames);
  const result = stftForwardWithState(plan, x, params, out, { table, tangent: scratch });
  return { result, loss: scratch.finish(result.batch, gradTheta, table.thetaBase) };
}
