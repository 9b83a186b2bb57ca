#!/usr/bin/env node
// The spoken-digit example. `node dist/run.js <generate | train | table> [options]`; --help lists them.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset, type SplitKind } from './dataset.js';
import { useBackend, type BackendName } from './backend.js';
import { DEFAULT_MODEL } from './model.js';
import { generateSynthetic } from './synth.js';
import { train } from './train.js';
import { runTable, splitFor } from './experiment.js';

const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULTS = {
  length: 4800,
  epochs: 6,
  batchSize: 32,
  lr: 2e-3,
  thetaLr: 0.05,
  thetaInit: 16,
  fixed: [8, 16, 32, 64],
  seeds: [1, 2, 3],
  perSpeaker: 50,
  dataSeed: 1,
};

const USAGE = `usage: pnpm --filter @dstft/cnn-example cnn <command> [options]
commands:
  generate   make the SYNTHETIC spoken-digit set (espeak-ng + sox) in the FSDD layout
             --out DIR (default .cache/synthetic-fsdd-s<seed>-<n>)  --seed N (${DEFAULTS.dataSeed})  --per-speaker N (${DEFAULTS.perSpeaker})  --force
  train      one training run        --theta learned|<samples>  --theta-init N (${DEFAULTS.thetaInit})  --seed N (1)  --checkpoint FILE  --resume
  table      the paper's Tables II–III over seeds and window lengths
             --out DIR (results)  --seeds 1,2,3  --fixed ${DEFAULTS.fixed.join(',')}  --theta-init N  --resume  --force
             --report-only (tabulate the finished runs of an interrupted table, train nothing)
common:      --data DIR (an FSDD folder: recordings/{digit}_{speaker}_{index}.wav at 8 kHz; default: the synthetic set,
             generated on first use)  --split random|speaker|speaker-fold (random)  --epochs N (${DEFAULTS.epochs})  --batch N (${DEFAULTS.batchSize})
             --lr X (${DEFAULTS.lr})  --theta-lr X (${DEFAULTS.thetaLr})  --theta-objective train|val (train: θ descends
             the training loss with the weights; val: validation batches' loss, for θ alone)  --length N (${DEFAULTS.length} samples)  --limit N (first N files)
             --backend wasm|cpu (wasm)  --n-fft N (${DEFAULT_MODEL.nFft}; θ's upper bound)  --hop N (${DEFAULT_MODEL.hop})
learned θ:   --window-mode constant|frequency (constant: one θ, the paper's; frequency: one θ per frequency bin)
             --learn-hop (learn the hop too, from --hop, in (--hop-min N (8), --hop-max N (nFft)); fixed rows keep --hop)`;

type Args = Map<string, string | true>;

function parse(argv: string[]): { command: string | undefined; args: Args } {
  const args: Args = new Map();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    if (a.startsWith('--')) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        args.set(a.slice(2), next);
        i++;
      } else args.set(a.slice(2), true);
    } else if (command === undefined) command = a;
    else throw new Error(`unexpected argument "${a}". Fix: see --help`);
  }
  return { command, args };
}

function num(args: Args, key: string, fallback: number): number {
  const v = args.get(key);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v === true || !Number.isFinite(n)) throw new Error(`--${key} = ${String(v)}: expected a number. Fix: e.g. --${key} ${fallback}`);
  return n;
}

function list(args: Args, key: string, fallback: number[]): number[] {
  const v = args.get(key);
  if (v === undefined) return fallback;
  const out = String(v).split(',').map(Number);
  if (v === true || out.some((n) => !Number.isFinite(n))) throw new Error(`--${key} = ${String(v)}: expected numbers separated by commas. Fix: e.g. --${key} ${fallback.join(',')}`);
  return out;
}

function str(args: Args, key: string): string | undefined {
  const v = args.get(key);
  if (v === true) throw new Error(`--${key} needs a value. Fix: see --help`);
  return v;
}

function learnedRowOf(args: Args): { windowMode?: 'frequency'; learnHop?: true; hopMin?: number; hopMax?: number } {
  const mode = str(args, 'window-mode');
  if (mode !== undefined && mode !== 'constant' && mode !== 'frequency') throw new Error(`--window-mode = ${mode}: unknown. Fix: use constant (the default) or frequency`);
  if (!args.has('learn-hop') && (args.has('hop-min') || args.has('hop-max'))) throw new Error('--hop-min / --hop-max without --learn-hop. Fix: add --learn-hop, or drop them');
  return {
    ...(mode === 'frequency' ? { windowMode: mode } : {}),
    ...(args.has('learn-hop') ? { learnHop: true as const } : {}),
    ...(args.has('hop-min') ? { hopMin: num(args, 'hop-min', 8) } : {}),
    ...(args.has('hop-max') ? { hopMax: num(args, 'hop-max', 64) } : {}),
  };
}

function thetaObjectiveOf(args: Args): { thetaObjective?: 'train' | 'val' } {
  const v = str(args, 'theta-objective');
  if (v === undefined) return {};
  if (v !== 'train' && v !== 'val') throw new Error(`--theta-objective = ${v}: unknown. Fix: use train (the default) or val`);
  return v === 'val' ? { thetaObjective: v } : {};
}

