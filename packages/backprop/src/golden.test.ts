import { boundedFromRaw, boundedRawGradient } from '@dstft/core';
import { createStftPlan } from '@dstft/kernel';
import { readGolden } from '@dstft/vitest-config/golden';
import { hann } from '@dstft/windows';
import { describe, expect, it } from 'vitest';
import { stftBackward, stftForwardWithState } from './index.js';

interface Golden {
  signal: { samples: number[]; L: number };
  module: { n_fft: number; theta: number[][]; theta_min: number; theta_max: number; raw_win_length: number[][]; eps: number; magnitude_power: number };
  frames: { t_n: number[] };
  results: Record<
    string,
    { entropy: number; grad_entropy_wrt_theta: number[][]; grad_sum_wrt_theta: number[][]; grad_entropy_wrt_raw_win_length: number[][] }
  >;
}

/** Entropy of p = S/ΣS and its gradient ∂H/∂S = -(log p + H)/ΣS (derived by hand; the losses package comes later). */
function entropyAndGrad(S: Float64Array): { H: number; dS: Float64Array } {
  let Z = 0;
  for (const v of S) Z += v;
  let H = 0;
  for (const v of S) H -= (v / Z) * Math.log(v / Z);
  return { H, dS: S.map((v) => -(Math.log(v / Z) + H) / Z) };
}

function worstRelative(a: Float64Array, b: number[]): number {
  let worst = 0;
  let max = 0;
  for (const v of b) max = Math.max(max, Math.abs(v));
  b.forEach((v, i) => (worst = Math.max(worst, Math.abs(a[i]! - v) / Math.max(Math.abs(v), 1e-6 * max))));
  return worst;
}

describe('gradients agree with the PyTorch reference autograd (golden data)', () => {
  for (const [file, windowMode] of [
    ['golden-constant-window.json', 'constant'],
    ['golden-time-varying-window.json', 'time'],
  ] as const) {
    const g = readGolden(file) as Golden;
    for (const normalization of Object.keys(g.results) as ('none' | 'unit' | 'paper')[]) {
      it(`${file}: ${normalization}`, () => {
        const T = g.frames.t_n.length;
        const plan = createStftPlan({
          nFft: g.module.n_fft,
          signalLength: g.signal.L,
          window: hann,
          windowMode,
          normalization,
          positions: { mode: 'free', frames: T },
          thetaMin: g.module.theta_min,
          thetaMax: g.module.theta_max,
          eps: g.module.eps,
          power: g.module.magnitude_power,
        });
        const theta = Float64Array.from(g.module.theta[0]!);
        const x = Float64Array.from(g.signal.samples);
        const ref = g.results[normalization]!;
        const res = stftForwardWithState(plan, x, { theta, positions: Float64Array.from(g.frames.t_n) });
        const { H, dS } = entropyAndGrad(res.spec);
        expect(Math.abs(H - ref.entropy) / ref.entropy).toBeLessThan(1e-12);
        const gH = stftBackward(res, { spec: dS }).theta;
        expect(worstRelative(gH, ref.grad_entropy_wrt_theta[0]!)).toBeLessThan(1e-6);
        const gSum = stftBackward(res, { spec: new Float64Array(res.spec.length).fill(1) }).theta;
        expect(worstRelative(gSum, ref.grad_sum_wrt_theta[0]!)).toBeLessThan(1e-6);

        // through the reference's bound reparametrization θ = θmin + (θmax-θmin)·σ(raw)
        const raw = g.module.raw_win_length[0]!;
        const { theta_min: lo, theta_max: hi } = g.module;
        raw.forEach((r, i) => expect(Math.abs(boundedFromRaw(r, lo, hi) - theta[i]!)).toBeLessThan(1e-9 * theta[i]!));
        const gRaw = Float64Array.from(raw, (r, i) => boundedRawGradient(gH[i]!, r, lo, hi));
        expect(worstRelative(gRaw, ref.grad_entropy_wrt_raw_win_length[0]!)).toBeLessThan(1e-6);
      });
    }
  }
});
