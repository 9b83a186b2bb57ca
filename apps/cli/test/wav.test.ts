// End-to-end on WAV files the tests write themselves (@dstft/wav's encoder), in every encoding.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chirpToneBurst } from '@dstft/dstft';
import { decodeWav, encodeWav } from '@dstft/wav';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, colours, dstft, readPng, testSignal } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'dstft-cli-wav-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fs = 8000;
const x = testSignal(8000, fs);

const ENCODINGS = [
  { name: 'pcm8', encoding: 'pcm', bitsPerSample: 8 },
  { name: 'pcm16', encoding: 'pcm', bitsPerSample: 16 },
  { name: 'pcm24-extensible', encoding: 'pcm', bitsPerSample: 24, extensible: true },
  { name: 'pcm32', encoding: 'pcm', bitsPerSample: 32 },
  { name: 'float32', encoding: 'float', bitsPerSample: 32 },
  { name: 'float64', encoding: 'float', bitsPerSample: 64 },
] as const;

/** The strongest bin of each frame, from a --magnitudes CSV. */
function peakBins(csv: string): number[] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => {
      const v = row.split(',').slice(1).map(Number);
      return v.indexOf(Math.max(...v));
    });
}

describe('spectrogram of WAV files in every encoding', () => {
  const cwd = join(root, 'encodings');
  mkdirSync(cwd);
  for (const e of ENCODINGS) writeFileSync(join(cwd, `${e.name}.wav`), encodeWav([x], fs, { encoding: e.encoding, bitsPerSample: e.bitsPerSample, ...('extensible' in e ? { extensible: true } : {}) }));
  const runs = Promise.all(
    ENCODINGS.map((e) => dstft(['spectrogram', `${e.name}.wav`, '--n-fft', '512', '--hop', '128', '--magnitudes', `${e.name}.csv`, '--json'], cwd)),
  );

  it('exit 0; PNG of the reported size with a real picture; the sample rate and format from the file', async () => {
    const results = await runs;
    results.forEach((r, k) => {
      const e = ENCODINGS[k]!;
      expect(r.code, `${e.name}: ${r.stderr}`).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.input.sampleRate).toBe(fs);
      expect(json.input.wav.bitsPerSample).toBe(e.bitsPerSample);
      expect(json.input.wav.encoding).toBe(e.encoding);
      expect(json.frames).toBe(1 + Math.floor(x.length / 128));
      const png = readPng(join(cwd, `${e.name}.spectrogram.png`));
      expect([png.width, png.height]).toEqual([json.display.width, json.display.height]);
      expect(colours(png)).toBeGreaterThan(100);
    });
  });

  it('every encoding gives the same ridge (the strongest bin per frame) as float64', async () => {
    await runs;
    const ref = peakBins(readFileSync(join(cwd, 'float64.csv'), 'utf8'));
    expect(ref).toHaveLength(1 + Math.floor(x.length / 128));
    for (const e of ENCODINGS) {
      const got = peakBins(readFileSync(join(cwd, `${e.name}.csv`), 'utf8'));
      const same = got.filter((b, n) => b === ref[n]).length;
      expect(same / ref.length, e.name).toBeGreaterThan(e.bitsPerSample === 8 ? 0.9 : 0.99);
    }
  });
});

