// `pnpm bench:reference`: our forward + backward + Shannon entropy step beside the PyTorch reference (dstft by M. Leiber),
// interleaved in one run, as the table of issue 18 / the root README. It installs nothing. Give it both of:
//   --python /usr/bin/python3     a Python with torch (Debian: apt-get install python3-torch)
//   --reference /path/to/dstft    a checkout of github.com/maxime-leiber/dstft
// and it times the reference rows in a child process (bench/reference_server.py), one request at a time between ours,
// with glibc malloc tuned as in docs/design.md §7 (MALLOC_MMAP_THRESHOLD_=1e9, plus MALLOC_TRIM_THRESHOLD_ and MALLOC_TOP_PAD_ = 1e9: without them glibc hands freed heap back each step and, on these machines, the reference's medians swing 3-7× with page faults). Without them it prints our side and its
// ratio to the plain fft.js loop (packages/kernel/bench/plain-loop.mjs): the yardstick DESIGN's numbers were measured
// against, so a ratio survives a slower or busier machine better than milliseconds do.
//
// Our side goes through the public objective: 1 thread = createObjective(dstft, x, { loss: 'shannon' }).objective (float64
// fft.js, float32 pffft); best = 2 threads, float32, ParallelDstft.thetaStep(x, 'shannon') (the one-pass loss + ∂ℒ/∂θ,
// frames split) on the rows whose only learned parameter is θ not per bin (A, A', B), ParallelDstft.lossStep(x,
// 'shannon') on the others (which also learn positions, or θ per bin). The reference: the same rows,
// DSTFT(...).forward, H = mean over the batch of -Σ p log p, H.backward(); 1 thread in float64 and float32, best = 2
// threads float32. Medians over rounds (each round times every cell once, for ~--ms milliseconds).
// Flags: --rows A,A',B  --rounds 3  --ms 600  --json out.json
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createDstft, createObjective } from '@dstft/dstft';
import { loadPffftBackend } from '@dstft/fft-pffft';
import { createParallelDstft } from '@dstft/parallel';
import { makePlainLoop } from '../../kernel/bench/plain-loop.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2).filter((a) => a !== '--');
const flag = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
for (const a of args) {
  if (a.startsWith('--') && !['--python', '--reference', '--rows', '--rounds', '--ms', '--json', '--help'].includes(a)) {
    console.error(`${a}: unknown flag. Fix: use --python PATH --reference PATH [--rows A,A',B,B',B'',C] [--rounds N] [--ms N] [--json FILE]`);
    process.exit(2);
  }
}
if (args.includes('--help')) {
  console.log(
    'pnpm bench:reference [-- --python /usr/bin/python3 --reference /path/to/dstft] [--rows A,B] [--rounds 3] [--ms 600] [--json out.json]',
  );
  process.exit(0);
}
const python = flag('python');
const reference = flag('reference');
if ((python === undefined) !== (reference === undefined)) {
  console.error('--python and --reference go together (a Python with torch, and a checkout of github.com/maxime-leiber/dstft). Fix: pass both, or neither for our side alone');
  process.exit(2);
}
if (reference !== undefined && !existsSync(join(reference, 'src', 'dstft', 'dstft.py'))) {
  console.error(`--reference ${reference}: no src/dstft/dstft.py there. Fix: pass the root of a checkout of github.com/maxime-leiber/dstft`);
  process.exit(2);
}
const rounds = Number(flag('rounds') ?? 3);
const minMs = Number(flag('ms') ?? 600);
const rowsArg = flag('rows')?.split(',');

