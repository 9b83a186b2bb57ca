// Property-based fuzzing of the argument parser and the commands behind it: random argv arrays (known commands,
// known flags, random values: numbers, NaN, negatives, huge values, random words) go to the in-process
// `run(argv, io)`. Properties: it resolves (never throws, never hangs) to an exit code in {0, 1, 2}; a non-zero
// code comes with a `dstft: ` line on stderr; with --json (as the first argument, where it is always the global
// flag) stdout is exactly one JSON document. Nothing is stubbed.
//
// Safety: the process runs in a fresh temporary folder (process.chdir; vitest runs test files in forked
// processes), every path it can name is a bare name in that folder (no '/', no '..'), and the only input is a tiny
// WAV (512 samples at 8 kHz), so a valid command costs milliseconds. Values that mean "a lot of work" on purpose
// (--iterations, --scan, --starts, --step, --duration, valid `reproduce` ids) are drawn from small or refused
// values only: a run of 10^6 iterations is not a parser bug.
//
// `batch` lines (a sub-command, inputs, then mostly batch's own flags) run the built CLI in a child process.
//
// Runs: 200 in the test suite; DSTFT_FUZZ_RUNS=10000 for a long run (`pnpm --filter @dstft/cli fuzz`).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { encodeWav } from '@dstft/wav';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/program.js';
import { dstft, testSignal } from './helpers.js';

const RUNS = Number(process.env['DSTFT_FUZZ_RUNS'] ?? 200);
const SEED = process.env['DSTFT_FUZZ_SEED'] !== undefined ? Number(process.env['DSTFT_FUZZ_SEED']) : undefined;
const PER_RUN_MS = 20_000;

const home = process.cwd();
const homeBefore = readdirSync(home).sort();
const dir = mkdtempSync(join(tmpdir(), 'dstft-fuzz-'));
const KEEP = new Set(['in.wav', 'in.txt', 'cfg.json', 'bad.json']);

beforeAll(() => {
  writeFileSync(join(dir, 'in.wav'), encodeWav([testSignal(512, 8000)], 8000, { encoding: 'pcm', bitsPerSample: 16, clip: true }));
  writeFileSync(join(dir, 'in.txt'), '0.1 0.2 -0.3 0.4\n'.repeat(64));
  writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ nFft: 64, hop: 16 }));
  writeFileSync(join(dir, 'bad.json'), '{"nFft": ');
  process.chdir(dir);
});
afterAll(() => {
  process.chdir(home);
  rmSync(dir, { recursive: true, force: true });
});

/** Removes what a run wrote (keeps the inputs). */
function clean(): void {
  for (const e of readdirSync(dir)) if (!KEEP.has(e)) rmSync(join(dir, e), { recursive: true, force: true });
}

const COMMANDS = ['spectrogram', 'optimize', 'track', 'inverse', 'synth', 'grid', 'plugins', 'reproduce', 'batch', 'help', 'nope'];
/** `batch`'s sub-command and inputs (files, globs, folders; all inside the fuzz folder). */
const BATCH_FLAGS = new Set(['--jobs', '-j', '--shard', '-r', '--recursive', '--fail-fast', '-o', '--out', '--n-fft', '--hop', '--theta', '--theta-min', '--theta-max', '--iterations', '-q', '--quiet', '--force', '-f']);
const batchSub = fc.constantFrom('spectrogram', 'optimize', 'track', 'grid', 'merge', 'inverse', 'x', '');
const batchInput = fc.constantFrom('in.wav', '*.wav', '.', 'missing.wav', '**/*.wav', 'in.txt', 'od', 'od/summary.json', '');
const word = fc.stringMatching(/^[A-Za-z0-9_=:,+-]{0,10}$/).filter((s) => !s.includes('..'));
const number = fc.oneof(
  fc.constantFrom('0', '-1', '1', '2', '3', '16', '64', '128', '512', '1e9', '1e308', '-1e308', 'NaN', 'Infinity', '-Infinity', '0.5', '1e-9', '', ' ', '0x10', '1_000'),
  fc.double({ noNaN: false }).map(String),
  fc.integer({ min: -5, max: 600 }).map(String),
);
const small = fc.constantFrom('0', '1', '2', '3', '-1', 'NaN', '1e9x', 'abc', '', '2.5');
const file = fc.constantFrom('in.wav', 'in.txt', 'missing.wav', 'cfg.json', 'bad.json', 'out.png', 'x.jpg', 'd', 'in.wav.dstft', '');
const out = fc.constantFrom('o.png', 'o.jpg', 'o.json', 'o.wav', 'o.csv', 'o.dstft', 'od', 'od2', 'in.wav', '', 'o.PNG');
const json = fc.constantFrom('{}', '{"sigma":0.2}', '{"alpha":3}', '[1]', 'null', '{', '{"x":1e999}', '"s"');

