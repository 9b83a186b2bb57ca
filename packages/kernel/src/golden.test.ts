import { readGolden } from '@dstft/vitest-config/golden';
import { describe, expect, it } from 'vitest';
import { createStftPlan, stftForward } from './index.js';
import { hannPlugin } from './naive-dft.fixture.js';


interface Golden {
  signal: { samples: number[]; L: number };
  module: { n_fft: number; theta: number[][]; eps: number; magnitude_power: number };
  frames: { t_n: number[] };
  results: Record<string, { spec: number[][]; stft_re: number[][]; stft_im: number[][]; entropy: number }>;
}

/** The PyTorch reference's outputs (test fixtures in tooling/vitest/golden/, provenance in its README.md). */
function load(name: string): Golden {
  return readGolden(name) as Golden;
}

/**
 * Elementwise relative error |a - b| / max(|b|, 1e-4·max|b|): 1e-9 relative for every entry, with an absolute floor
 * of 1e-13 of the peak for entries near zero, where float64 sums of N terms can only be exact to ~1e-16·N·peak.
 */
function worstRelative(actual: (m: number, n: number) => number, want: number[][]): number {
  let max = 0;
  for (const row of want) for (const v of row) max = Math.max(max, Math.abs(v));
  let worst = 0;
  want.forEach((row, m) =>
    row.forEach((v, n) => {
      worst = Math.max(worst, Math.abs(actual(m, n) - v) / Math.max(Math.abs(v), 1e-4 * max));
    }),
  );
  return worst;
}

const cases: [file: string, windowMode: 'constant' | 'time'][] = [
  ['golden-constant-window.json', 'constant'],
  ['golden-time-varying-window.json', 'time'],
];

describe('parity with the PyTorch reference (golden data)', () => {
  for (const [file, windowMode] of cases) {
    const g = load(file);
    for (const normalization of Object.keys(g.results) as ('none' | 'unit' | 'paper')[]) {
      it(`${file}: ${normalization}`, () => {
        const L = g.signal.L;
        const x = Float64Array.from(g.signal.samples);
        const T = g.frames.t_n.length;
        // the reference's effective positions (t_n = n·32.00000000000001) as free positions
        const plan = createStftPlan({
          nFft: g.module.n_fft,
          signalLength: L,
          window: hannPlugin,
          windowMode,
          normalization,
          positions: { mode: 'free', frames: T },
          power: g.module.magnitude_power,
          eps: g.module.eps,
        });
        const theta = Float64Array.from(g.module.theta[0]!);
        const r = stftForward(plan, x, { theta, positions: Float64Array.from(g.frames.t_n) });
        const ref = g.results[normalization]!;
        expect(r.frames).toBe(ref.spec[0]!.length);
        const at = (arr: Float64Array, stride: number, off: number) => (m: number, n: number) => arr[stride * (m * T + n) + off]!;
        expect(worstRelative(at(r.X, 2, 0), ref.stft_re)).toBeLessThan(1e-9);
        expect(worstRelative(at(r.X, 2, 1), ref.stft_im)).toBeLessThan(1e-9);
        expect(worstRelative(at(r.spec, 1, 0), ref.spec)).toBeLessThan(1e-9);
        // and globally: max |ΔX| / max |X| at the golden data's own accuracy (its README: ≤ 2.2e-13 vs NumPy)
        let dmax = 0;
        let vmax = 0;
        ref.stft_re.forEach((row, m) =>
          row.forEach((v, n) => {
            dmax = Math.max(dmax, Math.abs(r.X[2 * (m * T + n)]! - v), Math.abs(r.X[2 * (m * T + n) + 1]! - ref.stft_im[m]![n]!));
            vmax = Math.max(vmax, Math.abs(v));
          }),
        );
        expect(dmax / vmax).toBeLessThan(5e-13);

        // the same with a plain fixed hop of 32 (exact integer positions): equal to the reference up to its 1e-14 offsets
        const fixed = createStftPlan({ nFft: g.module.n_fft, signalLength: L, window: hannPlugin, windowMode, normalization, positions: { mode: 'fixed', hop: 32 } });
        const r2 = stftForward(fixed, x, { theta });
        expect(r2.frames).toBe(T);
        expect(worstRelative(at(r2.spec, 1, 0), ref.spec)).toBeLessThan(1e-9);

        // entropy of p = S / ΣS
        let sum = 0;
        for (const v of r.spec) sum += v;
        let h = 0;
        for (const v of r.spec) h -= (v / sum) * Math.log(v / sum);
        expect(Math.abs(h - ref.entropy) / ref.entropy).toBeLessThan(1e-12);
      });
    }
  }
});