const ROWS = [
  { id: 'A', desc: 'nFft 1024, hop 256, batch 8, L 16 k, constant θ', nFft: 1024, hop: 256, B: 8, L: 16000, windowMode: 'constant', positionsMode: 'fixed', theta: 1000 },
  { id: "A'", desc: 'as A, L 80 k', nFft: 1024, hop: 256, B: 8, L: 80000, windowMode: 'constant', positionsMode: 'fixed', theta: 1000 },
  { id: 'B', desc: 'nFft 512, hop 128, batch 1, L 16 k, θ per frame', nFft: 512, hop: 128, B: 1, L: 16000, windowMode: 'time', positionsMode: 'fixed', theta: 400 },
  { id: "B'", desc: 'B + a hop per frame', nFft: 512, hop: 128, B: 1, L: 16000, windowMode: 'time', positionsMode: 'time', theta: 400 },
  { id: "B''", desc: 'B + one learned hop', nFft: 512, hop: 128, B: 1, L: 16000, windowMode: 'time', positionsMode: 'constant', theta: 400 },
  { id: 'C', desc: 'nFft 256, hop 64, batch 1, L 4096, θ per bin and frame', nFft: 256, hop: 64, B: 1, L: 4096, windowMode: 'time-frequency', positionsMode: 'fixed', theta: 200 },
].filter((r) => !rowsArg || rowsArg.includes(r.id));
const HOP_MODE = { fixed: 'fixed', constant: 'constant', time: 'time' };

function signal(B, L) {
  // the reference server builds the same deterministic part; the small noise differs (another generator), which does
  // not change the work
  let s = 7;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float64Array.from({ length: B * L }, (_, k) => {
    const n = k % L;
    return Math.sin(0.01 * n + 2e-7 * n * n) + 0.5 * Math.sin(0.37 * n) + 0.1 * (rand() - 0.5);
  });
}

function timeIt(fn) {
  for (let i = 0; i < 3; i++) fn();
  const times = [];
  const start = performance.now();
  while (times.length < 5 || performance.now() - start < minMs) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// the reference, in a child process answering one request per line
let ask = null;
let child = null;
if (python !== undefined) {
  child = spawn(python, [join(HERE, 'reference_server.py'), resolve(reference)], {
    env: { ...process.env, MALLOC_MMAP_THRESHOLD_: '1000000000', MALLOC_TRIM_THRESHOLD_: '1000000000', MALLOC_TOP_PAD_: '1000000000', OMP_NUM_THREADS: '2' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (l) => waiting.shift()?.(JSON.parse(l)));
  child.on('exit', (code) => {
    if (waiting.length > 0) {
      console.error(`the reference process exited (${code}). Fix: check that ${python} has torch (python3 -c "import torch") and that --reference is a dstft checkout`);
      process.exit(1);
    }
  });
  ask = (req) =>
    new Promise((res) => {
      waiting.push(res);
      child.stdin.write(`${JSON.stringify(req)}\n`);
    });
}

const pffft = await loadPffftBackend();
console.log(`dstft-ts vs the PyTorch reference — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}; ${rounds} rounds of ~${minMs} ms per cell; ${python ? `reference: ${python} ${reference}` : 'reference: not given (--python, --reference)'}`);
const cells = [];
for (const row of ROWS) {
  const opts = { nFft: row.nFft, hop: row.hop, signalLength: row.L, windowMode: row.windowMode, positionsMode: row.positionsMode, theta: row.theta };
  const x = signal(row.B, row.L);
  const ours = {};
  for (const [key, fft] of [['f64', null], ['f32', pffft]]) {
    const d = createDstft(opts, fft ? { fft } : {});
    const obj = createObjective(d, x, { loss: 'shannon' });
    const grads = obj.groups.map((g) => new Float64Array(g.values.length));
    ours[key] = () => obj.objective(grads);
  }
  const two = await createParallelDstft({ ...opts, fft: 'pffft' }, { threads: 2 });
  const x2 = two.sharedArray(x.length);
  x2.set(x);
  // the one-pass θ step where it computes all the reference's backward does (θ learned, positions fixed, θ not per
  // bin), else the forward + loss + backward step; both reuse their result arrays
  const onePass = row.positionsMode === 'fixed' && (row.windowMode === 'constant' || row.windowMode === 'time');
  const stepOf = onePass ? (out) => two.thetaStep(x2, 'shannon', out ? { out } : {}) : (out) => two.lossStep(x2, 'shannon', out ? { out } : {});
  let step = stepOf(undefined);
  ours.best = () => {
    step = stepOf(step.result);
  };
  const plain = row.windowMode === 'constant' ? makePlainLoop(row.nFft, row.hop, row.B, row.L, Math.floor(row.L / row.hop) + 1) : null;
  const refRow = { id: row.id, nFft: row.nFft, hop: row.hop, B: row.B, L: row.L, windowMode: row.windowMode, hopMode: HOP_MODE[row.positionsMode], theta: row.theta };
  const t = { f64: [], f32: [], best: [], plain: [], refF64: [], refF32: [], refBest: [] };
  for (let r = 0; r < rounds; r++) {
    t.f64.push(timeIt(ours.f64));
    if (ask) t.refF64.push((await ask({ row: refRow, dtype: 'float64', threads: 1, min_ms: minMs })).median);
    t.f32.push(timeIt(ours.f32));
    if (ask) t.refF32.push((await ask({ row: refRow, dtype: 'float32', threads: 1, min_ms: minMs })).median);
    t.best.push(timeIt(ours.best));
    if (ask) t.refBest.push((await ask({ row: refRow, dtype: 'float32', threads: 2, min_ms: minMs })).median);
    if (plain) t.plain.push(timeIt(() => plain.run(x)));
  }
  await two.close();
  const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.length ? median(v) : null]));
  cells.push({ row, m });
  const f = (v) => (v === null ? '–' : v.toFixed(2));
  console.log(`${row.id.padEnd(4)} ours 1T f64 ${f(m.f64)} f32 ${f(m.f32)}, 2T f32 ${f(m.best)}` + (ask ? ` | reference 1T f64 ${f(m.refF64)} f32 ${f(m.refF32)}, 2T f32 ${f(m.refBest)}` : '') + (plain ? ` | plain fft.js loop ${f(m.plain)}` : ''));
}
child?.stdin.end();

