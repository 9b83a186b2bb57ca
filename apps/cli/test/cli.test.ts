import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { colours, dstft, readPng, testSignal } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'dstft-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
function freshDir(): string {
  const d = join(root, `case-${++counter}`);
  mkdirSync(d);
  return d;
}
/** No temporary files left anywhere under `dir`. */
function noTemps(dir: string): boolean {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [e.name]));
  return walk(dir).every((f) => !f.includes('.tmp-'));
}
/** A one-line error on stderr starting with "dstft: ", no stack trace. */
function oneLineError(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^dstft: /);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('dstft optimize with no input: the built-in example, a fresh folder', () => {
  const cwd = freshDir();
  const run = dstft(['optimize'], cwd);

  it('exits 0, prints the folder, writes optimize.png and result.json there', async () => {
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const m = /wrote (dstft-out\/optimize-\d{8}-\d{6})\//.exec(r.stdout);
    expect(m).not.toBeNull();
    const dir = join(cwd, m![1]!);
    expect(readdirSync(dir).sort()).toEqual(['optimize.png', 'result.json']);
    const json = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    // the entropy at the optimized θ is below the entropy at the fixed initial θ
    expect(json.loss.id).toBe('shannon');
    expect(json.loss.optimized).toBeLessThan(json.loss.initial);
    // VI-A: the optimum lies in the basin around 731 (local minima near 540, 640, 731, 930)
    expect(json.theta).toBeGreaterThan(700);
    expect(json.theta).toBeLessThan(760);
    expect(json.input.kind).toBe('builtin');
    expect(json.config.optimize.mode).toBe('constant');
    const png = readPng(join(dir, 'optimize.png'));
    expect(png.width).toBeGreaterThan(1000);
    expect(png.height).toBeGreaterThan(600);
    expect(colours(png)).toBeGreaterThan(200);
    expect(noTemps(cwd)).toBe(true);
  });

  it('a second run writes a second fresh folder (never into the first)', async () => {
    await run;
    const r = await dstft(['optimize', '--quiet', '--scan', '6', '--starts', '1'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(join(cwd, 'dstft-out'))).toHaveLength(2);
  });
});

describe('text inputs', () => {
  const fs = 4000;
  const x = testSignal(4000, fs);

  it('spectrogram of a CSV with a header → PNG with the plot dimensions, magnitudes as CSV', async () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 'sig.csv'), `value\n${Array.from(x, (v) => v.toFixed(9)).join('\n')}\n`);
    const r = await dstft(['spectrogram', 'sig.csv', '--sample-rate', String(fs), '--n-fft', '256', '--hop', '64', '--magnitudes', 'mags.csv', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(true);
    expect(json.freqs).toBe(129);
    expect(json.frames).toBe(1 + Math.floor(4000 / 64));
    const png = readPng(join(cwd, 'sig.spectrogram.png'));
    expect(png.width).toBe(json.display.width);
    expect(png.height).toBe(json.display.height);
    expect(colours(png)).toBeGreaterThan(100);
    const rows = readFileSync(join(cwd, 'mags.csv'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(1 + json.frames);
    expect(rows[0]!.split(',')).toHaveLength(1 + 129);
    // the strongest bin of a frame in the middle is the 1200 Hz tone or the chirp, not silence
    const mid = rows[1 + 30]!.split(',').slice(1).map(Number);
    expect(Math.max(...mid)).toBeGreaterThan(1);
  });

  it('NaN in a CSV: exit 1, one line naming the file and the line', async () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 'bad.csv'), '0.1\n0.2\nNaN\n0.4\n');
    const r = await dstft(['spectrogram', 'bad.csv', '--sample-rate', '8000'], cwd);
    expect(r.code).toBe(1);
    expect(oneLineError(r.stderr)).toMatch(/bad\.csv:3: NaN in column 1/);
    expect(readdirSync(cwd)).toEqual(['bad.csv']);
  });

  it('an empty file: exit 1, "the file is empty"', async () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 'empty.wav'), '');
    const r = await dstft(['optimize', 'empty.wav', '--out', 'o'], cwd);
    expect(r.code).toBe(1);
    expect(oneLineError(r.stderr)).toMatch(/empty\.wav: the file is empty/);
    expect(existsSync(join(cwd, 'o'))).toBe(false);
  });

  it('a text input without --sample-rate is a usage error (exit 2)', async () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 's.txt'), '1 2 3 4 5 6');
    const r = await dstft(['spectrogram', 's.txt'], cwd);
    expect(r.code).toBe(2);
    expect(oneLineError(r.stderr)).toMatch(/--sample-rate/);
  });

  it('JSON sample list with its own sampleRate; grid baseline writes grid.png and result.json', async () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 's.json'), JSON.stringify({ sampleRate: fs, samples: Array.from(x) }));
    const r = await dstft(['grid', 's.json', '--n-fft', '256', '--hop', '64', '--from', '40', '--to', '256', '--step', '24', '--out', 'g', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.grid.candidates).toBe(10);
    expect(json.losses).toHaveLength(10);
    expect(json.best.loss).toBe(Math.min(...json.losses));
    expect(readdirSync(join(cwd, 'g')).sort()).toEqual(['grid.png', 'result.json']);
    expect(colours(readPng(join(cwd, 'g', 'grid.png')))).toBeGreaterThan(20);
  });
});