/** A flag and a value drawn for it (cost flags only from small values). */
const flagged: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.constantFrom('--n-fft', '--hop', '--theta', '--theta-min', '--theta-max', '--power', '--channel', '--sample-rate', '--lr', '--lr-positions', '--analysis-seconds', '--from', '--to', '--dynamic-range', '--width', '--height', '--order', '--jump-penalty', '--max-jump', '--snr', '--seed'), number),
  fc.tuple(fc.constantFrom('--iterations', '--scan', '--starts', '--duration'), small),
  fc.tuple(fc.constantFrom('--step'), fc.constantFrom('1', '8', '0', '-1', 'NaN', '1e-12', 'x')),
  fc.tuple(fc.constantFrom('-o', '--out', '--magnitudes', '--save-transform'), out),
  fc.tuple(fc.constantFrom('--original', '--truth', '--config'), file),
  fc.tuple(fc.constantFrom('--window-params', '--loss-options', '--optimizer-options'), json),
  fc.tuple(fc.constantFrom('--mode'), fc.constantFrom('constant', 'time', 'frequency', 'time-frequency', 'fixed', 'x')),
  fc.tuple(fc.constantFrom('--positions'), fc.constantFrom('fixed', 'constant', 'time', 'free', 'x')),
  fc.tuple(fc.constantFrom('--optimize'), fc.constantFrom('none', 'constant', 'time', 'x')),
  fc.tuple(fc.constantFrom('--window'), fc.constantFrom('hann', 'gaussian', 'kaiser', 'blackman', 'acme/none', 'x')),
  fc.tuple(fc.constantFrom('--loss'), fc.constantFrom('shannon', 'renyi', 'kurtosis', 'x')),
  fc.tuple(fc.constantFrom('--optimizer'), fc.constantFrom('adam', 'sgd', 'lbfgs', 'x')),
  fc.tuple(fc.constantFrom('--regularizer'), fc.constantFrom('tf-smoothness:1e-7', 'coverage:1:{"ratio":0.5}', 'x', 'x:1', 'tf-smoothness:-1', 'a:b:c')),
  fc.tuple(fc.constantFrom('--normalization'), fc.constantFrom('none', 'paper', 'unit', 'x')),
  fc.tuple(fc.constantFrom('--format'), fc.constantFrom('pcm16', 'float32', 'pcm8', 'x')),
  fc.tuple(fc.constantFrom('--band'), fc.constantFrom('100,2000', '0,4000', '5,1', 'x', '1,2,3', '-1,5')),
  fc.tuple(fc.constantFrom('--kind'), fc.constantFrom('window', 'loss', 'x')),
  fc.tuple(fc.constantFrom('--plugin'), fc.constantFrom('nope-pkg', '@acme/none', 'missing.mjs', '')),
  fc.tuple(fc.constantFrom('--jobs', '-j'), fc.constantFrom('1', '2', '0', '-1', '1.5', 'NaN', 'x', '')),
  fc.tuple(fc.constantFrom('--shard'), fc.constantFrom('1/1', '1/2', '2/2', '0/2', '3/2', '1/0', '2', 'x', '')),
  fc.constantFrom('-r', '--recursive', '--fail-fast').map((f) => [f]),
  fc.constantFrom('-q', '--quiet', '--verbose', '-f', '--force', '--no-warm-start', '--quick', '--help', '-h', '-V', '--version', '--', '-x', '--unknown').map((f) => [f]),
  fc.oneof(word, number, file).map((w) => [w]),
);

