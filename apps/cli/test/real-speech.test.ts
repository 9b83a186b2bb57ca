// Every command on real speech (a figure: > 200 distinct colours of the 256-entry colormap, axes and text): recordings of the Free Spoken Digit Dataset (CC BY-SA 4.0; see
// fixtures/speech/README.md) at 8, 16 and 44.1 kHz, a 44.1 kHz stereo file and 5.4 s of digits at 16 kHz (the
// input of the "Maximum call stack size exceeded" crash of issue 16). The built CLI is spawned (test/helpers.ts);
// the crash itself is checked in-process too, where it happened (the thread's own stack).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '@dstft/wav';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../src/program.js';
import { colours, dstft, readPng } from './helpers.js';

const SPEECH = fileURLToPath(new URL('./fixtures/speech/', import.meta.url));
const at = (name: string): string => join(SPEECH, name);
const cwd = mkdtempSync(join(tmpdir(), 'dstft-speech-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** One recording per rate, a different speaker each. */
const RATES = [
  { file: '7_jackson_12.8k.wav', rate: 8000 },
  { file: '9_theo_31.16k.wav', rate: 16000 },
  { file: '5_lucas_20.44k1.wav', rate: 44100 },
] as const;

const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the fixtures', () => {
  it('are what the README says: mono 16-bit at 8 / 16 / 44.1 kHz, a stereo file, 5.4 s of digits', () => {
    for (const { file, rate } of RATES) {
      const w = decodeWav(readFileSync(at(file)));
      expect([w.sampleRate, w.format.channelCount, w.format.bitsPerSample]).toEqual([rate, 1, 16]);
    }
    const st = decodeWav(readFileSync(at('stereo.44k1.wav')));
    expect([st.sampleRate, st.format.channelCount]).toEqual([44100, 2]);
    const long = decodeWav(readFileSync(at('digits-0-9.16k.wav')));
    expect(long.frames / long.sampleRate).toBeCloseTo(5.415, 3);
  });
});

describe('spectrogram on real speech', () => {
  for (const { file, rate } of RATES) {
    it(`${file} (${rate} Hz): a PNG with hundreds of colours, a clean --json result`, async () => {
      const out = `spec-${rate}.png`;
      const r = await dstft(['spectrogram', at(file), '-o', out, '--json'], cwd);
      expect(r.code, r.stderr).toBe(0);
      const j = json(r);
      expect(j.input.sampleRate).toBe(rate);
      expect(j.frames).toBeGreaterThan(10);
      expect(colours(readPng(join(cwd, out)))).toBeGreaterThan(200);
    });
  }

  it('stereo: --channel 0 and 1 are the two recordings, the default is their mix-down', async () => {
    const results = [];
    for (const ch of ['0', '1', null]) {
      const out = `stereo-${ch ?? 'mix'}.png`;
      const r = await dstft(['spectrogram', at('stereo.44k1.wav'), '-o', out, '--magnitudes', `${out}.csv`.replace('.png', ''), '--json', ...(ch ? ['--channel', ch] : [])], cwd);
      expect(r.code, r.stderr).toBe(0);
      const j = json(r);
      expect(j.input.channels).toBe(2);
      expect(j.input.channel).toBe(ch === null ? 'mix' : Number(ch));
      expect(colours(readPng(join(cwd, out)))).toBeGreaterThan(200);
      results.push(readFileSync(join(cwd, `stereo-${ch ?? 'mix'}.csv`), 'utf8'));
    }
    // three different spectrograms: the channels hold different speakers
    expect(new Set(results).size).toBe(3);
  });
});

