/**
 * The table of the paper's Tables II–III: for several fixed window lengths θ and for the learned θ, train / val /
 * test loss and accuracy over several seeds (mean ± sd), the learned θ values; written as Markdown and JSON, with
 * a PNG of θ over training and the learned model's confusion matrix. Each run is saved as it finishes, and its
 * checkpoint after every epoch, so an interrupted table resumes (`resume`).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { encodePng, lineFigure, mapFigure, hstack } from '@dstft/plot';
import { randomSplit, speakerFoldSplit, speakerSplit, type Dataset, type Split, type SplitKind } from './dataset.js';
import { DEFAULT_MODEL, type ModelConfig } from './model.js';
import { train, type TrainResult } from './train.js';

export interface TableOptions {
  out: string;
  seeds: number[];
  fixedThetas: number[];
  /** Initial θ of the learned model. */
  thetaInit: number;
  epochs: number;
  batchSize: number;
  lr: number;
  thetaLr: number;
  /** Which loss the learned θ descends: the training batches' (default) or validation batches' (train.ts). */
  thetaObjective?: 'train' | 'val';
  split: SplitKind;
  /** The learned row's θ: one value ('constant', default) or one per frequency bin ('frequency'). */
  windowMode?: 'constant' | 'frequency';
  /** The learned row learns the hop too (from model.hop, in (hopMin, hopMax)); the fixed rows keep model.hop. */
  learnHop?: boolean;
  hopMin?: number;
  hopMax?: number;
  model?: Partial<Omit<ModelConfig, 'length' | 'theta' | 'learnTheta' | 'seed'>>;
  force?: boolean;
  resume?: boolean;
  /** Only tabulate the runs finished before (in `out/runs/`), train none: a partial table of an interrupted run. */
  reportOnly?: boolean;
  /** The command that regenerates the table (written into the Markdown). */
  command?: string;
  log?: (line: string) => void;
}

export interface RunSummary {
  config: string;
  learned: boolean;
  thetaInit: number;
  seed: number;
  theta: number;
  bestEpoch: number;
  train: { loss: number; acc: number };
  val: { loss: number; acc: number };
  test: { loss: number; acc: number };
  seconds: number;
  secondsPerEpoch: number;
  thetaTrace: number[];
  thetaGradAbs: number[];
  /** Per epoch: training and validation loss and accuracy, θ (the record a choice of epochs is made from; no test data). */
  history?: { epoch: number; trainLoss: number; trainAcc: number; valLoss: number; valAcc: number; theta: number; hop?: number; seconds: number }[];
  confusion: number[][];
  /** θ per frequency bin (windowMode 'frequency'), and the final hop (learned hop). */
  thetaValues?: number[];
  hop?: number;
  /**
   * What the run was trained with (data, split, model, optimizer). A resumed table reuses a finished run only if
   * these match its own settings; runs saved before this field existed are reused as they are.
   */
  settings?: RunSettings;
}

export interface RunSettings {
  data: { files: number; synthetic: boolean; length: number };
  split: SplitKind;
  model: Omit<ModelConfig, 'length' | 'theta' | 'learnTheta' | 'seed'>;
  epochs: number;
  batchSize: number;
  lr: number;
  thetaLr: number;
  thetaObjective: 'train' | 'val';
  /** Learned rows beyond the paper's only: θ per frequency bin, a learned hop. */
  windowMode?: 'frequency';
  learnHop?: { hopMin: number; hopMax: number };
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => (v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1)));
const pm = (v: number[], scale = 1, digits = 1) => `${(scale * mean(v)).toFixed(digits)} ± ${(scale * sd(v)).toFixed(digits)}`;

/** The 97.5 % quantile of Student's t with `df` degrees of freedom (for a two-sided 95 % interval). */
export function tQuantile975(df: number): number {
  const table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086];
  if (!(Number.isInteger(df) && df >= 1)) throw new RangeError(`df = ${df}: needs an integer ≥ 1`);
  return df <= table.length ? table[df - 1]! : 1.96 + 2.4 / df; // within 0.01 of the exact value beyond 20
}

export interface PairedDifference {
  /** Seeds (or folds) with both runs. */
  n: number;
  /** Mean of the per-seed differences a − b (accuracy as a fraction), its standard error and 95 % t interval. */
  mean: number;
  se: number;
  ci95: [number, number];
  /** Seeds where a is ahead, level (same accuracy), behind. */
  ahead: number;
  level: number;
  behind: number;
}