/** The command, its first argument, then flags. */
const argv: fc.Arbitrary<string[]> = fc
  .tuple(
    fc.boolean(),
    fc.constantFrom(...COMMANDS),
    fc.oneof(file, fc.constantFrom('vi-a', 'vi-b', 'vi-c', 'chirp', 'vibration', 'vi-z', 'x')),
    fc.array(flagged, { maxLength: 8 }),
    fc.integer({ min: 0, max: 9 }),
    fc.tuple(batchSub, fc.array(batchInput, { maxLength: 2 })),
  )
  .map(([json, command, first, flags, shape, [sub, inputs]]) => {
    // reproduce with a valid id runs an experiment (seconds to minutes): only its refusals are fuzzed
    let arg: string = command === 'reproduce' && ['vi-a', 'vi-b', 'vi-c', 'vii-a'].includes(first) ? 'vi-z' : first;
    // batch: mostly a sub-command and inputs (worker threads on the tiny WAV), sometimes whatever came first
    if (command === 'batch' && shape >= 3) arg = [sub, ...inputs].join('\u0000');
    // …and in some of those runs only flags batch takes, so that its workers run (with the general flags nearly
    // every batch line is refused by the parser)
    const kept = command === 'batch' && shape >= 6 ? flags.filter((f) => BATCH_FLAGS.has(f[0]!)) : flags;
    const rest = kept.flat();
    // shapes: most runs a command + an argument, some without argument, some flags first, a few empty
    const args = arg.split('\u0000');
    const body = shape === 0 ? rest : shape === 1 ? [command, ...rest] : shape === 2 ? [...rest, command, ...args] : [command, ...args, ...rest];
    return json ? ['--json', ...body.filter((a) => a !== '--json')] : body.filter((a) => a !== '--json');
  });

interface Outcome {
  code: number | 'threw' | 'timeout';
  out: string;
  err: string;
  error?: unknown;
}

/**
 * Runs the CLI in-process, capturing io and the process streams (the commands write to process.stdout too). A
 * `batch` line runs the built CLI in a child process instead: its worker threads load the built worker module,
 * which the in-process sources do not have next to them.
 */
async function runCaptured(args: string[]): Promise<Outcome> {
  if (args.includes('batch')) {
    try {
      const r = await dstft(args, dir, { timeoutMs: PER_RUN_MS });
      return { code: r.code ?? 'timeout', out: r.stdout, err: r.stderr };
    } finally {
      clean();
    }
  }
  let out = '';
  let err = '';
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await Promise.race([
      run(args, { out: (s) => void (out += s), err: (s) => void (err += s) }),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), PER_RUN_MS))),
    ]);
    return { code, out, err };
  } catch (error) {
    return { code: 'threw', out, err, error };
  } finally {
    clearTimeout(timer);
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    clean();
  }
}

function check(args: string[], r: Outcome): void {
  const what = `dstft ${args.map((a) => JSON.stringify(a)).join(' ')}\nstdout: ${r.out.slice(0, 400)}\nstderr: ${r.err.slice(0, 400)}`;
  if (r.code === 'threw') throw new Error(`threw ${String(r.error)}: ${what}`);
  if (r.code === 'timeout') throw new Error(`no exit within ${PER_RUN_MS} ms: ${what}`);
  if (![0, 1, 2].includes(r.code)) throw new Error(`exit code ${r.code}: ${what}`);
  if (r.code !== 0 && !/^dstft: \S/m.test(r.err)) throw new Error(`exit code ${r.code} without a "dstft:" line on stderr: ${what}`);
  if (args[0] === '--json') {
    try {
      const j = JSON.parse(r.out) as { ok?: unknown };
      if (typeof j !== 'object' || j === null || j.ok !== (r.code === 0)) throw new Error('"ok" does not match the exit code');
    } catch (e) {
      throw new Error(`--json: stdout is not one JSON document with "ok" (${(e as Error).message}): ${what}`);
    }
  }
}

describe('fuzzing the argument parser', () => {
  it(`${RUNS} random command lines: exit code 0/1/2, a "dstft:" line on failure, JSON with --json`, async () => {
    let counts = { 0: 0, 1: 0, 2: 0 } as Record<number, number>;
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const r = await runCaptured(args);
        check(args, r);
        counts[r.code as number] = (counts[r.code as number] ?? 0) + 1;
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
    );
    // every outcome occurs: the generator reaches the commands' work, not only the parser's refusals
    if (RUNS >= 200) expect(counts[0]).toBeGreaterThan(0);
    if (process.env['DSTFT_FUZZ_RUNS']) process.stderr.write(`fuzz: ${RUNS} runs, exit codes ${JSON.stringify(counts)}\n`);
    counts = {};
  }, Math.max(120_000, RUNS * 1_000));

  it('never wrote into the folder the tests started in', () => {
    expect(readdirSync(home).sort()).toEqual(homeBefore);
  });
});
