import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runExperiment } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'dstft-exp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function readPng(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

/** Distinct colours in a PNG (a blank or one-colour figure has very few). */
function colours(png: PNG): number {
  const seen = new Set<number>();
  for (let k = 0; k < png.data.length; k += 4) seen.add((png.data[k]! << 16) | (png.data[k + 1]! << 8) | png.data[k + 2]!);
  return seen.size;
}

describe('VI-A, reduced size (0.5 s, N = 512, hop 64, grid 50..512)', () => {
  const out = join(root, 'vi-a');
  const { summary, files } = runExperiment('vi-a', out, { quick: true });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading the JSON summary, checked field by field
  const s = summary as any;

  it('writes summary.json and non-trivial PNG figures', () => {
    expect(files.sort()).toEqual(['entropy-vs-theta.png', 'loss-curves.png', 'spectrograms.png', 'summary.json', 'theta-maps.png']);
    const json = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(json.experiment).toBe('VI-A');
    for (const f of files.filter((f) => f.endsWith('.png'))) {
      const png = readPng(join(out, f));
      expect(png.width).toBeGreaterThan(300);
      expect(colours(png)).toBeGreaterThan(50);
    }
  });

  it('the robust strategy: within 1 sample of the grid best, entropy no higher, ≤ 1/10 of the grid transforms', () => {
    expect(s.grid.candidates).toBe(463);
    expect(s.grid.localMinima.length).toBeGreaterThanOrEqual(2);
    expect(s.robust.distanceToGridBest).toBeLessThanOrEqual(1);
    expect(s.robust.entropyMinusGridBest).toBeLessThanOrEqual(0);
    expect(s.robust.transforms).toBeLessThanOrEqual(s.grid.candidates / 10);
  });

  it('TF-varying θ beats the best constant θ; the regularizer makes the map smoother', () => {
    expect(s.tfVarying.withSmoothness.entropy).toBeLessThan(s.robust.entropy);
    expect(s.tfVarying.withoutRegularizer.entropy).toBeLessThan(s.robust.entropy);
    expect(s.tfVarying.withSmoothness.meanAbsNeighbourDiff).toBeLessThan(s.tfVarying.withoutRegularizer.meanAbsNeighbourDiff / 2);
  });
});

describe('VI-B, reduced size (0.5 s, N = 256, 40 frames)', () => {
  const out = join(root, 'vi-b');
  const { summary } = runExperiment('vi-b', out, { quick: true });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading the JSON summary, checked field by field
  const s = summary as any;

  it('learned θ_n and positions: kurtosis above the best uniform setting, every sample still covered', () => {
    expect(s.learned.kurtosis).toBeGreaterThan(s.uniform.bestKurtosis);
    expect(s.learned.coverage.violations).toBe(0);
    expect(s.learned.coverage.uncoveredSamples).toBe(0);
    expect(s.learned.coverage.inverseMaxError).toBeLessThan(1e-9);
    // the frames moved: spacing is no longer uniform
    expect(s.learned.hopRange[1] - s.learned.hopRange[0]).toBeGreaterThan(1);
  });

  it('PNG figures decode and are not blank', () => {
    for (const f of readdirSync(out).filter((f) => f.endsWith('.png'))) expect(colours(readPng(join(out, f)))).toBeGreaterThan(20);
  });
});

describe('VI-C, reduced size (20 s at 1 kHz, N = 512)', () => {
  const out = join(root, 'vi-c');
  const { summary } = runExperiment('vi-c', out, { quick: true });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading the JSON summary, checked field by field
  const s = summary as any;

  it('time-varying θ lowers the entropy, varies over time, and halves the ridge-tracking MSE for every jump penalty', () => {
    expect(s.timeVarying.entropy).toBeLessThan(s.constant.entropy);
    expect(s.timeVarying.thetaRange[1] - s.timeVarying.thetaRange[0]).toBeGreaterThan(100);
    for (const t of s.tracking.byJumpPenalty) expect(t.mseTimeVarying).toBeLessThanOrEqual(0.5 * t.mseConstant);
    // and both track the shaft: RMS error below 1 Hz
    expect(s.tracking.headline.mseConstant).toBeLessThan(1);
  });

  it('PNG figures decode and are not blank', () => {
    const pngs = readdirSync(out).filter((f) => f.endsWith('.png'));
    expect(pngs.sort()).toEqual(['spectrograms.png', 'theta-and-tracks.png']);
    for (const f of pngs) expect(colours(readPng(join(out, f)))).toBeGreaterThan(20);
  });
});

describe('VII-A, reduced size (48 training signals of 1024 samples, N = 256)', () => {
  const out = join(root, 'vii-a');
  const { summary } = runExperiment('vii-a', out, { quick: true });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading the JSON summary, checked field by field
  const s = summary as any;

  it('the loss curve has an interior minimum, training moves θ into its basin, and the held-out MSE beats every fixed θ', () => {
    const losses = s.curve.map((c: { validationMse: number }) => c.validationMse);
    const k = losses.indexOf(Math.min(...losses));
    expect(k).toBeGreaterThan(0);
    expect(k).toBeLessThan(losses.length - 1);
    const learned = s.training.learnedTheta;
    expect(learned).not.toBe(s.training.start);
    expect(learned).toBeGreaterThan(s.curve[k - 1].theta);
    expect(learned).toBeLessThan(s.curve[k + 1].theta);
    expect(s.test.learned.mse).toBeLessThan(s.test.bestFixed.mse);
    expect(s.test.learnedBeatsBestFixed).toBe(true);
  });
});

describe('output folder', () => {
  it('refuses a non-empty folder without force, and leaves it untouched', () => {
    const dir = join(root, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'mine.txt'), 'keep');
    expect(() => runExperiment('vi-b', dir, { quick: true })).toThrow(/not empty.*--force/);
    expect(readdirSync(dir)).toEqual(['mine.txt']);
  });
});
