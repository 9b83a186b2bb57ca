/**
 * Sampling a window plugin on one frame's grid, with the normalization (docs/design.md §2.3) and its chain rule
 * applied here, in one place, for every window plugin.
 *
 * Frame grid: local index j = 0..N-1 reads sample p = i_n - c + j with c = floor(N/2), at offset
 * x_j = j - c - f_n from the real frame centre t_n = i_n + f_n.
 */
import { ParameterError } from './errors.js';
import type { WindowEval, WindowParams, WindowPlugin } from './plugins.js';

/**
 * How a sampled window is scaled: `none` (the plugin's values), `paper` ((nFft/θ)·value, the paper's convention),
 * `unit` (value / Σ_j value_j, sums to 1).
 */
export type Normalization = 'none' | 'paper' | 'unit';
/** Every {@link Normalization}, in the order shown in help texts. */
export const NORMALIZATIONS: readonly Normalization[] = ['none', 'paper', 'unit'];

/**
 * A plan-owned sampler for one window plugin and one nFft. `sample(θ, f)` fills `w`, and when enabled
 * `dTheta` (∂w_j/∂θ) and `dX` (∂w_j/∂x, the derivative with respect to a common shift of all offsets; the
 * frame-position derivative is ∂w_j/∂t_n = -dX[j]). Entries outside `[lo, hi)` are zero.
 *
 * Normalizations: `none` w = plugin value; `paper` w = (N/θ)·value; `unit` w = value / Σ_j value_j (the sum
 * over the sampled frame, so its derivatives include the derivative of that sum).
 *
 * The plugin is evaluated with `evaluateGrid(x0 = -c - f, step 1, lo, hi, …)` when it has that optional fast
 * path, else with `evaluate` on the offsets x_j.
 */
export class FrameWindow<P extends WindowParams = WindowParams> {
  readonly nFft: number;
  readonly center: number;
  readonly w: Float64Array;
  readonly dTheta: Float64Array | null;
  readonly dX: Float64Array | null;
  /** First nonzero index (inclusive) after the last `sample`. */
  lo = 0;
  /** End of the nonzero range (exclusive) after the last `sample`. */
  hi = 0;
  /**
   * Σ_j of the un-normalized window of the last `sample`, computed only under `unit` normalization (which divides
   * by it); NaN under `none` and `paper`, where nothing needs it.
   */
  rawSum = Number.NaN;
  /** Number of completed `sample` calls: tells a caller of `sampleCached` whether the buffers changed. */
  version = 0;
  /** Offsets x_j for plugins without `evaluateGrid`. */
  readonly #x: Float64Array;
  readonly #out: WindowEval;
  readonly #plugin: WindowPlugin<P>;
  readonly #params: P;
  readonly #norm: Normalization;
  #lastTheta = Number.NaN;
  #lastFrac = Number.NaN;

  constructor(
    plugin: WindowPlugin<P>,
    params: P,
    normalization: Normalization,
    nFft: number,
    derivatives: { theta: boolean; x: boolean },
  ) {
    this.#plugin = plugin;
    this.#params = params;
    this.#norm = normalization;
    this.nFft = nFft;
    this.center = Math.floor(nFft / 2);
    this.w = new Float64Array(nFft);
    this.dTheta = derivatives.theta ? new Float64Array(nFft) : null;
    this.dX = derivatives.x ? new Float64Array(nFft) : null;
    this.#x = new Float64Array(plugin.evaluateGrid === undefined ? nFft : 0);
    this.#out = { w: this.w, dTheta: this.dTheta, dX: this.dX };
  }

  /** Samples the window of length θ on a frame whose centre has fractional part `frac` ∈ [0, 1). */
  /**
   * Same as `sample`, but does nothing when (θ, frac) equal those of the last `sample` call: the buffers already
   * hold that window. Frame loops call this so that frames sharing θ and frac sample their window once.
   */
  sampleCached(theta: number, frac: number): void {
    if (theta !== this.#lastTheta || frac !== this.#lastFrac) this.sample(theta, frac);
  }

  sample(theta: number, frac: number): void {
    this.#lastTheta = Number.NaN; // invalid until this call completes (it may throw)
    const n = this.nFft;
    const c = this.center;
    const w = this.w;
    const dT = this.dTheta;
    const dX = this.dX;
    const half = this.#plugin.supportHalfWidth(theta, this.#params);
    // x_j = j - c - frac ∈ [-half, half)  ⟺  c + frac - half ≤ j < c + frac + half
    let lo = Math.ceil(c + frac - half);
    let hi = Math.ceil(c + frac + half);
    if (!(lo > 0)) lo = 0; // also catches -Infinity / NaN
    if (!(hi < n)) hi = n;
    if (hi < lo) hi = lo;
    lo |= 0; // integers in [0, N]: keep them int32 for the callers' index loops
    hi |= 0;
    // clear what the previous frame left outside the new range: [plo, min(phi, lo)) and [max(plo, hi), phi)
    const plo = this.lo;
    const phi = this.hi;
    const e1 = phi < lo ? phi : lo;
    const s2 = plo > hi ? plo : hi;
    if (plo < e1) {
      w.fill(0, plo, e1);
      if (dT !== null) dT.fill(0, plo, e1);
      if (dX !== null) dX.fill(0, plo, e1);
    }
    if (s2 < phi) {
      w.fill(0, s2, phi);
      if (dT !== null) dT.fill(0, s2, phi);
      if (dX !== null) dX.fill(0, s2, phi);
    }
    this.lo = lo;
    this.hi = hi;
    const plugin = this.#plugin;
    if (plugin.evaluateGrid !== undefined) {
      // x_j = j - c - frac: the unit-step grid starting at x0 = -c - frac
      plugin.evaluateGrid(-c - frac, 1, lo, hi, theta, this.#params, this.#out);
    } else {
      const x = this.#x;
      for (let j = lo; j < hi; j++) x[j] = j - c - frac;
      plugin.evaluate(x, lo, hi, theta, this.#params, this.#out);
    }

    if (this.#norm === 'paper') {
      const s = n / theta;
      const ds = -s / theta; // d(N/θ)/dθ
      for (let j = lo; j < hi; j++) {
        const v = w[j]!;
        if (dT !== null) dT[j] = s * dT[j]! + ds * v;
        if (dX !== null) dX[j]! *= s;
        w[j] = s * v;
      }
    } else if (this.#norm === 'unit') {
      let sum = 0;
      for (let j = lo; j < hi; j++) sum += w[j]!;
      this.rawSum = sum;
      if (!(sum > 0)) {
        throw new ParameterError(
          'theta',
          theta,
          `the sampled ${this.#plugin.id} window sums to ${sum} on this frame, so 'unit' normalization would divide by zero`,
          'raise the lower bound of θ (thetaMin) so that the window covers at least one sample, or use normalization "none" or "paper"',
        );
      }
      const inv = 1 / sum;
      let sT = 0;
      let sX = 0;
      if (dT !== null) for (let j = lo; j < hi; j++) sT += dT[j]!;
      if (dX !== null) for (let j = lo; j < hi; j++) sX += dX[j]!;
      const kT = sT * inv * inv;
      const kX = sX * inv * inv;
      for (let j = lo; j < hi; j++) {
        const v = w[j]!;
        if (dT !== null) dT[j] = dT[j]! * inv - v * kT;
        if (dX !== null) dX[j] = dX[j]! * inv - v * kX;
        w[j] = v * inv;
      }
    }
    this.#lastTheta = theta;
    this.#lastFrac = frac;
    this.version++;
  }
}
