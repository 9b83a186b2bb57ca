// The L1/L2 sparsity loss: per signal, ‖S‖₁ / ‖S‖₂ over all its bins and frames. It is scale-invariant and smallest
// when the energy sits in few time-frequency bins, so minimizing it sharpens a spectrogram, like an entropy.
//   a = Σ S,  b = sqrt(Σ S²),  ℒ = a / b,  ∂ℒ/∂S_k = 1/b - a·S_k / b³   (S ≥ 0)
import { API_VERSION, ParameterError, readPluginOptions } from '@dstft/core';

const ID = 'acme/l1-l2';
const defaults = Object.freeze({ reduction: 'mean' });

export const l1l2 = {
  kind: 'loss',
  id: ID,
  apiVersion: API_VERSION,
  meta: { name: '@acme/dstft-plugins', version: '1.0.0', description: 'L1/L2 sparsity of the spectrogram' },
  defaults,
  evaluate(spec, grad, options) {
    const read = readPluginOptions(ID, options, defaults); // unknown keys are refused with a "did you mean"
    const reduction = read('reduction');
    if (reduction !== 'mean' && reduction !== 'sum') {
      throw new ParameterError(`${ID}: reduction = ${JSON.stringify(reduction)} is not 'mean' or 'sum'. Fix: pass { reduction: 'mean' } or { reduction: 'sum' }`);
    }
    const { data, batch, freqs, frames } = spec;
    const per = freqs * frames;
    const scale = reduction === 'mean' ? 1 / batch : 1;
    let total = 0;
    for (let b = 0; b < batch; b++) {
      const off = b * per;
      let a = 0;
      let q = 0;
      for (let k = off; k < off + per; k++) {
        a += data[k];
        q += data[k] * data[k];
      }
      if (!(q > 0 && Number.isFinite(q))) {
        throw new ParameterError(`${ID}: the spectrogram of signal ${b} sums to ${q} in squares. Fix: pass a signal that is not silent and has finite samples`);
      }
      const n2 = Math.sqrt(q);
      total += (scale * a) / n2;
      if (grad) {
        const c1 = scale / n2;
        const c2 = (scale * a) / (n2 * n2 * n2);
        for (let k = off; k < off + per; k++) grad[k] = c1 - c2 * data[k];
      }
    }
    return total;
  },
};