const f = (v) => (v === null ? '–' : v.toFixed(2));
const ratio = (a, b) => (a === null || b === null ? '–' : `${(a / b).toFixed(2)}×`);
console.log('\nforward + backward + Shannon entropy, medians in ms' + (ask ? ' (ratios: ours / reference; < 1 is faster)' : ''));
if (ask) {
  console.log('| row | ours, 1 thread f64 / f32 | reference, 1 thread f64 / f32 | ratio f64 / f32 | ours best (2 threads f32) | reference best (2 threads f32) | ratio |');
  console.log('|---|---|---|---|---|---|---|');
  for (const { row, m } of cells) {
    console.log(`| ${row.id} (${row.desc}) | ${f(m.f64)} / ${f(m.f32)} | ${f(m.refF64)} / ${f(m.refF32)} | ${ratio(m.f64, m.refF64)} / ${ratio(m.f32, m.refF32)} | ${f(m.best)} | ${f(m.refBest)} | ${ratio(m.best, m.refBest)} |`);
  }
} else {
  console.log('| row | ours, 1 thread f64 / f32 | ours, 2 threads f32 | plain fft.js loop (forward only) | ours / plain loop, 1 thread f64 / f32 |');
  console.log('|---|---|---|---|---|');
  for (const { row, m } of cells) {
    console.log(`| ${row.id} (${row.desc}) | ${f(m.f64)} / ${f(m.f32)} | ${f(m.best)} | ${f(m.plain)} | ${m.plain === null ? '–' : `${ratio(m.f64, m.plain)} / ${ratio(m.f32, m.plain)}`} |`);
  }
  console.log('The reference side needs --python (with torch) and --reference (a dstft checkout); see the header of bench/reference.mjs.');
}
const jsonOut = flag('json');
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(cells.map(({ row, m }) => ({ row: row.id, ...m })), null, 2));
