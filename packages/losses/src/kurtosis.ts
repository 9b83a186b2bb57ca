import { API_VERSION, ParameterError, markBuiltin, type SpecView } from '@dstft/core';
import { badEntry, checkSpec, readOptions } from './check.js';
import type { BuiltinLoss } from './types.js';

/** Options of the `kurtosis` loss (negative spectral kurtosis, for impulsive signals): which frames count. */
export interface KurtosisOptions {
  /**
   * Which frames count: `'all'` (default) or a list of distinct frame indices n in [0, T) (e.g. to leave out frames
   * that hang over the signal ends). Frames not listed get a zero gradient.
   */
  readonly frames: 'all' | readonly number[];
}

const KURTOSIS_DEFAULTS: KurtosisOptions = Object.freeze({ frames: 'all' });

function readFrames(value: unknown, frames: number): readonly number[] | null {
  if (value === 'all') return null;
  const fix = `pass { frames: 'all' } (the default) or a non-empty list of distinct frame indices in [0, ${frames - 1}]`;
  if (!Array.isArray(value) && !(ArrayBuffer.isView(value) && 'length' in value)) {
    throw new ParameterError('frames', value, "the 'kurtosis' loss takes 'all' or a list of frame indices", fix);
  }
  const list = value as ArrayLike<unknown>;
  if (list.length === 0) throw new ParameterError('frames', value, 'no frame selected: the mean over frames is undefined', fix);
  const seen = new Uint8Array(frames);
  const out: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const n = list[i];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= frames) {
      throw new ParameterError(`frames[${i}]`, n, `not a frame index of a spectrogram with T = ${frames} frames`, fix);
    }
    if (seen[n]) throw new ParameterError(`frames[${i}]`, n, `frame ${n} is listed twice`, fix);
    seen[n] = 1;
    out.push(n);
  }
  return out;
}

/**
 * `kurtosis`: spectral kurtosis of every frame (paper Eq. 29-30, after Zhao et al.):
 *   K_{b,n} = F · Σ_m S_{m,n}² / (Σ_m S_{m,n})²,
 * 1 for a flat frame, F for a one-hot frame: larger = more concentrated. With S = |X|² (power 2) this is
 * F·Σ|X|⁴/(Σ|X|²)², the reference's `kurtosis_loss` on |X|. The LOSS is -mean over the selected frames and the
 * batch of K, so minimizing it maximizes the kurtosis. ∂K/∂S_{m,n} = 2F (S_{m,n} A_n - Q_n) / A_n³ with
 * A_n = Σ_m S, Q_n = Σ_m S². A selected frame whose spectrum sums to 0 is an error. Scratch: 2·T numbers per call.
 */
export const kurtosis: BuiltinLoss<'kurtosis', KurtosisOptions> = markBuiltin<BuiltinLoss<'kurtosis', KurtosisOptions>>({
  kind: 'loss',
  id: 'kurtosis',
  apiVersion: API_VERSION,
  defaults: KURTOSIS_DEFAULTS,
  evaluate(spec: SpecView, grad: Float64Array | null, options: KurtosisOptions): number {
    const get = readOptions('kurtosis', options, KURTOSIS_DEFAULTS);
    const per = checkSpec('kurtosis', spec, grad);
    const { data, batch, freqs: F, frames: T } = spec;
    const selected = readFrames(get('frames'), T);
    const count = batch * (selected === null ? T : selected.length);
    // a[n] = Σ_m S, q[n] = Σ_m S²; then, per frame, the gradient coefficients (c1·S - c0), or 0 if not selected
    const a = new Float64Array(T);
    const q = new Float64Array(T);
    let weight: Float64Array | null = null;
    if (selected !== null) {
      weight = new Float64Array(T);
      for (let i = 0; i < selected.length; i++) weight[selected[i]] = 1;
    }
    const fk = F / count;
    let total = 0;
    for (let b = 0; b < batch; b++) {
      const off = b * per;
      a.fill(0);
      q.fill(0);
      for (let m = 0; m < F; m++) {
        const row = off + m * T;
        for (let n = 0; n < T; n++) {
          const s = data[row + n];
          if (!(s >= 0 && s < Number.POSITIVE_INFINITY)) throw badEntry('kurtosis', data, row + n, per, T);
          a[n] += s;
          q[n] += s * s;
        }
      }
      for (let n = 0; n < T; n++) {
        if (weight !== null && weight[n] === 0) {
          a[n] = 0;
          q[n] = 0;
          continue;
        }
        const an = a[n];
        if (!(an > 0 && an < Number.POSITIVE_INFINITY)) {
          throw new ParameterError(
            `spec (signal ${b}, frame ${n}) Σ_m S`,
            an,
            `the 'kurtosis' loss divides by each frame's spectrum sum, and frame ${n} of signal ${b} ${an === 0 ? 'is all zero' : 'overflows'}`,
            an === 0
              ? "keep eps > 0 in the spectrogram (S = |X|^power + eps), or leave the frame out with { frames: [...] }"
              : 'scale the signal down',
          );
        }
        const inv = 1 / an;
        const k = q[n] * inv * inv;
        total += k;
        // ∂(-fk·Q/A²)/∂S = -2·fk·(S·A - Q)/A³ = c1·S - c0, with fk = F / (number of frames counted)
        a[n] = -2 * fk * inv * inv;
        q[n] = -2 * fk * k * inv;
      }
      if (grad !== null) {
        for (let m = 0; m < F; m++) {
          const row = off + m * T;
          for (let n = 0; n < T; n++) grad[row + n] = a[n] * data[row + n] - q[n];
        }
      }
    }
    return -fk * total;
  },
});