describe('CSV columns are channels; a result.json reruns its settings', () => {
  it('--channel picks a column; the mix-down is the default', async () => {
    const cwd = freshDir();
    const a = testSignal(3000, 8000);
    writeFileSync(join(cwd, 'two.csv'), `left,right\n${Array.from(a, (v, p) => `${v.toFixed(6)},${(p % 7 === 0 ? 0.5 : -0.1).toFixed(3)}`).join('\n')}\n`);
    const [one, mix, bad] = await Promise.all([
      dstft(['spectrogram', 'two.csv', '--sample-rate', '8000', '--n-fft', '256', '--channel', '1', '-o', 'one.png', '--json'], cwd),
      dstft(['spectrogram', 'two.csv', '--sample-rate', '8000', '--n-fft', '256', '-o', 'mix.png', '--json'], cwd),
      dstft(['spectrogram', 'two.csv', '--sample-rate', '8000', '--channel', '2', '-o', 'bad.png'], cwd),
    ]);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).input).toMatchObject({ kind: 'text', channels: 2, channel: 1 });
    expect(JSON.parse(mix.stdout).input).toMatchObject({ channels: 2, channel: 'mix' });
    expect(bad.code).toBe(2);
    expect(oneLineError(bad.stderr)).toMatch(/--channel = 2: .*two\.csv has 2 column\(s\)/);
  });

  it('optimize --config <earlier result.json> reproduces the run', async () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 's.txt'), `# a chirp and a tone\n${Array.from(testSignal(4000, 8000), (v) => v.toFixed(8)).join(' ')}\n`);
    const first = await dstft(['optimize', 's.txt', '--sample-rate', '8000', '--n-fft', '512', '--hop', '32', '--theta-max', '400', '--scan', '10', '--out', 'a', '--json'], cwd);
    expect(first.code, first.stderr).toBe(0);
    const again = await dstft(['optimize', 's.txt', '--sample-rate', '8000', '--config', 'a/result.json', '--out', 'b', '--json'], cwd);
    expect(again.code, again.stderr).toBe(0);
    const [x, y] = [JSON.parse(first.stdout), JSON.parse(again.stdout)];
    expect(y.transform).toMatchObject({ nFft: 512, hop: 32, thetaMax: 400 });
    expect(y.constant.scan).toHaveLength(10);
    expect(y.theta).toBe(x.theta);
    expect(y.loss.optimized).toBe(x.loss.optimized);
  });
});