describe('optimize on real speech', () => {
  const small = ['--scan', '8', '--starts', '1', '--iterations', '3'];

  for (const { file, rate } of RATES) {
    it(`constant θ on ${file} (${rate} Hz): θ within bounds, entropy not above the initial one, one colour scale`, async () => {
      const out = `opt-${rate}`;
      const r = await dstft(['optimize', at(file), ...small, '-o', out, '--json'], cwd);
      expect(r.code, r.stderr).toBe(0);
      const j = json(r);
      const res = readJson(join(cwd, out, 'result.json'));
      expect(res.input.sampleRate).toBe(rate);
      expect(j.theta).toBeGreaterThanOrEqual(res.transform.thetaMin);
      expect(j.theta).toBeLessThanOrEqual(res.transform.thetaMax);
      expect(j.loss.optimized).toBeLessThanOrEqual(j.loss.initial);
      // both panels on one colour scale, in dB re the largest value of both
      const cs = res.display.colourScale;
      expect(cs.label).toBe('dB re max of both');
      expect(cs.panels).toEqual([{ vmin: cs.vmin, vmax: cs.vmax }, { vmin: cs.vmin, vmax: cs.vmax }]);
      expect(colours(readPng(join(cwd, out, 'optimize.png')))).toBeGreaterThan(200);
    });
  }

  const modes: [string, string[]][] = [
    ['time', []],
    ['frequency', []],
    ['time-frequency', []],
    ['time', ['--positions', 'constant']], // a learned hop
    ['time', ['--positions', 'free']], // learned frame positions
  ];
  for (const [mode, extra] of modes) {
    it(`--mode ${mode} ${extra.join(' ')} on 16 kHz speech: a θ map within bounds, loss not above the initial one`, async () => {
      const out = `mode-${mode}${extra.length ? `-${extra[1]}` : ''}`;
      const r = await dstft(['optimize', at('9_theo_31.16k.wav'), '--mode', mode, ...extra, ...small, '-o', out, '--json'], cwd);
      expect(r.code, r.stderr).toBe(0);
      const j = json(r);
      const res = readJson(join(cwd, out, 'result.json'));
      expect(j.theta.min).toBeGreaterThanOrEqual(res.transform.thetaMin);
      expect(j.theta.max).toBeLessThanOrEqual(res.transform.thetaMax);
      expect(j.theta.shape[0] * j.theta.shape[1]).toBe(res.transform.theta.length);
      expect(j.iterative.loss).toBeLessThanOrEqual(j.iterative.initialLoss);
      expect(readdirSync(join(cwd, out)).sort()).toEqual(['loss.png', 'optimize.png', 'result.json']);
      expect(colours(readPng(join(cwd, out, 'optimize.png')))).toBeGreaterThan(200);
    });
  }

  it('stereo --channel 1 at 44.1 kHz', async () => {
    const r = await dstft(['optimize', at('stereo.44k1.wav'), '--channel', '1', ...small, '-o', 'opt-stereo', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).input.channel).toBe(1);
  });

  it('issue 16: --mode time-frequency on 5.4 s of 16 kHz speech writes its results (no "Maximum call stack size exceeded")', async () => {
    // in-process, where the summary spread 513 × 339 θ values into Math.min / Math.max; 0 iterations: the crash
    // was in the summary after the optimization, whatever its length
    const out = join(cwd, 'long-tf');
    const err: string[] = [];
    const code = await run(['optimize', at('digits-0-9.16k.wav'), '--mode', 'time-frequency', '--iterations', '0', '-o', out, '-q'], { out: () => {}, err: (s) => err.push(s) });
    expect(code, err.join('')).toBe(0);
    const res = readJson(join(out, 'result.json'));
    expect(res.theta.shape).toEqual([513, 339]);
    expect(res.theta.min).toBeLessThanOrEqual(res.theta.max);
    expect(existsSync(join(out, 'optimize.png'))).toBe(true);
  }, 30_000);
});

