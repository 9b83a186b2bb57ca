import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colours, dstft, readPng } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dstft-track-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dstft synth vibration + dstft track', () => {
  beforeAll(async () => {
    const r = await dstft(['synth', 'vibration', '-o', 'vib.wav', '--duration', '8'], dir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('writes the vibration signal with its shaft-speed truth', () => {
    const truth = JSON.parse(readFileSync(join(dir, 'vib.truth.json'), 'utf8'));
    expect(truth.track.times.length).toBe(truth.track.hz.length);
    expect(Math.min(...truth.track.hz)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...truth.track.hz)).toBeLessThanOrEqual(29);
  });

  it('tracks the 10th harmonic ÷ 10 to a sub-hertz RMS error, and writes CSV, JSON and a PNG with the ridge', async () => {
    const r = await dstft(['track', 'vib.wav', '--order', '10', '--band', '90,300', '--optimize', 'constant', '--truth', 'vib.truth.json', '-o', 'const', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.mse).toBeGreaterThan(0);
    expect(res.mse).toBeLessThan(0.5);
    const json = JSON.parse(readFileSync(join(dir, 'const', 'track.json'), 'utf8'));
    expect(json.frequency).toHaveLength(json.frames);
    expect(json.truth).toHaveLength(json.frames);
    // the MSE in the JSON is the mean squared difference of its own columns
    const mse = json.frequency.reduce((s: number, f: number, n: number) => s + (f - json.truth[n]) ** 2, 0) / json.frames;
    expect(mse).toBeCloseTo(json.mse, 6);
    const csv = readFileSync(join(dir, 'const', 'track.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('time_s,frequency_hz,truth_hz');
    expect(csv).toHaveLength(json.frames + 1);
    const png = readPng(join(dir, 'const', 'track.png'));
    expect(png.width).toBeGreaterThan(800);
    expect(colours(png)).toBeGreaterThan(100);
  });

  it('a time-varying θ tracks better than the entropy-optimal constant one (the paper’s VI-C claim)', async () => {
    const c = JSON.parse((await dstft(['track', 'vib.wav', '--order', '10', '--band', '90,300', '--optimize', 'constant', '--truth', 'vib.truth.json', '-o', 'c2', '--json'], dir)).stdout);
    const t = await dstft(['track', 'vib.wav', '--order', '10', '--band', '90,300', '--optimize', 'time', '--iterations', '30', '--truth', 'vib.truth.json', '-o', 'time', '--json'], dir);
    expect(t.code, t.stderr).toBe(0);
    const tv = JSON.parse(t.stdout);
    expect(tv.tracking.timeVarying.entropy).toBeLessThan(tv.tracking.constant.entropy);
    expect(tv.mse).toBeLessThan(c.mse);
  });

  it('usage errors: a band without bins, an unknown mode, a bad --band, a missing truth file; nothing written', async () => {
    const bad = await dstft(['track', 'vib.wav', '--band', '5000,6000', '-o', 'bad1'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/band = \[5000, 6000\]: holds no frequency bin.*Fix: widen the band/);
    expect((await dstft(['track', 'vib.wav', '--optimize', 'fast', '-o', 'bad2'], dir)).stderr).toMatch(/--optimize = "fast": unknown mode/);
    expect((await dstft(['track', 'vib.wav', '--band', '300', '-o', 'bad3'], dir)).code).toBe(2);
    const noTruth = await dstft(['track', 'vib.wav', '--truth', 'nope.json', '-o', 'bad4'], dir);
    expect(noTruth.code).toBe(2);
    expect(noTruth.stderr).toMatch(/--truth = "nope.json": no such file/);
    for (const d of ['bad1', 'bad2', 'bad3', 'bad4']) expect(existsSync(join(dir, d))).toBe(false);
  });

  it('refuses to overwrite a non-empty output folder without --force', async () => {
    const r = await dstft(['track', 'vib.wav', '--order', '10', '--band', '90,300', '-o', 'const'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not empty.*--force/);
  });
});