describe('usage errors and bad options (exit 2, one line, no stack)', () => {
  const cwd = freshDir();
  writeFileSync(join(cwd, 's.txt'), Array.from(testSignal(2000, 8000), (v) => v.toFixed(6)).join('\n'));

  it('a window longer than nFft', async () => {
    const r = await dstft(['spectrogram', 's.txt', '--sample-rate', '8000', '--n-fft', '256', '--theta', '512'], cwd);
    expect(r.code).toBe(2);
    expect(oneLineError(r.stderr)).toMatch(/--theta = 512: the window is longer than nFft = 256/);
  });

  it('an unknown plugin id (loss, window)', async () => {
    const a = await dstft(['optimize', 's.txt', '--sample-rate', '8000', '--loss', 'nope'], cwd);
    expect(a.code).toBe(2);
    expect(oneLineError(a.stderr)).toMatch(/--loss = "nope": no loss plugin.*"shannon"/);
    const b = await dstft(['spectrogram', 's.txt', '--sample-rate', '8000', '--window', 'acme/none'], cwd);
    expect(b.code).toBe(2);
    expect(oneLineError(b.stderr)).toMatch(/acme\/none/);
  });

  it('unknown option, unknown command, missing argument, bad number', async () => {
    const cases = [['optimize', '--bogus'], ['frobnicate'], ['synth'], ['spectrogram', 's.txt', '--hop', 'abc'], ['optimize', '--mode', 'sideways']];
    const results = await Promise.all(cases.map((args) => dstft(args, cwd)));
    results.forEach((r, k) => {
      expect(r.code, cases[k]!.join(' ')).toBe(2);
      oneLineError(r.stderr);
    });
  });

  it('--verbose adds the stack trace', async () => {
    const r = await dstft(['spectrogram', 'missing.wav', '--verbose'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing\.wav: cannot read the input \(ENOENT\)/);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('--json on failure prints { ok: false, error } on stdout', async () => {
    const r = await dstft(['spectrogram', 'missing.wav', '--json'], cwd);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ ok: false, error: { code: 'ERR_INPUT', exitCode: 1 } });
  });

  it('every command has --help with examples (exit 0)', async () => {
    const commands = ['spectrogram', 'optimize', 'inverse', 'synth', 'grid', 'plugins', 'reproduce'];
    const results = await Promise.all(commands.map((c) => dstft([c, '--help'], cwd)));
    results.forEach((r, k) => {
      expect(r.code, commands[k]).toBe(0);
      expect(r.stdout, commands[k]).toMatch(/Examples:\n {2}\$ dstft /);
    });
  });
});

describe('outputs: never overwrite without --force, unwritable folders, atomic writes', () => {
  const fs = 8000;
  const cwd = freshDir();
  writeFileSync(join(cwd, 's.txt'), Array.from(testSignal(4000, fs), (v) => v.toFixed(6)).join('\n'));
  const args = ['spectrogram', 's.txt', '--sample-rate', String(fs), '--n-fft', '256', '-o', 'out.png'];

  it('an existing file is kept unless --force', async () => {
    writeFileSync(join(cwd, 'out.png'), 'mine');
    const r = await dstft(args, cwd);
    expect(r.code).toBe(1);
    expect(oneLineError(r.stderr)).toMatch(/out\.png: exists already, refusing to overwrite\. Fix: .*--force/);
    expect(readFileSync(join(cwd, 'out.png'), 'utf8')).toBe('mine');
    const f = await dstft([...args, '--force'], cwd);
    expect(f.code).toBe(0);
    expect(readPng(join(cwd, 'out.png')).width).toBeGreaterThan(100);
    expect(noTemps(cwd)).toBe(true);
  });

  it('a non-empty output folder is refused and left untouched', async () => {
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken', 'keep.txt'), 'keep');
    const r = await dstft(['optimize', 's.txt', '--sample-rate', String(fs), '--n-fft', '256', '--out', 'taken'], cwd);
    expect(r.code).toBe(1);
    expect(oneLineError(r.stderr)).toMatch(/taken: folder is not empty, refusing to overwrite/);
    expect(readdirSync(join(cwd, 'taken'))).toEqual(['keep.txt']);
  });

  it('an output folder that cannot be created: exit 1, names the path, nothing created', async () => {
    writeFileSync(join(cwd, 'afile'), 'x');
    const r = await dstft(['optimize', 's.txt', '--sample-rate', String(fs), '--n-fft', '256', '--out', 'afile/sub/run'], cwd);
    expect(r.code).toBe(1);
    expect(oneLineError(r.stderr)).toMatch(/afile\/sub\/run: cannot be created: .*afile is a file/);
    const png = await dstft([...args.slice(0, -1), 'afile/x.png'], cwd);
    expect(png.code).toBe(1);
    expect(oneLineError(png.stderr)).toMatch(/afile is a file/);
    expect(statSync(join(cwd, 'afile')).isFile()).toBe(true);
  });
});

describe('--plugin: a third-party package from node_modules of the current folder', () => {
  const cwd = freshDir();
  const pkg = join(cwd, 'node_modules', '@acme', 'dstft-loss-l2');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@acme/dstft-loss-l2', version: '1.2.3', type: 'module', exports: { '.': { default: './index.js' } } }));
  // a loss plugin with no imports: the mean of S² per signal (an "energy" loss), and its gradient
  writeFileSync(
    join(pkg, 'index.js'),
    `export default {
  kind: 'loss', id: 'acme/l2', apiVersion: 1,
  meta: { name: '@acme/dstft-loss-l2', version: '1.2.3', description: 'mean of S squared' },
  defaults: {},
  evaluate(spec, grad) {
    const n = spec.data.length;
    let s = 0;
    for (let k = 0; k < n; k++) { s += spec.data[k] * spec.data[k]; if (grad) grad[k] = 2 * spec.data[k] / n; }
    return s / n;
  },
};
`,
  );
  writeFileSync(join(cwd, 's.txt'), Array.from(testSignal(3000, 8000), (v) => v.toFixed(6)).join('\n'));

  it('dstft plugins lists it', async () => {
    const r = await dstft(['plugins', '--plugin', '@acme/dstft-loss-l2', '--kind', 'loss', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.plugins.loss.map((p: { id: string }) => p.id)).toEqual(['acme/l2', 'kurtosis', 'renyi', 'shannon']);
    expect(json.plugins.loss[0]).toMatchObject({ package: '@acme/dstft-loss-l2', version: '1.2.3' });
  });

  it('optimize uses it by id', async () => {
    const r = await dstft(['optimize', 's.txt', '--sample-rate', '8000', '--n-fft', '256', '--plugin', '@acme/dstft-loss-l2', '--loss', 'acme/l2', '--out', 'o', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.loss.id).toBe('acme/l2');
    expect(json.loss.optimized).toBeLessThanOrEqual(json.loss.initial);
  });

  it('a package that is not installed: exit 1, says how to fix', async () => {
    const r = await dstft(['plugins', '--plugin', '@acme/not-installed'], cwd);
    expect(r.code).toBe(1);
    expect(oneLineError(r.stderr)).toMatch(/--plugin = "@acme\/not-installed": package not found .*npm install @acme\/not-installed/);
  });
});

describe('config file: the umbrella package\'s plain options', () => {
  it('--config sets the transform; flags override it; unknown options are usage errors', async () => {
    const cwd = freshDir();
    writeFileSync(join(cwd, 's.txt'), Array.from(testSignal(4000, 8000), (v) => v.toFixed(6)).join('\n'));
    writeFileSync(join(cwd, 'cfg.json'), JSON.stringify({ nFft: 512, hop: 128, window: 'gaussian', sampleRate: 8000 }));
    const r = await dstft(['spectrogram', 's.txt', '--config', 'cfg.json', '--hop', '100', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.transform).toMatchObject({ nFft: 512, hop: 100, window: 'gaussian', sampleRate: 8000 });
    writeFileSync(join(cwd, 'typo.json'), JSON.stringify({ nFft: 512, hop_length: 128 }));
    const t = await dstft(['spectrogram', 's.txt', '--sample-rate', '8000', '--config', 'typo.json', '-o', 't.png'], cwd);
    expect(t.code).toBe(2);
    expect(oneLineError(t.stderr)).toMatch(/options\.hop_length.*did you mean ['"]hop['"]/);
  });
});