describe('track, grid, inverse on real speech', () => {
  it('track: the pitch ridge of the 8 kHz digit in 80-400 Hz, one row per frame', async () => {
    const r = await dstft(['track', at('7_jackson_12.8k.wav'), '--band', '80,400', '-o', 'track', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    const rows = readFileSync(join(cwd, 'track', 'track.csv'), 'utf8').trim().split('\n');
    expect(rows.length - 1).toBe(j.frames);
    const hz = rows.slice(1).map((l) => Number(l.split(',')[1]));
    expect(hz.every((f) => f >= 80 && f <= 400)).toBe(true);
    expect(colours(readPng(join(cwd, 'track', 'track.png')))).toBeGreaterThan(200);
  });

  it('track --optimize constant on the stereo mix-down at 44.1 kHz', async () => {
    const r = await dstft(['track', at('stereo.44k1.wav'), '--band', '80,400', '--optimize', 'constant', '-o', 'track-stereo', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).tracking.constant.theta).toBeGreaterThan(0);
  });

  it('grid at 16 kHz: the best loss is the minimum of the grid', async () => {
    const r = await dstft(['grid', at('9_theo_31.16k.wav'), '--from', '128', '--to', '1024', '--step', '128', '-o', 'grid', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(j.losses).toHaveLength(8);
    expect(j.best.loss).toBe(j.losses.reduce((a: number, b: number) => Math.min(a, b)));
    expect(colours(readPng(join(cwd, 'grid', 'grid.png')))).toBeGreaterThan(5);
  });

  for (const { file, rate } of [RATES[0], RATES[2]]) {
    it(`inverse round trip at ${rate} Hz: spectrogram --save-transform, inverse --original, tiny error`, async () => {
      const t = `rt-${rate}.dstft`;
      const s = await dstft(['spectrogram', at(file), '-o', `rt-${rate}.png`, '--save-transform', t, '-q'], cwd);
      expect(s.code, s.stderr).toBe(0);
      const r = await dstft(['inverse', t, '--original', at(file), '-o', `rt-${rate}.wav`, '--json'], cwd);
      expect(r.code, r.stderr).toBe(0);
      const j = json(r);
      expect(j.sampleRate).toBe(rate);
      expect(j.original.relativeRmsError).toBeLessThan(1e-6);
      expect(j.consistency).toBeLessThan(1e-6);
      expect(decodeWav(readFileSync(join(cwd, `rt-${rate}.wav`))).sampleRate).toBe(rate);
    });
  }

  it('inverse of an optimized time-varying transform (optimize --save-transform)', async () => {
    const o = await dstft(['optimize', at('9_theo_31.16k.wav'), '--mode', 'time', '--iterations', '2', '--scan', '8', '--starts', '1', '--save-transform', '-o', 'opt-inv', '-q'], cwd);
    expect(o.code, o.stderr).toBe(0);
    const r = await dstft(['inverse', join('opt-inv', 'transform.dstft'), '--original', at('9_theo_31.16k.wav'), '-o', 'opt-inv.wav', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).original.relativeRmsError).toBeLessThan(1e-6);
  });

  it('inverse --original at another rate names both rates and --original', async () => {
    const r = await dstft(['inverse', 'rt-8000.dstft', '--original', at('9_theo_31.16k.wav'), '-o', 'wrong.wav'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/16000 Hz.*8000 Hz.*Fix: pass as --original the recording/);
    expect(r.stderr).not.toMatch(/sampleRate/);
  });
});

describe('plugins, synth, reproduce (no input file) beside the recordings', () => {
  it('plugins --json lists the windows', async () => {
    const r = await dstft(['plugins', '--json'], cwd);
    expect(r.code).toBe(0);
    expect(json(r).plugins.window.map((p: { id: string }) => p.id)).toContain('hann');
  });

  it('synth writes a WAV that spectrogram reads back', async () => {
    const s = await dstft(['synth', 'chirp', '--duration', '0.5', '--sample-rate', '16000', '-o', 'chirp.wav', '-q'], cwd);
    expect(s.code, s.stderr).toBe(0);
    const r = await dstft(['spectrogram', 'chirp.wav', '-o', 'chirp.png', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).input.sampleRate).toBe(16000);
  });

  it('reproduce vi-b --quick -o', async () => {
    const r = await dstft(['reproduce', 'vi-b', '--quick', '-o', 'vib', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).experiment).toBe('vi-b');
    expect(existsSync(join(cwd, 'vib', 'summary.json'))).toBe(true);
  });
});
