import { createDstft, createObjective } from '@dstft/dstft';
import { describe, expect, it } from 'vitest';
import { loadPffftBackend } from './index.js';

// The one-pass objective (forward-mode θ gradient in the forward's frame loop) on the float32 backend: its
// tangent frames go through the backend's own float32 input (RealFftPlan.input), like the forward's.
describe('one-pass θ gradient on the float32 backend', () => {
  it('agrees with the reverse-mode backward to float32 precision', async () => {
    const fft = await loadPffftBackend();
    const L = 3000;
    const x = Float64Array.from({ length: 2 * L }, (_, k) => Math.sin(0.02 * k + 3e-6 * k * k) + 0.2 * Math.cos(0.7 * k));
    for (const windowMode of ['constant', 'time'] as const) {
      const d = createDstft({ nFft: 256, hop: 64, signalLength: L, windowMode, theta: 201 }, { fft });
      const r = d.forward(x);
      // Shannon entropy, mean over the batch, and its ∂/∂S: the independent reverse-mode reference
      const per = r.freqs * r.frames;
      const dS = new Float64Array(r.spec.length);
      let H = 0;
      for (let b = 0; b < 2; b++) {
        let z = 0;
        for (let k = b * per; k < (b + 1) * per; k++) z += r.spec[k]!;
        let h = 0;
        for (let k = b * per; k < (b + 1) * per; k++) h -= (r.spec[k]! / z) * Math.log(r.spec[k]! / z);
        for (let k = b * per; k < (b + 1) * per; k++) dS[k] = (-(Math.log(r.spec[k]! / z) + h) / z) / 2;
        H += h / 2;
      }
      const ref = d.backward(r, { spec: dS }).theta;
      const g = new Float64Array(d.params.theta.length);
      const value = createObjective(d, x).objective([g]);
      expect(Math.abs(value - H)).toBeLessThan(1e-9);
      let num = 0;
      let den = 0;
      for (let k = 0; k < g.length; k++) {
        num = Math.max(num, Math.abs(g[k]! - ref[k]!));
        den = Math.max(den, Math.abs(ref[k]!));
      }
      expect(num / den).toBeLessThan(1e-5);
    }
  });
});
