// CLI conventions (issue 16): -o/--out on every command that writes, clean --json on success and failure, fixes
// that name flags or files (never API calls), sizes and degenerate inputs refused before any work, output formats
// that follow the extension.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '@dstft/wav';
import { ParameterError, UnknownPluginError } from '@dstft/dstft';
import { cliMessage, mentionsApi, translateFix } from '../src/errors.js';
import { dstft, testSignal } from './helpers.js';

const cwd = mkdtempSync(join(tmpdir(), 'dstft-conv-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
writeFileSync(join(cwd, 'in.wav'), encodeWav([testSignal(4096, 8000)], 8000, { encoding: 'pcm', bitsPerSample: 16, clip: true }));
writeFileSync(join(cwd, 'two.txt'), '0.1\n0.2\n');

const WRITERS = ['spectrogram', 'optimize', 'track', 'inverse', 'synth', 'grid', 'reproduce'];

describe('-o/--out on every command that writes', () => {
  for (const c of WRITERS) {
    it(`${c} --help lists -o, --out`, async () => {
      const r = await dstft([c, '--help'], cwd);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/-o, --out <(dir|file\.(png|wav))>/);
    });
  }
});

describe('--json: stdout is one JSON document, on success and on failure, for every command', () => {
  const failing: [string, string[]][] = [
    ['spectrogram', ['spectrogram', 'missing.wav']],
    ['optimize', ['optimize', 'two.txt', '--sample-rate', '8000']],
    ['track', ['track', 'in.wav', '--band', '5,1']],
    ['inverse', ['inverse', 'missing.dstft']],
    ['synth', ['synth', 'nope']],
    ['grid', ['grid', 'in.wav', '--from', '10', '--to', '5']],
    ['plugins', ['plugins', '--kind', 'nope']],
    ['reproduce', ['reproduce', 'vi-z']],
    ['unknown command', ['nope']],
    ['help', ['optimize', '--help']],
    ['version', ['--version']],
  ];
  for (const [what, args] of failing) {
    it(what, async () => {
      const r = await dstft(['--json', ...args], cwd);
      const j = JSON.parse(r.stdout);
      expect(j.ok).toBe(r.code === 0);
      if (r.code !== 0) {
        expect(j.error.exitCode).toBe(r.code);
        expect(r.stderr).toMatch(/^dstft: /);
      }
    });
  }
});

describe('fixes name flags or files, never API calls', () => {
  it('library parameters become flags: nFft / n → --n-fft, theta → --theta', () => {
    expect(cliMessage(new ParameterError('n', 100000000, 'must be ≤ 67108864 (2^26)', 'split the signal into shorter frames'))).toBe('--n-fft = 100000000: must be ≤ 67108864 (2^26). Fix: use --n-fft ≤ 67108864 (2^26)');
    expect(cliMessage(new ParameterError('theta', 5000, 'longer than nFft = 1024', 'use theta ≤ nFft'))).toBe('--theta = 5000: longer than --n-fft = 1024. Fix: use --theta ≤ --n-fft');
    expect(cliMessage(new ParameterError('options.hop', -1, 'must be > 0', 'pass a positive hop'))).toMatch(/^--hop = -1: /);
  });

  it('registry.use(plugin) and { allowTruncated: true } become --plugin and a file to fix', () => {
    const m = cliMessage(new UnknownPluginError('window', 'acme/kaiser', ['hann']));
    expect(m).toMatch(/^--window = "acme\/kaiser": .*--plugin <package>/);
    expect(mentionsApi(m)).toBe(false);
    const t = translateFix('use the complete file, or pass { allowTruncated: true } to decode the 100 whole frames present');
    expect(t).not.toMatch(/allowTruncated/);
    expect(mentionsApi(t)).toBe(false);
    expect(translateFix('did you mean "hop"?')).toBe('did you mean "hop"?'); // a config file's key stays a key
  });

  it('end to end: an unknown window, --n-fft above 2^26 (at once), a truncated WAV', async () => {
    const w = await dstft(['spectrogram', 'in.wav', '--window', 'acme/kaiser'], cwd);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--window = "acme\/kaiser".*Fix: .*--plugin <package>/);
    const t0 = Date.now();
    const n = await dstft(['spectrogram', 'in.wav', '--n-fft', '1099511627776'], cwd);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/^dstft: --n-fft = 1099511627776: .*Fix: use --n-fft ≤ 67108864/);
    const bytes = encodeWav([testSignal(4096, 8000)], 8000, { encoding: 'pcm', bitsPerSample: 16, clip: true });
    writeFileSync(join(cwd, 'cut.wav'), bytes.subarray(0, bytes.length - 1001));
    const c = await dstft(['spectrogram', 'cut.wav'], cwd);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/cut\.wav.*Fix: /);
    expect(c.stderr).not.toMatch(/allowTruncated|\{ /);
  });
});

describe('sizes and degenerate inputs, before any work', () => {
  it('--n-fft 100000000 is refused at once, naming --n-fft', async () => {
    const t0 = Date.now();
    const r = await dstft(['spectrogram', 'in.wav', '--n-fft', '100000000'], cwd);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--n-fft = 100000000/);
  });

  for (const c of ['spectrogram', 'optimize', 'grid', 'track']) {
    it(`${c}: a 2-sample input is an error naming the input and --n-fft (exit 1)`, async () => {
      const r = await dstft([c, 'two.txt', '--sample-rate', '8000'], cwd);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/two\.txt: 2 samples .* shorter than one frame .*Fix: /);
    });
    it(`${c}: a hop longer than the input is an error naming --hop (exit 1)`, async () => {
      const r = await dstft([c, 'in.wav', '--n-fft', '512', '--hop', '5000'], cwd);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/in\.wav: 4096 samples is shorter than one hop \(--hop 5000\)\. Fix: use --hop/);
    });
  }

  it('synth: a duration of less than 16 samples, and sizes over the memory budget, are usage errors', async () => {
    expect((await dstft(['synth', 'chirp', '--duration', '0.0001'], cwd)).stderr).toMatch(/--duration = 0\.0001/);
    const r = await dstft(['synth', 'chirp', '--duration', '1e9', '--sample-rate', '44100'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/GB.*Fix: lower --duration or --sample-rate/);
  });
});

describe('output formats follow the extension or are refused', () => {
  const cases: [string[], RegExp][] = [
    [['spectrogram', 'in.wav', '-o', 'out.jpg'], /-o\/--out = "out\.jpg": unsupported extension "\.jpg".*Fix: name it out\.png/],
    [['spectrogram', 'in.wav', '--magnitudes', 'm.xlsx'], /--magnitudes = "m\.xlsx".*\.csv.*\.json/],
    [['spectrogram', 'in.wav', '--save-transform', 't.bin'], /--save-transform = "t\.bin".*\.dstft/],
    [['synth', 'chirp', '-o', 'c.mp3'], /-o\/--out = "c\.mp3".*\.wav/],
    [['inverse', 'x.dstft', '-o', 'back.flac'], /-o\/--out = "back\.flac".*\.wav/],
    [['optimize', 'in.wav', '-o', 'result.png'], /writes a folder.*Fix: pass a folder name/],
    [['grid', 'in.wav', '-o', 'g.json'], /writes a folder/],
  ];
  for (const [args, re] of cases) {
    it(args.join(' '), async () => {
      const r = await dstft(args, cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
    });
  }
});
