#!/usr/bin/env node
// files/s of `dstft batch optimize` against a shell-style loop of `dstft optimize` (one process per file), and
// `--jobs 1` against `--jobs 2`, on the same corpus. Usage (after a build):
//   DSTFT_FSDD_DIR=/path/to/fsdd nice -n 10 node apps/cli/bench/batch.mjs [count=40]
// Without DSTFT_FSDD_DIR: generated 0.5 s WAV files. Prints a Markdown table.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '@dstft/wav';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) throw new Error(`${cli} missing: pnpm turbo run build --filter=@dstft/cli... first`);
const count = Number(process.argv[2] ?? 40);
const root = mkdtempSync(join(tmpdir(), 'dstft-bench-batch-'));
const corpus = join(root, 'corpus');
mkdirSync(corpus);
const fsdd = process.env.DSTFT_FSDD_DIR;
let source;
if (fsdd) {
  const dir = existsSync(join(fsdd, 'recordings')) ? join(fsdd, 'recordings') : fsdd;
  const names = readdirSync(dir).filter((n) => n.endsWith('.wav')).sort().slice(0, count);
  for (const n of names) copyFileSync(join(dir, n), join(corpus, n));
  source = `${names.length} FSDD recordings (8 kHz, 0.3-0.8 s)`;
} else {
  for (let k = 0; k < count; k++) {
    const x = new Float64Array(4000).map((_, p) => Math.sin(2 * Math.PI * (300 + 20 * k) * (p / 8000) * (1 + p / 8000)));
    writeFileSync(join(corpus, `g${k}.wav`), encodeWav(x, 8000));
  }
  source = `${count} generated WAV files (0.5 s at 8 kHz)`;
}
const files = readdirSync(corpus).sort();
const OPTS = ['--n-fft', '256', '--iterations', '10'];

function time(label, fn) {
  const t0 = performance.now();
  fn();
  const s = (performance.now() - t0) / 1000;
  console.error(`${label}: ${s.toFixed(1)} s`);
  return { label, s, rate: files.length / s };
}
const run = (args) => {
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`dstft ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
};

const rows = [
  time('shell loop: `for f in …; do dstft optimize "$f" -o …; done`', () => {
    for (const f of files) run(['optimize', join(corpus, f), ...OPTS, '-o', join(root, 'loop', f.replace('.wav', '')), '-q']);
  }),
  time('`dstft batch optimize --jobs 1`', () => run(['batch', 'optimize', corpus, ...OPTS, '--jobs', '1', '--out', join(root, 'j1'), '-q'])),
  time('`dstft batch optimize --jobs 2`', () => run(['batch', 'optimize', corpus, ...OPTS, '--jobs', '2', '--out', join(root, 'j2'), '-q'])),
];
rmSync(root, { recursive: true, force: true });
const base = rows[0].s;
console.log(`\n${source}; \`${OPTS.join(' ')}\`; ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'cpu'} (${availableParallelism()} cores), Node ${process.version}\n`);
console.log('| run | wall time | files/s | vs the loop |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.label} | ${r.s.toFixed(1)} s | ${r.rate.toFixed(2)} | ${(base / r.s).toFixed(2)}× |`);
