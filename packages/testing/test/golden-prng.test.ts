// The golden data's noise is u = mulberry32(seed = 7): regenerating its signal from the formula proves that
// our mulberry32 is the same generator. (Tests only; the published code never reads the golden fixtures in tooling/vitest/golden/.)
import { describe, expect, it } from 'vitest';
import { readGolden } from '@dstft/vitest-config/golden';
import { mulberry32 } from '../src/index.js';

const golden = readGolden('golden-constant-window.json') as { signal: { formula: string; L: number; samples: number[] } };

const FORMULA =
  'n = 0..L-1 (integer sample index, no sample rate);  x[n] = sin(2*pi*0.031*n) + 0.5*cos(2*pi*(0.12*n + 0.5*0.00025*n^2)) + ' +
  '0.8*exp(-0.5*((n-0.6*L)/3)^2)*cos(2*pi*0.3*n) + 0.05*(2*u[n]-1), u = mulberry32(seed=7)';

describe('mulberry32 against the golden data', () => {
  it('regenerates signal.samples of golden-constant-window.json from signal.formula to 1e-12', () => {
    expect(golden.signal.formula).toBe(FORMULA); // the formula implemented below
    const L = golden.signal.L;
    const samples = golden.signal.samples;
    expect(samples).toHaveLength(L);
    const u = mulberry32(7);
    let worst = 0;
    for (let n = 0; n < L; n++) {
      const x =
        Math.sin(2 * Math.PI * 0.031 * n) +
        0.5 * Math.cos(2 * Math.PI * (0.12 * n + 0.5 * 0.00025 * n * n)) +
        0.8 * Math.exp(-0.5 * ((n - 0.6 * L) / 3) ** 2) * Math.cos(2 * Math.PI * 0.3 * n) +
        0.05 * (2 * u() - 1);
      worst = Math.max(worst, Math.abs(x - samples[n]!));
    }
    expect(worst).toBeLessThanOrEqual(1e-12);
  });

  it('a different seed does not reproduce it (the check can fail)', () => {
    const L = golden.signal.L;
    const u = mulberry32(8);
    let worst = 0;
    for (let n = 0; n < L; n++) {
      const x =
        Math.sin(2 * Math.PI * 0.031 * n) +
        0.5 * Math.cos(2 * Math.PI * (0.12 * n + 0.5 * 0.00025 * n * n)) +
        0.8 * Math.exp(-0.5 * ((n - 0.6 * L) / 3) ** 2) * Math.cos(2 * Math.PI * 0.3 * n) +
        0.05 * (2 * u() - 1);
      worst = Math.max(worst, Math.abs(x - golden.signal.samples[n]!));
    }
    expect(worst).toBeGreaterThan(1e-3);
  });
});