describe('stereo: --channel or the mix-down', () => {
  const cwd = join(root, 'stereo');
  mkdirSync(cwd);
  const left = new Float64Array(8000).map((_, p) => 0.5 * Math.sin((2 * Math.PI * 500 * p) / fs));
  const right = new Float64Array(8000).map((_, p) => 0.5 * Math.sin((2 * Math.PI * 2500 * p) / fs));
  writeFileSync(join(cwd, 'st.wav'), encodeWav([left, right], fs, { encoding: 'pcm', bitsPerSample: 24 }));
  const args = (extra: string[], mags: string) => ['spectrogram', 'st.wav', '--n-fft', '256', '--hop', '64', '--magnitudes', mags, '-o', `${mags}.png`, ...extra];

  it('channel 0 peaks at 500 Hz, channel 1 at 2500 Hz, the mix-down has both', async () => {
    const [a, b, m] = await Promise.all([dstft(args(['--channel', '0'], 'l.csv'), cwd), dstft(args(['--channel', '1'], 'r.csv'), cwd), dstft(args([], 'm.csv'), cwd)]);
    for (const r of [a, b, m]) expect(r.code, r.stderr).toBe(0);
    const bin = (hz: number) => Math.round((hz * 256) / fs);
    const mid = (f: string) => peakBins(readFileSync(join(cwd, f), 'utf8'))[60];
    expect(mid('l.csv')).toBe(bin(500));
    expect(mid('r.csv')).toBe(bin(2500));
    const row = readFileSync(join(cwd, 'm.csv'), 'utf8').trim().split('\n')[61]!.split(',').slice(1).map(Number);
    expect(row[bin(500)]! / row[bin(2500)]!).toBeGreaterThan(0.8);
    expect(row[bin(500)]! / row[bin(2500)]!).toBeLessThan(1.25);
  });

  it('--channel out of range: exit 2, names the file and the channel count', async () => {
    const r = await dstft(['spectrogram', 'st.wav', '--channel', '5', '-o', 'x.png'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--channel = 5: .*st\.wav has 2 channel\(s\)/);
  });
});

describe('optimize and inverse on a WAV', () => {
  const cwd = join(root, 'optimize');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'in.wav'), encodeWav([x], fs, { encoding: 'float', bitsPerSample: 64 }));
  // the paper's VI-A signal (chirp + tone + burst), scaled into [-1, 1], as 24-bit PCM: its entropy has an interior optimum
  const via = chirpToneBurst().samples.map((v) => v / 3.5);
  writeFileSync(join(cwd, 'vi-a.wav'), encodeWav([via], fs, { encoding: 'pcm', bitsPerSample: 24 }));

  it('optimize: the optimized entropy is below the initial one; figures and JSON in the folder', async () => {
    const r = await dstft(['optimize', 'vi-a.wav', '--hop', '64', '--out', 'run', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.loss.optimized).toBeLessThan(json.loss.initial);
    expect(json.theta).toBeGreaterThan(700);
    expect(json.theta).toBeLessThan(760);
    expect(json.input).toMatchObject({ kind: 'wav', sampleRate: fs, samples: 8000, wav: { encoding: 'pcm', bitsPerSample: 24 } });
    const saved = JSON.parse(readFileSync(join(cwd, 'run', 'result.json'), 'utf8'));
    expect(saved.theta).toBe(json.theta);
    expect(saved.config.optimize.loss).toBe('shannon');
    expect(saved.constant.scan.length).toBe(24);
    const png = readPng(join(cwd, 'run', 'optimize.png'));
    expect(png.width).toBeGreaterThan(1000);
    expect(colours(png)).toBeGreaterThan(200);
  });

  it('time-varying θ with --save-transform, then inverse: the WAV comes back', async () => {
    const r = await dstft(['optimize', 'in.wav', '--n-fft', '512', '--hop', '64', '--mode', 'time', '--iterations', '15', '--save-transform', '--out', 'tv', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.files.sort()).toEqual(['loss.png', 'optimize.png', 'result.json', 'transform.dstft']);
    expect(json.theta.shape).toEqual([1, 1 + Math.floor(x.length / 64)]);
    expect(json.loss.optimized).toBeLessThan(json.loss.initial);
    const inv = await dstft(['inverse', 'tv/transform.dstft', '--original', 'in.wav', '--format', 'float64', '-o', 'back.wav', '--json'], cwd);
    expect(inv.code, inv.stderr).toBe(0);
    const ij = JSON.parse(inv.stdout);
    expect(ij.uncoveredSamples).toBe(0);
    expect(ij.original.relativeRmsError).toBeLessThan(1e-10);
    const back = decodeWav(readFileSync(join(cwd, 'back.wav')));
    expect(back.frames).toBe(x.length);
    expect(back.sampleRate).toBe(fs);
    let err = 0;
    for (let p = 0; p < x.length; p++) err = Math.max(err, Math.abs(back.channels[0]![p]! - x[p]!));
    expect(err).toBeLessThan(1e-10);
  });

  it('inverse of a file that is not a transform: exit 1, names the file', async () => {
    const r = await dstft(['inverse', 'in.wav'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/in\.wav: is not a \.dstft transform file/);
  });
});

describe('bad WAV files: exit 1, one line naming the file and the problem, nothing written', () => {
  const cwd = join(root, 'bad');
  mkdirSync(cwd);
  const good = encodeWav([x], fs);
  writeFileSync(join(cwd, 'truncated.wav'), good.subarray(0, good.length - 1001));
  const adpcm = Uint8Array.from(good);
  adpcm[20] = 2; // fmt tag 2: Microsoft ADPCM
  writeFileSync(join(cwd, 'adpcm.wav'), adpcm);
  writeFileSync(join(cwd, 'header-only.wav'), good.subarray(0, 30));

  it.each([
    ['truncated.wav', /truncated\.wav: .*(truncated|cut short|ends)/i],
    ['adpcm.wav', /adpcm\.wav: .*ADPCM/],
    ['header-only.wav', /header-only\.wav: /],
  ])('%s', async (file, message) => {
    const r = await dstft(['optimize', file, '--out', 'o'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Fix: /);
    expect(existsSync(join(cwd, 'o'))).toBe(false);
  });
});

describe('progress bar: on a terminal only', () => {
  // `script` (util-linux) gives the CLI a pseudo-terminal as stdout and stderr
  it.skipIf(!existsSync('/usr/bin/script'))('drawn under a terminal, absent in pipes and with --quiet', async () => {
    const cwd = join(root, 'tty');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'long.wav'), encodeWav([testSignal(12 * fs, fs)], fs));
    const cmd = (extra: string, png: string) => `'${process.execPath}' '${CLI}' spectrogram long.wav --hop 16 -o ${png} ${extra}`;
    const viaScript = (c: string) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn('/usr/bin/script', ['-qec', c, '/dev/null'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
    const [tty, quiet, piped] = await Promise.all([viaScript(cmd('', 'a.png')), viaScript(cmd('--quiet', 'b.png')), dstft(['spectrogram', 'long.wav', '--hop', '16', '-o', 'c.png'], cwd)]);
    expect(tty).toMatch(/spectrogram \[#+-*\] +\d+% \d+\/\d+/);
    expect(tty).toMatch(/wrote a\.png/);
    expect(quiet).not.toMatch(/\[#/);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).not.toMatch(/\[#/);
  });
});

describe('Ctrl-C while writing: the temporary file is removed, no result is left', () => {
  it('SIGINT during a streamed --magnitudes write exits 130 and leaves only the input', async () => {
    const cwd = join(root, 'sigint');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'long.wav'), encodeWav([testSignal(40 * fs, fs)], fs));
    const child = spawn(process.execPath, [CLI, 'spectrogram', 'long.wav', '--hop', '16', '--magnitudes', 'mags.csv'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // wait until the temporary file of the stream exists, then interrupt
    const t0 = Date.now();
    while (!readdirSync(cwd).some((f) => f.startsWith('.mags.csv.tmp-')) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(cwd).some((f) => f.startsWith('.mags.csv.tmp-'))).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT/);
    expect(readdirSync(cwd)).toEqual(['long.wav']);
  });
});
