// Every built-in window plugin × normalization through both kernel paths, against the naive DFT with the
// windows' textbook formulas written here (independent of the plugins' code).
import { blackman, gaussian, hamming, hann, kaiser } from '@dstft/windows';
import type { WindowPlugin } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { naiveDstft, relMaxError, testSignal, type NaiveWindow } from './naive-dft.fixture.js';
import { createStftPlan, stftForward, type WindowMode } from './index.js';

const inside = (x: number, theta: number) => x >= -theta / 2 && x < theta / 2;
function besselI0(z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200; k++) {
    term *= (z / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-18 * sum) break;
  }
  return sum;
}

const cases: [WindowPlugin, Record<string, unknown>, NaiveWindow][] = [
  [hann, {}, (x, t) => (inside(x, t) ? 0.5 + 0.5 * Math.cos((2 * Math.PI * x) / t) : 0)],
  [blackman, {}, (x, t) => (inside(x, t) ? 0.42 + 0.5 * Math.cos((2 * Math.PI * x) / t) + 0.08 * Math.cos((4 * Math.PI * x) / t) : 0)],
  [hamming, {}, (x, t) => (inside(x, t) ? 0.54 + 0.46 * Math.cos((2 * Math.PI * x) / t) : 0)],
  [gaussian, { sigma: 0.2 }, (x, t) => Math.exp(-0.5 * (x / (0.2 * t)) ** 2)],
  [kaiser, { beta: 6 }, (x, t) => (inside(x, t) ? besselI0(6 * Math.sqrt(Math.max(0, 1 - (2 * x / t) ** 2))) / besselI0(6) : 0)],
];

const L = 220;
const x = testSignal(L, 2, 31);
const N = 40;
const T = 11;
const positions = Float64Array.from({ length: T }, (_, n) => -7.6 + n * 21.37);

describe('every built-in window through the kernel', () => {
  for (const [plugin, params, formula] of cases) {
    for (const normalization of ['none', 'paper', 'unit'] as const) {
      for (const windowMode of ['time', 'time-frequency'] as WindowMode[]) {
        it(`${plugin.id} ${JSON.stringify(params)}, ${normalization}, ${windowMode}`, () => {
          const plan = createStftPlan({ nFft: N, signalLength: L, window: plugin, windowParams: params, normalization, windowMode, positions: { mode: 'free', frames: T } });
          const F = plan.freqs;
          const theta =
            windowMode === 'time'
              ? Float64Array.from({ length: T }, (_, n) => 12 + 27 * Math.abs(Math.sin(n + 0.5)))
              : Float64Array.from({ length: F * T }, (_, k) => 12 + 27 * Math.abs(Math.sin(0.61 * k + 0.5)));
          const res = stftForward(plan, x, { theta, positions });
          const want = naiveDstft(x, {
            nFft: N,
            signalLength: L,
            positions,
            theta: (m, n) => (windowMode === 'time' ? theta[n]! : theta[m * T + n]!),
            window: formula,
            normalization,
          });
          expect(relMaxError(res.X, want)).toBeLessThan(1e-12);
        });
      }
    }
  }
});
