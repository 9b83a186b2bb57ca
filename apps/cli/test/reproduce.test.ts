// `dstft reproduce` dispatches to @dstft/experiments' EXPERIMENTS table.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { colours, dstft, readPng } from './helpers.js';

const cwd = mkdtempSync(join(tmpdir(), 'dstft-cli-rep-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('dstft reproduce', () => {
  it('vi-b --quick writes summary.json and figures; the learned kurtosis beats the best uniform setting', async () => {
    const r = await dstft(['reproduce', 'vi-b', '--quick', '--out', 'vib', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.experiment).toBe('vi-b');
    expect(readdirSync(join(cwd, 'vib')).sort()).toEqual(['loss-curve.png', 'spectrograms.png', 'summary.json', 'theta-positions.png']);
    const summary = JSON.parse(readFileSync(join(cwd, 'vib', 'summary.json'), 'utf8'));
    expect(summary.command).toBe('dstft reproduce vi-b --quick');
    expect(summary.learned.kurtosis).toBeGreaterThan(summary.uniform.bestKurtosis);
    expect(colours(readPng(join(cwd, 'vib', 'spectrograms.png')))).toBeGreaterThan(50);
  });

  it('an unknown experiment is a usage error listing the known ones', async () => {
    const r = await dstft(['reproduce', 'vi-z'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown experiment "vi-z".*vi-a, vi-b/);
  });
});