/** a − b seed by seed, over the seeds both have. Null with fewer than two pairs. */
export function pairedDifference(a: Map<number, number>, b: Map<number, number>): PairedDifference | null {
  const d: number[] = [];
  for (const [seed, v] of a) {
    const w = b.get(seed);
    if (w !== undefined) d.push(v - w);
  }
  if (d.length < 2) return null;
  const m = mean(d);
  const se = sd(d) / Math.sqrt(d.length);
  const h = tQuantile975(d.length - 1) * se;
  // accuracies are multiples of 1/(test files): differences below 1e-9 are ties, not rounding noise
  return { n: d.length, mean: m, se, ci95: [m - h, m + h], ahead: d.filter((x) => x > 1e-9).length, level: d.filter((x) => Math.abs(x) <= 1e-9).length, behind: d.filter((x) => x < -1e-9).length };
}

const pairedText = (p: PairedDifference, unit: string) =>
  `${signed(100 * p.mean)} ± ${(100 * p.se).toFixed(1)} points (mean ± standard error over ${p.n} ${unit}s; 95 % interval ${signed(100 * p.ci95[0])} to ${signed(100 * p.ci95[1])}; ahead on ${p.ahead}, level on ${p.level}, behind on ${p.behind})`;
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`;

const SPLIT_TEXT: Record<SplitKind, string> = {
  random: '80 / 10 / 10 at random (per seed)',
  speaker: 'speaker-held-out (one speaker for validation, one for test, per seed)',
  'speaker-fold': 'leave-one-speaker-out cross-validation (fold k: speaker k for test, speaker k + 1 for validation, the rest for training; the fold number is also the seed)',
};

/** The real Free Spoken Digit Dataset (its speakers), which every table and figure made from it credits. */
export function isFsdd(data: Pick<Dataset, 'source' | 'speakers'>): boolean {
  return !data.source.synthetic && ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'].every((s) => data.speakers.includes(s));
}

const FSDD_CREDIT = 'data: Free Spoken Digit Dataset, CC BY-SA 4.0';

export function splitFor(data: Dataset, kind: SplitKind, seed: number): Split {
  if (kind === 'speaker-fold') return speakerFoldSplit(data.recordings, seed);
  return kind === 'speaker' ? speakerSplit(data.recordings, seed) : randomSplit(data.labels.length, seed);
}

export async function runTable(data: Dataset, options: TableOptions): Promise<{ dir: string; summary: unknown }> {
  const { seeds, fixedThetas, thetaInit, epochs, batchSize, lr, thetaLr, split: splitKind, force = false, reportOnly = false, log = () => {} } = options;
  const resume = options.resume === true || reportOnly;
  const thetaObjective = options.thetaObjective ?? 'train';
  const missing: string[] = [];
  const dir = resolve(options.out);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !force && !resume) {
    throw new Error(`${dir}: folder is not empty, refusing to overwrite. Fix: choose another --out, pass --resume to continue an interrupted table, or --force`);
  }
  mkdirSync(join(dir, 'runs'), { recursive: true });
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  const modelBase = { ...DEFAULT_MODEL, ...options.model, length: data.length };
  const perBin = options.windowMode === 'frequency';
  const learnHop = options.learnHop === true;
  const hopBounds = { hopMin: options.hopMin ?? 8, hopMax: options.hopMax ?? modelBase.nFft };
  const learnedName = `learned-from-${thetaInit}${perBin ? '-per-bin' : ''}${learnHop ? '-with-hop' : ''}${thetaObjective === 'val' ? '-on-val' : ''}`;
  const learnedLabel = `learned${perBin ? ' per frequency bin' : ''}${learnHop ? ` with the hop (from ${modelBase.hop})` : ''}${thetaObjective === 'val' ? ' on validation' : ''}`;
  const configs = [...fixedThetas.map((t) => ({ name: `fixed-${t}`, learned: false, theta: t })), { name: learnedName, learned: true, theta: thetaInit }];
  const modelSettings = { ...DEFAULT_MODEL, ...options.model };
  const runSettings: RunSettings = {
    data: { files: data.labels.length, synthetic: data.source.synthetic, length: data.length },
    split: splitKind,
    model: modelSettings,
    epochs,
    batchSize,
    lr,
    thetaLr,
    thetaObjective,
  };
  // the fixed rows' settings do not depend on how the learned row is learned, so they can be shared between tables
  const settingsOf = (learned: boolean): RunSettings =>
    learned && (perBin || learnHop) ? { ...runSettings, ...(perBin ? { windowMode: 'frequency' as const } : {}), ...(learnHop ? { learnHop: hopBounds } : {}) } : runSettings;
  const runs: RunSummary[] = [];
  for (const seed of seeds) {
    const split = splitFor(data, splitKind, seed);
    // the learned run first: an interrupted table then has the row the comparison is about for every seed it reached
    for (const c of [...configs.filter((x) => x.learned), ...configs.filter((x) => !x.learned)]) {
      const file = join(dir, 'runs', `${c.name}-seed${seed}.json`);
      if (resume && existsSync(file)) {
        const done = JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
        if (done.settings !== undefined && JSON.stringify(done.settings) !== JSON.stringify(settingsOf(c.learned))) {
          throw new Error(
            `${file}: this run was trained with other settings (${JSON.stringify(done.settings)}; now ${JSON.stringify(settingsOf(c.learned))}). Fix: resume with the run's settings, or use another --out`,
          );
        }
        runs.push(done);
        log(`${c.name} seed ${seed}: done before, read ${file}`);
        continue;
      }
      if (reportOnly) {
        missing.push(`${c.name} seed ${seed}`);
        continue;
      }
      log(`${c.name} seed ${seed}: training (${split.train.length} / ${split.val.length} / ${split.test.length} examples)`);
      const r: TrainResult = await train(data, split, {
        model: { ...modelBase, theta: c.theta, learnTheta: c.learned, seed, ...(c.learned && perBin ? { windowMode: 'frequency' as const } : {}), ...(c.learned && learnHop ? { learnHop: true, ...hopBounds } : {}) },
        epochs,
        batchSize,
        lr,
        thetaLr,
        ...(thetaObjective === 'val' ? { thetaObjective } : {}),
        seed,
        checkpoint: join(dir, 'checkpoints', `${c.name}-seed${seed}.json`),
        resume,
        log: (l) => log(`  ${l}`),
      });
      const s: RunSummary = {
        config: c.name,
        learned: c.learned,
        thetaInit: c.theta,
        seed,
        theta: r.theta,
        bestEpoch: r.bestEpoch,
        train: r.train,
        val: r.val,
        test: r.test,
        seconds: r.seconds,
        secondsPerEpoch: r.seconds / epochs,
        thetaTrace: r.thetaTrace,
        thetaGradAbs: r.history.map((h) => h.thetaGradAbs),
        history: r.history.map(({ thetaGradAbs: _g, ...h }) => h),
        confusion: r.confusion,
        ...(c.learned && perBin ? { thetaValues: r.thetaValues } : {}),
        ...(c.learned && learnHop ? { hop: r.hop } : {}),
        settings: settingsOf(c.learned),
      };
      writeAtomic(file, JSON.stringify(s));
      runs.push(s);
      log(`${c.name} seed ${seed}: test acc ${(100 * r.test.acc).toFixed(1)}%  θ = ${r.theta.toFixed(2)}  (${r.seconds.toFixed(0)} s)`);
    }
  }

  // the table
  const rows = configs.filter((c) => runs.some((r) => r.config === c.name)).map((c) => {
    const rs = runs.filter((r) => r.config === c.name);
    return {
      config: c.name,
      learned: c.learned,
      theta: rs.map((r) => r.theta),
      trainLoss: rs.map((r) => r.train.loss),
      trainAcc: rs.map((r) => r.train.acc),
      valLoss: rs.map((r) => r.val.loss),
      valAcc: rs.map((r) => r.val.acc),
      testLoss: rs.map((r) => r.test.loss),
      testAcc: rs.map((r) => r.test.acc),
      seconds: rs.map((r) => r.seconds),
    };
  });
  const fixedRows = rows.filter((r) => !r.learned);
  const learnedRow = rows.find((r) => r.learned);
  if (learnedRow === undefined || fixedRows.length === 0) throw new Error(`no finished learned run or no finished fixed run in ${dir}/runs. Fix: train some first (without --report-only)`);
  const bestFixed = fixedRows.reduce((a, b) => (mean(b.testAcc) > mean(a.testAcc) ? b : a));
  const verdict = mean(learnedRow.testAcc) >= mean(bestFixed.testAcc) ? 'matches or beats' : 'falls short of';
  const learnedSeconds = learnedRow.seconds;
  // what a grid search would pick without looking at test data: per seed, the fixed θ with the best validation accuracy
  // only seeds with the whole grid: a choice among part of it would not be the grid search's
  const seedsDone = seeds.filter((seed) => fixedThetas.every((t) => runs.some((r) => r.seed === seed && r.config === `fixed-${t}`)));
  const selected = seedsDone.map((seed) => {
    const best = runs.filter((r) => r.seed === seed && !r.learned).reduce((a, b) => (b.val.acc > a.val.acc ? b : a));
    return { seed, theta: best.theta, valAcc: best.val.acc, testAcc: best.test.acc };
  });
  const unitName = splitKind === 'speaker-fold' ? 'fold' : 'seed';
  const testOf = (config: string, seed: number) => runs.find((r) => r.config === config && r.seed === seed)?.test.acc;
  // paired by seed: the seed (or fold) fixes the data split and the initial weights, which move every row together
  const testBySeed = (config: string) => new Map(runs.filter((r) => r.config === config).map((r) => [r.seed, r.test.acc]));
  const learnedBySeed = testBySeed(learnedRow.config);
  const paired = {
    vsBestFixed: pairedDifference(learnedBySeed, testBySeed(bestFixed.config)),
    vsSelectedByValidation: pairedDifference(learnedBySeed, new Map(selected.map((r) => [r.seed, r.testAcc]))),
  };
  // the cost the DSTFT saves: one learned training against the K fixed trainings a grid search needs (mean wall time per run)
  const fixedRunSeconds = fixedRows.map((r) => mean(r.seconds));
  const cost = {
    learnedRunSeconds: mean(learnedSeconds),
    fixedRunSeconds: Object.fromEntries(fixedRows.map((r, i) => [r.config, fixedRunSeconds[i]!])),
    gridSeconds: fixedRunSeconds.reduce((a, b) => a + b, 0),
    gridRuns: fixedRows.length,
    ratio: fixedRunSeconds.reduce((a, b) => a + b, 0) / mean(learnedSeconds),
  };
  const summary = {
    data: { source: data.source, files: data.labels.length, speakers: data.speakers, length: data.length, sampleRate: 8000 },
    split: splitKind,
    seeds,
    settings: { model: modelBase, epochs, batchSize, lr, thetaLr, thetaInit, thetaObjective, backend: tf.getBackend(), cpus: cpus().length, node: process.version },
    rows: rows.map((r) => ({
      config: r.config,
      theta: { mean: mean(r.theta), sd: sd(r.theta), values: r.theta },
      train: { loss: { mean: mean(r.trainLoss), sd: sd(r.trainLoss) }, acc: { mean: mean(r.trainAcc), sd: sd(r.trainAcc) } },
      val: { loss: { mean: mean(r.valLoss), sd: sd(r.valLoss) }, acc: { mean: mean(r.valAcc), sd: sd(r.valAcc) } },
      test: { loss: { mean: mean(r.testLoss), sd: sd(r.testLoss) }, acc: { mean: mean(r.testAcc), sd: sd(r.testAcc), values: r.testAcc } },
      secondsPerRun: { mean: mean(r.seconds), max: Math.max(...r.seconds) },
    })),
    bestFixed: { config: bestFixed.config, testAcc: mean(bestFixed.testAcc) },
    learned: {
      config: learnedRow.config,
      testAcc: mean(learnedRow.testAcc),
      theta: learnedRow.theta,
      ...(learnHop ? { hop: runs.filter((r) => r.learned).map((r) => r.hop) } : {}),
      ...(perBin ? { thetaPerBin: runs.filter((r) => r.learned).map((r) => ({ seed: r.seed, theta: r.thetaValues })) } : {}),
      verdict,
    },
    fixedSelectedByValidation: { perSeed: selected, testAcc: { mean: mean(selected.map((r) => r.testAcc)), sd: sd(selected.map((r) => r.testAcc)) } },
    paired,
    learnedRunSeconds: { mean: mean(learnedSeconds), max: Math.max(...learnedSeconds) },
    cost,
    runsPerRow: rows.map((r) => ({ config: r.config, runs: r.testAcc.length })),
    missingRuns: missing,
  };
  writeAtomic(join(dir, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);

  const md = [
    `# Spoken digits: DSTFT layer + CNN (paper Sec. VII-B, Tables II–III)`,
    '',
    data.source.synthetic
      ? `Data: **SYNTHETIC** spoken digits (espeak-ng, ${data.speakers.length} voices, ${data.labels.length} files, FSDD layout; see README), not the Free Spoken Digit Dataset.`
      : isFsdd(data)
        ? `Data: the Free Spoken Digit Dataset (FSDD; Z. Jackson et al., github.com/Jakobovski/free-spoken-digit-dataset, DOI 10.5281/zenodo.1342401; licence CC BY-SA 4.0): ${data.labels.length} recordings at 8 kHz, ${data.speakers.length} speakers (${data.speakers.join(', ')}), read from \`--data\` = ${data.source.path}.`
        : `Data: ${data.source.path} (${data.labels.length} files, ${data.speakers.length} speakers).`,
    `Split: ${SPLIT_TEXT[splitKind]}; ${splitKind === 'speaker-fold' ? 'folds' : 'seeds'} ${seeds.join(', ')}; mean ± sd over ${splitKind === 'speaker-fold' ? 'folds' : 'seeds'}.`,
    `Model: DSTFT (nFft ${modelBase.nFft}, hop ${modelBase.hop}, Hann, θ in (${modelBase.thetaMin}, ${modelBase.thetaMax})) → log |X| → 2 × [depthwise-separable conv, ${modelBase.filters} filters, 2×2 avg pool, ReLU] → dropout ${modelBase.dropout} → dense softmax. Adam (lr ${lr}; θ: lr ${thetaLr} on its raw weight${thetaObjective === 'val' ? ', descending the loss of validation batches (one after each training step, no dropout), not the training loss' : ''}), batch ${batchSize}, ${epochs} epochs, weights of the best validation epoch.`,
    '',
    '| window length θ | train loss | train acc (%) | val loss | val acc (%) | test loss | test acc (%) |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.learned ? `${learnedLabel} (from ${thetaInit}): ${perBin ? 'mean over bins ' : ''}${pm(r.theta, 1, 1)}${learnHop ? `; hop ${pm(runs.filter((x) => x.config === r.config).map((x) => x.hop ?? modelBase.hop), 1, 1)}` : ''}` : `fixed ${r.config.replace('fixed-', '')}`} | ${pm(r.trainLoss, 1, 3)} | ${pm(r.trainAcc, 100)} | ${pm(r.valLoss, 1, 3)} | ${pm(r.valAcc, 100)} | ${pm(r.testLoss, 1, 3)} | ${pm(r.testAcc, 100)} |`,
    ),
    '',
    ...(missing.length > 0 ? [`**Partial table**: ${missing.length} run(s) not finished (${missing.join(', ')}); each row is over the seeds it has (${rows.map((r) => `${r.config}: ${r.testAcc.length}`).join(', ')}).`, ''] : []),
    `Test accuracy (%) per ${unitName}${splitKind === 'random' ? '' : ' (test speaker in brackets)'}:`,
    '',
    `| θ | ${seeds.map((seed) => `${unitName} ${seed}${splitKind === 'random' ? '' : ` (${splitFor(data, splitKind, seed).testSpeakers!.join(', ')})`}`).join(' | ')} |`,
    `|---|${seeds.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.learned ? 'learned' : `fixed ${r.config.replace('fixed-', '')}`} | ${seeds.map((seed) => { const a = testOf(r.config, seed); return a === undefined ? '–' : (100 * a).toFixed(1); }).join(' | ')} |`),
    `| fixed, chosen by validation accuracy | ${seeds.map((seed) => { const c = selected.find((x) => x.seed === seed); return c === undefined ? '–' : `${(100 * c.testAcc).toFixed(1)} (θ = ${c.theta})`; }).join(' | ')} |`,
    '',
    selected.length > 0
      ? `A fixed θ chosen per ${unitName} by validation accuracy (a grid search that does not look at test data) reaches ${pm(selected.map((r) => r.testAcc), 100)} % on test${seedsDone.length < seeds.length ? ` (over the ${seedsDone.length} ${unitName}s with the whole grid finished)` : ''}.`
      : `No ${unitName} has the whole grid of fixed θ finished yet: no validation-chosen θ.`,
    '',
    `Learned θ per ${unitName}${perBin ? ' (mean over frequency bins)' : ''}: ${learnedRow.theta.map((t) => t.toFixed(2)).join(', ')}${learnHop ? `; learned hop: ${runs.filter((r) => r.learned).map((r) => (r.hop ?? modelBase.hop).toFixed(2)).join(', ')}` : ''}. Best fixed θ${fixedRows.length < fixedThetas.length ? ` among the ${fixedRows.length} of ${fixedThetas.length} fixed rows with finished runs (not yet the grid's best)` : ''}: ${bestFixed.config.replace('fixed-', '')} (test ${(100 * mean(bestFixed.testAcc)).toFixed(1)} %); the learned θ **${verdict}** it on mean test accuracy (${(100 * mean(learnedRow.testAcc)).toFixed(1)} %).`,
    '',
    ...(paired.vsBestFixed || paired.vsSelectedByValidation
      ? [
          `Paired by ${unitName} (test accuracy of the learned θ minus the other, ${unitName} by ${unitName}):`,
          ...(paired.vsBestFixed ? [`- against the best fixed θ (${bestFixed.config.replace('fixed-', '')}): ${pairedText(paired.vsBestFixed, unitName)};`] : []),
          ...(paired.vsSelectedByValidation ? [`- against the fixed θ chosen by validation accuracy: ${pairedText(paired.vsSelectedByValidation, unitName)}.`] : []),
          `The best fixed θ is picked on these test accuracies (the best of ${fixedRows.length} rows), which favours it against any θ chosen without test data.`,
          '',
        ]
      : []),
    `Cost: one learned training ${cost.learnedRunSeconds.toFixed(0)} s against ${cost.gridRuns} fixed trainings (the grid) ${cost.gridSeconds.toFixed(0)} s together${fixedRows.length < fixedThetas.length ? `, only ${fixedRows.length} of the grid's ${fixedThetas.length} rows finished so far` : ''} (${fixedRows.map((r, i) => `${r.config.replace('fixed-', 'θ = ')}: ${fixedRunSeconds[i]!.toFixed(0)} s`).join(', ')}; mean wall time per run): the grid costs ${cost.ratio.toFixed(1)}× one learned training.`,
    '',
    `One learned run: ${mean(learnedSeconds).toFixed(0)} s mean, ${Math.max(...learnedSeconds).toFixed(0)} s max (backend ${tf.getBackend()}, ${cpus().length} cores, Node ${process.version}; the machine was shared with other jobs).`,
    '',
    options.command ? `Regenerate: \`${options.command}\`` : '',
    '',
  ].join('\n');
  writeAtomic(join(dir, 'results.md'), md);

  // figures: θ over training steps (learned runs), and the learned model's confusion matrix (summed over seeds)
  const learnedRuns = runs.filter((r) => r.learned);
  const thetaFig = lineFigure(
    [
      ...learnedRuns.map((r) => ({ x: Float64Array.from(r.thetaTrace, (_, i) => i), y: Float64Array.from(r.thetaTrace), label: `seed ${r.seed}` })),
      ...fixedRows
        .filter((r) => r.config === bestFixed.config)
        .map((r) => ({ x: Float64Array.from([0, learnedRuns[0]!.thetaTrace.length - 1]), y: Float64Array.from([r.theta[0]!, r.theta[0]!]), label: `best fixed θ`, dashed: true })),
    ],
    { title: `Learned window length θ during training${isFsdd(data) ? ` (${FSDD_CREDIT})` : data.source.synthetic ? ' (SYNTHETIC data)' : ''}`, xLabel: 'training step', yLabel: 'θ (samples)', width: 800, height: 450 },
  );
  writeAtomic(join(dir, 'theta.png'), encodePng(thetaFig));
  const confusion = (rs: RunSummary[]) => {
    const c = new Float64Array(100);
    for (const r of rs) r.confusion.forEach((row, i) => row.forEach((v, j) => (c[i * 10 + j]! += v)));
    return c;
  };
  const bestFixedRuns = runs.filter((r) => r.config === bestFixed.config);
  const credit = isFsdd(data) ? '; FSDD, CC BY-SA 4.0' : data.source.synthetic ? '; SYNTHETIC data' : '';
  const figOpts = (title: string) => ({ title: `${title}${credit}`, xLabel: 'predicted digit', yLabel: 'true digit', colorbarLabel: 'count', colormap: 'viridis' as const, maxWidth: 520, maxHeight: 440, f0: 0, df: 1, t0: 0, dt: 1 });
  writeAtomic(
    join(dir, 'confusion.png'),
    encodePng(hstack([mapFigure(confusion(learnedRuns), 10, 10, figOpts('test confusion, learned θ')), mapFigure(confusion(bestFixedRuns), 10, 10, figOpts(`test confusion, fixed θ = ${bestFixed.config.replace('fixed-', '')}`))], { gap: 16 })),
  );
  log(`wrote ${join(dir, 'results.md')}, results.json, theta.png, confusion.png`);
  return { dir, summary };
}