async function dataDir(args: Args, log: (l: string) => void): Promise<string> {
  const given = str(args, 'data');
  if (given !== undefined) return given;
  const seed = num(args, 'data-seed', DEFAULTS.dataSeed);
  const perSpeaker = num(args, 'per-speaker', DEFAULTS.perSpeaker);
  const dir = join(APP_DIR, '.cache', `synthetic-fsdd-s${seed}-${perSpeaker}`);
  log(`no --data: using the SYNTHETIC espeak-ng set in ${dir}`);
  await generateSynthetic({ out: dir, seed, perSpeaker, log });
  return dir;
}

async function main(argv: string[]): Promise<number> {
  const { command, args } = parse(argv);
  const log = (l: string) => console.log(l);
  if (command === undefined || args.has('help') || command === 'help') {
    console.log(USAGE);
    return command === undefined && !args.has('help') ? 2 : 0;
  }
  if (command === 'generate') {
    const seed = num(args, 'seed', DEFAULTS.dataSeed);
    const perSpeaker = num(args, 'per-speaker', DEFAULTS.perSpeaker);
    const out = str(args, 'out') ?? join(APP_DIR, '.cache', `synthetic-fsdd-s${seed}-${perSpeaker}`);
    await generateSynthetic({ out, seed, perSpeaker, force: args.has('force'), log });
    return 0;
  }
  if (command !== 'train' && command !== 'table') throw new Error(`unknown command "${command}". Fix: use generate, train or table (see --help)`);

  const learnedRow = learnedRowOf(args); // (checked before the data are read)
  const backend = (str(args, 'backend') ?? 'wasm') as BackendName;
  await useBackend(backend);
  const data = loadDataset(await dataDir(args, log), { length: num(args, 'length', DEFAULTS.length), ...(args.has('limit') ? { limit: num(args, 'limit', 0) } : {}) });
  log(`data: ${data.labels.length} files, ${data.speakers.length} speakers (${data.speakers.join(', ')})${data.source.synthetic ? ' [SYNTHETIC]' : ''}; backend ${backend}`);
  const splitKind = (str(args, 'split') ?? 'random') as SplitKind;
  if (splitKind !== 'random' && splitKind !== 'speaker' && splitKind !== 'speaker-fold') {
    throw new Error(`--split = ${String(splitKind)}: unknown. Fix: use random, speaker or speaker-fold`);
  }
  const nFft = num(args, 'n-fft', DEFAULT_MODEL.nFft);
  const transform = { nFft, hop: num(args, 'hop', DEFAULT_MODEL.hop), thetaMax: nFft };
  const common = {
    epochs: num(args, 'epochs', DEFAULTS.epochs),
    batchSize: num(args, 'batch', DEFAULTS.batchSize),
    lr: num(args, 'lr', DEFAULTS.lr),
    thetaLr: num(args, 'theta-lr', DEFAULTS.thetaLr),
    ...thetaObjectiveOf(args),
  };

  if (command === 'train') {
    const seed = num(args, 'seed', 1);
    const thetaArg = str(args, 'theta') ?? 'learned';
    const learned = thetaArg === 'learned';
    const theta = learned ? num(args, 'theta-init', DEFAULTS.thetaInit) : Number(thetaArg);
    if (!Number.isFinite(theta)) throw new Error(`--theta = ${thetaArg}: expected "learned" or a window length in samples. Fix: e.g. --theta 32`);
    const checkpoint = str(args, 'checkpoint');
    if (args.has('resume') && checkpoint === undefined) throw new Error('--resume needs --checkpoint FILE. Fix: pass the checkpoint of the run to continue');
    if (checkpoint !== undefined && existsSync(checkpoint) && !args.has('resume') && !args.has('force')) {
      throw new Error(`${checkpoint}: exists, refusing to overwrite. Fix: pass --resume to continue that run, --force to start over, or another --checkpoint`);
    }
    const r = await train(data, splitFor(data, splitKind, seed), {
      model: {
        ...DEFAULT_MODEL,
        ...transform,
        length: data.length,
        theta,
        learnTheta: learned,
        seed,
        ...(learned && learnedRow.windowMode ? { windowMode: learnedRow.windowMode } : {}),
        ...(learnedRow.learnHop ? { learnHop: true, hopMin: learnedRow.hopMin ?? 8, hopMax: learnedRow.hopMax ?? nFft } : {}),
      },
      ...common,
      seed,
      ...(checkpoint !== undefined ? { checkpoint, resume: args.has('resume') } : {}),
      log,
    });
    log(
      `best epoch ${r.bestEpoch}: train ${(100 * r.train.acc).toFixed(1)}%  val ${(100 * r.val.acc).toFixed(1)}%  test ${(100 * r.test.acc).toFixed(1)}% (loss ${r.test.loss.toFixed(4)})  θ = ${r.theta.toFixed(2)}  ${r.seconds.toFixed(0)} s`,
    );
    return 0;
  }

  const out = str(args, 'out') ?? 'results';
  await runTable(data, {
    out,
    seeds: list(args, 'seeds', DEFAULTS.seeds),
    fixedThetas: list(args, 'fixed', DEFAULTS.fixed),
    thetaInit: num(args, 'theta-init', DEFAULTS.thetaInit),
    model: transform,
    ...learnedRow,
    split: splitKind,
    ...common,
    force: args.has('force'),
    resume: args.has('resume'),
    reportOnly: args.has('report-only'),
    command: `pnpm --filter @dstft/cnn-example cnn table ${argv.filter((a) => a !== '--' && a !== 'table' && a !== '--resume' && a !== '--force' && a !== '--report-only').join(' ')}`.trim(),
    log,
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(`error: ${(e as Error).message}`);
    if (process.argv.includes('--verbose')) console.error(e);
    process.exitCode = 1;
  },
);
